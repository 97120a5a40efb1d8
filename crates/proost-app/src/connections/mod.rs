//! What callers do with connections: list and read them (as their grants allow), add,
//! change, classify and delete (crypto-shred, `shred`) them (admins). Every change is
//! audited here.

pub mod shred;

use std::sync::Arc;

use proost_store::ConnectionRecord;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::classify::scan::{ScanReport, scan_connection};
use crate::licence::{LicensedThing, check_can_add};
use crate::sources::visible;
use crate::{Actor, App, Error, Result};

/// `POST /api/v1/connections`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewConnection {
    /// Used in SQL as `name.schema.table`: a-z, 0-9 and _, starting with a letter.
    pub name: String,
    /// `postgres`, `mysql` or `sqlite`.
    pub kind: String,
    pub url: String,
    /// Where the source lives; absent: where this instance runs.
    #[serde(default)]
    pub region: Option<String>,
}

/// `PATCH /api/v1/connections/{id}`: what can change without re-creating the connection.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectionUpdate {
    /// Where the source lives; `null` clears it (the instance's region applies).
    pub region: Option<String>,
}

/// A connection as an admin sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionView {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// The address without the password.
    pub url: String,
    /// What the source account could change, in words an admin can act on.
    pub warnings: Vec<String>,
    pub demo: bool,
    pub created_at: String,
    pub region: Option<String>,
}

/// A connection as anyone else sees it: no address, no account warnings (they name tables
/// the caller may not see).
#[derive(Debug, Serialize, ToSchema)]
pub struct SharedConnection {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub demo: bool,
    /// The caller may read all of it unmasked (and so send native SQL).
    pub unrestricted: bool,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ConnectionInfo {
    Full(ConnectionView),
    Shared(SharedConnection),
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionList {
    pub connections: Vec<ConnectionInfo>,
}

/// A connection just added, and the classification of its columns (or why it failed: the
/// connection stays).
#[derive(Debug, Serialize, ToSchema)]
pub struct AddedConnection {
    #[serde(flatten)]
    pub connection: ConnectionView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan: Option<ScanOutcome>,
    #[serde(skip)]
    pub record: ConnectionRecord,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ScanOutcome {
    Report(ScanReport),
    Failed { error: ErrorBody },
}

/// `{"code", "message"}`: the body of every error.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    pub code: &'static str,
    pub message: String,
}

impl From<&Error> for ErrorBody {
    fn from(e: &Error) -> Self {
        ErrorBody {
            code: e.code,
            message: e.message.clone(),
        }
    }
}

/// The schemas, tables and columns of a connection the caller may see.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchemaTree {
    pub connection: String,
    pub kind: String,
    pub schemas: Vec<SchemaView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SchemaView {
    pub name: String,
    pub tables: Vec<TableView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TableView {
    pub name: String,
    /// `table` or `view`.
    pub kind: String,
    /// The caller may read rows, not only know the table exists.
    pub readable: bool,
    pub columns: Vec<ColumnView>,
    /// Foreign keys whose tables and columns the caller may see (absent: none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKeyView>,
}

/// `columns` of the table reference `ref_columns` of `ref_schema.ref_table`, pair by pair.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForeignKeyView {
    pub columns: Vec<String>,
    pub ref_schema: String,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ColumnView {
    pub name: String,
    /// The type as the source declares it.
    #[serde(rename = "type")]
    pub source_type: String,
    /// Proost's vocabulary: integer, float, decimal, text, date, timestamp, …
    pub proost_type: &'static str,
    pub nullable: bool,
    /// How the column is masked for the caller (`null`: shown as it is).
    pub masked: Option<&'static str>,
}

fn view(app: &App, c: &ConnectionRecord) -> ConnectionView {
    ConnectionView {
        id: c.id.clone(),
        name: c.name.clone(),
        kind: c.kind.clone(),
        url: app
            .connections
            .params(c)
            .map(|p| p.display_url())
            .unwrap_or_default(),
        warnings: c.warnings.clone(),
        demo: c.demo,
        created_at: c.created_at.clone(),
        region: c.region.clone(),
    }
}

fn info(app: &App, actor: &Actor, c: &ConnectionRecord) -> ConnectionInfo {
    if actor.is_admin() {
        ConnectionInfo::Full(view(app, c))
    } else {
        ConnectionInfo::Shared(SharedConnection {
            id: c.id.clone(),
            name: c.name.clone(),
            kind: c.kind.clone(),
            demo: c.demo,
            unrestricted: actor.access.unrestricted_on(&c.id),
        })
    }
}

/// A connection by id, whoever asks (admin work).
pub async fn record(app: &App, id: &str) -> Result<ConnectionRecord> {
    app.store
        .connection(id)
        .await?
        .ok_or_else(|| Error::not_found("connection"))
}

/// A connection the caller may see; one they may not is "not found", like a missing one.
pub async fn visible_record(app: &App, actor: &Actor, id: &str) -> Result<ConnectionRecord> {
    let c = record(app, id).await?;
    if actor.access.sees_connection(&c.id) {
        Ok(c)
    } else {
        Err(Error::not_found("connection"))
    }
}

/// The connections the caller may see.
pub async fn visible_records(app: &App, actor: &Actor) -> Result<Vec<ConnectionRecord>> {
    let mut all = app.store.connections().await?;
    all.retain(|c| actor.access.sees_connection(&c.id));
    Ok(all)
}

/// A connection and the schemas and tables of it the caller may see (only names, each
/// table with its visible columns); `None` when the source did not answer in time.
pub struct VisibleTree {
    pub record: ConnectionRecord,
    pub schemas: Option<Vec<proost_connect::SchemaInfo>>,
}

/// Every connection the caller sees, with what they may see of it. A slow or unreachable
/// source is reported as such after three seconds instead of holding the page.
pub async fn visible_trees(app: &App, actor: &Actor) -> Result<Vec<VisibleTree>> {
    let records = visible_records(app, actor).await?;
    Ok(futures::future::join_all(
        records
            .into_iter()
            .map(|record| visible_tree(app, actor, record)),
    )
    .await)
}

/// What the caller may see of one connection they see.
pub async fn visible_tree(app: &App, actor: &Actor, record: ConnectionRecord) -> VisibleTree {
    let tree = tokio::time::timeout(
        std::time::Duration::from_secs(3),
        app.connections.schemas(&record),
    )
    .await;
    let schemas = tree.ok().and_then(Result::ok).map(|schemas| {
        crate::sources::visible::catalog(&actor.access, &record.id, &schemas)
            .into_iter()
            .map(|s| proost_connect::SchemaInfo {
                name: s.name.to_string(),
                tables: s
                    .tables
                    .iter()
                    .map(crate::sources::visible::table_info)
                    .collect(),
            })
            .collect()
    });
    VisibleTree { record, schemas }
}

pub async fn list(app: &App, actor: &Actor) -> Result<ConnectionList> {
    Ok(ConnectionList {
        connections: visible_records(app, actor)
            .await?
            .iter()
            .map(|c| info(app, actor, c))
            .collect(),
    })
}

pub async fn get(app: &App, actor: &Actor, id: &str) -> Result<ConnectionInfo> {
    let c = visible_record(app, actor, id).await?;
    Ok(info(app, actor, &c))
}

/// Adds a connection (admin; `None` is the instance itself, for the demo). Its columns
/// are classified before anyone can query it, so there is no window in which a new
/// source's personal columns are unmasked; a failed scan does not undo the connection.
pub async fn add(
    app: &Arc<App>,
    actor: Option<&Actor>,
    body: NewConnection,
    demo: bool,
) -> Result<AddedConnection> {
    if let Some(a) = actor {
        a.require_admin()?;
    }
    check_can_add(app, LicensedThing::Connection).await?;
    let by = actor.map(|a| a.user.id.as_str());
    let record = app
        .connections
        .create(
            &body.name,
            &body.kind,
            &body.url,
            by,
            demo,
            body.region.as_deref(),
        )
        .await?;
    tracing::info!(connection = %record.id, kind = %record.kind, by = by.unwrap_or("proost"), "connection added");
    let mut details = json!({"name": record.name, "kind": record.kind, "data_key_id": record.key_id,
                             "region": record.region});
    if demo {
        details["demo"] = json!(true);
    }
    app.audit(by, "connection.create", Some(&record.id), &details)
        .await?;
    let scan = if app.config.scan_on_connect {
        Some(match scan_connection(app, &record, "connect").await {
            Ok(report) => ScanOutcome::Report(report),
            Err(e) => ScanOutcome::Failed {
                error: ErrorBody::from(&e),
            },
        })
    } else {
        None
    };
    Ok(AddedConnection {
        connection: view(app, &record),
        scan,
        record,
    })
}

/// Changes what can change without re-creating the connection (admin).
pub async fn update(
    app: &App,
    actor: &Actor,
    id: &str,
    body: ConnectionUpdate,
) -> Result<ConnectionView> {
    actor.require_admin()?;
    let region = body.region.as_deref().map(str::trim);
    if let Some(region) = region {
        crate::sources::validate_region(region)?;
    }
    if !app.store.set_connection_region(id, region).await? {
        return Err(Error::not_found("connection"));
    }
    app.audit(
        Some(&actor.user.id),
        "connection.update",
        Some(id),
        &json!({"region": region}),
    )
    .await?;
    Ok(view(app, &record(app, id).await?))
}

/// Deletes a connection by crypto-shredding it (admin; see `instance::shred`).
pub async fn delete(app: &App, actor: &Actor, id: &str) -> Result<()> {
    actor.require_admin()?;
    if shred::shred_connection(app, id, Some(&actor.user.id))
        .await?
        .is_none()
    {
        return Err(Error::not_found("connection"));
    }
    tracing::info!(connection = %id, by = %actor.user.id, "connection deleted");
    Ok(())
}

/// Classifies every column of a connection again (admin). With `wait` the report comes
/// back; otherwise the scan runs in the background (`None`).
pub async fn rescan(
    app: &Arc<App>,
    actor: &Actor,
    id: &str,
    wait: bool,
) -> Result<Option<ScanReport>> {
    actor.require_admin()?;
    let record = record(app, id).await?;
    app.audit(
        Some(&actor.user.id),
        "classification.scan_requested",
        Some(&record.id),
        &json!({"wait": wait}),
    )
    .await?;
    if wait {
        return Ok(Some(scan_connection(app, &record, "on_demand").await?));
    }
    let background = app.clone();
    app.background.spawn(async move {
        if let Err(e) = scan_connection(&background, &record, "on_demand").await {
            tracing::warn!(connection = %record.id, code = e.code, "scan failed");
        }
    });
    Ok(None)
}

/// The schemas, tables and columns of a connection the caller may see, as their grants
/// and masks say.
pub async fn schema(app: &App, actor: &Actor, id: &str) -> Result<SchemaTree> {
    let c = visible_record(app, actor, id).await?;
    let schemas = app.connections.schemas(&c).await?;
    let schemas = visible::catalog(&actor.access, &c.id, &schemas)
        .iter()
        .map(|s| SchemaView {
            name: s.name.to_string(),
            tables: s
                .tables
                .iter()
                .map(|t| TableView {
                    name: t.info.name.clone(),
                    kind: t.info.kind.clone(),
                    readable: t.readable,
                    columns: t
                        .columns
                        .iter()
                        .map(|col| ColumnView {
                            name: col.info.name.clone(),
                            source_type: col.info.source_type.clone(),
                            proost_type: col
                                .info
                                .arrow_type
                                .as_ref()
                                .map(crate::types::type_name)
                                .unwrap_or("other"),
                            nullable: col.info.nullable,
                            masked: col.mask.map(|m| m.as_str()),
                        })
                        .collect(),
                    foreign_keys: t
                        .foreign_keys
                        .iter()
                        .map(|k| ForeignKeyView {
                            columns: k.columns.clone(),
                            ref_schema: k.ref_schema.clone(),
                            ref_table: k.ref_table.clone(),
                            ref_columns: k.ref_columns.clone(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    Ok(SchemaTree {
        connection: c.name,
        kind: c.kind,
        schemas,
    })
}
