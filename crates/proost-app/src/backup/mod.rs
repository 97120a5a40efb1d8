//! Backups of Proost's own data: consistent, encrypted, verified, pruned.
//!
//! A backup is one file, `proost-<time>-<id>.age`: an age-encrypted tar of a manifest and a
//! `VACUUM INTO` copy of the app database (with the wrapped data keys; never the master
//! key). It is encrypted to the operator's recovery recipient when one is configured, else
//! to an X25519 identity derived from the master key. It is written to a temporary name,
//! synced and renamed, then listed in the directory's index with its digest; a crash at any
//! point leaves either no backup or a whole one, and leftovers are removed by the next run.
//! Old backups are pruned only after the new one passed its check.
//!
//! Keys and forgetting: restoring needs the master key the backup was taken under (its id
//! is in the index). A master-key rotation therefore takes a fresh backup at once, so the
//! newest one always restores with the current key. Shredding a connection drops every
//! backup that holds it and takes a fresh one: no backup can bring its credentials back.

mod archive;
mod index;
mod remote;
mod replace;
mod restore;
mod retention;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use proost_keys::MasterKey;
use proost_store::Store;

/// A recovery identity (`AGE-SECRET-KEY-1…`).
pub use age::x25519::Identity;
pub(crate) use index::replace_file;
pub use index::{BackupEntry, Contents};
pub use remote::{Remote, fetch};
pub use replace::{after_erasure, after_shred};
pub use restore::{RestoreReport, restore};
pub use retention::Keep;

use crate::{Error, Kind, Result};

/// Where and how often backups are taken (`--backup-*`).
#[derive(Debug, Clone)]
pub struct BackupConfig {
    /// The backup directory (`--backup-to file:///…`; default `<data-dir>/backups`).
    pub dir: PathBuf,
    /// How often the server takes one; `None`: never on its own.
    pub interval: Option<Duration>,
    pub keep: Keep,
    /// An age X25519 recipient (age1…) held offline; `None`: derived from the master key.
    pub recipient: Option<String>,
    /// The replica root whose files each backup also holds (`--backup-replicas`).
    pub replicas: Option<PathBuf>,
    /// The bucket each backup is copied to (`--backup-to s3://…`); `dir` stays the staging
    /// directory.
    pub remote: Option<std::sync::Arc<Remote>>,
}

impl BackupConfig {
    pub fn in_data_dir(data_dir: &Path) -> Self {
        BackupConfig {
            dir: data_dir.join("backups"),
            interval: Some(Duration::from_secs(24 * 3600)),
            keep: Keep::default(),
            recipient: None,
            replicas: None,
            remote: None,
        }
    }

    /// `file:///abs/path` or a plain absolute path (`s3://` is a [`Remote`]).
    pub fn destination(url: &str) -> Result<PathBuf> {
        let bad = |why: &str| {
            Error::bad_request(
                "backup_destination_invalid",
                format!("--backup-to {url:?}: {why}"),
            )
        };
        let path = if let Some(rest) = url.strip_prefix("file://") {
            PathBuf::from(rest)
        } else if url.contains("://") {
            return Err(bad("give file:///path or s3://bucket/prefix"));
        } else {
            PathBuf::from(url)
        };
        if !path.is_absolute() {
            return Err(bad("give an absolute path (file:///var/backups/proost)"));
        }
        Ok(path)
    }
}

/// The keys a check or restore may use: the master key (opens backups taken without a
/// recovery recipient, and unwraps the data keys inside), and a recovery identity.
pub struct Keys {
    pub master: Option<MasterKey>,
    pub identity: Option<age::x25519::Identity>,
}

impl Keys {
    fn identities(&self) -> Result<Vec<age::x25519::Identity>> {
        let mut out = Vec::new();
        if let Some(id) = &self.identity {
            out.push(id.clone());
        }
        if let Some(master) = &self.master {
            out.push(archive::master_identity(master)?);
        }
        Ok(out)
    }
}

/// Reads an identity file written by `proost backup keygen` (or age-keygen).
pub fn load_identity(path: &Path) -> Result<age::x25519::Identity> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::bad_request(
            "backup_identity_invalid",
            format!("cannot read the identity file {}: {e}", path.display()),
        )
    })?;
    archive::parse_identity(&text)
}

/// A new recovery identity (keep it offline) and the recipient to configure.
pub fn keygen() -> (String, String) {
    archive::generate()
}

pub fn list(config: &BackupConfig) -> Result<Vec<BackupEntry>> {
    index::read(&config.dir)
}

/// When the newest backup was taken, if any.
pub fn newest(config: &BackupConfig) -> Result<Option<DateTime<Utc>>> {
    Ok(list(config)?
        .iter()
        .filter_map(|e| parse_time(&e.contents.taken_at))
        .max())
}

fn parse_time(t: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn io_error(what: &str) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::internal(format!("{what}: {e}"))
}

/// Takes a backup now, checks it, then prunes by the retention rule.
pub async fn take(store: &Store, master: &MasterKey, config: &BackupConfig) -> Result<BackupEntry> {
    let dir = config.dir.clone();
    let lock = blocking(move || index::lock(&dir)).await?;
    index::remove_leftovers(&config.dir, &lock);
    let now = Utc::now();
    let name = format!(
        "proost-{}-{}.age",
        now.format("%Y%m%dT%H%M%SZ"),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let snapshot = config.dir.join(format!("{}{name}.db", index::TEMP_PREFIX));
    store.snapshot_into(&snapshot).await?;
    crate::keyring::failpoint("backup_after_snapshot");
    let taken = async {
        let mut contents = inspect(&snapshot).await?;
        // Milliseconds: two backups in one second still have an order.
        contents.taken_at = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        contents.master_key_id = master.id();
        let recipient = match &config.recipient {
            Some(r) => archive::parse_recipient(r)?,
            None => archive::master_identity(master)?.to_public(),
        };
        contents.recipient = match &config.recipient {
            Some(r) => r.trim().to_string(),
            None => "master".into(),
        };
        let partial = config.dir.join(format!("{}{name}", index::TEMP_PREFIX));
        let (db, out, replicas) = (snapshot.clone(), partial.clone(), config.replicas.clone());
        let (size, sha256, contents) = blocking(move || {
            let db = std::fs::File::open(&db).map_err(io_error("reading the snapshot"))?;
            let mut files = vec![(archive::DB_ENTRY.to_owned(), db)];
            if let Some(root) = &replicas {
                files.extend(archive::open_replica_files(root)?);
            }
            contents.replica_files = files.len() - 1;
            let manifest = serde_json::to_vec_pretty(&contents)
                .map_err(|e| Error::internal(format!("the backup manifest: {e}")))?;
            let (size, sha256) = archive::write(&out, &recipient, &manifest, files)?;
            Ok((size, sha256, contents))
        })
        .await?;
        crate::keyring::failpoint("backup_before_rename");
        std::fs::rename(&partial, config.dir.join(&name)).map_err(io_error("naming the backup"))?;
        index::sync_dir(&config.dir)?;
        crate::keyring::failpoint("backup_before_index");
        let entry = BackupEntry {
            file: name.clone(),
            size,
            sha256,
            contents,
            verified_at: None,
        };
        let mut all = index::read(&config.dir)?;
        all.push(entry.clone());
        index::write(&config.dir, all, &lock)?;
        Ok::<_, Error>(entry)
    }
    .await;
    let _ = std::fs::remove_file(&snapshot);
    let mut entry = taken?;
    // Check what was written before anything older is pruned. Without the recovery
    // identity (held offline) the server can only re-read the file against its digest;
    // the snapshot itself was checked above.
    let keys = Keys {
        master: Some(master.clone()),
        identity: None,
    };
    if config.recipient.is_none() {
        let report = verify_locked(config, &entry.file, &keys, &lock).await?;
        entry.verified_at = Some(report.verified_at);
    } else {
        let path = config.dir.join(&entry.file);
        let digest = blocking(move || archive::digest(&path)).await?;
        if digest != entry.sha256 {
            return Err(corrupt(
                "the backup read back differs from what was written",
            ));
        }
    }
    prune(config, &lock)?;
    if let Some(remote) = &config.remote {
        remote.mirror(&config.dir).await.map_err(|e| {
            Error::new(
                e.kind,
                e.code,
                format!(
                    "{} was taken and checked here, but not copied: {}",
                    entry.file, e.message
                ),
            )
        })?;
    }
    Ok(entry)
}

/// Checks the snapshot and describes it (times, keys and recipient are the caller's).
async fn inspect(db: &Path) -> Result<Contents> {
    let snap = Store::open_snapshot(db).await?;
    let described = async {
        let problems = snap.integrity_check().await?;
        if problems != ["ok"] {
            return Err(corrupt(format!(
                "the app database copy fails its integrity check: {}",
                problems.join("; ")
            )));
        }
        let (version, finished) = snap.applied_schema_version().await?;
        if !finished {
            return Err(corrupt("a migration of the app database did not finish"));
        }
        let tables = snap.row_counts().await?;
        let connections = snap.connections().await?;
        Ok(Contents {
            taken_at: String::new(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            schema_version: version.unwrap_or(0),
            master_key_id: String::new(),
            recipient: String::new(),
            connections: connections.iter().map(|c| c.id.clone()).collect(),
            data_key_ids: connections.iter().map(|c| c.key_id.clone()).collect(),
            tables,
            replica_files: 0,
        })
    }
    .await;
    snap.close().await;
    described
}

pub(crate) fn corrupt(why: impl Into<String>) -> Error {
    Error::new(Kind::Invalid, "backup_corrupt", why)
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::internal(format!("a backup task failed: {e}")))?
}

/// What a check found.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct VerifyReport {
    pub file: String,
    pub verified_at: String,
    pub schema_version: i64,
    pub tables: usize,
    pub rows: i64,
    pub audit_entries: usize,
    /// Whether the data keys inside were unwrapped with the master key given.
    pub keys_checked: bool,
}

/// Checks a backup fully: digest (when indexed), decrypts into a scratch directory, then
/// integrity, migrations, row counts against its manifest, the audit chain and (with the
/// master key) every wrapped data key. `file` names a backup in the directory, or is a
/// path; `None` checks the newest.
pub async fn verify(
    config: &BackupConfig,
    file: Option<&str>,
    keys: &Keys,
) -> Result<VerifyReport> {
    let dir = config.dir.clone();
    let lock = blocking(move || index::lock(&dir)).await?;
    let file = match file {
        Some(f) => f.to_string(),
        None => list(config)?
            .into_iter()
            .max_by(|a, b| a.contents.taken_at.cmp(&b.contents.taken_at))
            .map(|e| e.file)
            .ok_or_else(|| not_found("there is no backup yet"))?,
    };
    verify_locked(config, &file, keys, &lock).await
}

fn not_found(why: impl Into<String>) -> Error {
    Error::new(Kind::NotFound, "backup_not_found", why)
}

/// The path of a named backup in the directory (no separators), or a path to a file.
fn locate(config: &BackupConfig, file: &str) -> Result<PathBuf> {
    let named = !file.contains('/') && file.ends_with(".age") && !file.starts_with('.');
    let path = if named {
        config.dir.join(file)
    } else {
        PathBuf::from(file)
    };
    if !path.is_file() {
        return Err(not_found(format!("no backup {file}")));
    }
    Ok(path)
}

async fn verify_locked(
    config: &BackupConfig,
    file: &str,
    keys: &Keys,
    lock: &index::DirLock,
) -> Result<VerifyReport> {
    let path = locate(config, file)?;
    let indexed = index::read(&config.dir)?
        .into_iter()
        .find(|e| config.dir.join(&e.file) == path);
    if let Some(entry) = &indexed {
        let p = path.clone();
        let digest = blocking(move || archive::digest(&p)).await?;
        if digest != entry.sha256 {
            return Err(corrupt(format!(
                "{file} does not match the digest recorded when it was written (changed or cut off)"
            )));
        }
    }
    let scratch = config.dir.join(format!(
        "{}verify-{}",
        index::TEMP_PREFIX,
        uuid::Uuid::new_v4().simple()
    ));
    index::private_dir(&scratch)?;
    let checked = restore::unpack_and_check(&path, &scratch, keys).await;
    let _ = std::fs::remove_dir_all(&scratch);
    let checked = checked?;
    let verified_at = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    if let Some(entry) = indexed {
        let mut all = index::read(&config.dir)?;
        for e in all.iter_mut().filter(|e| e.file == entry.file) {
            e.verified_at = Some(verified_at.clone());
        }
        index::write(&config.dir, all, lock)?;
    }
    Ok(VerifyReport {
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        verified_at,
        schema_version: checked.contents.schema_version,
        tables: checked.contents.tables.len(),
        rows: checked.contents.tables.values().sum(),
        audit_entries: checked.audit_entries,
        keys_checked: checked.keys_checked,
    })
}

/// Deletes the backups the retention rule does not keep.
fn prune(config: &BackupConfig, lock: &index::DirLock) -> Result<Vec<String>> {
    let all = index::read(&config.dir)?;
    let times: Vec<_> = all
        .iter()
        .map(|e| parse_time(&e.contents.taken_at).unwrap_or_default())
        .collect();
    let kept = retention::keep(&times, config.keep);
    drop_backups(config, all, |i, _| !kept.contains(&i), lock)
}

/// Removes the backups `gone` picks: from the index first, then the files (a crash in
/// between leaves an unlisted file, which is never restored from the index and is deleted
/// with the next leftovers sweep of unlisted `.age` files).
fn drop_backups(
    config: &BackupConfig,
    all: Vec<BackupEntry>,
    gone: impl Fn(usize, &BackupEntry) -> bool,
    lock: &index::DirLock,
) -> Result<Vec<String>> {
    let (dropped, kept): (Vec<_>, Vec<_>) =
        all.into_iter().enumerate().partition(|(i, e)| gone(*i, e));
    if dropped.is_empty() {
        return Ok(Vec::new());
    }
    index::write(
        &config.dir,
        kept.into_iter().map(|(_, e)| e).collect(),
        lock,
    )?;
    let mut names = Vec::new();
    for (_, e) in dropped {
        let _ = std::fs::remove_file(config.dir.join(&e.file));
        names.push(e.file);
    }
    index::sync_dir(&config.dir)?;
    Ok(names)
}

/// Takes a backup for the running instance and records it in the audit log (`actor`:
/// who asked; `None`: the schedule). Failures are logged and audited too.
pub async fn take_audited(app: &crate::App, actor: Option<&str>) -> Result<BackupEntry> {
    let master = app.connections.current_master()?;
    let taken = take(&app.store, &master, &app.config.backup).await;
    let details = match &taken {
        Ok(e) => {
            serde_json::json!({"file": e.file, "size": e.size, "sha256": e.sha256, "verified": e.verified_at.is_some(), "recipient": if e.contents.recipient == "master" { "master" } else { "recovery" }, "by": if actor.is_some() { "request" } else { "schedule" }})
        }
        Err(e) => serde_json::json!({"error": e.code, "message": e.message}),
    };
    let action = if taken.is_ok() {
        "backup.create"
    } else {
        "backup.failed"
    };
    crate::metrics::backup_done(taken.is_ok(), taken.as_ref().map_or(0, |e| e.size));
    if let Err(e) = &taken {
        tracing::warn!(code = e.code, "backup failed: {}", e.message);
    } else {
        tracing::info!(file = %details["file"], "backup taken");
    }
    app.audit(actor, action, None, &details).await?;
    taken
}

/// The backup settings and the backups, for an admin.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct BackupList {
    pub directory: String,
    /// Seconds between scheduled backups; `null`: the schedule is off.
    pub interval_seconds: Option<u64>,
    pub keep: Keep,
    /// `master` (backups open with the master key) or `recovery` (with the offline identity).
    pub encrypted_to: &'static str,
    /// The bucket every backup is copied to (`s3://…`), if any.
    pub copied_to: Option<String>,
    /// Whether backups hold the replica files.
    pub replicas: bool,
    pub backups: Vec<BackupEntry>,
}

pub fn overview(app: &crate::App) -> Result<BackupList> {
    let config = &app.config.backup;
    let mut backups = list(config)?;
    backups.sort_by(|a, b| b.contents.taken_at.cmp(&a.contents.taken_at));
    Ok(BackupList {
        directory: config.dir.display().to_string(),
        interval_seconds: config.interval.map(|d| d.as_secs()),
        keep: config.keep,
        encrypted_to: if config.recipient.is_some() {
            "recovery"
        } else {
            "master"
        },
        copied_to: config.remote.as_ref().map(|r| r.url().to_owned()),
        replicas: config.replicas.is_some(),
        backups,
    })
}

/// Over the API a backup is named by its file name in the backup directory, never a path.
fn named(file: &str) -> Result<&str> {
    let ok = file.starts_with("proost-")
        && file.ends_with(".age")
        && file
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'));
    if ok {
        Ok(file)
    } else {
        Err(not_found(format!("no backup {file}")))
    }
}

fn current_keys(app: &crate::App) -> Result<Keys> {
    Ok(Keys {
        master: Some(app.connections.current_master()?),
        identity: None,
    })
}

/// Checks a backup with the running instance's master key; audited.
pub async fn verify_audited(app: &crate::App, actor: &str, file: &str) -> Result<VerifyReport> {
    let config = &app.config.backup;
    let r = verify(config, Some(named(file)?), &current_keys(app)?).await;
    let details = match &r {
        Ok(r) => {
            serde_json::json!({"file": r.file, "ok": true, "rows": r.rows, "audit_entries": r.audit_entries})
        }
        Err(e) => serde_json::json!({"file": file, "ok": false, "error": e.code}),
    };
    app.audit(Some(actor), "backup.verify", None, &details)
        .await?;
    r
}

/// Restores a backup of this instance into a new data dir (the running instance is not
/// touched: start a server on the new dir to use it); audited.
pub async fn restore_audited(
    app: &crate::App,
    actor: &str,
    file: &str,
    data_dir: &str,
) -> Result<RestoreReport> {
    let target = PathBuf::from(data_dir);
    if !target.is_absolute() {
        return Err(Error::bad_request(
            "backup_target_invalid",
            "data_dir must be an absolute path to a directory that does not exist yet",
        ));
    }
    let path = locate(&app.config.backup, named(file)?)?;
    let key_file = match crate::keyring::key_source(&app.config) {
        crate::keyring::KeySource::File(f) => Some(f),
        crate::keyring::KeySource::Env(_) => None,
    };
    let r = restore(&path, &target, &current_keys(app)?, key_file.as_deref()).await;
    let details = match &r {
        Ok(r) => serde_json::json!({"file": file, "data_dir": r.data_dir, "ok": true}),
        Err(e) => {
            serde_json::json!({"file": file, "data_dir": data_dir, "ok": false, "error": e.code})
        }
    };
    app.audit(Some(actor), "backup.restore", None, &details)
        .await?;
    r
}
