//! Erasing a person's rows from a replica: the files holding them are rewritten without
//! them and published as a new version, and every older version (which still holds them)
//! is dropped with its files in the same step. The source is never touched.

use proost_replica::{KeyValue, ReplicaFile};
use proost_store::{ReplicaRecord, ReplicaVersionRecord};
use serde::Serialize;

use super::{Replicas, id_of};
use crate::sources::Connections;
use crate::{Error, Result};

/// What an erasure did to one replica.
#[derive(Debug, Clone, Serialize)]
pub struct ErasedReplica {
    pub replica_id: String,
    pub table: String,
    pub rows_removed: u64,
    /// The version now served, when one was published.
    pub version: Option<i64>,
    pub versions_dropped: usize,
    pub files_removed: usize,
}

impl Replicas {
    /// Removes every row whose `column` value satisfies `matches` from the replica's current
    /// version, and drops all older versions. `matches` sees the column's values as keys
    /// (integers or text).
    pub async fn erase_rows(
        &self,
        conn_record: &proost_store::ConnectionRecord,
        r: &ReplicaRecord,
        connections: &Connections,
        column: &str,
        matches: std::sync::Arc<dyn Fn(&KeyValue) -> bool + Send + Sync>,
    ) -> Result<ErasedReplica> {
        let lock = self.lock_for(&r.id).await;
        let _held = lock.lock().await;
        let r = self
            .store
            .replica(&r.id)
            .await?
            .ok_or_else(|| Error::not_found("replica"))?;
        let mut out = ErasedReplica {
            replica_id: r.id.clone(),
            table: r.qualified(),
            rows_removed: 0,
            version: r.current_version,
            versions_dropped: 0,
            files_removed: 0,
        };
        let Some(current) = self.store.current_version(&r).await? else {
            return Ok(out);
        };
        let columns: Vec<super::StoredColumn> =
            serde_json::from_str(&current.columns).map_err(Error::internal)?;
        if !columns.iter().any(|c| c.name == column) {
            return Ok(out);
        }
        let older = self
            .store
            .replica_versions(&r.id)
            .await?
            .len()
            .saturating_sub(1);
        let files: Vec<ReplicaFile> =
            serde_json::from_str(&current.files).map_err(Error::internal)?;
        let dek = connections.data_key_of(conn_record)?;
        let (store, id, col) = (self.files.clone(), id_of(&r), column.to_string());
        let (kept, removed) = tokio::task::spawn_blocking(move || {
            store.without_matching(&id, &dek, &files, &col, &*matches)
        })
        .await
        .map_err(Error::internal)??;
        if removed == 0 && older == 0 {
            return Ok(out);
        }
        let mut kept = kept;
        if kept.is_empty() {
            let schema = super::schema_of(&columns).map_err(Error::internal)?;
            kept.push(self.files.write_empty(
                &id_of(&r),
                schema,
                &connections.data_key_of(conn_record)?,
            )?);
        }
        let version = ReplicaVersionRecord {
            replica_id: r.id.clone(),
            version: current.version + 1,
            rows: kept.iter().map(|f| f.rows as i64).sum(),
            bytes: kept.iter().map(|f| f.bytes as i64).sum(),
            files: serde_json::to_string(&kept).map_err(Error::internal)?,
            columns: current.columns.clone(),
            foreign_keys: current.foreign_keys.clone(),
            sealed_cursor: current.sealed_cursor.clone(),
            created_at: proost_store::timestamp_now(),
        };
        let versions = self.store.publish_only_version(&version).await?;
        self.reload(&r, connections).await?;
        self.invalidate(&r.id);
        let removed_files = self.collect_garbage(&r, &versions)?;
        out.rows_removed = removed;
        out.version = Some(version.version);
        out.versions_dropped = older + 1;
        out.files_removed = removed_files.len();
        Ok(out)
    }
}
