#![forbid(unsafe_code)]
//! `proost`: the command line. `proost serve` runs the server on the embedded default.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use proost_server::{Config, Instance};

#[derive(Parser)]
#[command(
    name = "proost",
    version,
    about = "Explore your databases safely: read-only, encrypted, governed."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (web UI and REST API).
    Serve(ServeArgs),
    /// Manage the master key.
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Re-wrap every data key under a new master key (stop the server first). Sealed data
    /// is not touched; a crash at any point is finished on the next start.
    Rotate(InstanceArgs),
}

#[derive(Args)]
struct InstanceArgs {
    #[arg(long, env = "PROOST_DATA_DIR", default_value = "./proost-data")]
    data_dir: PathBuf,
    #[arg(long, env = "PROOST_MASTER_KEY_FILE")]
    master_key_file: Option<PathBuf>,
    #[arg(long = "master-key", env = "PROOST_MASTER_KEY", hide_env_values = true)]
    master_key: Option<String>,
}

#[derive(Args)]
struct ServeArgs {
    /// Where Proost keeps its app database, key file and demo data.
    #[arg(long, env = "PROOST_DATA_DIR", default_value = "./proost-data")]
    data_dir: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "PROOST_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Master key, base64 of 32 bytes (overrides the key file). Prefer a key file or a
    /// secret store: environment variables can leak into process listings of child processes.
    #[arg(long = "master-key", env = "PROOST_MASTER_KEY", hide_env_values = true)]
    master_key: Option<String>,
    /// Master key file (default: <data-dir>/master.key, created 0600 on first start).
    #[arg(long, env = "PROOST_MASTER_KEY_FILE")]
    master_key_file: Option<PathBuf>,
    /// Extra directories SQLite connections may read (repeatable; comma-separated in the env).
    #[arg(
        long = "sqlite-root",
        env = "PROOST_SQLITE_ROOTS",
        value_delimiter = ','
    )]
    sqlite_roots: Vec<PathBuf>,
    /// Seconds a query may run before it is cancelled.
    #[arg(long, env = "PROOST_QUERY_TIMEOUT_SECS", default_value_t = 60)]
    query_timeout_secs: u64,
    /// Rows a query returns when the request names no limit.
    #[arg(long, env = "PROOST_DEFAULT_ROWS", default_value_t = 2_000)]
    default_rows: usize,
    /// Rows a query may return at most.
    #[arg(long, env = "PROOST_MAX_ROWS", default_value_t = 100_000)]
    max_rows: usize,
    /// Memory one engine query may use, in MiB.
    #[arg(long, env = "PROOST_QUERY_MEMORY_MB", default_value_t = 2048)]
    query_memory_mb: usize,
    /// Hours a login session lasts.
    #[arg(long, env = "PROOST_SESSION_HOURS", default_value_t = 12)]
    session_hours: u64,
    /// Do not create the demo connection `sample_shop` on first start.
    #[arg(long, env = "PROOST_NO_DEMO")]
    no_demo: bool,
}

impl ServeArgs {
    fn config(self) -> Config {
        let mut c = Config::with_data_dir(self.data_dir);
        c.listen = self.listen;
        c.master_key = self.master_key.filter(|k| !k.is_empty());
        c.master_key_file = self.master_key_file;
        c.sqlite_roots = self.sqlite_roots;
        c.query_timeout = Duration::from_secs(self.query_timeout_secs.max(1));
        c.default_rows = self.default_rows;
        c.max_rows = self.max_rows;
        c.memory_limit_mb = self.query_memory_mb;
        c.session_ttl = Duration::from_secs(self.session_hours.max(1) * 3600);
        c.demo = !self.no_demo;
        c
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let config = args.config();
    let instance = Instance::open(&config).await?;
    if instance.master_key_created {
        eprintln!(
            "Generated a new master key in {} — back it up: without it the sealed credentials cannot be read.",
            config
                .master_key_file
                .clone()
                .unwrap_or_else(|| config.data_dir.join("master.key"))
                .display()
        );
    }
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let shown = if addr.ip().is_unspecified() {
        SocketAddr::from(([127, 0, 0, 1], addr.port()))
    } else {
        addr
    };
    println!("Proost is listening on http://{shown}");
    if let Some(token) = &instance.setup_token {
        println!(
            "Proost is not set up yet. Open http://{shown}/setup?token={token} to create the first admin (the link works once)."
        );
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    proost_server::serve(listener, instance.router(), shutdown).await?;
    Ok(())
}

async fn rotate(args: InstanceArgs) -> anyhow::Result<()> {
    let mut config = Config::with_data_dir(args.data_dir);
    config.master_key_file = args.master_key_file;
    config.master_key = args.master_key.filter(|k| !k.is_empty());
    let r = proost_server::rotate_master_key(&config).await?;
    println!(
        "Rotated the master key {} -> {}: {} data keys re-wrapped. Back up the new key file.",
        r.old_key_id, r.new_key_id, r.data_keys
    );
    Ok(())
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PROOST_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve(args).await,
            Command::Keys(KeysCommand::Rotate(args)) => rotate(args).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
