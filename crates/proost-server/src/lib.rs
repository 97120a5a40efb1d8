#![forbid(unsafe_code)]
//! Server: Proost's HTTP face — the REST API under `/api/v1` and the web UI — and the
//! start-up of an instance (data dir, keys, app database, demo connection, setup link).
//!
//! Handlers are thin; the work lives in the domain crates (`proost-connect`,
//! `proost-query`, `proost-store`, `proost-keys`). Errors become responses in one place
//! (`error.rs`), callers are identified in one place (`auth.rs`).

mod api;
mod auth;
mod connections;
mod error;
mod keyring;
mod results;
mod ui;

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
    pub demo: bool,
}

impl Config {
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
            demo: true,
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
}

pub struct AppState {
    pub store: Store,
    pub connections: connections::Connections,
    pub engine: Engine,
    pub config: Config,
    pub login_limiter: auth::LoginLimiter,
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

fn key_source(config: &Config) -> keyring::KeySource {
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
    keyring::rotate(&key_source(config), &store).await
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
        let state = Arc::new(AppState {
            connections: connections::Connections::new(store.clone(), master, policy),
            store: store.clone(),
            engine: Engine::new(EngineConfig {
                memory_limit_mb: config.memory_limit_mb,
                ..EngineConfig::default()
            }),
            config: config.clone(),
            login_limiter: auth::LoginLimiter::default(),
            _lock: lock,
        });
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
            state
                .connections
                .create(
                    "sample_shop",
                    "sqlite",
                    &format!("sqlite://{}", demo_path.display()),
                    None,
                    true,
                )
                .await
                .map_err(|e| StartError::Demo(e.message))?;
        }
        let setup_token = if store.user_count().await? == 0 {
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
            get(api::get_connection).delete(api::delete_connection),
        )
        .route("/connections/{id}/schema", get(api::connection_schema))
        .route("/query", post(api::query))
        .fallback(api::not_found);
    Router::new()
        .nest("/api/v1", api)
        .merge(ui::routes())
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
