//! `proost backup …`: take, list, check and restore backups from the server's machine, and
//! the `--backup-*` settings shared with `serve`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Subcommand};
use proost_app::Config;
use proost_app::backup::{self, BackupConfig, Keys};

/// Where backups go, how often, how many are kept, and to whom they are encrypted.
#[derive(Args, Clone)]
pub struct BackupArgs {
    /// Backup destination: file:///absolute/path (default: <data-dir>/backups), or
    /// s3://bucket/prefix (credentials and endpoint from AWS_* variables; backups are staged
    /// in <data-dir>/backups and copied there).
    #[arg(long, env = "PROOST_BACKUP_TO")]
    backup_to: Option<String>,
    /// How often the server takes a backup (24h, 6h, 30m); `off` turns the schedule off.
    #[arg(long, env = "PROOST_BACKUP_INTERVAL", default_value = "24h")]
    backup_interval: String,
    /// Backups kept after each verified backup: the newest of each of the last N days and M
    /// weeks, e.g. 7d,4w.
    #[arg(long, env = "PROOST_BACKUP_KEEP", default_value = "7d,4w")]
    backup_keep: String,
    /// Encrypt backups to this age recipient (age1…, from `proost backup keygen`), whose
    /// identity you keep offline. Without it, backups open with the master key.
    #[arg(long, env = "PROOST_BACKUP_RECIPIENT")]
    backup_recipient: Option<String>,
    /// Also put the replica files (already encrypted) into each backup, so a restore needs
    /// no re-sync; backups grow by the replicas' size.
    #[arg(long, env = "PROOST_BACKUP_REPLICAS")]
    backup_replicas: bool,
}

impl BackupArgs {
    pub fn apply(&self, config: &mut Config) -> anyhow::Result<()> {
        let mut b = BackupConfig::in_data_dir(&config.data_dir);
        match self.backup_to.as_deref().map(str::trim) {
            Some(to) if to.starts_with("s3://") => {
                b.remote = Some(std::sync::Arc::new(
                    backup::Remote::open(to).map_err(app_error)?,
                ));
            }
            Some(to) if !to.is_empty() => {
                b.dir = BackupConfig::destination(to).map_err(app_error)?;
            }
            _ => {}
        }
        b.interval = match self.backup_interval.trim() {
            "off" | "0" => None,
            text => {
                let d = humantime::parse_duration(text).map_err(|e| {
                    anyhow::anyhow!(
                        "--backup-interval {text:?}: {e} (write it like 24h or 30m, or off)"
                    )
                })?;
                if d < Duration::from_secs(60) {
                    anyhow::bail!("--backup-interval must be at least 1m");
                }
                Some(d)
            }
        };
        b.keep = self.backup_keep.parse().map_err(app_error)?;
        b.recipient = self
            .backup_recipient
            .clone()
            .filter(|r| !r.trim().is_empty());
        b.replicas = self
            .backup_replicas
            .then(|| config.data_dir.join("replicas"));
        config.backup = b;
        Ok(())
    }
}

fn app_error(e: proost_app::Error) -> anyhow::Error {
    anyhow::anyhow!("{}: {}", e.code, e.message)
}

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Print a new recovery identity (once: keep it offline) and its recipient, for
    /// --backup-recipient.
    Keygen,
    /// Take a backup now (works beside a running server).
    Now(Target),
    /// List the backups.
    List(Target),
    /// Decrypt a backup into a scratch directory and check it: integrity, migrations, row
    /// counts, the audit chain and the data keys (the newest when FILE is not given).
    Verify(VerifyArgs),
    /// Restore FILE into a new data dir (--data-dir must not exist or be empty).
    Restore(RestoreArgs),
}

#[derive(Args)]
pub struct Target {
    #[command(flatten)]
    instance: crate::InstanceArgs,
    #[command(flatten)]
    backup: BackupArgs,
}

#[derive(Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    target: Target,
    /// The recovery identity file, for backups taken to a recovery recipient.
    #[arg(long, env = "PROOST_BACKUP_IDENTITY")]
    identity: Option<PathBuf>,
    /// A backup file name in the backup directory, a path, or s3://bucket/prefix/proost-….age.
    file: Option<String>,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// The new data dir to restore into.
    #[arg(long)]
    data_dir: PathBuf,
    /// The master key the backup was taken under; copied into the new data dir.
    #[arg(long, env = "PROOST_MASTER_KEY_FILE")]
    master_key_file: Option<PathBuf>,
    #[arg(long = "master-key", env = "PROOST_MASTER_KEY", hide_env_values = true)]
    master_key: Option<String>,
    /// The recovery identity file, for backups taken to a recovery recipient.
    #[arg(long, env = "PROOST_BACKUP_IDENTITY")]
    identity: Option<PathBuf>,
    /// The backup file: a path, or s3://bucket/prefix/proost-….age.
    file: PathBuf,
}

impl Target {
    fn config(&self) -> anyhow::Result<Config> {
        let mut config = self.instance.config();
        self.backup.apply(&mut config)?;
        Ok(config)
    }
}

/// The master key of the data dir, read without opening (or locking) the instance, so the
/// commands work beside a running server.
fn master_key(config: &Config) -> anyhow::Result<proost_keys::MasterKey> {
    if let Some(k) = &config.master_key {
        return Ok(proost_keys::MasterKey::from_base64(k)?);
    }
    let file = config
        .master_key_file
        .clone()
        .unwrap_or_else(|| config.data_dir.join("master.key"));
    proost_keys::MasterKey::load(&file)
        .map_err(|e| anyhow::anyhow!("cannot read the master key {}: {e}", file.display()))
}

fn identity(path: Option<&Path>) -> anyhow::Result<Option<backup::Identity>> {
    path.map(backup::load_identity)
        .transpose()
        .map_err(app_error)
}

pub async fn run(command: BackupCommand) -> anyhow::Result<()> {
    match command {
        BackupCommand::Keygen => {
            let (identity, recipient) = backup::keygen();
            println!(
                "# Proost backup recovery identity. Keep this file offline and safe: it opens"
            );
            println!("# every backup taken to the recipient below; Proost never stores it.");
            println!("# recipient: {recipient}");
            println!("{identity}");
            eprintln!("Configure the server with --backup-recipient {recipient}");
            Ok(())
        }
        BackupCommand::Now(target) => {
            let config = target.config()?;
            let store = open_store(&config).await?;
            let master = master_key(&config)?;
            let entry = backup::take(&store, &master, &config.backup)
                .await
                .map_err(app_error)?;
            store
                .audit(
                    None,
                    "backup.create",
                    None,
                    &serde_json::json!({"file": entry.file, "size": entry.size, "sha256": entry.sha256, "verified": entry.verified_at.is_some(), "by": "proost backup now"}),
                )
                .await?;
            println!(
                "{}  {} bytes  sha256 {}{}",
                config.backup.dir.join(&entry.file).display(),
                entry.size,
                entry.sha256,
                if entry.verified_at.is_some() {
                    "  verified"
                } else {
                    ""
                }
            );
            Ok(())
        }
        BackupCommand::List(target) => {
            let config = target.config()?;
            let all = backup::list(&config.backup).map_err(app_error)?;
            if all.is_empty() {
                println!("No backups in {}.", config.backup.dir.display());
            }
            if let Some(remote) = &config.backup.remote {
                let there = remote.names().await.map_err(app_error)?;
                println!("{} holds {} backups.", remote.url(), there.len());
            }
            for e in all {
                println!(
                    "{:<44} {:>12} bytes  schema {:>3}  key {}  {}  {}",
                    e.file,
                    e.size,
                    e.contents.schema_version,
                    e.contents.master_key_id,
                    if e.contents.recipient == "master" {
                        "master key"
                    } else {
                        "recovery recipient"
                    },
                    e.verified_at
                        .map(|v| format!("verified {v}"))
                        .unwrap_or_else(|| "not verified".into()),
                );
            }
            Ok(())
        }
        BackupCommand::Verify(args) => {
            let config = args.target.config()?;
            let keys = Keys {
                master: master_key(&config).ok(),
                identity: identity(args.identity.as_deref())?,
            };
            let (file, scratch) = match args.file.as_deref() {
                Some(f) => {
                    let (path, scratch) = local_copy(f).await?;
                    (Some(path.to_string_lossy().into_owned()), scratch)
                }
                None => (None, None),
            };
            let verified = backup::verify(&config.backup, file.as_deref(), &keys).await;
            if let Some(dir) = scratch {
                let _ = std::fs::remove_dir_all(dir);
            }
            let r = verified.map_err(app_error)?;
            println!(
                "{}: intact — schema {}, {} tables, {} rows, {} audit entries chained{}",
                r.file,
                r.schema_version,
                r.tables,
                r.rows,
                r.audit_entries,
                if r.keys_checked {
                    ", every data key opens with the master key"
                } else {
                    " (data keys not checked: no master key given)"
                }
            );
            Ok(())
        }
        BackupCommand::Restore(args) => {
            let master = match (&args.master_key, &args.master_key_file) {
                (Some(k), _) if !k.is_empty() => Some(proost_keys::MasterKey::from_base64(k)?),
                (_, Some(f)) => Some(proost_keys::MasterKey::load(f).map_err(|e| {
                    anyhow::anyhow!("cannot read the master key {}: {e}", f.display())
                })?),
                _ => None,
            };
            let keys = Keys {
                master,
                identity: identity(args.identity.as_deref())?,
            };
            let key_file = args
                .master_key_file
                .as_deref()
                .filter(|_| args.master_key.as_deref().is_none_or(str::is_empty));
            let (file, scratch) = local_copy(&args.file.to_string_lossy()).await?;
            let restored = backup::restore(&file, &args.data_dir, &keys, key_file).await;
            if let Some(dir) = scratch {
                let _ = std::fs::remove_dir_all(dir);
            }
            let r = restored.map_err(app_error)?;
            println!(
                "Restored the backup of {} into {}: schema {}, {} connections, {} rows, {} audit entries (chain verified). Start it with: proost serve --data-dir {}",
                r.taken_at,
                r.data_dir,
                r.schema_version,
                r.connections,
                r.rows,
                r.audit_entries,
                r.data_dir
            );
            Ok(())
        }
    }
}

/// A backup named by its s3:// URL is fetched into a private scratch directory first (the
/// caller removes it); a local path is used as it is.
async fn local_copy(file: &str) -> anyhow::Result<(PathBuf, Option<PathBuf>)> {
    if !file.starts_with("s3://") {
        return Ok((PathBuf::from(file), None));
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let scratch = std::env::temp_dir().join(format!("proost-fetch-{}-{nanos}", std::process::id()));
    std::os::unix::fs::DirBuilderExt::mode(&mut std::fs::DirBuilder::new(), 0o700)
        .create(&scratch)?;
    match backup::fetch(file, &scratch).await {
        Ok(path) => Ok((path, Some(scratch))),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&scratch);
            Err(app_error(e))
        }
    }
}

async fn open_store(config: &Config) -> anyhow::Result<proost_store::Store> {
    let db = config.data_dir.join("proost.db");
    if !db.exists() {
        anyhow::bail!(
            "no Proost data in {} (give --data-dir)",
            config.data_dir.display()
        );
    }
    Ok(proost_store::Store::open(&db).await?)
}

/// After `proost keys rotate`: a fresh backup under the new key, so the newest backup
/// always restores with the key in use.
pub async fn after_rotation(config: &Config) -> anyhow::Result<String> {
    let store = open_store(config).await?;
    let master = master_key(config)?;
    let entry = backup::take(&store, &master, &config.backup)
        .await
        .map_err(app_error)?;
    Ok(entry.file)
}
