//! `proost serve`: its settings (flags, environment, config file) and the server's life, from
//! binding the listener to the graceful stop.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use proost_app::{Config, Instance};

use crate::backup;

#[derive(Args)]
pub(crate) struct ServeArgs {
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
    /// Days an emailed one-click unsubscribe link works.
    #[arg(long, env = "PROOST_UNSUBSCRIBE_LINK_DAYS", default_value_t = 30)]
    unsubscribe_link_days: u64,
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
    /// Serve HTTPS with this certificate chain (PEM). It is re-read, with the key, on SIGHUP
    /// without dropping a connection.
    #[arg(long, env = "PROOST_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The private key of `--tls-cert` (PEM).
    #[arg(long, env = "PROOST_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Serve HTTPS with a certificate made on first start and kept in <data-dir>/tls
    /// (browsers warn about it; clients can pin the SHA-256 fingerprint printed at start).
    #[arg(long, env = "PROOST_TLS_SELF_SIGNED", conflicts_with = "tls_cert")]
    tls_self_signed: bool,
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
            let redirect = nonempty(self.oidc_redirect_url)
                .unwrap_or_else(|| format!("{}/api/v1/sso/oidc/callback", c.public_base()));
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
        c.unsubscribe_link_ttl =
            Duration::from_secs(self.unsubscribe_link_days.clamp(1, 3650) * 86_400);
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
        c.https = self.tls_cert.is_some() || self.tls_self_signed;
        self.backup.apply(&mut c)?;
        self.sso.apply(&mut c)?;
        Ok(c)
    }
}

/// `proost config check`: every setting parsed and checked as `serve` checks it (the TLS
/// pair loaded), nothing opened or started.
pub(crate) fn check(args: ServeArgs) -> anyhow::Result<()> {
    if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        proost_server::tls::Certificates::load(cert, key)?;
    }
    if let Some(licence) = args.licence_file.as_ref().filter(|f| !f.is_file()) {
        anyhow::bail!("--licence-file {}: no such file", licence.display());
    }
    args.config()?;
    Ok(())
}

pub(crate) async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let (metrics_listen, grace) = (args.metrics_listen, args.shutdown_grace);
    // A bad certificate stops the start before anything else happens.
    let files = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(proost_server::tls::Certificates::load(cert, key)?),
        _ => None,
    };
    let self_signed = args.tls_self_signed;
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
    let certs = match files {
        Some(certs) => Some(certs),
        None if self_signed => {
            let dir = config.data_dir.join("tls");
            let (cert, key) = proost_server::tls::self_signed(&dir, &certificate_names(&config))?;
            Some(proost_server::tls::Certificates::load(&cert, &key)?)
        }
        None => None,
    };
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let shown = if addr.ip().is_unspecified() {
        SocketAddr::from(([127, 0, 0, 1], addr.port()))
    } else {
        addr
    };
    let scheme = if certs.is_some() { "https" } else { "http" };
    if certs.is_none() && !addr.ip().is_loopback() {
        tracing::warn!(
            "serving plain HTTP on {addr}, beyond this machine: passwords and data cross the network unencrypted. Use --tls-cert/--tls-key or --tls-self-signed, put a TLS-terminating proxy in front, or listen on 127.0.0.1"
        );
    }
    println!("Proost is listening on {scheme}://{shown}");
    if let Some(certs) = &certs {
        println!(
            "TLS certificate {} (SHA-256 fingerprint {})",
            certs.cert_path().display(),
            certs.fingerprint()
        );
    }
    if let Some(token) = &instance.setup_token {
        println!(
            "Proost is not set up yet. Open {scheme}://{shown}/setup?token={token} to create the first admin (the link works once)."
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
    let router = proost_server::router(instance.app.clone());
    let server = async {
        match certs {
            Some(certs) => {
                tokio::spawn(reload_on_hangup(certs.clone()));
                proost_server::tls::serve(listener, router, certs, stopped(stop_rx.clone())).await
            }
            None => proost_server::serve(listener, router, stopped(stop_rx.clone())).await,
        }
    };
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

/// The names a self-signed certificate is made for: this machine, the address listened on
/// and the public URL's host.
fn certificate_names(config: &Config) -> Vec<String> {
    let mut names: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
    if !config.listen.ip().is_unspecified() {
        names.push(config.listen.ip().to_string());
    }
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let public = config
        .public_url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(|h| h.trim_matches(['[', ']']).to_owned()));
    for name in [Some(host.trim().to_owned()), public].into_iter().flatten() {
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// SIGHUP re-reads the certificate files; connections already open keep theirs.
async fn reload_on_hangup(certs: std::sync::Arc<proost_server::tls::Certificates>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut hangups) = signal(SignalKind::hangup()) else {
            return;
        };
        while hangups.recv().await.is_some() {
            match certs.reload() {
                Ok(fingerprint) => tracing::info!(
                    "reloaded the TLS certificate {} (SHA-256 fingerprint {fingerprint})",
                    certs.cert_path().display()
                ),
                Err(e) => tracing::error!("kept the TLS certificate served: {e}"),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = certs;
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
