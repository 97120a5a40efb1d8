#![forbid(unsafe_code)]
//! Server: Proost's HTTP face — the REST API under `/api/v1` and the web UI — and the
//! start-up of an instance (data dir, keys, app database, demo connection, setup link).
//!
//! Handlers are thin; the work lives in the domain crates (`proost-connect`,
//! `proost-query`, `proost-store`, `proost-keys`). Errors become responses in one place
//! (`error.rs`), callers are identified in one place (`auth.rs`).

mod access;
mod api;
mod auth;
mod connections;
mod error;
mod grants_api;
mod keyring;
mod people_api;
mod replicas;
mod results;
mod shred;
mod sso;
mod ui;
mod ui_admin;

// Usage analytics, licence limits and their admin page.
mod inventory;
pub mod licence;
pub mod mail;
pub mod scan;
mod ui_usage;
pub mod usage;
mod visible;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use proost_connect::SourcePolicy;
use proost_query::{Engine, EngineConfig};
use proost_store::{Store, secrets};
use tower_http::set_header::SetResponseHeaderLayer;

pub use error::ApiError;
pub use keyring::Rotation;

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
    pub mail: Option<mail::MailConfig>,
    /// The address users reach Proost at, for links in emails (default: http://<listen>).
    pub public_url: Option<String>,
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
}

impl Config {
    /// The base of absolute links Proost hands out (emails): `--public-url`, else the
    /// listen address (loopback when it listens on all interfaces).
    pub fn public_base(&self) -> String {
        match &self.public_url {
            Some(u) => u.trim_end_matches('/').to_owned(),
            None if self.listen.ip().is_unspecified() => {
                format!("http://127.0.0.1:{}", self.listen.port())
            }
            None => format!("http://{}", self.listen),
        }
    }

    pub fn with_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            data_dir: data_dir.into(),
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
            scan_sample_rows: proost_classify::DEFAULT_SAMPLE,
            mask_threshold: 0.8,
            scan_on_connect: true,
            region: "local".into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the data directory {path} cannot be used: {source}")]
    DataDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Key(#[from] proost_keys::KeyError),
    #[error(transparent)]
    Store(#[from] proost_store::StoreError),
    #[error("creating the demo database failed: {0}")]
    Demo(String),
    #[error("invalid setting: {0}")]
    Setting(String),
    #[error("licence: {0}")]
    Licence(String),
}

pub struct AppState {
    pub store: Store,
    pub connections: connections::Connections,
    pub replicas: replicas::Replicas,
    pub cache: Arc<proost_cache::ResultCache>,
    /// Statement → cache key memo, so a repeated question skips planning (see api::query).
    pub memo: results::Memo,
    /// One master-key rotation at a time (shreds rotate under the running server).
    pub rotation: tokio::sync::Mutex<()>,
    pub engine: Engine,
    pub config: Config,
    pub login_limiter: auth::LoginLimiter,
    pub sessions: auth::SessionMemo,
    pub access: access::AccessMemo,
    /// Single sign-on: the configured providers and the OIDC logins under way.
    pub sso: sso::Sso,
    /// Records usage events in the background (see `usage.rs`).
    pub usage: usage::Usage,
    /// The verified licence, if one was given: its limits are enforced.
    pub licence: Option<licence::Licence>,
    /// Sends invite emails when SMTP is configured.
    pub mailer: Option<mail::Mailer>,
    /// Held for the life of the server: one process per data dir.
    _lock: std::fs::File,
}

/// A prepared instance: state built, setup token (if any) issued.
pub struct Instance {
    pub state: Arc<AppState>,
    /// The one-time setup token when no admin exists yet. Shown once on the console.
    pub setup_token: Option<String>,
    pub master_key_created: bool,
}

fn key_file(config: &Config) -> PathBuf {
    config
        .master_key_file
        .clone()
        .unwrap_or_else(|| config.data_dir.join("master.key"))
}

pub(crate) fn key_source(config: &Config) -> keyring::KeySource {
    match &config.master_key {
        Some(k) => keyring::KeySource::Env(k.clone()),
        None => keyring::KeySource::File(key_file(config)),
    }
}

/// Takes the data dir's lock, so two processes never work on one instance (a second
/// server, or a key rotation under a running server).
fn lock_data_dir(dir: &Path) -> Result<std::fs::File, StartError> {
    let path = dir.join("proost.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| StartError::DataDir {
            path: path.display().to_string(),
            source,
        })?;
    file.try_lock().map_err(|_| {
        StartError::Setting(format!(
            "another Proost process is using {}; stop it first",
            dir.display()
        ))
    })?;
    Ok(file)
}

/// Re-wraps every data key under a new master key; the instance must not be running.
pub async fn rotate_master_key(config: &Config) -> Result<Rotation, StartError> {
    let _lock = lock_data_dir(&config.data_dir)?;
    let store = Store::open(&config.data_dir.join("proost.db")).await?;
    let r = keyring::rotate(&key_source(config), &store).await?;
    store
        .audit(
            None,
            "master_key.rotate",
            None,
            &serde_json::json!({"old_key_id": r.old_key_id, "new_key_id": r.new_key_id, "data_keys_rewrapped": r.data_keys, "by": "proost keys rotate"}),
        )
        .await?;
    Ok(r)
}

/// Checks the audit log's hash chain; `Some(seq)` names the first entry that does not fit.
/// Reads only: it works beside a running server.
pub async fn verify_audit_log(config: &Config) -> Result<(usize, Option<i64>), StartError> {
    let path = config.data_dir.join("proost.db");
    if !path.exists() {
        return Err(StartError::Setting(format!(
            "no Proost app database in {}",
            config.data_dir.display()
        )));
    }
    let store = Store::open(&path).await?;
    let entries = store.audit_entries(None).await?.len();
    Ok((entries, store.audit_verify().await?))
}

fn ensure_private_dir(path: &Path) -> Result<(), StartError> {
    use std::os::unix::fs::PermissionsExt;
    let err = |source| StartError::DataDir {
        path: path.display().to_string(),
        source,
    };
    std::fs::create_dir_all(path).map_err(err)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)).map_err(err)?;
    Ok(())
}

impl Instance {
    /// Opens (or initialises) the instance in `config.data_dir`.
    pub async fn open(config: &Config) -> Result<Instance, StartError> {
        if config.max_rows == 0 || config.default_rows == 0 || config.memory_limit_mb == 0 {
            return Err(StartError::Setting(
                "row limits and the memory limit must be greater than zero".into(),
            ));
        }
        if !(1..=36_500).contains(&config.usage_retention_days) || config.usage_ip_days > 36_500 {
            return Err(StartError::Setting(
                "usage_retention_days must be 1 to 36500 and usage_ip_days 0 to 36500".into(),
            ));
        }
        let licence = match &config.licence_file {
            Some(path) => Some(licence::load(path).map_err(StartError::Licence)?),
            None => None,
        };
        ensure_private_dir(&config.data_dir)?;
        // Paths derived from the data dir end up in connection URLs and in the SQLite root
        // policy: make them absolute once, here (`./proost-data` is the default).
        let config = &Config {
            data_dir: config
                .data_dir
                .canonicalize()
                .map_err(|source| StartError::DataDir {
                    path: config.data_dir.display().to_string(),
                    source,
                })?,
            ..config.clone()
        };
        let sources_dir = config.data_dir.join("sources");
        ensure_private_dir(&sources_dir)?;
        let lock = lock_data_dir(&config.data_dir)?;
        let key_file = key_file(config);
        let db_path = config.data_dir.join("proost.db");
        let store = Store::open(&db_path).await?;
        let (master, master_key_created) = keyring::load(&key_source(config), &store).await?;
        let mut roots = vec![sources_dir.clone()];
        roots.extend(config.sqlite_roots.iter().cloned());
        let policy = SourcePolicy {
            sqlite_roots: roots,
            // Never let a connection read Proost's own database or key.
            sqlite_denied: vec![
                db_path.clone(),
                key_file.clone(),
                config.data_dir.join("proost.db-wal"),
            ],
        };
        let replica_root = config.data_dir.join("replicas");
        ensure_private_dir(&replica_root)?;
        let engine = Engine::new(
            EngineConfig {
                memory_limit_mb: config.memory_limit_mb,
                ..EngineConfig::default()
            },
            replica_root.clone(),
        )
        .map_err(|e| StartError::Setting(e.to_string()))?;
        let cache = Arc::new(proost_cache::ResultCache::new(proost_cache::CacheConfig {
            max_bytes: config.cache_max_mb.saturating_mul(1024 * 1024),
            ttl: config.cache_ttl,
            stale_for: config.cache_stale_for,
        }));
        let sso = sso::Sso::from_config(config, &store).await?;
        let mailer = config
            .mail
            .as_ref()
            .map(mail::Mailer::new)
            .transpose()
            .map_err(StartError::Setting)?;
        let state = Arc::new(AppState {
            connections: connections::Connections::new(
                store.clone(),
                master,
                policy,
                engine.keyring().clone(),
            ),
            replicas: replicas::Replicas::new(
                store.clone(),
                proost_replica::ReplicaStore::new(replica_root),
                config.sync_partitions,
                cache.clone(),
            ),
            cache: cache.clone(),
            memo: results::Memo::default(),
            rotation: tokio::sync::Mutex::new(()),
            store: store.clone(),
            engine,
            config: config.clone(),
            login_limiter: auth::LoginLimiter::default(),
            sessions: auth::SessionMemo::default(),
            access: access::AccessMemo::new(config.mask_threshold),
            sso,
            usage: usage::Usage::start(store.clone()),
            licence,
            mailer,
            _lock: lock,
        });
        let recover = async {
            shred::finish_interrupted(&state).await?;
            state.replicas.recover(&state.connections).await
        };
        let removed = recover
            .await
            .map_err(|e| StartError::Setting(format!("recovering replicas: {}", e.message)))?;
        if !removed.is_empty() {
            tracing::warn!(
                files = removed.len(),
                "removed replica files a crash left behind"
            );
        }
        let fresh = store.user_count().await? == 0 && store.connections().await?.is_empty();
        if config.demo && fresh {
            let demo_path = sources_dir.join("sample_shop.db");
            let path = demo_path.clone();
            tokio::task::spawn_blocking(move || {
                proost_sample::ensure_sample_shop(&path, proost_sample::SampleSize::DEMO)
            })
            .await
            .map_err(|e| StartError::Demo(e.to_string()))?
            .map_err(|e| StartError::Demo(e.to_string()))?;
            let demo = state
                .connections
                .create(
                    "sample_shop",
                    "sqlite",
                    &format!("sqlite://{}", demo_path.display()),
                    None,
                    true,
                    None,
                )
                .await
                .map_err(|e| StartError::Demo(e.message))?;
            // The demo's personal columns are known: protect them from the first query.
            for (column, category) in [
                ("first_name", "name"),
                ("last_name", "name"),
                ("email", "email"),
                ("phone", "phone"),
                ("street_address", "street_address"),
                ("postal_code", "postal_code"),
                ("city", "city"),
                ("date_of_birth", "date_of_birth"),
                ("iban", "bank_account"),
                ("health_notes", "special.health"),
            ] {
                let categories = serde_json::json!([{"category": category, "confidence": 1.0,
                                                     "evidence": ["demo schema"]}]);
                store
                    .upsert_classification(
                        &demo.id,
                        "main",
                        "customers",
                        column,
                        Some(&categories),
                        Some("confirmed"),
                        None,
                        None,
                    )
                    .await?;
            }
            store
                .audit(
                    None,
                    "connection.create",
                    Some(&demo.id),
                    &serde_json::json!({"name": demo.name, "kind": demo.kind, "data_key_id": demo.key_id, "demo": true}),
                )
                .await?;
            if config.scan_on_connect {
                scan::scan_connection(&state, &demo, "connect")
                    .await
                    .map_err(|e| StartError::Demo(e.message))?;
            }
        }
        let setup_token = if config.issue_setup_token && store.user_count().await? == 0 {
            let token = secrets::new_token();
            store.set_setup_token(&secrets::token_hash(&token)).await?;
            Some(token)
        } else {
            None
        };
        Ok(Instance {
            state,
            setup_token,
            master_key_created,
        })
    }

    pub fn router(&self) -> Router {
        router(self.state.clone())
    }

    /// Runs scheduled syncs in the background for as long as the process lives.
    pub fn spawn_scheduler(&self) {
        // Weak: the scheduler must not keep a stopped server's state (and its data-dir
        // lock) alive.
        let state = Arc::downgrade(&self.state);
        usage::spawn_retention(state.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(5));
            loop {
                tick.tick().await;
                let Some(state) = state.upgrade() else { break };
                if let Err(e) = run_due_syncs(&state).await {
                    tracing::warn!(code = e.code, "scheduled sync round failed");
                }
            }
        });
    }

    /// Syncs every replica of every connection now (the `proost sync` command).
    pub async fn sync_all(
        &self,
        only: Option<&str>,
        progress: replicas::OnSyncStart<'_>,
    ) -> Result<Vec<replicas::SyncResult>, ApiError> {
        let mut out = Vec::new();
        for conn in self.state.store.connections().await? {
            if only.is_some_and(|n| n != conn.name) {
                continue;
            }
            let results = self
                .state
                .replicas
                .sync_connection(&conn, &self.state.connections, Some(progress))
                .await?;
            scan::after_sync(&self.state, &conn, &results).await;
            out.extend(results);
        }
        Ok(out)
    }
}

pub use replicas::{OnSyncStart, SyncResult};

async fn run_due_syncs(state: &Arc<AppState>) -> Result<(), ApiError> {
    for r in state.replicas.due().await? {
        let Some(conn) = state.store.connection(&r.connection_id).await? else {
            continue;
        };
        let result = state
            .replicas
            .sync_one(
                &conn,
                &r,
                &state.connections,
                Arc::new(proost_replica::Progress::default()),
            )
            .await;
        tracing::info!(replica = %r.id, status = result.status, rows = result.rows, "scheduled sync");
        scan::after_sync(state, &conn, std::slice::from_ref(&result)).await;
    }
    Ok(())
}

pub fn router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/health", get(api::health))
        .route("/openapi.json", get(api::openapi))
        .route("/setup", post(api::setup))
        .route(
            "/session",
            post(api::login).delete(api::logout).get(api::me),
        )
        .route(
            "/connections",
            get(api::list_connections).post(api::create_connection),
        )
        .route(
            "/connections/{id}",
            get(api::get_connection)
                .patch(api::update_connection)
                .delete(api::delete_connection),
        )
        .route("/connections/{id}/schema", get(api::connection_schema))
        .route(
            "/connections/{id}/replicas",
            get(api::list_replicas).post(api::create_replica),
        )
        .route(
            "/connections/{id}/replicas/{replica}",
            get(api::get_replica).delete(api::delete_replica),
        )
        .route(
            "/connections/{id}/replicas/{replica}/rollback",
            post(api::rollback_replica),
        )
        .route("/connections/{id}/sync", post(api::sync_connection))
        .route("/sso", get(sso::providers))
        .route("/sso/oidc/login", get(sso::oidc_login))
        .route("/sso/oidc/callback", get(sso::oidc_callback))
        .route("/query", post(api::query))
        .route("/audit", get(api::audit_log))
        .route(
            "/users",
            get(people_api::list_users).post(people_api::create_user),
        )
        .route(
            "/users/{id}",
            get(people_api::get_user)
                .patch(people_api::patch_user)
                .delete(people_api::delete_user),
        )
        .route("/users/{id}/invite", post(people_api::reinvite_user))
        .route(
            "/users/{id}/sessions",
            axum::routing::delete(people_api::revoke_user_sessions),
        )
        .route("/invites/accept", post(people_api::accept_invite))
        .route(
            "/roles",
            get(people_api::list_roles).post(people_api::create_role),
        )
        .route(
            "/roles/{name}",
            axum::routing::delete(people_api::delete_role),
        )
        .route(
            "/groups",
            get(people_api::list_groups).post(people_api::create_group),
        )
        .route(
            "/groups/{id}",
            get(people_api::get_group).delete(people_api::delete_group),
        )
        .route("/groups/{id}/members", post(people_api::add_member))
        .route(
            "/groups/{id}/members/{user}",
            axum::routing::delete(people_api::remove_member),
        )
        .route("/sessions", get(people_api::list_sessions))
        .route(
            "/sessions/{id}",
            axum::routing::delete(people_api::revoke_session),
        )
        .route("/tokens", post(people_api::create_token))
        .route(
            "/grants",
            get(grants_api::list_grants).post(grants_api::create_grant),
        )
        .route(
            "/grants/{id}",
            axum::routing::delete(grants_api::delete_grant),
        )
        .route(
            "/row-policies",
            get(grants_api::list_row_policies).post(grants_api::create_row_policy),
        )
        .route(
            "/row-policies/{id}",
            axum::routing::delete(grants_api::delete_row_policy),
        )
        .route("/connections/{id}/scan", post(api::scan_connection))
        .route(
            "/connections/{id}/classifications",
            get(grants_api::list_classifications).put(grants_api::set_classification),
        )
        .route("/usage", get(usage::list))
        .route("/usage/sweep", post(usage::sweep_now))
        .route("/instance", get(licence::instance))
        .route("/inventory", get(inventory::api))
        .fallback(api::not_found);
    Router::new()
        .nest("/api/v1", api)
        .merge(ui::routes().merge(ui_usage::routes()).layer(
            axum::middleware::from_fn_with_state(state.clone(), usage::record_page),
        ))
        .layer(axum::extract::DefaultBodyLimit::max(2 * 1024 * 1024))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // The setup link carries its token in the URL: never let it leak through Referer.
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(state)
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
