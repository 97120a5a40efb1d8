//! The instance's master key: where it comes from, and rotating it without touching any
//! sealed data — only the wrapped data keys change.
//!
//! Rotation is crash-safe by ordering: (1) the new key is written to `master.key.next`;
//! (2) every data key is re-wrapped under it in one app-database transaction; (3) the new
//! file is renamed over `master.key`. A crash before (2) commits leaves everything under
//! the old key; a crash after leaves `master.key.next`, and the next start finishes the
//! job. Unwrapping tries the new key first, then the old: AEAD tells which one fits.

use std::path::{Path, PathBuf};

use proost_keys::MasterKey;
use proost_store::Store;

use crate::{Config, StartError};

pub(crate) fn key_file(config: &Config) -> PathBuf {
    config
        .master_key_file
        .clone()
        .unwrap_or_else(|| config.data_dir.join("master.key"))
}

pub(crate) fn key_source(config: &Config) -> KeySource {
    match &config.master_key {
        Some(k) => KeySource::Env(k.clone()),
        None => KeySource::File(key_file(config)),
    }
}

/// Where the master key lives for this instance.
pub enum KeySource {
    Env(String),
    File(PathBuf),
}

fn next_path(key_file: &Path) -> PathBuf {
    key_file.with_extension("key.next")
}

/// Stops the process on the spot when `PROOST_FAILPOINT` names this point: the crash tests
/// use it to die exactly between two steps, like `kill -9` would.
pub(crate) fn failpoint(name: &str) {
    if std::env::var("PROOST_FAILPOINT").as_deref() == Ok(name) {
        std::process::abort();
    }
}

/// What a wrapped key is bound to: a connection, a person (`user:<id>`), a person's audit
/// fields of a month (`audit:<id>/<YYYY-MM>`) or a data-subject request (`request:<id>`).
pub(crate) fn owner(id: &str) -> String {
    if ["user:", "request:", "audit:"]
        .iter()
        .any(|p| id.starts_with(p))
    {
        id.to_string()
    } else {
        format!("connection:{id}")
    }
}

/// Loads the master key, finishing a rotation a crash interrupted.
pub async fn load(source: &KeySource, store: &Store) -> Result<(MasterKey, bool), StartError> {
    match source {
        KeySource::Env(k) => Ok((MasterKey::from_base64(k)?, false)),
        KeySource::File(path) => {
            let (current, created) = MasterKey::load_or_create(path)?;
            let next = next_path(path);
            if next.exists() {
                let new = MasterKey::load(&next)?;
                rewrap(store, &current, &new).await?;
                MasterKey::promote(&next, path)?;
                tracing::warn!(key = %new.id(), "finished an interrupted master key rotation");
                return Ok((new, false));
            }
            Ok((current, created))
        }
    }
}

async fn rewrap(store: &Store, old: &MasterKey, new: &MasterKey) -> Result<usize, StartError> {
    let mut rewrapped = Vec::new();
    for (id, wrapped) in store.wrapped_keys().await? {
        let dek = new
            .unwrap_key(&wrapped, &owner(&id))
            .or_else(|_| old.unwrap_key(&wrapped, &owner(&id)))?;
        rewrapped.push((id.clone(), new.wrap(&dek, &owner(&id))?));
    }
    failpoint("rotate_before_commit");
    store.replace_wrapped_keys(&rewrapped).await?;
    failpoint("rotate_after_commit");
    Ok(rewrapped.len())
}

/// What a rotation did, for the operator.
pub struct Rotation {
    pub old_key_id: String,
    pub new_key_id: String,
    pub data_keys: usize,
    /// The new key, for a running server to swap in.
    pub new_key: MasterKey,
}

/// Rotates the master key of an instance that is not running.
pub async fn rotate(source: &KeySource, store: &Store) -> Result<Rotation, StartError> {
    let KeySource::File(path) = source else {
        return Err(StartError::Setting(
            "the master key comes from PROOST_MASTER_KEY; rotation writes key files — move the key into a key file (--master-key-file) first".into(),
        ));
    };
    let (current, _) = load(source, store).await?;
    let next = next_path(path);
    let new = MasterKey::create(&next)?;
    let data_keys = rewrap(store, &current, &new).await?;
    MasterKey::promote(&next, path)?;
    Ok(Rotation {
        old_key_id: current.id(),
        new_key_id: new.id(),
        data_keys,
        new_key: new,
    })
}
