//! Replica definitions and their published versions.

use sqlx::Row;

use crate::{Result, Store, StoreError, now, unique_violation};

#[derive(Debug, Clone)]
pub struct ReplicaRecord {
    pub id: String,
    pub connection_id: String,
    pub schema_name: String,
    pub table_name: String,
    /// `full` or `incremental`.
    pub mode: String,
    pub cursor_column: Option<String>,
    /// Incremental: the column identifying a row, so an updated row replaces its old copy.
    pub key_column: Option<String>,
    /// How often scheduled syncs run, as written by the admin (`15m`, `1h`, `1d`).
    pub schedule: Option<String>,
    /// Older than this, queries read the live source instead.
    pub max_staleness_s: Option<i64>,
    pub keep_versions: i64,
    pub current_version: Option<i64>,
    pub last_sync_at: Option<String>,
    pub last_attempt_at: Option<String>,
    pub last_error: Option<String>,
    pub last_duration_ms: Option<i64>,
    pub created_at: String,
    pub created_by: Option<String>,
}

impl ReplicaRecord {
    /// `schema.table`, as the API names it.
    pub fn qualified(&self) -> String {
        format!("{}.{}", self.schema_name, self.table_name)
    }
}

/// One published version: its files (JSON list), its columns (JSON) and totals.
#[derive(Debug, Clone)]
pub struct ReplicaVersionRecord {
    pub replica_id: String,
    pub version: i64,
    pub files: String,
    pub columns: String,
    /// The source table's foreign keys when the version was made (JSON list).
    pub foreign_keys: String,
    pub rows: i64,
    pub bytes: i64,
    pub sealed_cursor: Option<Vec<u8>>,
    pub created_at: String,
}

fn replica_from(r: &sqlx::sqlite::SqliteRow) -> ReplicaRecord {
    ReplicaRecord {
        id: r.get("id"),
        connection_id: r.get("connection_id"),
        schema_name: r.get("schema_name"),
        table_name: r.get("table_name"),
        mode: r.get("mode"),
        cursor_column: r.get("cursor_column"),
        key_column: r.get("key_column"),
        schedule: r.get("schedule"),
        max_staleness_s: r.get("max_staleness_s"),
        keep_versions: r.get("keep_versions"),
        current_version: r.get("current_version"),
        last_sync_at: r.get("last_sync_at"),
        last_attempt_at: r.get("last_attempt_at"),
        last_error: r.get("last_error"),
        last_duration_ms: r.get("last_duration_ms"),
        created_at: r.get("created_at"),
        created_by: r.get("created_by"),
    }
}

fn version_from(r: &sqlx::sqlite::SqliteRow) -> ReplicaVersionRecord {
    ReplicaVersionRecord {
        replica_id: r.get("replica_id"),
        version: r.get("version"),
        files: r.get("files"),
        columns: r.get("columns"),
        foreign_keys: r.get("foreign_keys"),
        rows: r.get("rows"),
        bytes: r.get("bytes"),
        sealed_cursor: r.get("sealed_cursor"),
        created_at: r.get("created_at"),
    }
}

/// Adds one version row inside the caller's transaction (publishing is the caller's swap).
async fn insert_version(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    v: &ReplicaVersionRecord,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO replica_versions (replica_id, version, files, columns, foreign_keys, rows, bytes, sealed_cursor, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&v.replica_id)
    .bind(v.version)
    .bind(&v.files)
    .bind(&v.columns)
    .bind(&v.foreign_keys)
    .bind(v.rows)
    .bind(v.bytes)
    .bind(&v.sealed_cursor)
    .bind(&v.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    pub async fn insert_replica(&self, r: &ReplicaRecord) -> Result<()> {
        let result = sqlx::query(
            "INSERT INTO replicas (id, connection_id, schema_name, table_name, mode, cursor_column, key_column, \
             schedule, max_staleness_s, keep_versions, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&r.id)
        .bind(&r.connection_id)
        .bind(&r.schema_name)
        .bind(&r.table_name)
        .bind(&r.mode)
        .bind(&r.cursor_column)
        .bind(&r.key_column)
        .bind(&r.schedule)
        .bind(r.max_staleness_s)
        .bind(r.keep_versions)
        .bind(&r.created_at)
        .bind(&r.created_by)
        .execute(&self.pool)
        .await;
        match result {
            Err(e) if unique_violation(&e) => Err(StoreError::Conflict(format!(
                "a replica of `{}.{}`",
                r.schema_name, r.table_name
            ))),
            other => other.map(|_| ()).map_err(Into::into),
        }
    }

    /// Replicas of one connection, or of all when `connection_id` is `None`.
    pub async fn replicas(&self, connection_id: Option<&str>) -> Result<Vec<ReplicaRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM replicas WHERE (?1 IS NULL OR connection_id = ?1) \
             ORDER BY connection_id, schema_name, table_name",
        )
        .bind(connection_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(replica_from).collect())
    }

    pub async fn replica(&self, id: &str) -> Result<Option<ReplicaRecord>> {
        let row = sqlx::query("SELECT * FROM replicas WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(replica_from))
    }

    pub async fn delete_replica(&self, id: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM replicas WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Versions of a replica, newest first.
    pub async fn replica_versions(&self, replica_id: &str) -> Result<Vec<ReplicaVersionRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM replica_versions WHERE replica_id = ? ORDER BY version DESC",
        )
        .bind(replica_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(version_from).collect())
    }

    /// The version queries read: the replica's current one.
    pub async fn current_version(
        &self,
        replica: &ReplicaRecord,
    ) -> Result<Option<ReplicaVersionRecord>> {
        let Some(v) = replica.current_version else {
            return Ok(None);
        };
        let row =
            sqlx::query("SELECT * FROM replica_versions WHERE replica_id = ? AND version = ?")
                .bind(&replica.id)
                .bind(v)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.as_ref().map(version_from))
    }

    /// Publishes a version and drops versions beyond the replica's `keep_versions`, in one
    /// transaction: this commit is the swap. Returns the versions kept.
    pub async fn publish_version(
        &self,
        v: &ReplicaVersionRecord,
        duration_ms: i64,
    ) -> Result<Vec<ReplicaVersionRecord>> {
        let mut tx = self.write_tx().await?;
        insert_version(&mut tx, v).await?;
        sqlx::query(
            "UPDATE replicas SET current_version = ?, last_sync_at = ?, last_attempt_at = ?, \
             last_error = NULL, last_duration_ms = ? WHERE id = ?",
        )
        .bind(v.version)
        .bind(&v.created_at)
        .bind(&v.created_at)
        .bind(duration_ms)
        .bind(&v.replica_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM replica_versions WHERE replica_id = ?1 AND version <= ?2 - \
             (SELECT keep_versions FROM replicas WHERE id = ?1)",
        )
        .bind(&v.replica_id)
        .bind(v.version)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.replica_versions(&v.replica_id).await
    }

    /// Publishes a version as the only one: every older version goes in the same commit (an
    /// erasure: older versions still hold the erased rows). Returns the versions kept.
    pub async fn publish_only_version(
        &self,
        v: &ReplicaVersionRecord,
    ) -> Result<Vec<ReplicaVersionRecord>> {
        let mut tx = self.write_tx().await?;
        insert_version(&mut tx, v).await?;
        sqlx::query("UPDATE replicas SET current_version = ? WHERE id = ?")
            .bind(v.version)
            .bind(&v.replica_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM replica_versions WHERE replica_id = ? AND version <> ?")
            .bind(&v.replica_id)
            .bind(v.version)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.replica_versions(&v.replica_id).await
    }

    /// Serves an older kept version again (rollback). False when that version is not kept.
    pub async fn set_current_version(&self, replica_id: &str, version: i64) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE replicas SET current_version = ?2 WHERE id = ?1 AND EXISTS \
             (SELECT 1 FROM replica_versions WHERE replica_id = ?1 AND version = ?2)",
        )
        .bind(replica_id)
        .bind(version)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// A sync found nothing new: the replica is fresh as of now, at the same version.
    pub async fn touch_sync(&self, replica_id: &str, duration_ms: i64) -> Result<()> {
        let at = now();
        sqlx::query(
            "UPDATE replicas SET last_sync_at = ?, last_attempt_at = ?, last_error = NULL, \
             last_duration_ms = ? WHERE id = ?",
        )
        .bind(&at)
        .bind(&at)
        .bind(duration_ms)
        .bind(replica_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn record_sync_failure(&self, replica_id: &str, error: &str) -> Result<()> {
        sqlx::query("UPDATE replicas SET last_error = ?, last_attempt_at = ? WHERE id = ?")
            .bind(error)
            .bind(now())
            .bind(replica_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
