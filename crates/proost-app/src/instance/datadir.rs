//! The data dir: made private, locked to one process, and where the master key comes from.

use std::path::Path;

use proost_store::Store;

use crate::keyring::{self, Rotation, key_source};
use crate::{Config, StartError};

/// Takes the data dir's lock, so two processes never work on one instance (a second
/// server, or a key rotation under a running server).
pub(crate) fn lock_data_dir(dir: &Path) -> Result<std::fs::File, StartError> {
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

pub(crate) fn ensure_private_dir(path: &Path) -> Result<(), StartError> {
    use std::os::unix::fs::PermissionsExt;
    let err = |source| StartError::DataDir {
        path: path.display().to_string(),
        source,
    };
    std::fs::create_dir_all(path).map_err(err)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)).map_err(err)?;
    Ok(())
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
