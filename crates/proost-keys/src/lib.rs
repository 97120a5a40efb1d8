#![forbid(unsafe_code)]
//! Keys and sealing: the one place where Proost encrypts anything.
//!
//! Proost keeps a two-level key hierarchy. The **master key** (KEK) lives outside the app
//! database (a 0600 key file, or `PROOST_MASTER_KEY`); each connection has its own **data
//! key** (DEK), stored only wrapped by the master key. Destroying a DEK makes everything
//! sealed with it unreadable (crypto-shredding).
//!
//! Sealing is XChaCha20-Poly1305 from RustCrypto with a random 192-bit nonce and an
//! *associated data* string that binds a ciphertext to its purpose (for example
//! `connection:<id>:params`), so a sealed value copied into another row does not open.
//!
//! This crate is not a key-management service: it does not talk to a KMS, and it does not
//! decide what gets sealed; callers do.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Format tag of a sealed value; bump when the layout changes.
const SEALED_V1: u8 = 1;
const NONCE_LEN: usize = 24;
const KEY_LEN: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "the master key is not valid: expected 32 bytes, base64-encoded (generate one with `openssl rand -base64 32`)"
    )]
    BadMasterKey,
    #[error(
        "the key file {path} is readable by other users (mode {mode:o}); run `chmod 600 {path}`"
    )]
    KeyFileTooOpen { path: String, mode: u32 },
    #[error("cannot read or write the key file {path}: {source}")]
    KeyFileIo {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("a sealed value could not be opened: wrong key, wrong purpose, or damaged data")]
    Unseal,
    #[error("encryption failed")]
    Seal,
}

/// 32 bytes of key material, wiped from memory when dropped.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
struct KeyBytes([u8; KEY_LEN]);

impl KeyBytes {
    fn random() -> Self {
        let mut k = [0u8; KEY_LEN];
        rand::rngs::OsRng.fill_bytes(&mut k);
        KeyBytes(k)
    }

    fn seal(&self, plaintext: &[u8], aad: &str) -> Result<Vec<u8>, KeyError> {
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let ct = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| KeyError::Seal)?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + ct.len());
        out.push(SEALED_V1);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    fn open(&self, sealed: &[u8], aad: &str) -> Result<Vec<u8>, KeyError> {
        if sealed.len() < 1 + NONCE_LEN || sealed[0] != SEALED_V1 {
            return Err(KeyError::Unseal);
        }
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        cipher
            .decrypt(
                XNonce::from_slice(&sealed[1..1 + NONCE_LEN]),
                Payload {
                    msg: &sealed[1 + NONCE_LEN..],
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| KeyError::Unseal)
    }

    /// HKDF-SHA256 expansion bound to `purpose`: sub-keys for other ciphers (Parquet's
    /// AES-GCM) without ever reusing this key directly.
    fn derive(&self, purpose: &str) -> KeyBytes {
        let hk = hkdf::Hkdf::<Sha256>::new(Some(b"proost-derive-v1"), &self.0);
        let mut out = [0u8; KEY_LEN];
        // Expanding 32 bytes from SHA-256 cannot exceed HKDF's 255-block limit.
        let _ = hk.expand(purpose.as_bytes(), &mut out);
        KeyBytes(out)
    }

    /// A short public fingerprint, safe to log and to store in audit entries.
    fn id(&self) -> String {
        let digest = Sha256::digest([b"proost-key-id:".as_slice(), &self.0].concat());
        hex::encode(&digest[..8])
    }
}

/// Makes a rename in the directory of `path` durable.
fn sync_dir(path: &Path) {
    if let Some(Ok(d)) = path.parent().map(fs::File::open) {
        let _ = d.sync_all();
    }
}

/// The key-encryption key. It wraps data keys and instance secrets; it never seals user
/// data directly.
#[derive(Clone)]
pub struct MasterKey(KeyBytes);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterKey({})", self.id())
    }
}

impl MasterKey {
    pub fn generate() -> Self {
        MasterKey(KeyBytes::random())
    }

    /// Parses a base64-encoded 32-byte key (the `PROOST_MASTER_KEY` format).
    pub fn from_base64(value: &str) -> Result<Self, KeyError> {
        let mut raw = B64
            .decode(value.trim())
            .map_err(|_| KeyError::BadMasterKey)?;
        if raw.len() != KEY_LEN {
            raw.zeroize();
            return Err(KeyError::BadMasterKey);
        }
        let mut k = [0u8; KEY_LEN];
        k.copy_from_slice(&raw);
        raw.zeroize();
        Ok(MasterKey(KeyBytes(k)))
    }

    /// Loads the key file at `path`, or creates it (mode 0600) with a fresh random key.
    /// Returns the key and whether it was created now.
    pub fn load_or_create(path: &Path) -> Result<(Self, bool), KeyError> {
        match Self::load(path) {
            Ok(k) => Ok((k, false)),
            Err(KeyError::KeyFileIo { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                Ok((Self::create(path)?, true))
            }
            Err(e) => Err(e),
        }
    }

    /// Reads a key file, refusing one that other users can read.
    pub fn load(path: &Path) -> Result<Self, KeyError> {
        let text = fs::read_to_string(path).map_err(|source| KeyError::KeyFileIo {
            path: path.display().to_string(),
            source,
        })?;
        let mode = fs::metadata(path)
            .map_err(|source| KeyError::KeyFileIo {
                path: path.display().to_string(),
                source,
            })?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::KeyFileTooOpen {
                path: path.display().to_string(),
                mode,
            });
        }
        Self::from_base64(&text)
    }

    /// Writes a fresh key to `path` (mode 0600), which must not exist yet.
    ///
    /// The file is written beside its final name, synced, and renamed into place, so a
    /// crash never leaves a truncated key behind (which would make every sealed value
    /// unreadable).
    pub fn create(path: &Path) -> Result<Self, KeyError> {
        let io = |source| KeyError::KeyFileIo {
            path: path.display().to_string(),
            source,
        };
        if path.exists() {
            return Err(io(std::io::Error::from(std::io::ErrorKind::AlreadyExists)));
        }
        let key = Self::generate();
        let tmp = path.with_extension("key.tmp");
        let _ = fs::remove_file(&tmp);
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(io)?;
        f.write_all(key.to_base64().as_bytes()).map_err(io)?;
        f.write_all(b"\n").map_err(io)?;
        f.sync_all().map_err(io)?;
        fs::rename(&tmp, path).map_err(io)?;
        sync_dir(path);
        Ok(key)
    }

    /// Atomically replaces the key file at `path` with the one at `from`.
    pub fn promote(from: &Path, path: &Path) -> Result<(), KeyError> {
        fs::rename(from, path).map_err(|source| KeyError::KeyFileIo {
            path: path.display().to_string(),
            source,
        })?;
        sync_dir(path);
        Ok(())
    }

    fn to_base64(&self) -> String {
        B64.encode(self.0.0)
    }

    /// Public fingerprint of this key, for logs and audit entries.
    pub fn id(&self) -> String {
        self.0.id()
    }

    /// Wraps a data key for storage. `owner` names what the key belongs to, e.g.
    /// `connection:7f3…`; the same owner must be given to unwrap it.
    pub fn wrap(&self, dek: &DataKey, owner: &str) -> Result<Vec<u8>, KeyError> {
        self.0.seal(&dek.0.0, &format!("dek:{owner}"))
    }

    pub fn unwrap_key(&self, wrapped: &[u8], owner: &str) -> Result<DataKey, KeyError> {
        let mut raw = self.0.open(wrapped, &format!("dek:{owner}"))?;
        if raw.len() != KEY_LEN {
            raw.zeroize();
            return Err(KeyError::Unseal);
        }
        let mut k = [0u8; KEY_LEN];
        k.copy_from_slice(&raw);
        raw.zeroize();
        Ok(DataKey(KeyBytes(k)))
    }

    /// Derives an instance secret (e.g. for keyed hashes) bound to `purpose`, without
    /// storing it anywhere.
    pub fn derive_secret(&self, purpose: &str) -> [u8; 32] {
        self.0.derive(purpose).0
    }
}

/// A data key: seals the artefacts of one owner (a connection's credentials, and later its
/// replicas and cached results).
#[derive(Clone)]
pub struct DataKey(KeyBytes);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataKey({})", self.id())
    }
}

impl DataKey {
    pub fn generate() -> Self {
        DataKey(KeyBytes::random())
    }

    pub fn id(&self) -> String {
        self.0.id()
    }

    /// Seals `plaintext` for `purpose`; only the same key and purpose open it again.
    pub fn seal(&self, plaintext: &[u8], purpose: &str) -> Result<Vec<u8>, KeyError> {
        self.0.seal(plaintext, purpose)
    }

    pub fn open(&self, sealed: &[u8], purpose: &str) -> Result<Vec<u8>, KeyError> {
        self.0.open(sealed, purpose)
    }

    /// Raw key bytes for a cipher outside this crate (Parquet modular encryption), derived
    /// for `purpose` (e.g. one replica file). Wiped when dropped.
    pub fn derive_bytes(&self, purpose: &str) -> zeroize::Zeroizing<Vec<u8>> {
        zeroize::Zeroizing::new(self.0.derive(purpose).0.to_vec())
    }

    /// One key that needs every one of `keys` to exist: an artefact built from several
    /// connections (a cached join) dies when any of them is shredded.
    pub fn combine(keys: &[&DataKey], purpose: &str) -> DataKey {
        let mut sorted: Vec<&DataKey> = keys.to_vec();
        sorted.sort_by_key(|k| k.0.0);
        let mut ikm = zeroize::Zeroizing::new(Vec::with_capacity(KEY_LEN * sorted.len()));
        for k in sorted {
            ikm.extend_from_slice(&k.0.0);
        }
        let hk = hkdf::Hkdf::<Sha256>::new(Some(b"proost-combine-v1"), &ikm);
        let mut out = [0u8; KEY_LEN];
        let _ = hk.expand(purpose.as_bytes(), &mut out);
        DataKey(KeyBytes(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_and_combined_keys_depend_on_every_input() {
        let (a, b) = (DataKey::generate(), DataKey::generate());
        assert_eq!(*a.derive_bytes("f1"), *a.derive_bytes("f1"));
        assert_ne!(*a.derive_bytes("f1"), *a.derive_bytes("f2"));
        assert_ne!(*a.derive_bytes("f1"), *b.derive_bytes("f1"));
        let ab = DataKey::combine(&[&a, &b], "cache");
        let ba = DataKey::combine(&[&b, &a], "cache");
        let sealed = ab.seal(b"x", "p").expect("seal");
        assert_eq!(ba.open(&sealed, "p").expect("open"), b"x");
        let c = DataKey::generate();
        assert!(
            DataKey::combine(&[&a, &c], "cache")
                .open(&sealed, "p")
                .is_err()
        );
    }

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_purpose() {
        let dek = DataKey::generate();
        let sealed = dek
            .seal(b"secret password", "connection:a:params")
            .expect("test setup");
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
        assert_eq!(
            dek.open(&sealed, "connection:a:params")
                .expect("test setup"),
            b"secret password"
        );
        assert!(dek.open(&sealed, "connection:b:params").is_err());
        assert!(
            DataKey::generate()
                .open(&sealed, "connection:a:params")
                .is_err()
        );
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(dek.open(&tampered, "connection:a:params").is_err());
    }

    #[test]
    fn a_wrapped_data_key_unwraps_only_under_its_master_key_and_owner() {
        let kek = MasterKey::generate();
        let dek = DataKey::generate();
        let wrapped = kek.wrap(&dek, "connection:a").expect("test setup");
        assert_eq!(
            kek.unwrap_key(&wrapped, "connection:a")
                .expect("test setup")
                .id(),
            dek.id()
        );
        assert!(kek.unwrap_key(&wrapped, "connection:b").is_err());
        assert!(
            MasterKey::generate()
                .unwrap_key(&wrapped, "connection:a")
                .is_err()
        );
    }

    #[test]
    fn the_key_file_is_created_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("proost-keys-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("test setup");
        let path = dir.join("master.key");
        let _ = fs::remove_file(&path);
        let (k1, created) = MasterKey::load_or_create(&path).expect("test setup");
        assert!(created);
        let mode = fs::metadata(&path)
            .expect("test setup")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
        let (k2, created) = MasterKey::load_or_create(&path).expect("test setup");
        assert!(!created);
        assert_eq!(k1.id(), k2.id());
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("test setup");
        assert!(matches!(
            MasterKey::load_or_create(&path),
            Err(KeyError::KeyFileTooOpen { .. })
        ));
        fs::remove_dir_all(&dir).expect("test setup");
    }

    #[test]
    fn a_malformed_master_key_is_refused() {
        assert!(MasterKey::from_base64("short").is_err());
        assert!(MasterKey::from_base64("").is_err());
        assert!(MasterKey::from_base64(&B64.encode([0u8; 16])).is_err());
        assert!(MasterKey::from_base64(&B64.encode([7u8; 32])).is_ok());
    }
}
