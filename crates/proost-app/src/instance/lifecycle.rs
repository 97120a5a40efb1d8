//! Background work and an orderly stop. Every task the instance runs on its own (the
//! schedulers, syncs and scans started by a request, cache refreshes) is spawned here, so a
//! stop can tell them to end, wait for them, and only then close the app database and
//! release the data directory: the next process (a restart, a CLI command) finds it free.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::App;

pub struct Background {
    stopping: watch::Sender<bool>,
    tasks: std::sync::Mutex<JoinSet<()>>,
}

impl Default for Background {
    fn default() -> Self {
        Background {
            stopping: watch::channel(false).0,
            tasks: std::sync::Mutex::new(JoinSet::new()),
        }
    }
}

impl Background {
    /// Runs `work` in the background, unless the instance is stopping.
    pub(crate) fn spawn(&self, work: impl Future<Output = ()> + Send + 'static) {
        if *self.stopping.borrow() {
            return;
        }
        if let Ok(mut tasks) = self.tasks.lock() {
            // Finished tasks stay in the set until reaped: reap them as we go.
            while tasks.try_join_next().is_some() {}
            tasks.spawn(work);
        }
    }

    /// Resolves once the instance begins to stop: loops select on it between rounds.
    pub(crate) fn stopped(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut rx = self.stopping.subscribe();
        async move {
            let _ = rx.wait_for(|stopping| *stopping).await;
        }
    }

    /// Spawns a loop that runs `round` every `every` (the first at once) until the instance
    /// stops or is dropped. A round under way when the stop comes is let finish (within the
    /// stop's grace period).
    pub(crate) fn every<F, Fut>(&self, app: &Arc<App>, every: Duration, round: F)
    where
        F: Fn(Arc<App>) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send,
    {
        let stopped = self.stopped();
        let weak = Arc::downgrade(app);
        self.spawn(async move {
            tokio::pin!(stopped);
            let mut tick = tokio::time::interval(every);
            loop {
                tokio::select! {
                    () = &mut stopped => break,
                    _ = tick.tick() => {}
                }
                let Some(app) = weak.upgrade() else { break };
                round(app).await;
            }
        });
    }
}

impl App {
    /// Stops the instance's own work: no new background task starts, those under way get
    /// `grace` to finish and are then aborted (an unfinished sync publishes nothing, an
    /// unfinished backup leaves a temporary file the next backup removes), queued usage
    /// events are written, the app database is closed and the data directory released.
    /// Requests still running afterwards fail cleanly on the closed database.
    pub async fn shutdown(&self, grace: Duration) {
        self.background.stopping.send_replace(true);
        // Queries end on that signal (give them a moment to see it); their cancel
        // requests go out before we go on.
        tokio::time::sleep(Duration::from_millis(100)).await;
        proost_connect::cleanups_settled(Duration::from_secs(3)).await;
        let mut tasks = match self.background.tasks.lock() {
            Ok(mut t) => std::mem::take(&mut *t),
            Err(_) => JoinSet::new(),
        };
        let waited =
            tokio::time::timeout(grace, async { while tasks.join_next().await.is_some() {} }).await;
        if waited.is_err() {
            tracing::warn!(
                left = tasks.len(),
                "background work did not finish within {grace:?}; stopping it"
            );
            tasks.abort_all();
            while tasks.join_next().await.is_some() {}
            proost_connect::cleanups_settled(Duration::from_secs(3)).await;
        }
        let _ = tokio::time::timeout(Duration::from_secs(5), self.usage.flush()).await;
        if tokio::time::timeout(Duration::from_secs(5), self.store.close())
            .await
            .is_err()
        {
            tracing::warn!("the app database did not close within 5 s");
        }
        if let Ok(mut lock) = self.data_dir_lock.lock() {
            lock.take();
        }
        tracing::info!("stopped");
    }
}
