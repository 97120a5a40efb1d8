//! Work an instance does on its own: scheduled syncs and the usage retention sweep, and the
//! sync of everything the `proost sync` command asks for.

use std::sync::Arc;
use std::time::Duration;

use super::Instance;
use crate::replicas::{OnSyncStart, SyncResult, SyncedBy};
use crate::{App, Result};

/// Called when a replica's sync starts (the CLI draws a progress bar from it).
pub type SyncProgress<'a> = OnSyncStart<'a>;

impl Instance {
    /// Runs scheduled syncs and the usage retention sweep in the background for as long as
    /// the instance lives.
    pub fn spawn_scheduler(&self) {
        let app = &self.app;
        crate::usage::spawn_retention(app);
        crate::retention::spawn(app);
        crate::content::subscriptions::spawn_scheduler(app);
        spawn_backups(app);
        app.background
            .every(app, Duration::from_secs(5), |app| async move {
                app.heartbeat.beat();
                if let Err(e) = run_due_syncs(&app).await {
                    tracing::warn!(code = e.code, "scheduled sync round failed");
                }
            });
    }

    /// Syncs every replica of every connection (or of `only`) now: the `proost sync`
    /// command. Audited as the command's work.
    pub async fn sync_all(
        &self,
        only: Option<&str>,
        progress: SyncProgress<'_>,
    ) -> Result<Vec<SyncResult>> {
        let mut out = Vec::new();
        for conn in self.app.store.connections().await? {
            if only.is_some_and(|n| n != conn.name) {
                continue;
            }
            let results =
                crate::replicas::sync_connection(&self.app, &conn, SyncedBy::Cli, Some(progress))
                    .await?;
            out.extend(results);
        }
        Ok(out)
    }
}

async fn run_due_syncs(app: &Arc<App>) -> Result<()> {
    for r in app.replicas.due().await? {
        let Some(conn) = app.store.connection(&r.connection_id).await? else {
            continue;
        };
        crate::replicas::sync_scheduled(app, &conn, &r).await?;
    }
    Ok(())
}

/// Takes a backup when the newest is older than the interval: at start-up, then checked
/// every minute (so a server that was down past its time backs up as soon as it is up).
fn spawn_backups(app: &Arc<App>) {
    if app.config.backup.interval.is_none() {
        return;
    }
    app.background
        .every(app, Duration::from_secs(60), |app| async move {
            let config = &app.config.backup;
            let Some(interval) = config.interval else {
                return;
            };
            let due = match crate::backup::newest(config) {
                Ok(Some(t)) => (chrono::Utc::now() - t).to_std().unwrap_or_default() >= interval,
                Ok(None) => true,
                Err(e) => {
                    tracing::warn!(code = e.code, "reading the backup index failed: {e}");
                    return;
                }
            };
            if due {
                crate::backup::take_audited(&app, None).await.ok();
            }
        });
}
