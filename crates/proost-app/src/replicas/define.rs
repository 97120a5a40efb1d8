//! What admins define: a table to replicate (checked against the source), and what they
//! do with a replica afterwards (read it, roll it back, delete it). Audited here.

use arrow::datatypes::DataType;
use proost_replica::ReplicaFile;
use proost_store::{ConnectionRecord, ReplicaRecord};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{Replicas, parse_duration};
use crate::sources::Connections;
use crate::{Actor, App, Error, Result};

/// A replica as admins see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplicaView {
    pub id: String,
    pub table: String,
    pub mode: String,
    pub cursor_column: Option<String>,
    pub key_column: Option<String>,
    pub schedule: Option<String>,
    pub max_staleness_s: Option<i64>,
    pub keep_versions: i64,
    /// `pending`, `ready`, `stale` or `failed`.
    pub state: &'static str,
    pub version: Option<i64>,
    pub rows: Option<i64>,
    pub bytes: Option<i64>,
    pub last_sync: Option<String>,
    pub last_attempt: Option<String>,
    pub last_duration_ms: Option<i64>,
    pub last_error: Option<String>,
    pub versions: Vec<VersionView>,
    pub created_at: String,
}

/// A kept version of a replica.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionView {
    pub version: i64,
    pub rows: i64,
    pub bytes: i64,
    pub created_at: String,
    pub files: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReplicaList {
    pub replicas: Vec<ReplicaView>,
}

/// `POST …/replicas/{replica}/rollback`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Rollback {
    pub version: i64,
}

/// What `POST /connections/{id}/replicas` takes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReplica {
    /// `schema.table` (SQLite: `main.table`).
    pub table: String,
    /// `full` or `incremental`.
    pub mode: String,
    pub cursor_column: Option<String>,
    /// Incremental: rows read again with a key already in the replica replace the old
    /// copy (use with an `updated_at` cursor). Without it, incremental only appends.
    pub key_column: Option<String>,
    pub schedule: Option<String>,
    pub max_staleness: Option<String>,
    pub keep_versions: Option<i64>,
}

impl Replicas {
    pub async fn create(
        &self,
        conn: &ConnectionRecord,
        connections: &Connections,
        body: NewReplica,
        created_by: &str,
    ) -> Result<ReplicaRecord> {
        let (schema_name, table_name) = body.table.split_once('.').ok_or_else(|| {
            Error::bad_request(
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
                Error::from_code(
                    "table_not_found",
                    format!("the connection has no table `{}`", body.table),
                )
            })?;
        let mode = body.mode.as_str();
        if !matches!(mode, "full" | "incremental") {
            return Err(Error::bad_request(
                "replica_mode_invalid",
                "mode is `full` or `incremental`",
            ));
        }
        match (mode, &body.cursor_column) {
            ("incremental", None) => {
                return Err(Error::bad_request(
                    "cursor_column_required",
                    "an incremental replica needs a cursor_column that grows with new rows (an id or updated_at)",
                ));
            }
            ("full", Some(_)) => {
                return Err(Error::bad_request(
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
                        Error::bad_request(
                            "cursor_column_invalid",
                            format!("the table has no column `{c}`"),
                        )
                    })?;
                let ty = column.arrow_type.clone().unwrap_or(DataType::Utf8);
                if column.read_as_text || !proost_replica::cursor_type_supported(&ty) {
                    return Err(Error::bad_request(
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
                return Err(Error::bad_request(
                    "key_column_not_allowed",
                    "key_column merges updated rows of an incremental replica; a full replica is re-read whole",
                ));
            }
            let column = table
                .columns
                .iter()
                .find(|col| &col.name == k)
                .ok_or_else(|| {
                    Error::bad_request(
                        "key_column_invalid",
                        format!("the table has no column `{k}`"),
                    )
                })?;
            let ty = column.arrow_type.clone().unwrap_or(DataType::Utf8);
            if !proost_replica::key_type_supported(&ty) {
                return Err(Error::bad_request(
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
                Error::bad_request(
                    "schedule_invalid",
                    "schedule is an interval such as `30s`, `15m`, `1h` or `1d`",
                )
            })?;
        }
        let max_staleness = match &body.max_staleness {
            Some(s) => Some(parse_duration(s).ok_or_else(|| {
                Error::bad_request(
                    "max_staleness_invalid",
                    "max_staleness is an interval such as `15m`, `1h` or `1d`",
                )
            })?),
            None => None,
        };
        let keep = body.keep_versions.unwrap_or(3);
        if !(1..=100).contains(&keep) {
            return Err(Error::bad_request(
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

    /// A replica as admins see it.
    pub async fn view(&self, r: &ReplicaRecord) -> Result<ReplicaView> {
        let versions = self.store.replica_versions(&r.id).await?;
        let current = versions
            .iter()
            .find(|v| Some(v.version) == r.current_version);
        let serving = self.serving_version(&r.connection_id, &r.id);
        let state = if r.last_error.is_some() && r.last_attempt_at > r.last_sync_at {
            "failed"
        } else if r.current_version.is_none() {
            "pending"
        } else if serving.is_none() {
            "stale"
        } else {
            "ready"
        };
        Ok(ReplicaView {
            id: r.id.clone(),
            table: r.qualified(),
            mode: r.mode.clone(),
            cursor_column: r.cursor_column.clone(),
            key_column: r.key_column.clone(),
            schedule: r.schedule.clone(),
            max_staleness_s: r.max_staleness_s,
            keep_versions: r.keep_versions,
            state,
            version: r.current_version,
            rows: current.map(|v| v.rows),
            bytes: current.map(|v| v.bytes),
            last_sync: r.last_sync_at.clone(),
            last_attempt: r.last_attempt_at.clone(),
            last_duration_ms: r.last_duration_ms,
            last_error: r.last_error.clone(),
            versions: versions
                .iter()
                .map(|v| VersionView {
                    version: v.version,
                    rows: v.rows,
                    bytes: v.bytes,
                    created_at: v.created_at.clone(),
                    files: serde_json::from_str::<Vec<ReplicaFile>>(&v.files)
                        .map(|f| f.len())
                        .unwrap_or(0),
                })
                .collect(),
            created_at: r.created_at.clone(),
        })
    }

    /// Serves a kept older version again until the next sync publishes a new one.
    pub async fn rollback(
        &self,
        r: &ReplicaRecord,
        version: i64,
        connections: &Connections,
    ) -> Result<()> {
        let lock = self.lock_for(&r.id).await;
        let _held = lock.lock().await;
        if !self.store.set_current_version(&r.id, version).await? {
            return Err(Error::bad_request(
                "version_not_kept",
                format!("version {version} is not among the kept versions of this replica"),
            ));
        }
        self.reload(r, connections).await?;
        self.invalidate(&r.id);
        Ok(())
    }
}

/// A replica of a connection, by id.
async fn find(app: &App, conn: &str, replica: &str) -> Result<(ConnectionRecord, ReplicaRecord)> {
    let c = crate::connections::record(app, conn).await?;
    let r = app
        .store
        .replica(replica)
        .await?
        .filter(|r| r.connection_id == c.id)
        .ok_or_else(|| Error::not_found("replica"))?;
    Ok((c, r))
}

pub async fn list(app: &App, actor: &Actor, conn: &str) -> Result<ReplicaList> {
    actor.require_admin()?;
    let c = crate::connections::record(app, conn).await?;
    let mut replicas = Vec::new();
    for r in app.store.replicas(Some(&c.id)).await? {
        replicas.push(app.replicas.view(&r).await?);
    }
    Ok(ReplicaList { replicas })
}

pub async fn define(app: &App, actor: &Actor, conn: &str, body: NewReplica) -> Result<ReplicaView> {
    actor.require_admin()?;
    let c = crate::connections::record(app, conn).await?;
    let r = app
        .replicas
        .create(&c, &app.connections, body, &actor.user.id)
        .await?;
    app.audit(
        Some(&actor.user.id),
        "replica.create",
        Some(&r.id),
        &json!({"connection": c.name, "table": r.qualified(), "mode": r.mode}),
    )
    .await?;
    app.replicas.view(&r).await
}

pub async fn get(app: &App, actor: &Actor, conn: &str, replica: &str) -> Result<ReplicaView> {
    actor.require_admin()?;
    let (_, r) = find(app, conn, replica).await?;
    app.replicas.view(&r).await
}

pub async fn remove(app: &App, actor: &Actor, conn: &str, replica: &str) -> Result<()> {
    actor.require_admin()?;
    let (c, r) = find(app, conn, replica).await?;
    let (files, entries) = app.replicas.delete(&r).await?;
    app.audit(
        Some(&actor.user.id),
        "replica.delete",
        Some(&r.id),
        &json!({"connection": c.name, "table": r.qualified(),
                    "files_removed": files.len(), "cache_entries": entries}),
    )
    .await?;
    Ok(())
}

/// Serves an older kept version of a replica again (until the next sync).
pub async fn roll_back(
    app: &App,
    actor: &Actor,
    conn: &str,
    replica: &str,
    body: Rollback,
) -> Result<ReplicaView> {
    actor.require_admin()?;
    let (c, r) = find(app, conn, replica).await?;
    let from = r.current_version;
    app.replicas
        .rollback(&r, body.version, &app.connections)
        .await?;
    app.audit(
        Some(&actor.user.id),
        "replica.rollback",
        Some(&r.id),
        &json!({"connection": c.name, "table": r.qualified(),
                    "from_version": from, "to_version": body.version}),
    )
    .await?;
    let r = app
        .store
        .replica(&r.id)
        .await?
        .ok_or_else(|| Error::not_found("replica"))?;
    app.replicas.view(&r).await
}
