//! Syncs: one consistent read of the source into a new encrypted version, published by one
//! commit; on demand (an admin), on schedule, and from the `proost sync` command. Each sync
//! that did anything is audited here, whoever started it.

use std::sync::Arc;
use std::time::Instant;

use proost_connect::{ConnectionKind, CursorValue, Limits, TableRead};
use proost_replica::{Progress, ReplicaFile};
use proost_store::{ConnectionRecord, ReplicaRecord, ReplicaVersionRecord};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::{
    BATCH_ROWS, OnSyncStart, Replicas, SYNC_TIMEOUT, SyncResult, cursor_purpose, id_of,
    partition_column, stored_columns,
};
use crate::sources::Connections;
use crate::{Actor, App, Error, Result};

/// Who asked for a sync; the audit entry says so.
#[derive(Debug, Clone, Copy)]
pub enum SyncedBy<'a> {
    User(&'a str),
    /// The `proost sync` command.
    Cli,
    Scheduler,
}

/// The results of syncing a connection's replicas.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncResults {
    pub results: Vec<SyncResult>,
}

/// Syncs every replica of a connection, re-classifies tables whose columns changed, and
/// records who asked for a copy of what and what it became.
pub async fn sync_connection(
    app: &App,
    conn: &ConnectionRecord,
    by: SyncedBy<'_>,
    progress: Option<OnSyncStart<'_>>,
) -> Result<Vec<SyncResult>> {
    let results = app
        .replicas
        .sync_tables(conn, &app.connections, progress)
        .await?;
    crate::classify::scan::after_sync(app, conn, &changed_tables(&results)).await;
    record_sync(app, conn, by, &results).await?;
    Ok(results)
}

/// A scheduled sync of one replica. Recorded unless nothing changed (a schedule of 30 s
/// would otherwise fill the log with no news).
pub async fn sync_scheduled(app: &App, conn: &ConnectionRecord, r: &ReplicaRecord) -> Result<()> {
    let result = app
        .replicas
        .sync_one(conn, r, &app.connections, Arc::new(Progress::default()))
        .await;
    tracing::info!(replica = %r.id, status = result.status, rows = result.rows, "scheduled sync");
    let results = std::slice::from_ref(&result);
    crate::classify::scan::after_sync(app, conn, &changed_tables(results)).await;
    if result.status != "unchanged" {
        record_sync(app, conn, SyncedBy::Scheduler, results).await?;
    }
    Ok(())
}

/// The tables whose columns changed: they are classified again.
fn changed_tables(results: &[SyncResult]) -> Vec<&str> {
    results
        .iter()
        .filter(|r| r.schema_changed)
        .map(|r| r.table.as_str())
        .collect()
}

async fn record_sync(
    app: &App,
    conn: &ConnectionRecord,
    by: SyncedBy<'_>,
    results: &[SyncResult],
) -> Result<()> {
    let summary: Vec<Value> = results
        .iter()
        .map(
            |r| json!({"table": r.table, "status": r.status, "version": r.version, "rows": r.rows}),
        )
        .collect();
    let mut details = json!({"connection": conn.name, "results": summary});
    let actor = match by {
        SyncedBy::User(id) => Some(id),
        SyncedBy::Cli => {
            details["by"] = json!("proost sync");
            None
        }
        SyncedBy::Scheduler => {
            details["by"] = json!("scheduler");
            None
        }
    };
    app.audit(actor, "replica.sync", Some(&conn.id), &details)
        .await?;
    Ok(())
}

/// An admin's sync of a connection: with `wait` the results come back, otherwise it runs
/// in the background (`None`).
pub async fn sync_request(
    app: &Arc<App>,
    actor: &Actor,
    conn: &str,
    wait: bool,
) -> Result<Option<SyncResults>> {
    actor.require_admin()?;
    let c = crate::connections::record(app, conn).await?;
    if wait {
        let results = sync_connection(app, &c, SyncedBy::User(&actor.user.id), None).await?;
        return Ok(Some(SyncResults { results }));
    }
    let (background, user) = (app.clone(), actor.user.id.clone());
    app.background.spawn(async move {
        let app = background;
        if let Err(e) = sync_connection(&app, &c, SyncedBy::User(&user), None).await {
            tracing::warn!(code = e.code, "background sync failed");
        }
    });
    Ok(None)
}

impl Replicas {
    /// Syncs every replica of a connection, one table after another.
    pub async fn sync_tables(
        &self,
        conn: &ConnectionRecord,
        connections: &Connections,
        progress: Option<OnSyncStart<'_>>,
    ) -> Result<Vec<SyncResult>> {
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
        let result = match self
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
        };
        crate::metrics::sync_done(result.status, result.rows_read, result.seconds);
        result
    }

    async fn failed(
        &self,
        r: &ReplicaRecord,
        table: String,
        started: Instant,
        e: Error,
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
    ) -> Result<(&'static str, ReplicaVersionRecord)> {
        let source = connections.source(conn)?;
        // Fresh introspection: a changed table must be seen now, not a minute later.
        let schemas = source.introspect().await?;
        let table = schemas
            .iter()
            .find(|s| s.name == r.schema_name)
            .and_then(|s| s.tables.iter().find(|t| t.name == r.table_name))
            .cloned()
            .ok_or_else(|| {
                Error::from_code(
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
                let files = serde_json::from_str(&v.files).map_err(Error::internal)?;
                let after = match &v.sealed_cursor {
                    Some(sealed) => {
                        let plain = dek.open(sealed, &cursor_purpose(&r.id))?;
                        serde_json::from_slice(&plain).map_err(Error::internal)?
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
            let v = previous.ok_or_else(|| Error::internal("previous version vanished"))?;
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
            .map_err(Error::internal)??;
        }
        kept_files.extend(written.files);
        if kept_files.is_empty() {
            kept_files.push(self.files.write_empty(&id, schema.clone(), &dek)?);
        }
        let cursor = written.max_cursor.or(after);
        let sealed_cursor = match &cursor {
            Some(c) => Some(dek.seal(
                &serde_json::to_vec(&Some(c)).map_err(Error::internal)?,
                &cursor_purpose(&r.id),
            )?),
            None => None,
        };
        let version = ReplicaVersionRecord {
            replica_id: r.id.clone(),
            version: previous.as_ref().map(|v| v.version).unwrap_or(0) + 1,
            rows: kept_files.iter().map(|f| f.rows as i64).sum(),
            bytes: kept_files.iter().map(|f| f.bytes as i64).sum(),
            files: serde_json::to_string(&kept_files).map_err(Error::internal)?,
            columns: serde_json::to_string(&columns).map_err(Error::internal)?,
            foreign_keys: serde_json::to_string(&table.foreign_keys).map_err(Error::internal)?,
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
}
