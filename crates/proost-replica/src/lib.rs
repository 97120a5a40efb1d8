#![forbid(unsafe_code)]
//! Replica: encrypted Parquet copies of source tables, so questions are answered from a
//! local copy instead of the source.
//!
//! Every file is written with Parquet modular encryption (AES-256-GCM, encrypted footer, so
//! values, statistics and schema metadata are all ciphertext) under a key derived from the
//! connection's data key for that one file, with the file's identity as AAD prefix: a file
//! copied under another name or into another replica does not open.
//!
//! A sync writes new files beside the old ones (`<id>.parquet.tmp`, fsync, rename); it never
//! touches a published file. The caller publishes a version by committing its file list to
//! the app database — that commit is the swap. A crash at any point leaves the previous
//! version serving; [`ReplicaStore::collect_garbage`] removes what no version references.
//! Versions share files (an incremental sync adds a file and keeps the old ones), so keeping
//! the last N versions for rollback costs only the files they don't share.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{DataType, Date32Type, Int16Type, Int32Type, Int64Type, SchemaRef};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::encryption::decrypt::FileDecryptionProperties;
use parquet::encryption::encrypt::FileEncryptionProperties;
use parquet::file::properties::WriterProperties;
use proost_connect::{CursorValue, Limits, Source, TableRead};
use proost_keys::DataKey;
use serde::{Deserialize, Serialize};

/// Rows per Parquet row group: bounds the writer's buffer (one row group is held encoded
/// in memory per partition) while keeping groups large enough to scan fast.
const ROW_GROUP_ROWS: usize = 256 * 1024;
/// Batches in flight per partition between the source reader and the file writer.
const CHANNEL_BATCHES: usize = 4;
pub const FILE_SUFFIX: &str = ".parquet";
const STAGING_SUFFIX: &str = ".parquet.tmp";

#[derive(Debug, thiserror::Error)]
pub enum ReplicaError {
    #[error(transparent)]
    Source(#[from] proost_connect::ConnectError),
    #[error("writing the replica failed: {0}")]
    Write(String),
    #[error("replica file i/o failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("the sync was cancelled")]
    Cancelled,
}

impl ReplicaError {
    pub fn code(&self) -> &'static str {
        match self {
            ReplicaError::Source(e) => e.code(),
            ReplicaError::Write(_) | ReplicaError::Io(_) => "replica_write_failed",
            ReplicaError::Cancelled => "sync_cancelled",
        }
    }
}

impl From<parquet::errors::ParquetError> for ReplicaError {
    fn from(e: parquet::errors::ParquetError) -> Self {
        ReplicaError::Write(e.to_string())
    }
}

/// Stops the process on the spot when `PROOST_FAILPOINT` names this point: the crash tests
/// use it to die exactly there, as `kill -9` would.
pub fn failpoint(name: &str) {
    if std::env::var("PROOST_FAILPOINT").as_deref() == Ok(name) {
        std::process::abort();
    }
}

/// One published file of a replica version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReplicaFile {
    /// File name inside the replica's directory (`<uuid>.parquet`); part of its key and AAD.
    pub name: String,
    pub rows: u64,
    pub bytes: u64,
}

/// What a sync wrote: the new files, and the cursor to continue from next time.
#[derive(Debug, Clone)]
pub struct Written {
    pub files: Vec<ReplicaFile>,
    pub rows: u64,
    pub bytes: u64,
    pub max_cursor: Option<CursorValue>,
}

/// Live counters of a running sync, for progress bars and the API.
#[derive(Debug, Default)]
pub struct Progress {
    pub rows: AtomicU64,
    pub bytes: AtomicU64,
}

impl Progress {
    pub fn rows(&self) -> u64 {
        self.rows.load(Ordering::Relaxed)
    }
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
}

/// One sync's read: where it goes, what it reads, with which key.
pub struct WriteJob<'a> {
    pub id: &'a ReplicaId,
    pub source: Arc<dyn Source>,
    pub read: TableRead,
    pub dek: &'a DataKey,
    /// Parallel partitions (files) when `read.partition_on` is set.
    pub partitions: usize,
    pub limits: &'a Limits,
    pub progress: Arc<Progress>,
}

/// A value of a key column, for merging updated rows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum KeyValue {
    Int(i64),
    Text(String),
}

/// The key values of one column of a batch (nulls have no key and are skipped).
fn key_values(col: &ArrayRef) -> Result<Vec<Option<KeyValue>>, ReplicaError> {
    let ints = |v: Vec<Option<i64>>| v.into_iter().map(|k| k.map(KeyValue::Int)).collect();
    Ok(match col.data_type() {
        DataType::Int16 => ints(
            col.as_primitive::<Int16Type>()
                .iter()
                .map(|v| v.map(i64::from))
                .collect(),
        ),
        DataType::Int32 => ints(
            col.as_primitive::<Int32Type>()
                .iter()
                .map(|v| v.map(i64::from))
                .collect(),
        ),
        DataType::Int64 => ints(col.as_primitive::<Int64Type>().iter().collect()),
        DataType::Utf8 => col
            .as_string::<i32>()
            .iter()
            .map(|v| v.map(|s| KeyValue::Text(s.to_string())))
            .collect(),
        other => {
            return Err(ReplicaError::Write(format!(
                "a key column must be an integer or text column, not {other}"
            )));
        }
    })
}

/// Whether a column can key the merge of updated rows.
pub fn key_type_supported(ty: &DataType) -> bool {
    matches!(
        ty,
        DataType::Int16 | DataType::Int32 | DataType::Int64 | DataType::Utf8
    )
}

/// Where replica files live: `<root>/<connection id>/<replica id>/<file>`.
#[derive(Debug, Clone)]
pub struct ReplicaStore {
    root: PathBuf,
}

/// Identifies a replica's files for keys and AAD.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReplicaId {
    pub connection: String,
    pub replica: String,
}

impl ReplicaId {
    fn purpose(&self, file: &str) -> String {
        format!("replica-file:{}:{}:{}", self.connection, self.replica, file)
    }

    /// The AES-256 key of one file, derived from the connection's data key (never stored).
    fn file_key(&self, dek: &DataKey, file: &str) -> zeroize::Zeroizing<Vec<u8>> {
        dek.derive_bytes(&self.purpose(file))
    }

    fn aad_prefix(&self, file: &str) -> Vec<u8> {
        format!("proost:{}", self.purpose(file)).into_bytes()
    }

    /// Parquet decryption properties for one file of this replica.
    pub fn decryption(
        &self,
        dek: &DataKey,
        file: &str,
    ) -> Result<Arc<FileDecryptionProperties>, ReplicaError> {
        Ok(
            FileDecryptionProperties::builder(self.file_key(dek, file).to_vec())
                .with_aad_prefix(self.aad_prefix(file))
                .build()?,
        )
    }

    fn encryption(
        &self,
        dek: &DataKey,
        file: &str,
    ) -> Result<Arc<FileEncryptionProperties>, ReplicaError> {
        Ok(
            FileEncryptionProperties::builder(self.file_key(dek, file).to_vec())
                .with_aad_prefix(self.aad_prefix(file))
                // The reader derives the prefix from the file's identity; storing it would
                // let a renamed file vouch for itself.
                .with_aad_prefix_storage(false)
                .build()?,
        )
    }
}

impl ReplicaStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ReplicaStore { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn dir(&self, id: &ReplicaId) -> PathBuf {
        self.root.join(&id.connection).join(&id.replica)
    }

    pub fn file_path(&self, id: &ReplicaId, file: &str) -> PathBuf {
        self.dir(id).join(file)
    }

    /// Writes a new set of files from one snapshot read of the source. Nothing is
    /// published: on success the files exist under their final names, and the caller
    /// commits them as a version; on error they are removed again.
    pub async fn write(&self, job: WriteJob<'_>) -> Result<Written, ReplicaError> {
        let WriteJob {
            id,
            source,
            read,
            dek,
            partitions,
            limits,
            progress,
        } = job;
        let dir = self.dir(id);
        create_private_dir(&dir)?;
        let partitions = if read.partition_on.is_some() {
            partitions.max(1)
        } else {
            1
        };
        let cursor_index = match &read.cursor {
            Some((column, _)) => read.arrow_schema.index_of(column).ok(),
            None => None,
        };
        let mut senders = Vec::with_capacity(partitions);
        let mut writers = Vec::with_capacity(partitions);
        for _ in 0..partitions {
            let (tx, rx) = tokio::sync::mpsc::channel::<RecordBatch>(CHANNEL_BATCHES);
            senders.push(tx);
            let name = format!("{}{FILE_SUFFIX}", uuid::Uuid::new_v4());
            let file = FileWriter {
                staging: dir.join(format!(
                    "{}{STAGING_SUFFIX}",
                    name.trim_end_matches(FILE_SUFFIX)
                )),
                path: dir.join(&name),
                encryption: id.encryption(dek, &name)?,
                name,
                schema: read.arrow_schema.clone(),
                cursor_index,
                progress: progress.clone(),
                cancel: limits.cancel.clone(),
            };
            writers.push(tokio::task::spawn_blocking(move || file.run(rx)));
        }
        let read_result = source.read_table(&read, limits, senders).await;
        let mut files = Vec::new();
        let mut max_cursor: Option<CursorValue> = None;
        let mut failure: Option<ReplicaError> = read_result.err().map(ReplicaError::from);
        for w in writers {
            match w.await {
                Ok(Ok(Some((file, cursor)))) => {
                    max_cursor = max_of(max_cursor, cursor);
                    files.push(file);
                }
                Ok(Ok(None)) => {}
                Ok(Err(e)) => {
                    failure.get_or_insert(e);
                }
                Err(e) => {
                    failure.get_or_insert(ReplicaError::Write(e.to_string()));
                }
            }
        }
        if let Some(e) = failure {
            for f in &files {
                let _ = std::fs::remove_file(dir.join(&f.name));
            }
            return Err(e);
        }
        let rows = files.iter().map(|f| f.rows).sum();
        let bytes = files.iter().map(|f| f.bytes).sum();
        sync_dir(&dir);
        Ok(Written {
            files,
            rows,
            bytes,
            max_cursor,
        })
    }

    /// Writes one file holding no rows, so a version of an empty table still has a schema.
    pub fn write_empty(
        &self,
        id: &ReplicaId,
        schema: SchemaRef,
        dek: &DataKey,
    ) -> Result<ReplicaFile, ReplicaError> {
        self.write_batches(id, schema, dek, &[])
    }

    fn reader(
        &self,
        id: &ReplicaId,
        dek: &DataKey,
        file: &str,
    ) -> Result<
        parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder<std::fs::File>,
        ReplicaError,
    > {
        let f = std::fs::File::open(self.file_path(id, file))?;
        let options = parquet::arrow::arrow_reader::ArrowReaderOptions::new()
            .with_file_decryption_properties(id.decryption(dek, file)?);
        Ok(
            parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new_with_options(
                f, options,
            )?,
        )
    }

    /// The key values in `files` (the rows a sync just wrote).
    pub fn keys(
        &self,
        id: &ReplicaId,
        dek: &DataKey,
        files: &[ReplicaFile],
        column: &str,
    ) -> Result<HashSet<KeyValue>, ReplicaError> {
        let mut keys = HashSet::new();
        for f in files {
            for batch in self.reader(id, dek, &f.name)?.build()? {
                let batch = batch.map_err(|e| ReplicaError::Write(e.to_string()))?;
                let i = batch
                    .schema()
                    .index_of(column)
                    .map_err(|e| ReplicaError::Write(e.to_string()))?;
                keys.extend(key_values(batch.column(i))?.into_iter().flatten());
            }
        }
        Ok(keys)
    }

    /// Merges updated rows: every file holding a row whose key is in `keys` is rewritten
    /// without those rows (as a new file, streamed batch by batch); files without any are
    /// kept as they are. Returns the resulting file list. Published files never change.
    pub fn without_keys(
        &self,
        id: &ReplicaId,
        dek: &DataKey,
        files: &[ReplicaFile],
        column: &str,
        keys: &HashSet<KeyValue>,
    ) -> Result<Vec<ReplicaFile>, ReplicaError> {
        Ok(self
            .without_matching(id, dek, files, column, &|k| keys.contains(k))?
            .0)
    }

    /// Like [`without_keys`](Self::without_keys), for any test on the column's values (an
    /// erasure's subject, compared as people write it). Also returns how many rows went.
    pub fn without_matching(
        &self,
        id: &ReplicaId,
        dek: &DataKey,
        files: &[ReplicaFile],
        column: &str,
        matches: &dyn Fn(&KeyValue) -> bool,
    ) -> Result<(Vec<ReplicaFile>, u64), ReplicaError> {
        let mut out = Vec::with_capacity(files.len());
        let mut removed = 0u64;
        for f in files {
            // First only the key column: most files of a large table hold no matching row.
            let builder = self.reader(id, dek, &f.name)?;
            let i = builder
                .schema()
                .index_of(column)
                .map_err(|e| ReplicaError::Write(e.to_string()))?;
            let mask = parquet::arrow::ProjectionMask::roots(builder.parquet_schema(), [i]);
            let mut hit = false;
            for batch in builder.with_projection(mask).build()? {
                let batch = batch.map_err(|e| ReplicaError::Write(e.to_string()))?;
                if key_values(batch.column(0))?
                    .iter()
                    .any(|k| k.as_ref().is_some_and(matches))
                {
                    hit = true;
                    break;
                }
            }
            if !hit {
                out.push(f.clone());
                continue;
            }
            let builder = self.reader(id, dek, &f.name)?;
            let schema = builder.schema().clone();
            let mut w = self.file_writer(id, schema, dek)?;
            for batch in builder.build()? {
                let batch = batch.map_err(|e| ReplicaError::Write(e.to_string()))?;
                let keep: arrow::array::BooleanArray = key_values(batch.column(i))?
                    .iter()
                    .map(|k| Some(!k.as_ref().is_some_and(matches)))
                    .collect();
                removed += keep.false_count() as u64;
                w.write(
                    &arrow::compute::filter_record_batch(&batch, &keep)
                        .map_err(|e| ReplicaError::Write(e.to_string()))?,
                )?;
            }
            let file = w.finish()?;
            if file.rows > 0 {
                out.push(file);
            } else {
                let _ = std::fs::remove_file(self.file_path(id, &file.name));
            }
        }
        Ok((out, removed))
    }

    fn file_writer(
        &self,
        id: &ReplicaId,
        schema: SchemaRef,
        dek: &DataKey,
    ) -> Result<StagedFile, ReplicaError> {
        let dir = self.dir(id);
        create_private_dir(&dir)?;
        let name = format!("{}{FILE_SUFFIX}", uuid::Uuid::new_v4());
        let staging = dir.join(format!("{name}.tmp"));
        let file = std::fs::File::create(&staging)?;
        let writer =
            ArrowWriter::try_new(file, schema, Some(properties(id.encryption(dek, &name)?)))?;
        Ok(StagedFile {
            path: dir.join(&name),
            dir,
            name,
            staging,
            writer,
            rows: 0,
        })
    }

    /// Writes batches already in memory as one new file.
    fn write_batches(
        &self,
        id: &ReplicaId,
        schema: SchemaRef,
        dek: &DataKey,
        batches: &[RecordBatch],
    ) -> Result<ReplicaFile, ReplicaError> {
        let mut w = self.file_writer(id, schema, dek)?;
        for b in batches {
            w.write(b)?;
        }
        w.finish()
    }

    /// Removes a replica's files that no kept version references, and staging files a crash
    /// left behind. Returns the removed paths.
    pub fn collect_garbage(
        &self,
        id: &ReplicaId,
        keep: &HashSet<String>,
    ) -> Result<Vec<PathBuf>, ReplicaError> {
        let dir = self.dir(id);
        let mut removed = Vec::new();
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(removed),
            Err(e) => return Err(e.into()),
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !keep.contains(&name) {
                std::fs::remove_file(entry.path())?;
                removed.push(entry.path());
            }
        }
        Ok(removed)
    }

    /// Removes every file of a connection's replicas; returns what was removed.
    pub fn remove_connection(&self, connection: &str) -> Result<Vec<PathBuf>, ReplicaError> {
        remove_tree(&self.root.join(connection))
    }

    /// Removes every file of one replica; returns what was removed.
    pub fn remove_replica(&self, id: &ReplicaId) -> Result<Vec<PathBuf>, ReplicaError> {
        remove_tree(&self.dir(id))
    }

    /// Connection directories present on disk (for recovery of deletions a crash cut short).
    pub fn connections_on_disk(&self) -> Vec<String> {
        list_dirs(&self.root)
    }

    /// Replica directories of a connection present on disk.
    pub fn replicas_on_disk(&self, connection: &str) -> Vec<String> {
        list_dirs(&self.root.join(connection))
    }
}

/// A file being written under a staging name; `finish` makes it durable and renames it.
struct StagedFile {
    dir: PathBuf,
    name: String,
    staging: PathBuf,
    path: PathBuf,
    writer: ArrowWriter<std::fs::File>,
    rows: u64,
}

impl StagedFile {
    fn write(&mut self, batch: &RecordBatch) -> Result<(), ReplicaError> {
        self.rows += batch.num_rows() as u64;
        Ok(self.writer.write(batch)?)
    }

    fn finish(self) -> Result<ReplicaFile, ReplicaError> {
        let file = self.writer.into_inner()?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&self.staging, &self.path)?;
        sync_dir(&self.dir);
        Ok(ReplicaFile {
            bytes: std::fs::metadata(&self.path)?.len(),
            name: self.name,
            rows: self.rows,
        })
    }
}

fn list_dirs(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

fn remove_tree(dir: &Path) -> Result<Vec<PathBuf>, ReplicaError> {
    let mut removed = Vec::new();
    if !dir.exists() {
        return Ok(removed);
    }
    collect_files(dir, &mut removed)?;
    std::fs::remove_dir_all(dir)?;
    if let Some(parent) = dir.parent() {
        sync_dir(parent);
    }
    Ok(removed)
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            collect_files(&entry.path(), out)?;
        } else {
            out.push(entry.path());
        }
    }
    Ok(())
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Makes renames in `dir` durable.
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

fn properties(encryption: Arc<FileEncryptionProperties>) -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .with_file_encryption_properties(encryption)
        .build()
}

/// Writes one partition's batches into one encrypted file.
struct FileWriter {
    name: String,
    staging: PathBuf,
    path: PathBuf,
    encryption: Arc<FileEncryptionProperties>,
    schema: SchemaRef,
    cursor_index: Option<usize>,
    progress: Arc<Progress>,
    cancel: proost_connect::CancelFlag,
}

impl FileWriter {
    fn run(
        self,
        mut rx: tokio::sync::mpsc::Receiver<RecordBatch>,
    ) -> Result<Option<(ReplicaFile, Option<CursorValue>)>, ReplicaError> {
        let result = self.write_all(&mut rx);
        if result.is_err() {
            // Stop the reader too: a closed channel ends its loop.
            rx.close();
            let _ = std::fs::remove_file(&self.staging);
        }
        result
    }

    fn write_all(
        &self,
        rx: &mut tokio::sync::mpsc::Receiver<RecordBatch>,
    ) -> Result<Option<(ReplicaFile, Option<CursorValue>)>, ReplicaError> {
        let file = std::fs::File::create(&self.staging)?;
        let mut writer = ArrowWriter::try_new(
            file,
            self.schema.clone(),
            Some(properties(self.encryption.clone())),
        )?;
        let mut rows = 0u64;
        let mut cursor = None;
        let mut written_before = 0u64;
        while let Some(batch) = rx.blocking_recv() {
            if self.cancel.is_cancelled() {
                return Err(ReplicaError::Cancelled);
            }
            if batch.schema().fields() != self.schema.fields() {
                return Err(ReplicaError::Write(
                    "the source returned batches of another shape than the table".into(),
                ));
            }
            if let Some(i) = self.cursor_index {
                cursor = max_of(cursor, column_max(batch.column(i)));
            }
            writer.write(&batch)?;
            rows += batch.num_rows() as u64;
            self.progress
                .rows
                .fetch_add(batch.num_rows() as u64, Ordering::Relaxed);
            let written = writer.bytes_written() as u64;
            self.progress
                .bytes
                .fetch_add(written.saturating_sub(written_before), Ordering::Relaxed);
            written_before = written;
            failpoint("sync_mid_write");
        }
        if rows == 0 {
            drop(writer);
            let _ = std::fs::remove_file(&self.staging);
            return Ok(None);
        }
        let file = writer.into_inner()?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&self.staging, &self.path)?;
        let bytes = std::fs::metadata(&self.path)?.len();
        Ok(Some((
            ReplicaFile {
                name: self.name.clone(),
                rows,
                bytes,
            },
            cursor,
        )))
    }
}

/// The larger of two cursor values of the same column.
fn max_of(a: Option<CursorValue>, b: Option<CursorValue>) -> Option<CursorValue> {
    match (a, b) {
        (None, b) => b,
        (a, None) => a,
        (Some(a), Some(b)) => Some(match (&a, &b) {
            (CursorValue::Int(x), CursorValue::Int(y)) if y > x => b,
            (CursorValue::Timestamp(x), CursorValue::Timestamp(y)) if y > x => b,
            (CursorValue::Date(x), CursorValue::Date(y)) if y > x => b,
            (CursorValue::Text(x), CursorValue::Text(y)) if y > x => b,
            _ => a,
        }),
    }
}

/// The largest value of a cursor column in one batch.
fn column_max(col: &ArrayRef) -> Option<CursorValue> {
    use arrow::compute::kernels::aggregate::{max, max_string};
    match col.data_type() {
        DataType::Int16 => max(col.as_primitive::<Int16Type>()).map(|v| CursorValue::Int(v.into())),
        DataType::Int32 => max(col.as_primitive::<Int32Type>()).map(|v| CursorValue::Int(v.into())),
        DataType::Int64 => max(col.as_primitive::<Int64Type>()).map(CursorValue::Int),
        DataType::Date32 => max(col.as_primitive::<Date32Type>()).map(CursorValue::Date),
        DataType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, _) => {
            max(col.as_primitive::<arrow::datatypes::TimestampMicrosecondType>())
                .map(CursorValue::Timestamp)
        }
        DataType::Utf8 => {
            max_string(col.as_string::<i32>()).map(|s| CursorValue::Text(s.to_string()))
        }
        _ if col.is_empty() => None,
        _ => None,
    }
}

/// Whether a column can serve as an incremental cursor (ordered, comparable in SQL).
pub fn cursor_type_supported(ty: &DataType) -> bool {
    matches!(
        ty,
        DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::Date32
            | DataType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, _)
            | DataType::Utf8
    )
}

/// Whether a column can split a table into ranges for parallel reads.
pub fn partition_type_supported(ty: &DataType) -> bool {
    matches!(ty, DataType::Int16 | DataType::Int32 | DataType::Int64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_max_keeps_the_larger_value() {
        let a = Some(CursorValue::Int(3));
        let b = Some(CursorValue::Int(7));
        assert_eq!(max_of(a.clone(), b.clone()), b);
        assert_eq!(max_of(b.clone(), a), b);
        let col: ArrayRef = Arc::new(arrow::array::Int64Array::from(vec![Some(4), None, Some(9)]));
        assert_eq!(column_max(&col), Some(CursorValue::Int(9)));
    }
}
