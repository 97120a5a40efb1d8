//! Readiness: whether this instance can serve, for load balancers and orchestrators. Only
//! yes/no per check: the answer is public and must tell an outsider nothing more.

use std::sync::atomic::{AtomicI64, Ordering};

use serde::Serialize;

use crate::App;

/// The scheduler's last round (Unix seconds; 0: not started).
#[derive(Debug, Default)]
pub struct Heartbeat(AtomicI64);

impl Heartbeat {
    pub(crate) fn beat(&self) {
        self.0
            .store(chrono::Utc::now().timestamp(), Ordering::Relaxed);
    }

    /// Started and seen within the last 30 s (it beats every 5 s).
    fn alive(&self) -> bool {
        let last = self.0.load(Ordering::Relaxed);
        last > 0 && chrono::Utc::now().timestamp() - last <= 30
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    pub ready: bool,
    /// The app database answers.
    pub app_db: bool,
    /// It has exactly this build's migrations, all finished.
    pub migrations: bool,
    /// The master key is loaded and opens data keys.
    pub keyring: bool,
    /// The background scheduler (syncs, backups, subscriptions) is running.
    pub background_tasks: bool,
}

pub async fn readiness(app: &App) -> Readiness {
    let migrations = app.store.migrations_current().await;
    let app_db = migrations.is_ok();
    let migrations = migrations.unwrap_or(false);
    let keyring = app.connections.current_master().is_ok();
    let background_tasks = app.heartbeat.alive();
    Readiness {
        ready: app_db && migrations && keyring && background_tasks,
        app_db,
        migrations,
        keyring,
        background_tasks,
    }
}

/// Sets the metrics read off the running instance (cache size, pool use, backup age); the
/// HTTP front calls it just before rendering `/metrics`.
pub fn refresh_metrics(app: &App) {
    let stats = app.cache.stats();
    crate::metrics::cache_size(stats.bytes, stats.entries);
    let (size, idle) = app.store.pool_state();
    crate::metrics::app_db_pool(size, idle);
    if let Ok(Some(newest)) = crate::backup::newest(&app.config.backup) {
        let age = chrono::Utc::now().signed_duration_since(newest);
        crate::metrics::backup_age(age.num_milliseconds().max(0) as f64 / 1000.0);
    }
}
