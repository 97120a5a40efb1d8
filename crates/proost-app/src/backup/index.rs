//! The backup directory's index (`manifest.json`): which backups exist, what each holds and
//! its digest. Rewritten whole under a lock: written to a temporary name, synced, renamed.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

const INDEX: &str = "manifest.json";
const LOCK: &str = ".lock";
/// Names of files a backup or a check writes before they are complete.
pub(super) const TEMP_PREFIX: &str = ".tmp-";

/// What a backup holds, written inside it (authenticated with it) and into the index.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Contents {
    /// When it was taken (RFC 3339, UTC).
    pub taken_at: String,
    pub app_version: String,
    /// The newest migration applied to the app database it holds.
    pub schema_version: i64,
    /// The master key its data keys are wrapped under.
    pub master_key_id: String,
    /// `master` (opens with that master key) or the recovery recipient (age1…).
    pub recipient: String,
    /// Connections whose sealed parameters and wrapped data keys it holds.
    pub connections: Vec<String>,
    pub data_key_ids: Vec<String>,
    /// Rows per table of the app database, checked again on verify and restore.
    pub tables: BTreeMap<String, i64>,
    /// Replica files it holds (`--backup-replicas`), checked again on verify and restore.
    #[serde(default)]
    pub replica_files: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BackupEntry {
    pub file: String,
    pub size: u64,
    pub sha256: String,
    #[serde(flatten)]
    pub contents: Contents,
    /// When it last passed a full check (decrypted and checked), if ever.
    pub verified_at: Option<String>,
}

#[derive(Default, Serialize, Deserialize)]
struct Index {
    version: u32,
    backups: Vec<BackupEntry>,
}

fn io_error(what: &str) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::internal(format!("{what}: {e}"))
}

/// Holds the backup directory for one writer at a time (the server's schedule, a CLI
/// command beside it). Released when dropped.
pub(super) struct DirLock(#[allow(dead_code)] File);

/// A directory only Proost's user can enter (backups, scratch and staging copies).
pub(super) fn private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| Error::internal(format!("creating {}: {e}", dir.display())))
}

pub(super) fn lock(dir: &Path) -> Result<DirLock> {
    private_dir(dir)?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK))
        .map_err(io_error("locking the backup directory"))?;
    file.lock()
        .map_err(io_error("locking the backup directory"))?;
    Ok(DirLock(file))
}

pub(super) fn read(dir: &Path) -> Result<Vec<BackupEntry>> {
    match std::fs::read(dir.join(INDEX)) {
        Ok(bytes) => {
            let index: Index = serde_json::from_slice(&bytes).map_err(|e| {
                Error::internal(format!("the backup index {INDEX} does not parse: {e}"))
            })?;
            Ok(index.backups)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(io_error("reading the backup index")(e)),
    }
}

/// Replaces the index; the caller holds the lock.
pub(super) fn write(dir: &Path, mut backups: Vec<BackupEntry>, _lock: &DirLock) -> Result<()> {
    backups.sort_by(|a, b| a.contents.taken_at.cmp(&b.contents.taken_at));
    let bytes = serde_json::to_vec_pretty(&Index {
        version: 1,
        backups,
    })
    .map_err(|e| Error::internal(format!("the backup index: {e}")))?;
    replace_file(&dir.join(INDEX), &bytes)
}

/// Writes `bytes` to a temporary name beside `path`, syncs it, renames it over `path` and
/// syncs the directory: a crash leaves the old file or the new one, never a mix.
pub(crate) fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(
        "{TEMP_PREFIX}{name}-{}",
        uuid::Uuid::new_v4().simple()
    ));
    let mut f = File::create_new(&tmp).map_err(io_error("writing a file"))?;
    f.write_all(bytes).map_err(io_error("writing a file"))?;
    f.sync_all().map_err(io_error("syncing a file"))?;
    std::fs::rename(&tmp, path).map_err(io_error("replacing a file"))?;
    sync_dir(dir)
}

pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_error("syncing a directory"))
}

/// Removes what an interrupted backup or check left: temporary files, scratch directories,
/// and backup files the index does not list (killed between naming the file and indexing
/// it, or dropped from the index before their file was deleted). The caller holds the lock,
/// so none of them is in use.
pub(super) fn remove_leftovers(dir: &Path, _lock: &DirLock) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(listed) = read(dir) else {
        return removed;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let unlisted = name.starts_with("proost-")
            && name.ends_with(".age")
            && !listed.iter().any(|e| e.file == name);
        if name.starts_with(TEMP_PREFIX) || unlisted {
            let path = entry.path();
            let gone = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            if gone.is_ok() {
                removed.push(path);
            }
        }
    }
    removed
}
