#![forbid(unsafe_code)]
//! `proost`: the command line. `proost serve` runs the server on the embedded default.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

mod backup;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use proost_app::{Config, Instance};

#[derive(Parser)]
#[command(
    name = "proost",
    version,
    about = "Explore your databases safely: read-only, encrypted, governed."
)]
struct Cli {
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

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (web UI and REST API).
    Serve(Box<ServeArgs>),
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
    /// Parallel range reads per PostgreSQL table when syncing replicas.
    #[arg(long, env = "PROOST_SYNC_PARTITIONS", default_value_t = 2)]
    sync_partitions: usize,
    /// Memory the encrypted result cache may use, in MiB (0 turns caching off).
    #[arg(long, env = "PROOST_CACHE_MB", default_value_t = 256)]
    cache_mb: usize,
    /// Seconds a cached result is served before it is recomputed.
    #[arg(long, env = "PROOST_CACHE_TTL_SECS", default_value_t = 3600)]
    cache_ttl_secs: u64,
    /// Seconds past the TTL a cached result is still served while it is recomputed.
    #[arg(long, env = "PROOST_CACHE_STALE_SECS", default_value_t = 300)]
    cache_stale_secs: u64,
    /// Also cache results read from live sources (not only from replicas).
    #[arg(long, env = "PROOST_CACHE_LIVE")]
    cache_live: bool,
    /// Minutes without a request after which a browser session ends.
    #[arg(long, env = "PROOST_SESSION_IDLE_MINUTES", default_value_t = 120)]
    session_idle_minutes: u64,
    /// Days usage events are kept before they are folded into daily counts and deleted.
    #[arg(long, env = "PROOST_USAGE_RETENTION_DAYS", default_value_t = 90)]
    usage_retention_days: u32,
    /// Days a usage event keeps the full client address (then IPv4 /24, IPv6 /48).
    #[arg(long, env = "PROOST_USAGE_IP_DAYS", default_value_t = 7)]
    usage_ip_days: u32,
    /// A signed licence file capping users, roles and connections; the server refuses to
    /// start when it is not valid.
    #[arg(long, env = "PROOST_LICENCE_FILE")]
    licence_file: Option<PathBuf>,
    /// SMTP server for invite emails: smtp://host:25, smtp://user:pass@host:587?tls=required
    /// (STARTTLS) or smtps://user:pass@host:465. Without it, invites are links an admin
    /// hands over.
    #[arg(long, env = "PROOST_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// Sender of Proost's emails.
    #[arg(
        long,
        env = "PROOST_SMTP_FROM",
        default_value = "Proost <proost@localhost>"
    )]
    smtp_from: String,
    /// Rows sampled per table when classifying columns for personal data.
    #[arg(long, env = "PROOST_SCAN_SAMPLE_ROWS", default_value_t = 1000)]
    scan_sample_rows: usize,
    /// A column suggested personal at or above this confidence is masked for everyone
    /// without `pii` on it (confirmed columns always are).
    #[arg(long, env = "PROOST_MASK_THRESHOLD", default_value_t = 0.8)]
    mask_threshold: f32,
    /// Where this instance keeps its data (replicas, cache, app database), as the
    /// inventory reports it: a region or site name.
    #[arg(long, env = "PROOST_REGION", default_value = "local")]
    region: String,
    /// The URL users reach Proost at (behind a proxy, say), for links in emails.
    #[arg(long, env = "PROOST_PUBLIC_URL")]
    public_url: Option<String>,
    /// Also serve `/metrics` (Prometheus) without authentication on this address, kept to
    /// the monitoring network. On the main address `/metrics` needs an admin's token.
    #[arg(long, env = "PROOST_METRICS_LISTEN")]
    metrics_listen: Option<SocketAddr>,
    /// On SIGTERM or Ctrl-C: how long requests and background work (syncs, backups) under
    /// way may take to finish before they are stopped.
    #[arg(long, env = "PROOST_SHUTDOWN_GRACE", default_value = "30s", value_parser = humantime::parse_duration)]
    shutdown_grace: Duration,
    #[command(flatten)]
    sso: SsoArgs,
    #[command(flatten)]
    backup: backup::BackupArgs,
}

/// Single sign-on: OpenID Connect and LDAP / Active Directory (both optional).
#[derive(Args)]
struct SsoArgs {
    /// OpenID provider's issuer URL (turns OIDC sign-in on), e.g. https://id.example.com.
    #[arg(long, env = "PROOST_OIDC_ISSUER")]
    oidc_issuer: Option<String>,
    /// Client id Proost is registered under at the provider.
    #[arg(long, env = "PROOST_OIDC_CLIENT_ID")]
    oidc_client_id: Option<String>,
    /// Client secret (omit for a public client, PKCE only).
    #[arg(long, env = "PROOST_OIDC_CLIENT_SECRET", hide_env_values = true)]
    oidc_client_secret: Option<String>,
    /// Callback URL as registered at the provider (default:
    /// http://<listen>/api/v1/sso/oidc/callback; set it to the public URL behind a proxy).
    #[arg(long, env = "PROOST_OIDC_REDIRECT_URL")]
    oidc_redirect_url: Option<String>,
    /// Claim (ID token or userinfo) holding the user's group names.
    #[arg(long, env = "PROOST_OIDC_GROUPS_CLAIM", default_value = "groups")]
    oidc_groups_claim: String,
    /// Directory URL (turns LDAP sign-in on), ldap://host:389 or ldaps://host:636.
    #[arg(long, env = "PROOST_LDAP_URL")]
    ldap_url: Option<String>,
    /// Service account that searches for users (omit both bind flags to search anonymously).
    #[arg(long, env = "PROOST_LDAP_BIND_DN")]
    ldap_bind_dn: Option<String>,
    #[arg(long, env = "PROOST_LDAP_BIND_PASSWORD", hide_env_values = true)]
    ldap_bind_password: Option<String>,
    /// Where users are searched, e.g. ou=people,dc=example,dc=com.
    #[arg(long, env = "PROOST_LDAP_USER_BASE")]
    ldap_user_base: Option<String>,
    /// Finds the user; {login} is the escaped login (AD: (sAMAccountName={login})).
    #[arg(
        long,
        env = "PROOST_LDAP_USER_FILTER",
        default_value = "(|(uid={login})(mail={login}))"
    )]
    ldap_user_filter: String,
    /// Where groups are searched (default: the user base).
    #[arg(long, env = "PROOST_LDAP_GROUP_BASE")]
    ldap_group_base: Option<String>,
    /// Finds the user's groups; {dn} is the user's escaped DN, {login} the escaped login.
    #[arg(
        long,
        env = "PROOST_LDAP_GROUP_FILTER",
        default_value = "(member={dn})"
    )]
    ldap_group_filter: String,
    #[arg(long, env = "PROOST_LDAP_EMAIL_ATTR", default_value = "mail")]
    ldap_email_attr: String,
    #[arg(long, env = "PROOST_LDAP_NAME_ATTR", default_value = "cn")]
    ldap_name_attr: String,
    #[arg(long, env = "PROOST_LDAP_GROUP_NAME_ATTR", default_value = "cn")]
    ldap_group_name_attr: String,
    /// Upgrade ldap:// with StartTLS before any password is sent.
    #[arg(long, env = "PROOST_LDAP_STARTTLS")]
    ldap_starttls: bool,
    /// Role of a user created at their first single sign-on.
    #[arg(long, env = "PROOST_SSO_DEFAULT_ROLE", default_value = "viewer")]
    sso_default_role: String,
}

impl SsoArgs {
    fn apply(self, c: &mut Config) -> anyhow::Result<()> {
        let nonempty = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
        if let Some(issuer) = nonempty(self.oidc_issuer) {
            let Some(client_id) = nonempty(self.oidc_client_id) else {
                anyhow::bail!("--oidc-client-id is required with --oidc-issuer");
            };
            let redirect = nonempty(self.oidc_redirect_url).unwrap_or_else(|| {
                let listen = if c.listen.ip().is_unspecified() {
                    SocketAddr::from(([127, 0, 0, 1], c.listen.port()))
                } else {
                    c.listen
                };
                format!("http://{listen}/api/v1/sso/oidc/callback")
            });
            let mut oidc = proost_sso::OidcConfig::new(
                issuer,
                client_id,
                nonempty(self.oidc_client_secret),
                redirect,
            );
            oidc.groups_claim = self.oidc_groups_claim;
            c.oidc = Some(oidc);
        }
        if let Some(url) = nonempty(self.ldap_url) {
            let Some(user_base) = nonempty(self.ldap_user_base) else {
                anyhow::bail!("--ldap-user-base is required with --ldap-url");
            };
            c.ldap = Some(proost_sso::LdapConfig {
                url,
                bind_dn: nonempty(self.ldap_bind_dn),
                bind_password: nonempty(self.ldap_bind_password),
                group_base_dn: nonempty(self.ldap_group_base).unwrap_or_else(|| user_base.clone()),
                user_base_dn: user_base,
                user_filter: self.ldap_user_filter,
                group_filter: self.ldap_group_filter,
                email_attr: self.ldap_email_attr,
                name_attr: self.ldap_name_attr,
                group_name_attr: self.ldap_group_name_attr,
                starttls: self.ldap_starttls,
            });
        }
        c.sso_default_role = self.sso_default_role;
        Ok(())
    }
}

impl ServeArgs {
    fn config(self) -> anyhow::Result<Config> {
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
        c.session_idle = Duration::from_secs(self.session_idle_minutes.max(1) * 60);
        c.demo = !self.no_demo;
        c.sync_partitions = self.sync_partitions.clamp(1, 16);
        c.cache_max_mb = self.cache_mb;
        c.cache_ttl = Duration::from_secs(self.cache_ttl_secs.max(1));
        c.cache_live = self.cache_live;
        c.cache_stale_for = Duration::from_secs(self.cache_stale_secs);
        c.usage_retention_days = self.usage_retention_days;
        c.usage_ip_days = self.usage_ip_days;
        c.licence_file = self.licence_file;
        c.mail = self.smtp_url.filter(|u| !u.trim().is_empty()).map(|url| {
            proost_app::mail::MailConfig {
                url,
                from: self.smtp_from,
            }
        });
        c.public_url = self.public_url.filter(|u| !u.trim().is_empty());
        c.scan_sample_rows = self.scan_sample_rows.clamp(1, 100_000);
        if !(0.0..=1.0).contains(&self.mask_threshold) {
            anyhow::bail!("--mask-threshold is a confidence between 0 and 1");
        }
        c.mask_threshold = self.mask_threshold;
        c.region = self.region;
        self.backup.apply(&mut c)?;
        self.sso.apply(&mut c)?;
        Ok(c)
    }
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

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let (metrics_listen, grace) = (args.metrics_listen, args.shutdown_grace);
    let config = args.config()?;
    let instance = Instance::open(&config).await?;
    if instance.master_key_created {
        let file = config
            .master_key_file
            .clone()
            .unwrap_or_else(|| config.data_dir.join("master.key"));
        tracing::warn!(
            "Generated a new master key in {} — back it up: without it the sealed credentials cannot be read.",
            file.display()
        );
    }
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let shown = if addr.ip().is_unspecified() {
        SocketAddr::from(([127, 0, 0, 1], addr.port()))
    } else {
        addr
    };
    if !addr.ip().is_loopback() {
        tracing::warn!(
            "serving plain HTTP on {addr}, beyond this machine: passwords and data cross the network unencrypted. Put a TLS-terminating proxy in front, or listen on 127.0.0.1"
        );
    }
    println!("Proost is listening on http://{shown}");
    if let Some(token) = &instance.setup_token {
        println!(
            "Proost is not set up yet. Open http://{shown}/setup?token={token} to create the first admin (the link works once)."
        );
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        stop_signal().await;
        tracing::info!(
            "stopping: no new connections; finishing what is under way (up to {grace:?})"
        );
        let _ = stop_tx.send(true);
    });
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|s| *s).await;
    };
    instance.spawn_scheduler();
    if let Some(at) = metrics_listen {
        let metrics = tokio::net::TcpListener::bind(at).await?;
        println!("Metrics at http://{}/metrics", metrics.local_addr()?);
        let router = proost_server::metrics_router(instance.app.clone());
        tokio::spawn(proost_server::serve(
            metrics,
            router,
            stopped(stop_rx.clone()),
        ));
    }
    let server = proost_server::serve(
        listener,
        proost_server::router(instance.app.clone()),
        stopped(stop_rx.clone()),
    );
    // In-flight requests get the grace period once the stop begins, then are dropped
    // (dropping a query cancels it at the source).
    let bounded = async {
        stopped(stop_rx.clone()).await;
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        served = server => served?,
        () = bounded => tracing::warn!("requests still running after {grace:?}; stopping them"),
    }
    instance.app.shutdown(grace).await;
    Ok(())
}

/// SIGTERM (service managers, orchestrators) or SIGINT (Ctrl-C).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
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
    let cli = Cli::parse();
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
            Command::Serve(args) => serve(*args).await,
            Command::Keys(KeysCommand::Rotate(args)) => rotate(args).await,
            Command::Sync(args) => sync(args).await,
            Command::Scan(args) => scan(args).await,
            Command::Users(UsersCommand::ResetPassword(args)) => reset_password(args).await,
            Command::Audit(AuditCommand::Verify(args)) => verify_audit(args).await,
            Command::Backup(command) => backup::run(command).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if matches!(log_format, LogFormat::Json) => {
            tracing::error!("{e:#}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
