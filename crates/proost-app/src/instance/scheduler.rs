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
        // Weak: the scheduler must not keep a stopped server's services (and its data-dir
        // lock) alive.
        let app = Arc::downgrade(&self.app);
        crate::usage::spawn_retention(app.clone());
        crate::content::subscriptions::spawn_scheduler(app.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(5));
            loop {
                tick.tick().await;
                let Some(app) = app.upgrade() else { break };
                if let Err(e) = run_due_syncs(&app).await {
                    tracing::warn!(code = e.code, "scheduled sync round failed");
                }
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
