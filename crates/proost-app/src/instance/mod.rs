//! An instance: its data dir, keys, app database and services, opened once per process.

mod datadir;
mod demo;
mod lifecycle;
mod ready;
mod scheduler;

use std::sync::Arc;

use proost_connect::SourcePolicy;
use proost_query::{Engine, EngineConfig};
use proost_store::{Store, secrets};

pub use crate::keyring::Rotation;
use crate::keyring::{key_file, key_source};
pub(crate) use datadir::ensure_private_dir;
use datadir::lock_data_dir;
pub use datadir::{rotate_master_key, verify_audit_log};
pub use lifecycle::Background;
pub use ready::{Heartbeat, Readiness, readiness, refresh_metrics};
pub use scheduler::SyncProgress;

use crate::{App, Config, StartError};

/// A prepared instance: services built, setup token (if any) issued.
pub struct Instance {
    pub app: Arc<App>,
    /// The one-time setup token when no admin exists yet. Shown once on the console.
    pub setup_token: Option<String>,
    pub master_key_created: bool,
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
            Some(path) => Some(crate::licence::load(path).map_err(StartError::Licence)?),
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
        let (master, master_key_created) =
            crate::keyring::load(&key_source(config), &store).await?;
        // CA certificates of sources (`sslrootcert=` / `ssl-ca=` name files here).
        let certs_dir = config.data_dir.join("certs");
        ensure_private_dir(&certs_dir)?;
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
            ca_roots: vec![certs_dir],
        };
        let replica_root = config.data_dir.join("replicas");
        ensure_private_dir(&replica_root)?;
        // Access bundles (age-encrypted) wait here for their download.
        ensure_private_dir(&crate::privacy::bundles_dir(&config.data_dir))?;
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
        let sso = crate::people::sso::Sso::from_config(config, &store).await?;
        let mailer = config
            .mail
            .as_ref()
            .map(crate::mail::Mailer::new)
            .transpose()
            .map_err(StartError::Setting)?;
        let state = Arc::new(App {
            connections: crate::sources::Connections::new(
                store.clone(),
                master,
                policy,
                engine.keyring().clone(),
            ),
            replicas: crate::replicas::Replicas::new(
                store.clone(),
                proost_replica::ReplicaStore::new(replica_root),
                config.sync_partitions,
                cache.clone(),
            ),
            cache: cache.clone(),
            memo: crate::query::Memo::default(),
            running: crate::query::running::Running::default(),
            rotation: tokio::sync::Mutex::new(()),
            store: store.clone(),
            engine,
            config: config.clone(),
            login_limiter: crate::people::sessions::LoginLimiter::default(),
            privacy_filings: crate::privacy::filing_limiter(),
            sessions: crate::people::sessions::SessionMemo::default(),
            access: crate::access::AccessMemo::new(config.mask_threshold),
            sso,
            usage: crate::usage::Usage::start(store.clone()),
            licence,
            mailer,
            heartbeat: Default::default(),
            background: Default::default(),
            data_dir_lock: std::sync::Mutex::new(Some(lock)),
        });
        let recover = async {
            crate::connections::shred::finish_interrupted(&state).await?;
            crate::privacy::recover(&state).await?;
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
            demo::create(&state, &sources_dir).await?;
        }
        let setup_token = if config.issue_setup_token && store.user_count().await? == 0 {
            let token = secrets::new_token();
            store.set_setup_token(&secrets::token_hash(&token)).await?;
            Some(token)
        } else {
            None
        };
        Ok(Instance {
            app: state,
            setup_token,
            master_key_created,
        })
    }
}
