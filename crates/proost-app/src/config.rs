//! What an instance can be told: loaded once by the CLI (flags and `PROOST_*` environment
//! variables) and validated when the instance opens.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything `proost serve` can be told. Loaded once by the CLI (flags and `PROOST_*`
/// environment variables) and validated here.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    /// Base64 of 32 bytes; when absent the key file `<data_dir>/master.key` is used.
    pub master_key: Option<String>,
    pub master_key_file: Option<PathBuf>,
    /// Extra directories SQLite connections may read from (besides `<data_dir>/sources`).
    pub sqlite_roots: Vec<PathBuf>,
    pub query_timeout: Duration,
    pub default_rows: usize,
    pub max_rows: usize,
    pub memory_limit_mb: usize,
    pub session_ttl: Duration,
    /// A browser session ends after this long without a request.
    pub session_idle: Duration,
    pub demo: bool,
    /// Parallel range reads per table when syncing from PostgreSQL.
    pub sync_partitions: usize,
    /// Memory the encrypted result cache may use.
    pub cache_max_mb: usize,
    /// How long a cached result is served before it is recomputed.
    pub cache_ttl: Duration,
    /// After the TTL, how long a cached result is still served while it is recomputed in
    /// the background (stale-while-revalidate).
    pub cache_stale_for: Duration,
    /// Also cache results read from live sources (else only results from replicas, whose
    /// versions say exactly when they change).
    pub cache_live: bool,
    /// Issue a first-run setup link when no admin exists (`serve` does; maintenance
    /// commands like `proost sync` must not replace the link a server printed).
    pub issue_setup_token: bool,
    /// OpenID Connect sign-in (`--oidc-*`); `None` turns it off.
    pub oidc: Option<proost_sso::OidcConfig>,
    /// LDAP / Active Directory sign-in (`--ldap-*`); `None` turns it off.
    pub ldap: Option<proost_sso::LdapConfig>,
    /// The role of a user created at their first single sign-on.
    pub sso_default_role: String,
    /// Days usage events are kept before they are folded into daily counts and deleted.
    pub usage_retention_days: u32,
    /// Days a usage event keeps the full client address before it is cut to its network.
    pub usage_ip_days: u32,
    /// An Ed25519-signed licence capping users, roles and connections (none: no caps).
    pub licence_file: Option<PathBuf>,
    /// Outgoing mail for invites (`--smtp-url`, `--smtp-from`); `None`: links only.
    pub mail: Option<crate::mail::MailConfig>,
    /// The address users reach Proost at, for links in emails (default: http(s)://<listen>).
    pub public_url: Option<String>,
    /// How long an emailed one-click unsubscribe link works (`--unsubscribe-link-days`).
    pub unsubscribe_link_ttl: Duration,
    /// Proost itself serves HTTPS (`--tls-cert` or `--tls-self-signed`).
    pub https: bool,
    /// Rows sampled per table when classifying columns (bounded: values are held in memory
    /// only while a table is classified).
    pub scan_sample_rows: usize,
    /// A suggested personal column at or above this confidence is masked for everyone
    /// without `pii` on it (confirmed columns always are, rejected never).
    pub mask_threshold: f32,
    /// Classify a connection's columns when it is added (before anyone can query it).
    pub scan_on_connect: bool,
    /// Where this instance keeps its copies (replicas, cache), as the inventory says.
    pub region: String,
    /// Automatic encrypted backups of the app database.
    pub backup: crate::backup::BackupConfig,
}

impl Config {
    /// The base of absolute links Proost hands out (emails): `--public-url`, else the
    /// listen address (loopback when it listens on all interfaces).
    pub fn public_base(&self) -> String {
        match &self.public_url {
            Some(u) => u.trim_end_matches('/').to_owned(),
            None => {
                let scheme = if self.https { "https" } else { "http" };
                match self.listen.ip().is_unspecified() {
                    true => format!("{scheme}://127.0.0.1:{}", self.listen.port()),
                    false => format!("{scheme}://{}", self.listen),
                }
            }
        }
    }

    pub fn with_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        let data_dir = data_dir.into();
        Config {
            backup: crate::backup::BackupConfig::in_data_dir(&data_dir),
            data_dir,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            master_key: None,
            master_key_file: None,
            sqlite_roots: Vec::new(),
            query_timeout: Duration::from_secs(60),
            default_rows: 2_000,
            max_rows: 100_000,
            memory_limit_mb: 2048,
            session_ttl: Duration::from_secs(12 * 3600),
            session_idle: Duration::from_secs(2 * 3600),
            demo: true,
            sync_partitions: 2,
            cache_max_mb: 256,
            cache_ttl: Duration::from_secs(3600),
            cache_stale_for: Duration::from_secs(300),
            cache_live: false,
            issue_setup_token: true,
            oidc: None,
            ldap: None,
            sso_default_role: "viewer".into(),
            usage_retention_days: 90,
            usage_ip_days: 7,
            licence_file: None,
            mail: None,
            public_url: None,
            unsubscribe_link_ttl: Duration::from_secs(30 * 86_400),
            https: false,
            scan_sample_rows: proost_classify::DEFAULT_SAMPLE,
            mask_threshold: 0.8,
            scan_on_connect: true,
            region: "local".into(),
        }
    }
}
