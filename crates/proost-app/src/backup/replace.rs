//! Dropping every backup that holds something destroyed (a shredded connection, an erased
//! person) and taking a fresh one under the new master key, so no backup brings it back.

use proost_keys::MasterKey;
use proost_store::Store;

use super::{BackupConfig, BackupEntry, blocking, drop_backups, index, take};
use crate::Error;

/// After a connection was shredded: drop every backup holding it (its sealed credentials
/// and wrapped data key), then take a fresh one under the new master key. Returns what the
/// shred's audit entry records.
pub async fn after_shred(
    store: &Store,
    master: &MasterKey,
    config: &BackupConfig,
    connection: &str,
) -> serde_json::Value {
    replace_backups(store, master, config, |e| {
        e.contents.connections.iter().any(|c| c == connection)
    })
    .await
}

/// After an erasure: every backup taken before holds the person (or their rows in a
/// replica); all go, and a fresh one is taken under the new master key.
pub async fn after_erasure(
    store: &Store,
    master: &MasterKey,
    config: &BackupConfig,
) -> serde_json::Value {
    replace_backups(store, master, config, |_| true).await
}

async fn replace_backups(
    store: &Store,
    master: &MasterKey,
    config: &BackupConfig,
    holds: impl Fn(&BackupEntry) -> bool,
) -> serde_json::Value {
    let dropped = async {
        let dir = config.dir.clone();
        let lock = blocking(move || index::lock(&dir)).await?;
        let all = index::read(&config.dir)?;
        let had_any = !all.is_empty();
        let names = drop_backups(config, all, |_, e| holds(e), &lock)?;
        Ok::<_, Error>((names, had_any))
    }
    .await;
    let (dropped, had_any) = match dropped {
        Ok(d) => d,
        Err(e) => {
            return serde_json::json!({"error": e.message, "note": "backups holding the erased data could not be dropped: delete them by hand"});
        }
    };
    let fresh = if had_any || config.interval.is_some() {
        match take(store, master, config).await {
            Ok(entry) => serde_json::json!(entry.file),
            Err(e) => serde_json::json!({"error": e.message}),
        }
    } else {
        serde_json::Value::Null
    };
    serde_json::json!({"dropped": dropped, "new_backup": fresh})
}
