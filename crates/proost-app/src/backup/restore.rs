//! Restoring a backup into a new data dir, and the checks a restore and a verify share.
//!
//! The backup is unpacked and checked in a staging directory beside the target, then the
//! staging directory is renamed to the target in one step: the target either does not
//! exist or holds a whole, checked instance. A server never starts half-restored.

use std::path::{Path, PathBuf};

use proost_store::Store;

use super::{Contents, Keys, archive, blocking, corrupt, index};
use crate::{Error, Kind, Result};

/// What a restore did.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RestoreReport {
    pub data_dir: String,
    pub taken_at: String,
    pub schema_version: i64,
    pub master_key_id: String,
    pub connections: usize,
    pub rows: i64,
    pub audit_entries: usize,
}

pub(super) struct Checked {
    pub contents: Contents,
    pub audit_entries: usize,
    pub keys_checked: bool,
}

/// Decrypts `path` into `into` and checks what came out against its own manifest.
pub(super) async fn unpack_and_check(path: &Path, into: &Path, keys: &Keys) -> Result<Checked> {
    let identities = keys.identities()?;
    if identities.is_empty() {
        return Err(Error::bad_request(
            "backup_wrong_key",
            "give the master key the backup was taken under, or the recovery identity (--identity)",
        ));
    }
    let (file, dir) = (path.to_path_buf(), into.to_path_buf());
    let manifest = blocking(move || {
        let ids: Vec<&dyn age::Identity> =
            identities.iter().map(|i| i as &dyn age::Identity).collect();
        archive::read(&file, &ids, &dir)
    })
    .await?;
    let contents: Contents = serde_json::from_slice(&manifest)
        .map_err(|e| corrupt(format!("the backup's manifest does not parse: {e}")))?;
    let db = into.join(archive::DB_ENTRY);
    if !db.is_file() {
        return Err(corrupt("the backup holds no app database"));
    }
    let root = into.join(archive::REPLICAS_DIR);
    let replica_files = blocking(move || Ok(archive::replica_paths(&root)?.len())).await?;
    if replica_files != contents.replica_files {
        return Err(corrupt(format!(
            "the backup holds {replica_files} replica files, its manifest {}",
            contents.replica_files
        )));
    }
    let newest = proost_store::schema_version();
    if contents.schema_version > newest {
        return Err(Error::bad_request(
            "backup_schema_newer",
            format!(
                "the backup comes from a newer Proost (schema {} > {newest}): restore it with that version or later",
                contents.schema_version
            ),
        ));
    }
    let snap = Store::open_snapshot(&db).await?;
    let checked = check(&snap, &contents, keys).await;
    snap.close().await;
    let (audit_entries, keys_checked) = checked?;
    Ok(Checked {
        contents,
        audit_entries,
        keys_checked,
    })
}

async fn check(snap: &Store, contents: &Contents, keys: &Keys) -> Result<(usize, bool)> {
    let problems = snap.integrity_check().await?;
    if problems != ["ok"] {
        return Err(corrupt(format!(
            "the app database fails its integrity check: {}",
            problems.join("; ")
        )));
    }
    let (version, finished) = snap.applied_schema_version().await?;
    if !finished || version.unwrap_or(0) != contents.schema_version {
        return Err(corrupt(
            "the app database's migrations differ from the manifest",
        ));
    }
    let tables = snap.row_counts().await?;
    if tables != contents.tables {
        return Err(corrupt(
            "the app database's row counts differ from the manifest",
        ));
    }
    if let Some(seq) = snap.audit_verify().await? {
        return Err(corrupt(format!(
            "the audit log in the backup is broken at entry #{seq}"
        )));
    }
    let audit_entries = snap.audit_entries(None).await?.len();
    let Some(master) = &keys.master else {
        return Ok((audit_entries, false));
    };
    for (id, wrapped) in snap.wrapped_keys().await? {
        master
            .unwrap_key(&wrapped, &crate::keyring::owner(&id))
            .map_err(|_| {
                Error::bad_request(
                    "backup_keys_unopenable",
                    format!(
                        "the master key given ({}) does not open the backup's data keys (taken under {}): give that master key",
                        master.id(),
                        contents.master_key_id
                    ),
                )
            })?;
    }
    Ok((audit_entries, true))
}

/// Restores `file` into `data_dir`, which must not exist (or be empty). The master key must
/// open the backup's data keys; `key_file`, when given, is copied in as the new instance's
/// `master.key`.
pub async fn restore(
    file: &Path,
    data_dir: &Path,
    keys: &Keys,
    key_file: Option<&Path>,
) -> Result<RestoreReport> {
    if keys.master.is_none() {
        return Err(Error::bad_request(
            "backup_master_key_required",
            "a restore needs the master key the backup was taken under (--master-key-file or PROOST_MASTER_KEY)",
        ));
    }
    let target = absolute(data_dir)?;
    if target.exists()
        && std::fs::read_dir(&target)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Error::new(
            Kind::Conflict,
            "backup_target_exists",
            format!(
                "{} exists and is not empty: restore into a new data dir",
                target.display()
            ),
        ));
    }
    let parent = target.parent().ok_or_else(|| {
        Error::bad_request("backup_target_invalid", "restore into a directory, not /")
    })?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.restoring-");
    remove_stale(parent, &prefix);
    let staging = parent.join(format!("{prefix}{}", uuid::Uuid::new_v4().simple()));
    index::private_dir(&staging)?;
    let done = stage(file, &staging, &target, keys, key_file).await;
    if done.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    done
}

async fn stage(
    file: &Path,
    staging: &Path,
    target: &Path,
    keys: &Keys,
    key_file: Option<&Path>,
) -> Result<RestoreReport> {
    let checked = unpack_and_check(file, staging, keys).await?;
    crate::keyring::failpoint("restore_after_unpack");
    if let Some(key) = key_file {
        let into = staging.join("master.key");
        std::fs::copy(key, &into)
            .map_err(|e| Error::internal(format!("copying the master key: {e}")))?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&into, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::internal(format!("the master key's permissions: {e}")))?;
    }
    let store = Store::open(&staging.join(archive::DB_ENTRY)).await?;
    let recorded = store
        .audit(
            None,
            "backup.restore",
            None,
            &serde_json::json!({
                "file": file.file_name().map(|n| n.to_string_lossy().into_owned()),
                "taken_at": checked.contents.taken_at,
                "schema_version": checked.contents.schema_version,
                "master_key_id": checked.contents.master_key_id,
                "by": "proost backup restore",
            }),
        )
        .await;
    let _ = store.checkpoint().await;
    store.close().await;
    recorded?;
    super::index::sync_dir(staging)?;
    crate::keyring::failpoint("restore_before_rename");
    if target.exists() {
        // An empty directory (checked by the caller): rename(2) cannot replace it portably.
        std::fs::remove_dir(target)
            .map_err(|e| Error::internal(format!("{}: {e}", target.display())))?;
    }
    std::fs::rename(staging, target)
        .map_err(|e| Error::internal(format!("moving the restored data dir into place: {e}")))?;
    if let Some(parent) = target.parent() {
        super::index::sync_dir(parent)?;
    }
    Ok(RestoreReport {
        data_dir: target.display().to_string(),
        taken_at: checked.contents.taken_at,
        schema_version: checked.contents.schema_version,
        master_key_id: checked.contents.master_key_id,
        connections: checked.contents.connections.len(),
        rows: checked.contents.tables.values().sum(),
        audit_entries: checked.audit_entries,
    })
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).map_err(|e| {
        Error::bad_request("backup_target_invalid", format!("{}: {e}", path.display()))
    })
}

/// Staging directories an interrupted restore into the same target left behind.
fn remove_stale(parent: &Path, prefix: &str) {
    if let Ok(entries) = std::fs::read_dir(parent) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(prefix) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}
