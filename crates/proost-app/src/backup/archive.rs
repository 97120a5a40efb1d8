//! The backup file: a tar archive (a manifest, the app database, optionally the replica
//! files), compressed with zstd, encrypted with age.
//!
//! age authenticates every 64 KiB chunk and the end of the stream, so a flipped byte or a
//! cut-off file never decrypts: a backup either opens whole or not at all. Compression comes
//! before encryption (ciphertext does not compress); backups written before it are plain
//! tar inside age and still open.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Component, Path, PathBuf};

use age::secrecy::ExposeSecret;
use bech32::ToBase32;
use proost_keys::MasterKey;
use sha2::{Digest, Sha256};

use crate::{Error, Kind, Result};

pub(super) const MANIFEST_ENTRY: &str = "manifest.json";
pub(super) const DB_ENTRY: &str = "proost.db";
/// No manifest is near this; a larger one is not ours.
const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;
/// zstd's default: most of the ratio at a small cost in time (an app database full of
/// usage events shrinks about eightfold; encrypted replica files pass through).
const ZSTD_LEVEL: i32 = 3;
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// The X25519 identity derived from the master key: backups taken without a recovery
/// recipient open with the master key they were taken under, and with nothing else.
pub(super) fn master_identity(master: &MasterKey) -> Result<age::x25519::Identity> {
    let secret = zeroize::Zeroizing::new(master.derive_secret("backup-age-identity-v1"));
    let encoded = zeroize::Zeroizing::new(
        bech32::encode(
            "age-secret-key-",
            secret.as_slice().to_base32(),
            bech32::Variant::Bech32,
        )
        .map_err(|e| Error::internal(format!("encoding the backup identity: {e}")))?
        .to_uppercase(),
    );
    encoded
        .parse()
        .map_err(|e| Error::internal(format!("the derived backup identity: {e}")))
}

pub(super) fn parse_recipient(text: &str) -> Result<age::x25519::Recipient> {
    text.trim().parse().map_err(|_| {
        Error::bad_request(
            "backup_recipient_invalid",
            "the backup recipient is not an age X25519 recipient (age1…): make one with `proost backup keygen`",
        )
    })
}

pub(super) fn parse_identity(text: &str) -> Result<age::x25519::Identity> {
    // An identity file as `proost backup keygen` or age-keygen write it: comments, one key.
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .and_then(|l| l.parse().ok())
        .ok_or_else(|| {
            Error::bad_request(
                "backup_identity_invalid",
                "the identity file holds no age X25519 identity (AGE-SECRET-KEY-1…)",
            )
        })
}

/// A fresh recovery identity and its recipient, as text.
pub(super) fn generate() -> (String, String) {
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    (identity.to_string().expose_secret().to_string(), recipient)
}

/// Counts and hashes what passes through, so the digest of the file is known when it is
/// written, without reading it again.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn io_error(what: &str) -> impl Fn(io::Error) -> Error + '_ {
    move |e| Error::internal(format!("{what}: {e}"))
}

/// Where the replica files go in the archive (and come out on restore).
pub(super) const REPLICAS_DIR: &str = "replicas";

/// Every file under the replica root, with the name the archive holds it under
/// (`replicas/…`). Blocking.
pub(super) fn replica_paths(root: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io_error("listing the replica files")(e)),
        };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => dirs.push(path),
                Ok(kind) if kind.is_file() => {
                    if let Ok(rel) = path.strip_prefix(root) {
                        let name = format!("{REPLICAS_DIR}/{}", rel.to_string_lossy());
                        out.push((name, path));
                    }
                }
                _ => {}
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The replica files, opened: a file a sync removes while the backup is written (an old
/// version) stays readable, and one removed before it was opened is left out. Blocking.
pub(super) fn open_replica_files(root: &Path) -> Result<Vec<(String, File)>> {
    Ok(replica_paths(root)?
        .into_iter()
        .filter_map(|(name, path)| File::open(path).ok().map(|f| (name, f)))
        .collect())
}

/// Writes the archive to `path` (a temporary name: the caller renames it once this returns)
/// and syncs it to disk. Returns its size and SHA-256. Blocking.
pub(super) fn write(
    path: &Path,
    recipient: &dyn age::Recipient,
    manifest: &[u8],
    files: Vec<(String, File)>,
) -> Result<(u64, String)> {
    let file = File::create_new(path).map_err(io_error("creating the backup file"))?;
    let mut out = Hashing {
        inner: BufWriter::new(file),
        hash: Sha256::new(),
        bytes: 0,
    };
    let encryptor = age::Encryptor::with_recipients(std::iter::once(recipient))
        .map_err(|e| Error::internal(format!("backup encryption: {e}")))?;
    let sealed = encryptor
        .wrap_output(&mut out)
        .map_err(io_error("writing the backup"))?;
    let compressed = zstd::stream::write::Encoder::new(sealed, ZSTD_LEVEL)
        .map_err(io_error("compressing the backup"))?;
    let mut tar = tar::Builder::new(compressed);
    let mut header = tar::Header::new_gnu();
    header.set_size(manifest.len() as u64);
    header.set_mode(0o600);
    header.set_cksum();
    tar.append_data(&mut header, MANIFEST_ENTRY, manifest)
        .map_err(io_error("writing the backup manifest"))?;
    for (name, mut f) in files {
        tar.append_file(name, &mut f)
            .map_err(io_error("writing the backup"))?;
    }
    let compressed = tar.into_inner().map_err(io_error("writing the backup"))?;
    let sealed = compressed
        .finish()
        .map_err(io_error("finishing the backup"))?;
    sealed.finish().map_err(io_error("finishing the backup"))?;
    out.flush().map_err(io_error("writing the backup"))?;
    let bytes = out.bytes;
    let digest = hex::encode(out.hash.finalize());
    let file = out
        .inner
        .into_inner()
        .map_err(|e| Error::internal(format!("writing the backup: {}", e.error())))?;
    file.sync_all().map_err(io_error("syncing the backup"))?;
    Ok((bytes, digest))
}

/// SHA-256 of a file, streamed. Blocking.
pub(super) fn digest(path: &Path) -> Result<String> {
    let mut f = BufReader::new(File::open(path).map_err(io_error("reading the backup"))?);
    let mut hash = Sha256::new();
    io::copy(&mut f, &mut hash).map_err(io_error("reading the backup"))?;
    Ok(hex::encode(hash.finalize()))
}

fn unauthenticated(detail: impl std::fmt::Display) -> Error {
    Error::new(
        Kind::Invalid,
        "backup_unauthenticated",
        format!(
            "the backup cannot be authenticated (changed, cut off, or not a Proost backup): {detail}"
        ),
    )
}

/// Decrypts the archive at `path` and unpacks it into `into` (an empty private directory).
/// Returns the manifest's bytes. Only the manifest, the database and plain files under
/// `sources/` or `replicas/` are taken; anything else (links, `..`, absolute paths) makes
/// the whole backup refused. Blocking.
pub(super) fn read(path: &Path, identities: &[&dyn age::Identity], into: &Path) -> Result<Vec<u8>> {
    let file = File::open(path).map_err(|e| {
        Error::new(
            Kind::NotFound,
            "backup_not_found",
            format!("cannot open {}: {e}", path.display()),
        )
    })?;
    let decryptor = age::Decryptor::new_buffered(BufReader::new(file)).map_err(unauthenticated)?;
    let plain = decryptor
        .decrypt(identities.iter().copied())
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => Error::bad_request(
                "backup_wrong_key",
                "none of the keys given opens this backup: it was taken under another master key (the manifest names its key id), or to a recovery recipient (give --identity)",
            ),
            other => unauthenticated(other),
        })?;
    let mut plain = BufReader::new(plain);
    let head = plain.fill_buf().map_err(unauthenticated)?;
    let inner: Box<dyn Read> = if head.starts_with(&ZSTD_MAGIC) {
        Box::new(zstd::stream::read::Decoder::with_buffer(plain).map_err(unauthenticated)?)
    } else {
        Box::new(plain)
    };
    let mut archive = tar::Archive::new(inner);
    let mut manifest = None;
    for entry in archive.entries().map_err(unauthenticated)? {
        let mut entry = entry.map_err(unauthenticated)?;
        let name = entry.path().map_err(unauthenticated)?.into_owned();
        if !entry.header().entry_type().is_file() || !safe_name(&name) {
            return Err(unauthenticated(format!(
                "unexpected entry {}",
                name.display()
            )));
        }
        if name == Path::new(MANIFEST_ENTRY) {
            let mut bytes = Vec::new();
            (&mut entry)
                .take(MAX_MANIFEST_BYTES)
                .read_to_end(&mut bytes)
                .map_err(unauthenticated)?;
            manifest = Some(bytes);
            continue;
        }
        let target = into.join(&name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io_error("unpacking the backup"))?;
        }
        let mut out = File::create_new(&target).map_err(io_error("unpacking the backup"))?;
        io::copy(&mut entry, &mut out).map_err(unauthenticated)?;
        out.sync_all().map_err(io_error("unpacking the backup"))?;
    }
    manifest.ok_or_else(|| unauthenticated("no manifest"))
}

fn safe_name(name: &Path) -> bool {
    let normal = name.components().all(|c| matches!(c, Component::Normal(_)));
    let top = name
        .components()
        .next()
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or("");
    normal
        && (name == Path::new(MANIFEST_ENTRY)
            || name == Path::new(DB_ENTRY)
            || (matches!(top, "sources" | "replicas") && name.components().count() > 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("proost-archive-{name}-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        dir
    }

    #[test]
    fn a_backup_round_trips_compressed_and_one_written_before_compression_still_opens() {
        let dir = scratch("formats");
        let identity = age::x25519::Identity::generate();
        let db = dir.join("source.db");
        std::fs::write(&db, "rows ".repeat(10_000)).expect("db");

        let new = dir.join("new.age");
        let files = vec![(DB_ENTRY.to_owned(), File::open(&db).expect("open"))];
        let (size, _) = write(&new, &identity.to_public(), b"{}", files).expect("write");
        assert!(size < 10_000, "compressed: {size} bytes for 50,000");
        let into = dir.join("new");
        std::fs::create_dir_all(&into).expect("dir");
        let manifest = read(&new, &[&identity], &into).expect("read");
        assert_eq!(manifest, b"{}");
        assert_eq!(
            std::fs::read(into.join(DB_ENTRY)).ok(),
            std::fs::read(&db).ok()
        );

        // The format before compression: a plain tar inside age.
        let old = dir.join("old.age");
        let recipient = identity.to_public();
        let encryptor =
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .expect("encryptor");
        let sealed = encryptor
            .wrap_output(File::create(&old).expect("create"))
            .expect("wrap");
        let mut tar = tar::Builder::new(sealed);
        let mut header = tar::Header::new_gnu();
        header.set_size(2);
        header.set_mode(0o600);
        header.set_cksum();
        tar.append_data(&mut header, MANIFEST_ENTRY, &b"{}"[..])
            .expect("manifest");
        tar.append_path_with_name(&db, DB_ENTRY).expect("db");
        tar.into_inner().expect("tar").finish().expect("finish");
        let into = dir.join("old");
        std::fs::create_dir_all(&into).expect("dir");
        assert_eq!(read(&old, &[&identity], &into).expect("read old"), b"{}");
        assert_eq!(
            std::fs::read(into.join(DB_ENTRY)).ok(),
            std::fs::read(&db).ok()
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
