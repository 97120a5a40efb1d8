#![forbid(unsafe_code)]
//! `proost`: the command line. `proost serve` runs the server on the embedded default.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

mod backup;
mod serve;
mod settings;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use proost_app::{Config, Instance};

#[derive(Parser)]
#[command(
    name = "proost",
    version = VERSION,
    about = "Explore your databases safely: read-only, encrypted, governed."
)]
struct Cli {
    /// A TOML file of `proost serve` settings (keys: the flags with _ for -). Flags and
    /// environment variables override it.
    #[arg(long, global = true, env = "PROOST_CONFIG")]
    config: Option<PathBuf>,
    /// Log lines as text (for people) or one JSON object per line (for log shippers).
    #[arg(
        long,
        global = true,
        env = "PROOST_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

/// The version and the commit it was built from (`build.rs`).
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("PROOST_COMMIT"), ")");

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (web UI and REST API).
    Serve(Box<serve::ServeArgs>),
    /// Manage the master key.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Work with the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Sync replicas now (stop the server first, or use the API's sync while it runs).
    Sync(SyncArgs),
    /// Classify every column of the connections for personal data now (sampled values
    /// stay in memory; confirmations and rejections are kept).
    Scan(ScanArgs),
    /// Manage accounts from the server's machine (works while the server runs).
    #[command(subcommand)]
    Users(UsersCommand),
    /// Encrypted backups of Proost's own data: take, list, verify, restore.
    #[command(subcommand)]
    Backup(backup::BackupCommand),
    /// The settings of `proost serve` from flags, environment and `--config` file.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Check every setting as `proost serve` would (certificates included), start nothing.
    Check(Box<serve::ServeArgs>),
    /// Print the effective settings as a config file, each with where it came from;
    /// secrets are redacted.
    Show(Box<serve::ServeArgs>),
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Print a one-time link (valid for an hour) with which EMAIL chooses a new password;
    /// using it ends the account's sessions and lifts its login lockout.
    ResetPassword(ResetArgs),
}

#[derive(Args)]
struct ResetArgs {
    #[arg(long, env = "PROOST_DATA_DIR", default_value = "./proost-data")]
    data_dir: PathBuf,
    /// The address users reach Proost at, for the link.
    #[arg(
        long,
        env = "PROOST_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    public_url: String,
    /// The account's email address.
    email: String,
}

#[derive(Args)]
struct ScanArgs {
    #[command(flatten)]
    instance: InstanceArgs,
    /// Only this connection (by name).
    #[arg(long)]
    connection: Option<String>,
    /// Rows sampled per table.
    #[arg(long, env = "PROOST_SCAN_SAMPLE_ROWS", default_value_t = 1000)]
    sample_rows: usize,
    /// Print the reports as JSON lines.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain of the audit log; exits 1 and names the first broken entry when
    /// an entry was changed or removed behind Proost's back.
    Verify(InstanceArgs),
}

#[derive(Args)]
struct SyncArgs {
    #[command(flatten)]
    instance: InstanceArgs,
    /// Only the replicas of this connection (by name).
    #[arg(long)]
    connection: Option<String>,
    /// Parallel range reads per PostgreSQL table.
    #[arg(long, env = "PROOST_SYNC_PARTITIONS", default_value_t = 2)]
    partitions: usize,
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Re-wrap every data key under a new master key (stop the server first). Sealed data
    /// is not touched; a crash at any point is finished on the next start. Takes a backup
    /// under the new key right after, so the newest backup always restores.
    Rotate(RotateArgs),
}

#[derive(Args)]
struct RotateArgs {
    #[command(flatten)]
    instance: InstanceArgs,
    #[command(flatten)]
    backup: backup::BackupArgs,
}

#[derive(Args)]
pub(crate) struct InstanceArgs {
    #[arg(long, env = "PROOST_DATA_DIR", default_value = "./proost-data")]
    data_dir: PathBuf,
    #[arg(long, env = "PROOST_MASTER_KEY_FILE")]
    master_key_file: Option<PathBuf>,
    #[arg(long = "master-key", env = "PROOST_MASTER_KEY", hide_env_values = true)]
    master_key: Option<String>,
}

impl InstanceArgs {
    pub(crate) fn config(&self) -> Config {
        let mut config = Config::with_data_dir(&self.data_dir);
        config.master_key_file = self.master_key_file.clone();
        config.master_key = self.master_key.clone().filter(|k| !k.is_empty());
        config.demo = false;
        config.issue_setup_token = false;
        config
    }
}

/// On the app database alone (no instance lock), so it works beside a running server.
async fn reset_password(args: ResetArgs) -> anyhow::Result<()> {
    let db = args.data_dir.join("proost.db");
    if !db.exists() {
        anyhow::bail!(
            "no Proost data in {} (give --data-dir)",
            args.data_dir.display()
        );
    }
    let store = proost_store::Store::open(&db).await?;
    let link = proost_app::people::reset::reset_link(&store, &args.email, "cli")
        .await
        .map_err(|e| anyhow::anyhow!("{}: {}", e.code, e.message))?;
    println!(
        "One-time link for {} (works once, for {} minutes):\n{}{link}",
        args.email.trim(),
        proost_app::people::reset::RESET_MINUTES,
        args.public_url.trim_end_matches('/')
    );
    Ok(())
}

async fn scan(args: ScanArgs) -> anyhow::Result<()> {
    let mut config = args.instance.config();
    config.scan_sample_rows = args.sample_rows.clamp(1, 100_000);
    let instance = Instance::open(&config).await?;
    let state = &instance.app;
    let all = state.store.connections().await?;
    let chosen: Vec<_> = all
        .iter()
        .filter(|c| args.connection.as_deref().is_none_or(|n| n == c.name))
        .collect();
    if chosen.is_empty() {
        anyhow::bail!(
            "no connection {}",
            args.connection.as_deref().unwrap_or("to scan")
        );
    }
    let mut failed = 0;
    for c in chosen {
        match proost_app::classify::scan::scan_connection(state, c, "cli").await {
            Ok(r) if args.json => println!("{}", serde_json::to_string(&r)?),
            Ok(r) => println!(
                "{}: {} tables, {} columns, {} flagged personal, {} values sampled in {} ms \
                 (sampling {} ms, classifying {} ms){}",
                r.connection,
                r.tables,
                r.columns,
                r.flagged,
                r.values_sampled,
                r.elapsed_ms,
                r.sample_ms,
                r.classify_ms,
                if r.unsampled.is_empty() {
                    String::new()
                } else {
                    format!("; classified by name only: {}", r.unsampled.join(", "))
                }
            ),
            Err(e) => {
                failed += 1;
                eprintln!("{}: {}: {}", c.name, e.code, e.message);
            }
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} connection(s) could not be scanned");
    }
    Ok(())
}

async fn sync(args: SyncArgs) -> anyhow::Result<()> {
    use indicatif::{ProgressBar, ProgressStyle};
    let mut config = args.instance.config();
    config.sync_partitions = args.partitions.clamp(1, 16);
    let instance = Instance::open(&config).await?;
    let bars: std::sync::Mutex<Vec<ProgressBar>> = Default::default();
    let style = ProgressStyle::with_template("{spinner} {prefix:.bold} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    let on_start = |r: &proost_store::ReplicaRecord,
                    p: std::sync::Arc<proost_replica::Progress>| {
        let bar = ProgressBar::new_spinner().with_style(style.clone());
        bar.set_prefix(format!("{}.{}", r.schema_name, r.table_name));
        bar.enable_steady_tick(Duration::from_millis(200));
        let shown = bar.clone();
        let started = std::time::Instant::now();
        // Redraws from the sync's counters until the bar is finished.
        std::thread::spawn(move || {
            while !shown.is_finished() {
                let secs = started.elapsed().as_secs_f64().max(0.001);
                shown.set_message(format!(
                    "{} rows, {:.0} rows/s, {:.1} MiB written",
                    p.rows(),
                    p.rows() as f64 / secs,
                    p.bytes() as f64 / 1048576.0
                ));
                std::thread::sleep(Duration::from_millis(200));
            }
        });
        if let Ok(mut b) = bars.lock() {
            if let Some(prev) = b.pop() {
                prev.finish_and_clear();
            }
            b.push(bar);
        }
    };
    let results = instance
        .sync_all(args.connection.as_deref(), &on_start)
        .await;
    if let Ok(mut b) = bars.lock() {
        for bar in b.drain(..) {
            bar.finish_and_clear();
        }
    }
    let results = results.map_err(|e| anyhow::anyhow!("{}: {}", e.code, e.message))?;
    if results.is_empty() {
        println!("No replicas to sync.");
    }
    let mut failed = 0;
    for r in &results {
        match &r.error {
            None => println!(
                "{:<40} {:<9} v{:<4} {:>12} rows {:>10.1} MiB {:>8.2} s {:>12.0} rows/s",
                r.table,
                r.status,
                r.version.unwrap_or(0),
                r.rows,
                r.bytes as f64 / 1048576.0,
                r.seconds,
                r.rows_read as f64 / r.seconds.max(0.001)
            ),
            Some(e) => {
                failed += 1;
                println!("{:<40} failed    {}", r.table, e);
            }
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {} replicas failed to sync", results.len());
    }
    Ok(())
}

async fn verify_audit(args: InstanceArgs) -> anyhow::Result<()> {
    let (entries, broken) = proost_app::verify_audit_log(&args.config()).await?;
    match broken {
        None => {
            println!("audit log intact: {entries} entries, every one chained to the one before");
            Ok(())
        }
        Some(seq) => anyhow::bail!(
            "audit log broken at entry #{seq}: it was changed, or an entry before it was removed"
        ),
    }
}

async fn rotate(args: RotateArgs) -> anyhow::Result<()> {
    let mut config = args.instance.config();
    args.backup.apply(&mut config)?;
    let r = proost_app::rotate_master_key(&config).await?;
    println!(
        "Rotated the master key {} -> {}: {} data keys re-wrapped. Back up the new key file.",
        r.old_key_id, r.new_key_id, r.data_keys
    );
    // Older backups restore only with the old key (their key id is in `proost backup list`).
    match backup::after_rotation(&config).await {
        Ok(file) => println!("Took backup {file} under the new key."),
        Err(e) => eprintln!(
            "warning: no backup under the new key could be taken ({e:#}); run `proost backup now`"
        ),
    }
    Ok(())
}

fn main() -> ExitCode {
    let layered = match settings::layer(std::env::args_os().collect()) {
        Ok(layered) => layered,
        Err(e) => e.exit(),
    };
    let matches = match Cli::command().try_get_matches_from(&layered.argv) {
        Ok(m) => m,
        Err(e) => settings::explain(e, &layered).exit(),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let log_format = cli.log_format;
    let filter = tracing_subscriber::EnvFilter::try_from_env("PROOST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        // Colour codes only for a person at a terminal, not in a log file or a journal.
        LogFormat::Text => logs
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        // One object per line; the request span (id, method, route) rides along.
        LogFormat::Json => logs
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve::serve(*args).await,
            Command::Keys(KeysCommand::Rotate(args)) => rotate(args).await,
            Command::Sync(args) => sync(args).await,
            Command::Scan(args) => scan(args).await,
            Command::Users(UsersCommand::ResetPassword(args)) => reset_password(args).await,
            Command::Audit(AuditCommand::Verify(args)) => verify_audit(args).await,
            Command::Backup(command) => backup::run(command).await,
            Command::Config(ConfigCommand::Check(args)) => serve::check(*args).map(|()| {
                println!(
                    "The configuration from {} is valid.",
                    settings::describe(&layered)
                )
            }),
            Command::Config(ConfigCommand::Show(_)) => {
                print!("{}", settings::show(&matches, &layered));
                Ok(())
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if matches!(log_format, LogFormat::Json) => {
            tracing::error!("{}", settings::attribute(format!("{e:#}"), &layered));
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {}", settings::attribute(format!("{e:#}"), &layered));
            ExitCode::FAILURE
        }
    }
}
