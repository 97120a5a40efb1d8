//! Crypto-shredding a connection: after it, nothing the connection left behind can be
//! decrypted — not in this data dir, and not in a copy of it taken before.
//!
//! Order matters for crashes. (1) A marker file says a shred is under way. (2) The
//! connection's row — its sealed parameters and wrapped data key — is deleted in one commit
//! (with `secure_delete`, the bytes are overwritten). (3) Its replica files and cached
//! results are removed. (4) The master key is rotated, so the wrapped data key that any
//! older copy of the app database still holds no longer unwraps with the current key.
//! (5) Backups holding the connection are dropped and a fresh one is taken under the new
//! key. (6) An audit entry records what was destroyed; the marker goes. A crash after (1)
//! leaves the marker, and the next start finishes (3) and (4).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::keyring;
use crate::{App, Error, Result};

const MARKER: &str = "shred.pending";

fn marker(data_dir: &Path) -> PathBuf {
    data_dir.join(MARKER)
}

pub async fn shred_connection(state: &App, id: &str, actor: Option<&str>) -> Result<Option<Value>> {
    let Some(record) = state.store.connection(id).await? else {
        return Ok(None);
    };
    let replicas = state.store.replicas(Some(id)).await?;
    std::fs::write(marker(&state.config.data_dir), id.as_bytes()).map_err(Error::internal)?;
    state.store.delete_connection(id).await?;
    proost_replica::failpoint("shred_after_delete");
    let files = state.replicas.forget_connection(id).await?;
    let cache_entries = state.cache.invalidate(&format!("conn:{id}"));
    state.connections.forget(id).await;
    let rotation = rotate_after_shred(state).await?;
    state.store.checkpoint().await?;
    let backups = crate::backup::after_shred(
        &state.store,
        &state.connections.current_master()?,
        &state.config.backup,
        id,
    )
    .await;
    let root = state.replicas.files().root().to_path_buf();
    let details = json!({
        "connection": {"id": record.id, "name": record.name, "kind": record.kind},
        "data_key_id": record.key_id,
        "destroyed": {
            "app_db": ["connection parameters (sealed)", "wrapped data key"],
            "replicas": replicas.iter().map(|r| format!("{}.{}", r.schema_name, r.table_name)).collect::<Vec<_>>(),
            "replica_files": files.iter().map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string()).collect::<Vec<_>>(),
            "cache_entries": cache_entries,
        },
        "master_key": rotation,
        "backups": backups,
    });
    state
        .audit(actor, "connection.shred", Some(&record.id), &details)
        .await?;
    let _ = std::fs::remove_file(marker(&state.config.data_dir));
    tracing::info!(connection = %record.id, key = %record.key_id, files = files.len(), "connection crypto-shredded");
    Ok(Some(details))
}

/// After an erasure, for the same reason: the erased person's data key and the request's.
pub(crate) async fn rotate_after_erasure(state: &App) -> Result<Value> {
    rotate_after_shred(state).await
}

/// Rotates the master key so copies of the old app database can no longer unwrap the
/// destroyed data key with the current master key. A master key from the environment cannot
/// be rotated by Proost; the report says so.
async fn rotate_after_shred(state: &App) -> Result<Value> {
    match keyring::key_source(&state.config) {
        keyring::KeySource::File(_) => {
            let _serialize = state.rotation.lock().await;
            let r = keyring::rotate(&keyring::key_source(&state.config), &state.store)
                .await
                .map_err(|e| Error::internal(format!("master key rotation after shred: {e}")))?;
            state.connections.set_master(r.new_key.clone());
            Ok(
                json!({"rotated": true, "old_key_id": r.old_key_id, "new_key_id": r.new_key_id, "data_keys_rewrapped": r.data_keys}),
            )
        }
        keyring::KeySource::Env(_) => Ok(json!({
            "rotated": false,
            "note": "the master key comes from PROOST_MASTER_KEY: rotate it (proost keys rotate with a key file) so that copies of the data dir taken before this shred cannot unwrap the destroyed key",
        })),
    }
}

/// Finishes a shred a crash interrupted: removes orphaned files (done by replica recovery)
/// and rotates the master key.
pub async fn finish_interrupted(state: &App) -> Result<()> {
    let path = marker(&state.config.data_dir);
    let Ok(id) = std::fs::read_to_string(&path) else {
        return Ok(());
    };
    if state.store.connection(&id).await?.is_some() {
        // The delete never committed: the connection is intact; nothing was destroyed.
        let _ = std::fs::remove_file(&path);
        return Ok(());
    }
    let _ = state.replicas.forget_connection(&id).await?;
    let rotation = rotate_after_shred(state).await?;
    state.store.checkpoint().await?;
    let backups = crate::backup::after_shred(
        &state.store,
        &state.connections.current_master()?,
        &state.config.backup,
        &id,
    )
    .await;
    state
        .audit(
            None,
            "connection.shred.finished",
            Some(&id),
            &json!({"master_key": rotation, "backups": backups, "note": "finished after an interrupted shred"}),
        )
        .await?;
    let _ = std::fs::remove_file(&path);
    Ok(())
}
