#![forbid(unsafe_code)]
//! The result cache: query results kept in memory **sealed**, keyed so that a cached result
//! is only ever served to a caller who could have computed it.
//!
//! Two things make it permission-safe, and both are needed:
//!
//! * The [`CacheKey`] hashes the caller's **permission fingerprint** together with the plan
//!   and the data versions read, so two callers with different grants never share an entry
//!   (BI tools that key results by SQL text alone have served one user's rows to another).
//! * Every entry is sealed with a [`DataKey`] from `proost-keys`, with a purpose that names
//!   the entry's key. A sealed blob moved under another key does not open, a caller holding
//!   other key material gets a miss, and destroying a connection's data key
//!   (crypto-shredding) makes everything cached for it unreadable even if a copy survives
//!   in a core dump or in swap.
//!
//! Plaintext exists only while a result is being serialized or decoded; those buffers are
//! wiped afterwards.
//!
//! Freshness is stale-while-revalidate: an entry is [`Lookup::Fresh`] for `ttl`, then
//! [`Lookup::Stale`] for `stale_for` (served, while exactly one caller refreshes it — see
//! [`ResultCache::begin_refresh`]), then gone. Entries carry tags (`conn:<id>`,
//! `replica:<id>`) so a sync or a deleted connection drops them at once.
//!
//! This crate is not a query engine and does not decide who may see what: the caller
//! supplies the permission fingerprint and the key material. It keeps nothing on disk.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use arrow::datatypes::SchemaRef;
use arrow::error::ArrowError;
use arrow::ipc::reader::StreamReader;
use arrow::ipc::writer::StreamWriter;
use arrow::record_batch::RecordBatch;
use lru::LruCache;
use proost_keys::{DataKey, KeyError};
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

/// Layout tag of the sealed plaintext; bump when [`seal`] changes.
const PLAINTEXT_V1: u8 = 1;
/// Domain separation for [`CacheKey`]; bump when the hashed fields change.
const KEY_DOMAIN: &[u8] = b"proost-cache-key-v1";
/// How often `put` sweeps out entries past their stale window. Expired entries are only
/// ciphertext, so this is about memory, not secrecy; a full scan once in a while is cheap.
const SWEEP_EVERY: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("the result could not be serialized for the cache: {0}")]
    Encode(#[source] ArrowError),
    #[error("the result could not be sealed for the cache: {0}")]
    Seal(#[source] KeyError),
}

impl CacheError {
    /// A stable code for logs and API errors (callers usually just skip caching on error).
    pub fn code(&self) -> &'static str {
        match self {
            CacheError::Encode(_) => "cache_encode_failed",
            CacheError::Seal(_) => "cache_seal_failed",
        }
    }
}

/// Limits of a [`ResultCache`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheConfig {
    /// Upper bound on the sealed bytes held; least recently used entries go first. A single
    /// entry larger than a quarter of this is not cached, so one huge result cannot flush
    /// every dashboard's entries.
    pub max_bytes: usize,
    /// How long an entry is served as fresh.
    pub ttl: Duration,
    /// How long after `ttl` an entry is still served (as stale) while it is refreshed.
    pub stale_for: Duration,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            max_bytes: 256 * 1024 * 1024,
            ttl: Duration::from_secs(60 * 60),
            stale_for: Duration::from_secs(5 * 60),
        }
    }
}

/// Where the cache reads the time; injectable so freshness can be tested without sleeping.
pub trait Clock: Send + Sync {
    fn now(&self) -> Instant;
}

/// The monotonic system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// Identity of a cached result: a SHA-256 over everything that decides what the result
/// contains and who may see it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CacheKey([u8; 32]);

impl CacheKey {
    /// Hashes the normalized plan text, the caller's permission fingerprint, the data
    /// versions read and the result options (row limit etc.).
    ///
    /// Every field is length-prefixed, so no two different inputs collide by concatenation
    /// (`("ab", "c")` and `("a", "bc")` differ). The versions are sorted (and duplicates
    /// dropped) here, so the key does not depend on the order the planner visited tables.
    pub fn new(
        plan: &str,
        permission_fingerprint: &str,
        versions: &[(String, String)],
        options: &str,
    ) -> Self {
        let mut versions: Vec<&(String, String)> = versions.iter().collect();
        versions.sort();
        versions.dedup();

        let mut h = Sha256::new();
        field(&mut h, KEY_DOMAIN);
        field(&mut h, plan.as_bytes());
        field(&mut h, permission_fingerprint.as_bytes());
        h.update((versions.len() as u64).to_le_bytes());
        for (table, version) in versions {
            field(&mut h, table.as_bytes());
            field(&mut h, version.as_bytes());
        }
        field(&mut h, options.as_bytes());
        CacheKey(h.finalize().into())
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The sealing purpose: binds a sealed blob to this key, so it cannot be replayed
    /// under another key (for example, a broader caller's entry under a narrower caller's).
    fn purpose(&self) -> String {
        format!("cache:{}", self.to_hex())
    }
}

fn field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

impl fmt::Debug for CacheKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CacheKey({})", self.to_hex())
    }
}

/// A query result as cached.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedResult {
    pub schema: SchemaRef,
    pub batches: Vec<RecordBatch>,
    /// The result was cut at the row limit.
    pub truncated: bool,
    /// Opaque to the cache (for example JSON naming the sources that served the result);
    /// sealed with the rows because it can describe them.
    pub extra: Vec<u8>,
}

/// How long ago a cached result was stored.
pub type Age = Duration;

/// The outcome of [`ResultCache::get`].
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Fresh(CachedResult, Age),
    /// Past its `ttl` but inside `stale_for`: serve it, and refresh in the background if
    /// [`ResultCache::begin_refresh`] says this caller is the one to do it.
    Stale(CachedResult, Age),
    Miss,
}

/// Counters since the cache was created (`entries` and `bytes` are current).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CacheStats {
    pub entries: usize,
    /// Sealed bytes held.
    pub bytes: usize,
    pub hits: u64,
    /// Includes lookups of expired or unreadable entries.
    pub misses: u64,
    pub stale_hits: u64,
    /// Entries dropped to stay under `max_bytes`.
    pub evictions: u64,
    /// Entries dropped by [`ResultCache::invalidate`].
    pub invalidations: u64,
    /// Entries dropped because they were past their stale window.
    pub expired: u64,
    /// Entries dropped because the key material given did not open them (a shredded data
    /// key, or a caller whose permissions map to other key material). Worth watching.
    pub unreadable: u64,
}

struct Entry {
    sealed: Arc<[u8]>,
    stored_at: Instant,
    tags: Box<[String]>,
    /// A caller has claimed the refresh of this stale entry (single flight). Living in the
    /// entry means any removal or replacement releases the claim, so a refresher that died
    /// without calling `refresh_failed` blocks refreshes at most until the entry expires.
    refreshing: bool,
}

struct Inner {
    /// Unbounded by count; bounded by bytes in [`Inner::insert`].
    entries: LruCache<CacheKey, Entry>,
    by_tag: HashMap<String, HashSet<CacheKey>>,
    bytes: usize,
    last_sweep: Instant,
}

impl Inner {
    /// Removes an entry and its tag index rows, keeping `bytes` exact.
    fn remove(&mut self, key: &CacheKey) -> Option<Entry> {
        let entry = self.entries.pop(key)?;
        self.bytes -= entry.sealed.len();
        self.untag(key, &entry.tags);
        Some(entry)
    }

    fn untag(&mut self, key: &CacheKey, tags: &[String]) {
        for tag in tags {
            if let Some(keys) = self.by_tag.get_mut(tag) {
                keys.remove(key);
                if keys.is_empty() {
                    self.by_tag.remove(tag);
                }
            }
        }
    }
}

#[derive(Default)]
struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    stale_hits: AtomicU64,
    evictions: AtomicU64,
    invalidations: AtomicU64,
    expired: AtomicU64,
    unreadable: AtomicU64,
}

fn bump(counter: &AtomicU64, by: u64) {
    counter.fetch_add(by, Ordering::Relaxed);
}

/// The in-memory, sealed, permission-keyed result cache. `Send + Sync`; share it behind an
/// `Arc`.
///
/// The lock is held only for map bookkeeping: sealing, opening and Arrow (de)serialization
/// happen outside it, so concurrent dashboard loads do not queue behind one another's
/// decryption.
pub struct ResultCache {
    config: CacheConfig,
    clock: Arc<dyn Clock>,
    inner: Mutex<Inner>,
    counters: Counters,
}

impl fmt::Debug for ResultCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResultCache")
            .field("config", &self.config)
            .field("stats", &self.stats())
            .finish()
    }
}

enum Freshness {
    Fresh,
    Stale,
    Expired,
}

impl ResultCache {
    pub fn new(config: CacheConfig) -> Self {
        Self::with_clock(config, Arc::new(SystemClock))
    }

    /// A cache reading time from `clock` (tests move a manual clock instead of sleeping).
    pub fn with_clock(config: CacheConfig, clock: Arc<dyn Clock>) -> Self {
        let now = clock.now();
        ResultCache {
            config,
            clock,
            inner: Mutex::new(Inner {
                entries: LruCache::unbounded(),
                by_tag: HashMap::new(),
                bytes: 0,
                last_sweep: now,
            }),
            counters: Counters::default(),
        }
    }

    pub fn config(&self) -> &CacheConfig {
        &self.config
    }

    /// A panic while the lock was held cannot leave the maps half-updated in a way that
    /// breaks memory safety or leaks plaintext (they only hold ciphertext), so a poisoned
    /// lock is taken over rather than turning every later request into a panic.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn freshness(&self, age: Duration) -> Freshness {
        if age < self.config.ttl {
            Freshness::Fresh
        } else if age < self.config.ttl.saturating_add(self.config.stale_for) {
            Freshness::Stale
        } else {
            Freshness::Expired
        }
    }

    /// Looks `key` up and opens it with `key_material`.
    ///
    /// An entry that does not open (other key material, or its data key was shredded) is a
    /// [`Lookup::Miss`] and is dropped: it can never be served again, and keeping it would
    /// only keep ciphertext of possibly forgotten data around.
    pub fn get(&self, key: &CacheKey, key_material: &DataKey) -> Lookup {
        self.lookup(key, key_material, true)
    }

    /// Like [`get`](Self::get), but only opens the entry and returns its `extra`: the
    /// schema is empty and there are no batches. For callers that stored a ready answer in
    /// `extra` (the hot path of repeated questions skips decoding Arrow).
    pub fn get_extra(&self, key: &CacheKey, key_material: &DataKey) -> Lookup {
        self.lookup(key, key_material, false)
    }

    fn lookup(&self, key: &CacheKey, key_material: &DataKey, batches: bool) -> Lookup {
        let now = self.clock.now();
        let (sealed, age, stale) = {
            let mut inner = self.lock();
            let Some(entry) = inner.entries.get(key) else {
                drop(inner);
                bump(&self.counters.misses, 1);
                return Lookup::Miss;
            };
            let age = now.saturating_duration_since(entry.stored_at);
            match self.freshness(age) {
                Freshness::Fresh => (Arc::clone(&entry.sealed), age, false),
                Freshness::Stale => (Arc::clone(&entry.sealed), age, true),
                Freshness::Expired => {
                    let gone = inner.remove(key);
                    drop(inner);
                    drop(gone);
                    bump(&self.counters.expired, 1);
                    bump(&self.counters.misses, 1);
                    return Lookup::Miss;
                }
            }
        };

        match open(&sealed, key, key_material, batches) {
            Some(result) if stale => {
                bump(&self.counters.stale_hits, 1);
                Lookup::Stale(result, age)
            }
            Some(result) => {
                bump(&self.counters.hits, 1);
                Lookup::Fresh(result, age)
            }
            None => {
                // Drop it only if it is still the blob we failed on: a concurrent `put`
                // with the right key material may have replaced it meanwhile.
                let gone = {
                    let mut inner = self.lock();
                    let same = inner
                        .entries
                        .peek(key)
                        .is_some_and(|e| Arc::ptr_eq(&e.sealed, &sealed));
                    if same { inner.remove(key) } else { None }
                };
                if gone.is_some() {
                    bump(&self.counters.unreadable, 1);
                }
                bump(&self.counters.misses, 1);
                Lookup::Miss
            }
        }
    }

    /// Seals `result` with `key_material` and stores it under `key`, replacing any entry
    /// there (and releasing its refresh claim).
    ///
    /// `tags` name what the entry depends on (`conn:<id>`, `replica:<id>`) so
    /// [`invalidate`](Self::invalidate) can drop it. A result whose sealed form exceeds a
    /// quarter of `max_bytes` is not cached (and an older entry under `key` is dropped, as
    /// it is superseded); that is not an error.
    pub fn put(
        &self,
        key: CacheKey,
        key_material: &DataKey,
        tags: &[String],
        result: &CachedResult,
    ) -> Result<(), CacheError> {
        let sealed: Arc<[u8]> = seal(&key, key_material, result)?.into();
        let size = sealed.len();
        let fits = size <= self.config.max_bytes / 4;

        let mut tags: Vec<String> = tags.to_vec();
        tags.sort();
        tags.dedup();

        let now = self.clock.now();
        // Dropped entries are freed after the lock is released.
        let mut dropped: Vec<Entry> = Vec::new();
        let (mut evicted, mut expired) = (0u64, 0u64);
        {
            let mut inner = self.lock();
            if let Some(old) = inner.remove(&key) {
                dropped.push(old);
            }
            if now.saturating_duration_since(inner.last_sweep) >= SWEEP_EVERY {
                inner.last_sweep = now;
                let gone: Vec<CacheKey> = inner
                    .entries
                    .iter()
                    .filter(|(_, e)| {
                        matches!(
                            self.freshness(now.saturating_duration_since(e.stored_at)),
                            Freshness::Expired
                        )
                    })
                    .map(|(k, _)| *k)
                    .collect();
                for k in gone {
                    if let Some(e) = inner.remove(&k) {
                        expired += 1;
                        dropped.push(e);
                    }
                }
            }
            if fits {
                while inner.bytes + size > self.config.max_bytes {
                    let Some((k, e)) = inner.entries.pop_lru() else {
                        break;
                    };
                    inner.bytes -= e.sealed.len();
                    inner.untag(&k, &e.tags);
                    evicted += 1;
                    dropped.push(e);
                }
                for tag in &tags {
                    inner.by_tag.entry(tag.clone()).or_default().insert(key);
                }
                inner.bytes += size;
                inner.entries.push(
                    key,
                    Entry {
                        sealed,
                        stored_at: now,
                        tags: tags.into_boxed_slice(),
                        refreshing: false,
                    },
                );
            }
        }
        drop(dropped);
        bump(&self.counters.evictions, evicted);
        bump(&self.counters.expired, expired);
        if !fits {
            tracing::debug!(
                key = %key.to_hex(),
                size,
                max_bytes = self.config.max_bytes,
                "result too large to cache"
            );
        }
        Ok(())
    }

    /// Drops every entry tagged `tag` (a sync published a new version, a connection was
    /// deleted) and returns how many were dropped.
    pub fn invalidate(&self, tag: &str) -> usize {
        let dropped: Vec<Entry> = {
            let mut inner = self.lock();
            let Some(keys) = inner.by_tag.remove(tag) else {
                return 0;
            };
            keys.iter().filter_map(|k| inner.remove(k)).collect()
        };
        let n = dropped.len();
        drop(dropped);
        bump(&self.counters.invalidations, n as u64);
        n
    }

    /// Single flight for stale-while-revalidate: returns `true` to exactly one caller per
    /// stale entry, who should recompute it and call [`put`](Self::put) (or
    /// [`refresh_failed`](Self::refresh_failed)). Everyone else keeps serving the stale
    /// result instead of stampeding the source.
    ///
    /// Returns `false` for a fresh entry and for one that is gone: a missing entry is
    /// recomputed by whoever missed, in the foreground.
    pub fn begin_refresh(&self, key: &CacheKey) -> bool {
        let now = self.clock.now();
        let mut inner = self.lock();
        let Some(entry) = inner.entries.peek_mut(key) else {
            return false;
        };
        let stale = matches!(
            self.freshness(now.saturating_duration_since(entry.stored_at)),
            Freshness::Stale
        );
        if stale && !entry.refreshing {
            entry.refreshing = true;
            true
        } else {
            false
        }
    }

    /// Releases the refresh claim on `key`, so the next stale reader may try again.
    pub fn refresh_failed(&self, key: &CacheKey) {
        if let Some(entry) = self.lock().entries.peek_mut(key) {
            entry.refreshing = false;
        }
    }

    pub fn stats(&self) -> CacheStats {
        let (entries, bytes) = {
            let inner = self.lock();
            (inner.entries.len(), inner.bytes)
        };
        let c = &self.counters;
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        CacheStats {
            entries,
            bytes,
            hits: load(&c.hits),
            misses: load(&c.misses),
            stale_hits: load(&c.stale_hits),
            evictions: load(&c.evictions),
            invalidations: load(&c.invalidations),
            expired: load(&c.expired),
            unreadable: load(&c.unreadable),
        }
    }

    /// Drops every entry (counters are kept).
    pub fn clear(&self) {
        let old = {
            let mut inner = self.lock();
            inner.by_tag.clear();
            inner.bytes = 0;
            std::mem::replace(&mut inner.entries, LruCache::unbounded())
        };
        drop(old);
    }

    /// The sealed bytes under `key`, for tests that check no plaintext is held.
    #[cfg(test)]
    fn sealed_bytes(&self, key: &CacheKey) -> Option<Arc<[u8]>> {
        self.lock().entries.peek(key).map(|e| Arc::clone(&e.sealed))
    }
}

/// Serializes and seals a result. Plaintext layout (v1):
/// `[PLAINTEXT_V1][truncated: u8][ipc_len: u64 LE][Arrow IPC stream][extra]`.
fn seal(key: &CacheKey, dek: &DataKey, result: &CachedResult) -> Result<Vec<u8>, CacheError> {
    // Sized up front so the buffer is not reallocated while rows are written: a
    // reallocation would leave a plaintext copy in freed memory that no wipe reaches.
    // (Best effort: the estimate covers the IPC form of ordinary batches.)
    let estimate = result
        .batches
        .iter()
        .map(RecordBatch::get_array_memory_size)
        .sum::<usize>()
        .saturating_add(result.extra.len())
        .saturating_add(4096);
    let mut plain = Vec::with_capacity(estimate);
    plain.extend_from_slice(&[PLAINTEXT_V1, u8::from(result.truncated)]);
    plain.extend_from_slice(&[0u8; 8]);
    let mut plain = encode_ipc(plain, result).map_err(CacheError::Encode)?;
    let ipc_len = (plain.len() - 10) as u64;
    plain[2..10].copy_from_slice(&ipc_len.to_le_bytes());
    plain.extend_from_slice(&result.extra);
    let sealed = dek.seal(&plain, &key.purpose()).map_err(CacheError::Seal);
    plain.zeroize();
    sealed
}

/// Appends the IPC stream to `buf`; on error wipes what was written.
fn encode_ipc(buf: Vec<u8>, result: &CachedResult) -> Result<Vec<u8>, ArrowError> {
    // On this error the writer kept the buffer, which held at most the schema message.
    let mut writer = StreamWriter::try_new(buf, &result.schema)?;
    let written = result
        .batches
        .iter()
        .try_for_each(|b| writer.write(b))
        .and_then(|()| writer.finish());
    if let Err(e) = written {
        writer.get_mut().zeroize();
        return Err(e);
    }
    writer.into_inner()
}

/// Opens and decodes an entry; `None` if the key material is wrong or the blob is damaged.
fn open(sealed: &[u8], key: &CacheKey, dek: &DataKey, batches: bool) -> Option<CachedResult> {
    let mut plain = dek.open(sealed, &key.purpose()).ok()?;
    let decoded = decode(&plain, batches);
    plain.zeroize();
    match decoded {
        Ok(result) => Some(result),
        Err(e) => {
            // Authenticated but undecodable means a bug in `seal`, not an attack.
            tracing::warn!(key = %key.to_hex(), error = %e, "a cache entry did not decode");
            None
        }
    }
}

fn decode(plain: &[u8], batches: bool) -> Result<CachedResult, ArrowError> {
    let bad = || ArrowError::IpcError("cache entry layout not recognised".into());
    if plain.len() < 10 || plain[0] != PLAINTEXT_V1 {
        return Err(bad());
    }
    let truncated = plain[1] != 0;
    let mut len = [0u8; 8];
    len.copy_from_slice(&plain[2..10]);
    let ipc_len = usize::try_from(u64::from_le_bytes(len)).map_err(|_| bad())?;
    let ipc_end = 10usize.checked_add(ipc_len).ok_or_else(bad)?;
    let ipc = plain.get(10..ipc_end).ok_or_else(bad)?;
    if !batches {
        return Ok(CachedResult {
            schema: Arc::new(arrow::datatypes::Schema::empty()),
            batches: Vec::new(),
            truncated,
            extra: plain[ipc_end..].to_vec(),
        });
    }
    let reader = StreamReader::try_new(ipc, None)?;
    let schema = reader.schema();
    let batches = reader.collect::<Result<Vec<_>, _>>()?;
    Ok(CachedResult {
        schema,
        batches,
        truncated,
        extra: plain[ipc_end..].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{ArrayRef, StringArray};
    use arrow::datatypes::{DataType, Field, Schema};

    fn result_with(text: &str) -> CachedResult {
        let schema = Arc::new(Schema::new(vec![Field::new("s", DataType::Utf8, true)]));
        let col: ArrayRef = Arc::new(StringArray::from(vec![Some(text), None]));
        let batch = RecordBatch::try_new(Arc::clone(&schema), vec![col]).expect("batch");
        CachedResult {
            schema,
            batches: vec![batch],
            truncated: false,
            extra: b"{\"served_by\":\"EXTRA-MARKER-7f3a\"}".to_vec(),
        }
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn get_extra_opens_the_entry_without_decoding_batches() {
        let cache = ResultCache::new(CacheConfig::default());
        let key = CacheKey::new("select s from t", "perm", &[], "");
        let dek = DataKey::generate();
        cache.put(key, &dek, &[], &result_with("x")).expect("put");
        let Lookup::Fresh(r, _) = cache.get_extra(&key, &dek) else {
            panic!("a stored entry is found");
        };
        assert!(r.batches.is_empty());
        assert_eq!(r.extra, result_with("x").extra);
        assert!(matches!(
            cache.get_extra(&key, &DataKey::generate()),
            Lookup::Miss
        ));
    }

    #[test]
    fn sealed_entries_hold_no_plaintext_rows_or_extra() {
        let marker = "PLAINTEXT-MARKER-c41b9e";
        let cache = ResultCache::new(CacheConfig::default());
        let key = CacheKey::new("select s from t", "perm", &[], "");
        let dek = DataKey::generate();
        let result = result_with(marker);
        cache.put(key, &dek, &[], &result).expect("put");

        let sealed = cache.sealed_bytes(&key).expect("stored");
        assert!(!contains(&sealed, marker.as_bytes()));
        assert!(!contains(&sealed, b"EXTRA-MARKER-7f3a"));
        // The check above is only meaningful if the marker would be visible unsealed.
        let mut plain = vec![PLAINTEXT_V1, 0];
        plain.extend_from_slice(&[0u8; 8]);
        let plain = encode_ipc(plain, &result).expect("ipc");
        assert!(contains(&plain, marker.as_bytes()));

        match cache.get(&key, &dek) {
            Lookup::Fresh(got, _) => assert_eq!(got, result),
            other => panic!("expected a fresh hit, got {other:?}"),
        }
    }

    #[test]
    fn a_blob_moved_under_another_key_does_not_open() {
        let cache = ResultCache::new(CacheConfig::default());
        let dek = DataKey::generate();
        let wide = CacheKey::new("select s from t", "admin", &[], "");
        let narrow = CacheKey::new("select s from t", "viewer", &[], "");
        cache.put(wide, &dek, &[], &result_with("x")).expect("put");
        let blob = cache.sealed_bytes(&wide).expect("stored");
        assert!(open(&blob, &narrow, &dek, true).is_none());
        assert!(open(&blob, &wide, &dek, true).is_some());
    }

    #[test]
    fn damaged_plaintext_layouts_are_rejected_not_panicked_on() {
        assert!(decode(&[], true).is_err());
        assert!(
            decode(
                &[PLAINTEXT_V1, 0, 255, 255, 255, 255, 255, 255, 255, 255],
                false
            )
            .is_err()
        );
        assert!(decode(&[9, 0, 0, 0, 0, 0, 0, 0, 0, 0], true).is_err());
    }
}
