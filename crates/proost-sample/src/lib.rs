#![forbid(unsafe_code)]
//! The `sample_shop` demo database.
//!
//! On first start Proost creates a small online shop as a SQLite file so that a new user
//! can explore without connecting anything. The data is synthetic but deliberately
//! realistic personal data, so that classification and masking have something to find:
//!
//! - `customers`: names from German, Dutch, French, Spanish and English name lists,
//!   e-mail addresses derived from them, phone numbers in national and international
//!   formats, street addresses, postcodes and cities that match the country, birth dates
//!   (1940–2006), mod-97-valid IBANs (DE, NL, FR, ES, GB; FR and ES also carry correct
//!   national check digits), and for about 10 % of customers free-text `health_notes`
//!   (GDPR Art. 9 special-category data, in English or the customer's language).
//! - `products`: 200 products in 8 categories with SKUs such as `EL-00042`.
//! - `orders`: 120,000 orders between 2024-01-01 and 2026-10-31 with seasonality, a daily
//!   rhythm, heavy-tailed customer and product popularity, and statuses that depend on the
//!   order's age.
//!
//! Generation is fully deterministic: values come from fixed seeds of a built-in SplitMix64
//! generator, so the same build writes byte-identical files. UK and US phone numbers use the ranges
//! reserved for fiction (Ofcom drama numbers, 555-01xx).
//!
//! The only entry point is [`ensure_sample_shop`].

mod data;
mod generate;
mod iban;

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Why the sample database could not be created.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    /// SQLite refused to create or fill the database.
    #[error("could not write the sample database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A file-system operation (create directory, remove, fsync, rename) failed.
    #[error("could not write the sample database file: {0}")]
    Io(#[from] std::io::Error),
}

/// How many rows to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleSize {
    pub customers: usize,
    pub products: usize,
    /// Orders are only generated when there is at least one customer and one product.
    pub orders: usize,
}

impl SampleSize {
    /// The size Proost ships as the demo connection.
    pub const DEMO: SampleSize = SampleSize {
        customers: 5_000,
        products: 200,
        orders: 120_000,
    };
}

/// Writes the sample shop to `path` if it does not exist yet. Writes to `<path>.tmp` first
/// and renames it into place (a crash never leaves a half-written demo database). Returns
/// true if it created the file.
///
/// If anything exists at `path` already (even a file that is not a database), nothing is
/// touched and `false` is returned. A stale `<path>.tmp` (and any SQLite side files of it)
/// left by an earlier crash is removed first. The parent directory is created if missing.
/// The finished file is a plain rollback-journal SQLite database (no `-wal`/`-shm` files).
///
/// Not meant to be called concurrently for the same `path` from several processes: call
/// it once at start-up.
pub fn ensure_sample_shop(path: &Path, size: SampleSize) -> Result<bool, SampleError> {
    match fs::symlink_metadata(path) {
        Ok(_) => return Ok(false),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e.into()),
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf);
    if let Some(dir) = &parent {
        fs::create_dir_all(dir)?;
    }

    let tmp = with_suffix(path, ".tmp");
    remove_tmp_files(&tmp)?;

    if let Err(e) = generate::write_database(&tmp, size) {
        // Best effort: the next start would replace the file anyway.
        let _ = remove_tmp_files(&tmp);
        return Err(e);
    }
    let result = (|| -> io::Result<()> {
        fs::File::open(&tmp)?.sync_all()?;
        fs::rename(&tmp, path)?;
        sync_dir(parent.as_deref().unwrap_or(Path::new(".")))
    })();
    if let Err(e) = result {
        let _ = remove_tmp_files(&tmp);
        return Err(e.into());
    }
    Ok(true)
}

/// `path` with `suffix` appended to its file name (`shop.db` → `shop.db.tmp`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s: OsString = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Removes `tmp` and the journal files SQLite might have left next to it. A stale hot
/// journal must not survive: SQLite would replay it into the fresh file.
fn remove_tmp_files(tmp: &Path) -> io::Result<()> {
    for p in [
        tmp.to_path_buf(),
        with_suffix(tmp, "-journal"),
        with_suffix(tmp, "-wal"),
        with_suffix(tmp, "-shm"),
    ] {
        match fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Makes the rename durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

/// Directories cannot be opened for fsync on this platform; the rename is atomic anyway.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}
