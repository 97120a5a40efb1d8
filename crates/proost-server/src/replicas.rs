//! Replicas as the server runs them: definitions in the app database, files under
//! `<data dir>/replicas`, an in-memory view of what each table serves from, syncs (on
//! demand, scheduled, from the CLI) and the bookkeeping that keeps a crash harmless.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use chrono::{DateTime, Utc};
use proost_connect::{ConnectionKind, CursorValue, Limits, TableInfo, TableRead};
use proost_query::ReplicaSnapshot;
use proost_replica::{Progress, ReplicaFile, ReplicaId, ReplicaStore};
use proost_store::{ConnectionRecord, ReplicaRecord, ReplicaVersionRecord, Store};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::connections::Connections;
use crate::error::{ApiError, ApiResult};

/// Whole-table reads may take long; the query timeout does not apply.
const SYNC_TIMEOUT: Duration = Duration::from_secs(6 * 3600);
const BATCH_ROWS: usize = 64 * 1024;

/// What `POST /connections/{id}/replicas` takes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewReplica {
    pub table: String,
    pub mode: String,
    pub cursor_column: Option<String>,
    /// Incremental: rows read again with a key already in the replica replace the old
    /// copy (use with an `updated_at` cursor). Without it, incremental only appends.
    pub key_column: Option<String>,
    pub schedule: Option<String>,
    pub max_staleness: Option<String>,
    pub keep_versions: Option<i64>,
}

/// One column of a published version, enough to rebuild its Arrow schema.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredColumn {
    name: String,
    #[serde(rename = "type")]
    data_type: String,
}

/// A replica as queries see it: the version to read and how fresh it is.
#[derive(Debug, Clone)]
pub struct Serving {
    pub snapshot: ReplicaSnapshot,
    pub synced_at: DateTime<Utc>,
    pub max_staleness: Option<Duration>,
}

impl Serving {
    fn fresh(&self) -> bool {
        match self.max_staleness {
            None => true,
            Some(max) => (Utc::now() - self.synced_at)
                .to_std()
                .map(|age| age <= max)
                .unwrap_or(true),
        }
    }
}

/// The result of syncing one table.
#[derive(Debug, Clone, Serialize)]
pub struct SyncResult {
    pub replica_id: String,
    pub table: String,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    pub rows_read: u64,
    pub rows: i64,
    pub bytes: i64,
    pub seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
    /// The table's columns differ from the previous version's: its columns are classified
    /// again (see `scan::after_sync`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub schema_changed: bool,
}

/// (schema, table) → what serves it, for one connection.
type TablesServing = HashMap<(String, String), Serving>;

/// Called when a replica's sync starts, with the counters it will update.
pub type OnSyncStart<'a> = &'a (dyn Fn(&ReplicaRecord, Arc<Progress>) + Sync);

pub struct Replicas {
    store: Store,
    files: ReplicaStore,
    /// connection id → (schema, table) → what serves it.
    serving: RwLock<HashMap<String, TablesServing>>,
    /// One sync per replica at a time; a second request waits for the first.
    running: tokio::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Bumped whenever the set of replicas changes; memoized plans from before are void.
    epoch: std::sync::atomic::AtomicU64,
    /// Cached results read from a replica are dropped here, wherever its served version
    /// changes (publish, rollback, delete), so no caller has to remember to.
    cache: Arc<proost_cache::ResultCache>,
    partitions: usize,
}

pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = text.split_at(split);
    let n: u64 = n.parse().ok()?;
    let secs = match unit.trim() {
        "s" => n,
        "m" | "min" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        "d" => n.checked_mul(86400)?,
        _ => return None,
    };
    (secs > 0).then(|| Duration::from_secs(secs))
}

fn schema_of(columns: &[StoredColumn]) -> Result<SchemaRef, String> {
    let fields = columns
        .iter()
        .map(|c| {
            c.data_type
                .parse::<DataType>()
                .map(|t| Field::new(&c.name, t, true))
                .map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Arc::new(Schema::new(fields)))
}

fn stored_columns(schema: &SchemaRef) -> Vec<StoredColumn> {
    schema
        .fields()
        .iter()
        .map(|f| StoredColumn {
            name: f.name().clone(),
            data_type: f.data_type().to_string(),
        })
        .collect()
}

fn cursor_purpose(replica_id: &str) -> String {
    format!("replica:{replica_id}:cursor")
}

/// Picks a column to split reads on: an integer key column (`id`, `*_id`, `*key`).
fn partition_column(table: &TableInfo) -> Option<String> {
    table
        .columns
        .iter()
        .find(|c| {
            let n = c.name.to_ascii_lowercase();
            c.arrow_type
                .as_ref()
                .is_some_and(proost_replica::partition_type_supported)
                && (n == "id" || n.ends_with("_id") || n.ends_with("key"))
        })
        .map(|c| c.name.clone())
}

impl Replicas {
    pub fn new(
        store: Store,
        files: ReplicaStore,
        partitions: usize,
        cache: Arc<proost_cache::ResultCache>,
    ) -> Self {
        Replicas {
            cache,
            store,
            files,
            serving: RwLock::new(HashMap::new()),
            running: tokio::sync::Mutex::new(HashMap::new()),
            epoch: std::sync::atomic::AtomicU64::new(1),
            partitions: partitions.max(1),
        }
    }

    pub fn files(&self) -> &ReplicaStore {
        &self.files
    }

    pub fn epoch(&self) -> u64 {
        self.epoch.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn bump(&self) {
        self.epoch.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// Loads what serves from the app database and removes files a crash left behind:
    /// staging files, files of versions never published, and directories of replicas or
    /// connections that no longer exist.
    pub async fn recover(&self, connections: &Connections) -> ApiResult<Vec<String>> {
        let records = self.store.replicas(None).await?;
        let known_connections: HashSet<String> = self
            .store
            .connections()
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        let mut removed = Vec::new();
        for conn in self.files.connections_on_disk() {
            if !known_connections.contains(&conn) {
                removed.extend(self.files.remove_connection(&conn)?);
                continue;
            }
            let replica_ids: HashSet<&str> = records
                .iter()
                .filter(|r| r.connection_id == conn)
                .map(|r| r.id.as_str())
                .collect();
            for replica in self.files.replicas_on_disk(&conn) {
                if !replica_ids.contains(replica.as_str()) {
                    removed.extend(self.files.remove_replica(&ReplicaId {
                        connection: conn.clone(),
                        replica,
                    })?);
                }
            }
        }
        for r in &records {
            let versions = self.store.replica_versions(&r.id).await?;
            removed.extend(self.collect_garbage(r, &versions)?);
            self.load_serving(r, connections).await?;
        }
        Ok(removed
            .into_iter()
            .map(|p| p.display().to_string())
            .collect())
    }

    fn collect_garbage(
        &self,
        r: &ReplicaRecord,
        versions: &[ReplicaVersionRecord],
    ) -> ApiResult<Vec<std::path::PathBuf>> {
        let mut keep = HashSet::new();
        for v in versions {
            let files: Vec<ReplicaFile> =
                serde_json::from_str(&v.files).map_err(ApiError::internal)?;
            keep.extend(files.into_iter().map(|f| f.name));
        }
        Ok(self.files.collect_garbage(&id_of(r), &keep)?)
    }

    /// Refreshes the in-memory view of one replica from the app database.
    async fn load_serving(&self, r: &ReplicaRecord, connections: &Connections) -> ApiResult<()> {
        let current = self.store.current_version(r).await?;
        let serving = match current {
            Some(v) => {
                let columns: Vec<StoredColumn> =
                    serde_json::from_str(&v.columns).map_err(ApiError::internal)?;
                let files: Vec<ReplicaFile> =
                    serde_json::from_str(&v.files).map_err(ApiError::internal)?;
                let schema = schema_of(&columns).map_err(ApiError::internal)?;
                let synced_at = r
                    .last_sync_at
                    .as_deref()
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| t.with_timezone(&Utc))
                    .unwrap_or_else(Utc::now);
                // The engine needs the connection's key to read its files.
                connections.register_replica_key(&r.connection_id).await?;
                Some(Serving {
                    snapshot: ReplicaSnapshot {
                        id: id_of(r),
                        version: v.version as u64,
                        files,
                        schema,
                    },
                    synced_at,
                    max_staleness: r.max_staleness_s.map(|s| Duration::from_secs(s as u64)),
                })
            }
            None => None,
        };
        if let Ok(mut map) = self.serving.write() {
            let tables = map.entry(r.connection_id.clone()).or_default();
            let key = (r.schema_name.clone(), r.table_name.clone());
            match serving {
                Some(s) => tables.insert(key, s),
                None => tables.remove(&key),
            };
        }
        self.bump();
        Ok(())
    }

    /// The replicas of a connection fresh enough to answer queries.
    pub fn fresh_for(&self, connection_id: &str) -> HashMap<(String, String), ReplicaSnapshot> {
        let Ok(map) = self.serving.read() else {
            return HashMap::new();
        };
        map.get(connection_id)
            .map(|tables| {
                tables
                    .iter()
                    .filter(|(_, s)| s.fresh())
                    .map(|(k, s)| (k.clone(), s.snapshot.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The version a replica serves now (`None`: none, or too stale to serve).
    pub fn serving_version(&self, connection_id: &str, replica_id: &str) -> Option<u64> {
        let map = self.serving.read().ok()?;
        map.get(connection_id)?
            .values()
            .find(|s| s.snapshot.id.replica == replica_id && s.fresh())
            .map(|s| s.snapshot.version)
    }

    pub async fn create(
        &self,
        conn: &ConnectionRecord,
        connections: &Connections,
        body: NewReplica,
        created_by: &str,
    ) -> ApiResult<ReplicaRecord> {
        let (schema_name, table_name) = body.table.split_once('.').ok_or_else(|| {
            ApiError::bad_request(
                "replica_table_invalid",
                "name the table as schema.table (SQLite: main.table)",
            )
        })?;
        let schemas = connections.schemas(conn).await?;
        let table = schemas
            .iter()
            .find(|s| s.name == schema_name)
            .and_then(|s| s.tables.iter().find(|t| t.name == table_name))
            .ok_or_else(|| {
                ApiError::from_code(
                    "table_not_found",
                    format!("the connection has no table `{}`", body.table),
                )
            })?;
        let mode = body.mode.as_str();
        if !matches!(mode, "full" | "incremental") {
            return Err(ApiError::bad_request(
                "replica_mode_invalid",
                "mode is `full` or `incremental`",
            ));
        }
        match (mode, &body.cursor_column) {
            ("incremental", None) => {
                return Err(ApiError::bad_request(
                    "cursor_column_required",
                    "an incremental replica needs a cursor_column that grows with new rows (an id or updated_at)",
                ));
            }
            ("full", Some(_)) => {
                return Err(ApiError::bad_request(
                    "cursor_column_not_allowed",
                    "a full replica reads the whole table; cursor_column is for mode `incremental`",
                ));
            }
            (_, Some(c)) => {
                let column = table
                    .columns
                    .iter()
                    .find(|col| &col.name == c)
                    .ok_or_else(|| {
                        ApiError::bad_request(
                            "cursor_column_invalid",
                            format!("the table has no column `{c}`"),
                        )
                    })?;
                let ty = column.arrow_type.clone().unwrap_or(DataType::Utf8);
                if column.read_as_text || !proost_replica::cursor_type_supported(&ty) {
                    return Err(ApiError::bad_request(
                        "cursor_column_invalid",
                        format!(
                            "`{c}` ({}) cannot be a cursor: use an integer, date, timestamp or text column that grows with new rows",
                            column.source_type
                        ),
                    ));
                }
            }
            _ => {}
        }
        if let Some(k) = &body.key_column {
            if mode != "incremental" {
                return Err(ApiError::bad_request(
                    "key_column_not_allowed",
                    "key_column merges updated rows of an incremental replica; a full replica is re-read whole",
                ));
            }
            let column = table
                .columns
                .iter()
                .find(|col| &col.name == k)
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "key_column_invalid",
                        format!("the table has no column `{k}`"),
                    )
                })?;
            let ty = column.arrow_type.clone().unwrap_or(DataType::Utf8);
            if !proost_replica::key_type_supported(&ty) {
                return Err(ApiError::bad_request(
                    "key_column_invalid",
                    format!(
                        "`{k}` ({}) cannot key rows: use an integer or text column",
                        column.source_type
                    ),
                ));
            }
        }
        if let Some(s) = &body.schedule {
            parse_duration(s).ok_or_else(|| {
                ApiError::bad_request(
                    "schedule_invalid",
                    "schedule is an interval such as `30s`, `15m`, `1h` or `1d`",
                )
            })?;
        }
        let max_staleness = match &body.max_staleness {
            Some(s) => Some(parse_duration(s).ok_or_else(|| {
                ApiError::bad_request(
                    "max_staleness_invalid",
                    "max_staleness is an interval such as `15m`, `1h` or `1d`",
                )
            })?),
            None => None,
        };
        let keep = body.keep_versions.unwrap_or(3);
        if !(1..=100).contains(&keep) {
            return Err(ApiError::bad_request(
                "keep_versions_invalid",
                "keep_versions is between 1 and 100",
            ));
        }
        let record = ReplicaRecord {
            id: uuid::Uuid::new_v4().to_string(),
            connection_id: conn.id.clone(),
            schema_name: schema_name.to_string(),
            table_name: table_name.to_string(),
            mode: mode.to_string(),
            cursor_column: body.cursor_column,
            key_column: body.key_column,
            schedule: body.schedule,
            max_staleness_s: max_staleness.map(|d| d.as_secs() as i64),
            keep_versions: keep,
            current_version: None,
            last_sync_at: None,
            last_attempt_at: None,
            last_error: None,
            last_duration_ms: None,
            created_at: proost_store::timestamp_now(),
            created_by: Some(created_by.to_string()),
        };
        self.store.insert_replica(&record).await?;
        self.bump();
        Ok(record)
    }

    pub async fn json(&self, r: &ReplicaRecord) -> ApiResult<Value> {
        let versions = self.store.replica_versions(&r.id).await?;
        let current = versions
            .iter()
            .find(|v| Some(v.version) == r.current_version);
        let serving = self.serving_version(&r.connection_id, &r.id);
        Ok(json!({
            "id": r.id,
            "table": r.qualified(),
            "mode": r.mode,
            "cursor_column": r.cursor_column,
            "key_column": r.key_column,
            "schedule": r.schedule,
            "max_staleness_s": r.max_staleness_s,
            "keep_versions": r.keep_versions,
            "state": if r.last_error.is_some() && r.last_attempt_at > r.last_sync_at { "failed" }
                     else if r.current_version.is_none() { "pending" }
                     else if serving.is_none() { "stale" } else { "ready" },
            "version": r.current_version,
            "rows": current.map(|v| v.rows),
            "bytes": current.map(|v| v.bytes),
            "last_sync": r.last_sync_at,
            "last_attempt": r.last_attempt_at,
            "last_duration_ms": r.last_duration_ms,
            "last_error": r.last_error,
            "versions": versions.iter().map(|v| json!({
                "version": v.version, "rows": v.rows, "bytes": v.bytes, "created_at": v.created_at,
                "files": serde_json::from_str::<Vec<ReplicaFile>>(&v.files).map(|f| f.len()).unwrap_or(0),
            })).collect::<Vec<_>>(),
            "created_at": r.created_at,
        }))
    }

    /// Serves a kept older version again until the next sync publishes a new one.
    pub async fn rollback(
        &self,
        r: &ReplicaRecord,
        version: i64,
        connections: &Connections,
    ) -> ApiResult<()> {
        let lock = self.lock_for(&r.id).await;
        let _held = lock.lock().await;
        if !self.store.set_current_version(&r.id, version).await? {
            return Err(ApiError::bad_request(
                "version_not_kept",
                format!("version {version} is not among the kept versions of this replica"),
            ));
        }
        self.reload(r, connections).await?;
        self.invalidate(&r.id);
        Ok(())
    }

    /// Drops the cached results read from a replica; returns how many.
    fn invalidate(&self, replica_id: &str) -> usize {
        self.cache.invalidate(&format!("replica:{replica_id}"))
    }

    /// Deletes one replica: definition, versions and files. Returns the removed files and
    /// the number of cached results dropped.
    pub async fn delete(&self, r: &ReplicaRecord) -> ApiResult<(Vec<std::path::PathBuf>, usize)> {
        let lock = self.lock_for(&r.id).await;
        let _held = lock.lock().await;
        self.store.delete_replica(&r.id).await?;
        if let Ok(mut map) = self.serving.write()
            && let Some(tables) = map.get_mut(&r.connection_id)
        {
            tables.remove(&(r.schema_name.clone(), r.table_name.clone()));
        }
        self.bump();
        let files = self.files.remove_replica(&id_of(r))?;
        Ok((files, self.invalidate(&r.id)))
    }

    /// Forgets every replica of a connection (its rows go with the connection's).
    pub async fn forget_connection(
        &self,
        connection_id: &str,
    ) -> ApiResult<Vec<std::path::PathBuf>> {
        if let Ok(mut map) = self.serving.write() {
            map.remove(connection_id);
        }
        self.bump();
        Ok(self.files.remove_connection(connection_id)?)
    }

    async fn lock_for(&self, replica_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        self.running
            .lock()
            .await
            .entry(replica_id.to_string())
            .or_default()
            .clone()
    }

    /// Syncs every replica of a connection, one table after another.
    pub async fn sync_connection(
        &self,
        conn: &ConnectionRecord,
        connections: &Connections,
        progress: Option<OnSyncStart<'_>>,
    ) -> ApiResult<Vec<SyncResult>> {
        let mut results = Vec::new();
        for r in self.store.replicas(Some(&conn.id)).await? {
            let p = Arc::new(Progress::default());
            if let Some(f) = progress {
                f(&r, p.clone());
            }
            results.push(self.sync_one(conn, &r, connections, p).await);
        }
        Ok(results)
    }

    /// Syncs one replica; failures are recorded on the replica and returned, not raised.
    pub async fn sync_one(
        &self,
        conn: &ConnectionRecord,
        r: &ReplicaRecord,
        connections: &Connections,
        progress: Arc<Progress>,
    ) -> SyncResult {
        let started = Instant::now();
        let lock = self.lock_for(&r.id).await;
        let _held = lock.lock().await;
        let table = r.qualified();
        // Re-read: another sync may have published while we waited for the lock.
        let r = match self.store.replica(&r.id).await {
            Ok(Some(r)) => r,
            Ok(None) => {
                return SyncResult {
                    replica_id: r.id.clone(),
                    table,
                    status: "deleted",
                    version: None,
                    rows_read: 0,
                    rows: 0,
                    bytes: 0,
                    seconds: 0.0,
                    error: None,
                    schema_changed: false,
                };
            }
            Err(e) => return self.failed(r, table, started, e.into()).await,
        };
        let before = self
            .store
            .current_version(&r)
            .await
            .ok()
            .flatten()
            .map(|v| v.columns);
        match self
            .try_sync(conn, &r, connections, progress.clone(), started)
            .await
        {
            Ok((status, version)) => SyncResult {
                schema_changed: before.is_some_and(|b| b != version.columns),
                replica_id: r.id.clone(),
                table,
                status,
                version: Some(version.version),
                rows_read: progress.rows(),
                rows: version.rows,
                bytes: version.bytes,
                seconds: started.elapsed().as_secs_f64(),
                error: None,
            },
            Err(e) => self.failed(&r, table, started, e).await,
        }
    }

    async fn failed(
        &self,
        r: &ReplicaRecord,
        table: String,
        started: Instant,
        e: ApiError,
    ) -> SyncResult {
        tracing::warn!(replica = %r.id, code = e.code, "sync failed");
        let _ = self
            .store
            .record_sync_failure(&r.id, &format!("{}: {}", e.code, e.message))
            .await;
        SyncResult {
            replica_id: r.id.clone(),
            table,
            status: "failed",
            version: r.current_version,
            rows_read: 0,
            rows: 0,
            bytes: 0,
            seconds: started.elapsed().as_secs_f64(),
            error: Some(json!({"code": e.code, "message": e.message})),
            schema_changed: false,
        }
    }

    async fn try_sync(
        &self,
        conn: &ConnectionRecord,
        r: &ReplicaRecord,
        connections: &Connections,
        progress: Arc<Progress>,
        started: Instant,
    ) -> ApiResult<(&'static str, ReplicaVersionRecord)> {
        let source = connections.source(conn)?;
        // Fresh introspection: a changed table must be seen now, not a minute later.
        let schemas = source.introspect().await?;
        let table = schemas
            .iter()
            .find(|s| s.name == r.schema_name)
            .and_then(|s| s.tables.iter().find(|t| t.name == r.table_name))
            .cloned()
            .ok_or_else(|| {
                ApiError::from_code(
                    "table_not_found",
                    format!(
                        "the source no longer has `{}.{}`",
                        r.schema_name, r.table_name
                    ),
                )
            })?;
        let schema = proost_query::table_schema(&table);
        let columns = stored_columns(&schema);
        let dek = connections.data_key_of(conn)?;
        let previous = self.store.current_version(r).await?;
        // An incremental sync continues from the last cursor, over the same columns; if the
        // table's shape changed, it starts again from the beginning.
        let (mut kept_files, after): (Vec<ReplicaFile>, Option<CursorValue>) = match &previous {
            Some(v)
                if r.mode == "incremental"
                    && v.columns == serde_json::to_string(&columns).unwrap_or_default() =>
            {
                let files = serde_json::from_str(&v.files).map_err(ApiError::internal)?;
                let after = match &v.sealed_cursor {
                    Some(sealed) => {
                        let plain = dek.open(sealed, &cursor_purpose(&r.id))?;
                        serde_json::from_slice(&plain).map_err(ApiError::internal)?
                    }
                    None => None,
                };
                (files, after)
            }
            _ => (Vec::new(), None),
        };
        let read = TableRead {
            schema: match conn.kind.as_str() {
                "sqlite" => None,
                _ => Some(r.schema_name.clone()),
            },
            table: r.table_name.clone(),
            columns: table.columns.clone(),
            arrow_schema: schema.clone(),
            cursor: r.cursor_column.clone().map(|c| (c, after.clone())),
            batch_rows: BATCH_ROWS,
            partition_on: match ConnectionKind::parse(&conn.kind) {
                Ok(ConnectionKind::Postgres) if self.partitions > 1 => partition_column(&table),
                _ => None,
            },
        };
        let limits = Limits {
            max_bytes: usize::MAX,
            ..Limits::new(SYNC_TIMEOUT, usize::MAX - 1)
        };
        let id = id_of(r);
        let written = self
            .files
            .write(proost_replica::WriteJob {
                id: &id,
                source,
                read,
                dek: &dek,
                partitions: self.partitions,
                limits: &limits,
                progress,
            })
            .await?;
        let new_rows = written.rows;
        if previous.is_some() && r.mode == "incremental" && new_rows == 0 && !kept_files.is_empty()
        {
            // Nothing new: the replica is as fresh as the source; no new version.
            let v = previous.ok_or_else(|| ApiError::internal("previous version vanished"))?;
            self.store
                .touch_sync(&r.id, started.elapsed().as_millis() as i64)
                .await?;
            self.reload(r, connections).await?;
            return Ok(("unchanged", v));
        }
        if let (Some(key), false) = (
            &r.key_column,
            kept_files.is_empty() || written.files.is_empty(),
        ) {
            // Rows read again replace their old copies: files holding an old copy are
            // rewritten without it (new files; the published ones stay for older versions).
            let (files, key, new_files) = (self.files.clone(), key.clone(), written.files.clone());
            let (old, dek2, id2) = (kept_files.clone(), dek.clone(), id.clone());
            kept_files = tokio::task::spawn_blocking(move || {
                let keys = files.keys(&id2, &dek2, &new_files, &key)?;
                files.without_keys(&id2, &dek2, &old, &key, &keys)
            })
            .await
            .map_err(ApiError::internal)??;
        }
        kept_files.extend(written.files);
        if kept_files.is_empty() {
            kept_files.push(self.files.write_empty(&id, schema.clone(), &dek)?);
        }
        let cursor = written.max_cursor.or(after);
        let sealed_cursor = match &cursor {
            Some(c) => Some(dek.seal(
                &serde_json::to_vec(&Some(c)).map_err(ApiError::internal)?,
                &cursor_purpose(&r.id),
            )?),
            None => None,
        };
        let version = ReplicaVersionRecord {
            replica_id: r.id.clone(),
            version: previous.as_ref().map(|v| v.version).unwrap_or(0) + 1,
            rows: kept_files.iter().map(|f| f.rows as i64).sum(),
            bytes: kept_files.iter().map(|f| f.bytes as i64).sum(),
            files: serde_json::to_string(&kept_files).map_err(ApiError::internal)?,
            columns: serde_json::to_string(&columns).map_err(ApiError::internal)?,
            sealed_cursor,
            created_at: proost_store::timestamp_now(),
        };
        proost_replica::failpoint("sync_before_publish");
        let kept = self
            .store
            .publish_version(&version, started.elapsed().as_millis() as i64)
            .await?;
        proost_replica::failpoint("sync_after_publish");
        self.reload(r, connections).await?;
        self.invalidate(&r.id);
        self.collect_garbage(r, &kept)?;
        Ok(("synced", version))
    }

    async fn reload(&self, r: &ReplicaRecord, connections: &Connections) -> ApiResult<()> {
        if let Some(fresh) = self.store.replica(&r.id).await? {
            self.load_serving(&fresh, connections).await?;
        }
        Ok(())
    }

    /// Replicas whose schedule says they are due.
    pub async fn due(&self) -> ApiResult<Vec<ReplicaRecord>> {
        let now = Utc::now();
        Ok(self
            .store
            .replicas(None)
            .await?
            .into_iter()
            .filter(|r| {
                let Some(every) = r.schedule.as_deref().and_then(parse_duration) else {
                    return false;
                };
                let last = r
                    .last_attempt_at
                    .as_deref()
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok());
                match last {
                    None => true,
                    Some(t) => (now - t.with_timezone(&Utc))
                        .to_std()
                        .is_ok_and(|age| age >= every),
                }
            })
            .collect())
    }
}

fn id_of(r: &ReplicaRecord) -> ReplicaId {
    ReplicaId {
        connection: r.connection_id.clone(),
        replica: r.id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("15m"), Some(Duration::from_secs(900)));
        assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_duration("2d"), Some(Duration::from_secs(172800)));
        assert_eq!(parse_duration("0s"), None);
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("5"), None);
    }

    #[test]
    fn stored_columns_round_trip_their_types() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("a", DataType::Int64, true),
            Field::new("b", DataType::Decimal128(15, 2), true),
            Field::new(
                "c",
                DataType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, Some("UTC".into())),
                true,
            ),
            Field::new(
                "d",
                DataType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, None),
                true,
            ),
            Field::new("e", DataType::Utf8, true),
            Field::new("f", DataType::Binary, true),
            Field::new("g", DataType::Date32, true),
            Field::new(
                "h",
                DataType::Time64(arrow::datatypes::TimeUnit::Microsecond),
                true,
            ),
            Field::new("i", DataType::Boolean, true),
            Field::new("j", DataType::UInt64, true),
        ]));
        let back = schema_of(&stored_columns(&schema)).expect("parses");
        assert_eq!(back, schema);
    }
}
