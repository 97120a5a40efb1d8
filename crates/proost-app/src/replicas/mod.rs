//! Replicas as an instance runs them: definitions in the app database, files under
//! `<data dir>/replicas`, an in-memory view of what each table serves from (here), what
//! admins define (`define`), syncs on demand, on schedule and from the CLI (`sync`), and the
//! bookkeeping that keeps a crash harmless (`recover`).

mod define;
mod erase;
mod recover;
mod sync;

pub use define::*;
pub use erase::ErasedReplica;
pub use sync::*;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use chrono::{DateTime, Utc};
use proost_connect::TableInfo;
use proost_query::ReplicaSnapshot;
use proost_replica::{Progress, ReplicaFile, ReplicaId, ReplicaStore};
use proost_store::{ReplicaRecord, Store};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sources::Connections;
use crate::{Error, Result};

/// Whole-table reads may take long; the query timeout does not apply.
pub(crate) const SYNC_TIMEOUT: Duration = Duration::from_secs(6 * 3600);
pub(crate) const BATCH_ROWS: usize = 64 * 1024;

/// One column of a published version, enough to rebuild its Arrow schema.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredColumn {
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
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
    #[schema(value_type = Option<Object>)]
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

pub(crate) fn schema_of(columns: &[StoredColumn]) -> Result<SchemaRef, String> {
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

pub(crate) fn stored_columns(schema: &SchemaRef) -> Vec<StoredColumn> {
    schema
        .fields()
        .iter()
        .map(|f| StoredColumn {
            name: f.name().clone(),
            data_type: f.data_type().to_string(),
        })
        .collect()
}

pub(crate) fn cursor_purpose(replica_id: &str) -> String {
    format!("replica:{replica_id}:cursor")
}

/// Picks a column to split reads on: an integer key column (`id`, `*_id`, `*key`).
pub(crate) fn partition_column(table: &TableInfo) -> Option<String> {
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

    /// Refreshes the in-memory view of one replica from the app database.
    async fn load_serving(&self, r: &ReplicaRecord, connections: &Connections) -> Result<()> {
        let current = self.store.current_version(r).await?;
        let serving = match current {
            Some(v) => {
                let columns: Vec<StoredColumn> =
                    serde_json::from_str(&v.columns).map_err(Error::internal)?;
                let files: Vec<ReplicaFile> =
                    serde_json::from_str(&v.files).map_err(Error::internal)?;
                let schema = schema_of(&columns).map_err(Error::internal)?;
                // Unreadable keys only cost joins along them, never the replica.
                let foreign_keys = serde_json::from_str(&v.foreign_keys).unwrap_or_default();
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
                        foreign_keys,
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

    /// Drops the cached results read from a replica; returns how many.
    fn invalidate(&self, replica_id: &str) -> usize {
        self.cache.invalidate(&format!("replica:{replica_id}"))
    }

    /// Deletes one replica: definition, versions and files. Returns the removed files and
    /// the number of cached results dropped.
    pub async fn delete(&self, r: &ReplicaRecord) -> Result<(Vec<std::path::PathBuf>, usize)> {
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
    pub async fn forget_connection(&self, connection_id: &str) -> Result<Vec<std::path::PathBuf>> {
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

    async fn reload(&self, r: &ReplicaRecord, connections: &Connections) -> Result<()> {
        if let Some(fresh) = self.store.replica(&r.id).await? {
            self.load_serving(&fresh, connections).await?;
        }
        Ok(())
    }

    /// Replicas whose schedule says they are due.
    pub async fn due(&self) -> Result<Vec<ReplicaRecord>> {
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

pub(crate) fn id_of(r: &ReplicaRecord) -> ReplicaId {
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
