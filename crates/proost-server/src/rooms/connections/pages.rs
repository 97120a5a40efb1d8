//! `/connections` and `/connections/{id}`: what the viewer may see of each connection,
//! through the same services as the API.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use maud::html;
use proost_app::App;
use proost_app::connections::{self, ConnectionInfo};
use proost_app::sources::visible;

use crate::web::fmt;
use crate::web::shell::{PageResult, Viewer, page};

pub async fn list(State(app): State<Arc<App>>, viewer: Viewer) -> PageResult {
    let conns = connections::list(&app, &viewer).await?.connections;
    let admin = viewer.is_admin();
    let state = &app;
    Ok(page(
        "Connections",
        "connections",
        Some(&viewer),
        html! {
            section.card {
                h1 { "Connections" }
                table.list {
                    thead { tr { th { "Name" } th { "Kind" } @if admin { th { "Address" } th { "Read-only check" } } } }
                    tbody {
                        // The address and the source account's privileges (which name schemas
                        // and tables the caller may not see) are for admins only.
                        @for c in &conns {
                            @match c {
                                ConnectionInfo::Full(c) => tr {
                                    td { a href={ "/connections/" (c.id) } { (c.name) } @if c.demo { " " span.badge { "demo" } } }
                                    td { (c.kind) }
                                    td.mono { (c.url) }
                                    td {
                                        @if c.warnings.is_empty() { span.ok { "read-only account" } }
                                        @else { span.warn title=(c.warnings.join("\n")) { "⚠ account can write" } }
                                    }
                                },
                                ConnectionInfo::Shared(c) => tr {
                                    td { a href={ "/connections/" (c.id) } { (c.name) } @if c.demo { " " span.badge { "demo" } } }
                                    td { (c.kind) }
                                },
                            }
                        }
                    }
                }
            }
            @if admin {
                section.card {
                    h2 { "Add a connection" }
                    p.muted { "Proost only reads. Use an account granted SELECT only; Proost warns when the account could write." }
                    form id="connection-form" {
                        label { "Name " small.muted { "(used in SQL as name.schema.table)" } input name="name" required pattern="[a-z][a-z0-9_]*" placeholder="shop_pg"; }
                        label { "Kind" select name="kind" {
                            option value="postgres" { "PostgreSQL" }
                            option value="mysql" { "MySQL / MariaDB" }
                            option value="sqlite" { "SQLite" }
                        } }
                        label { "URL" input name="url" required placeholder="postgres://readonly:secret@db.example:5432/shop"; }
                        label { "Region " small.muted { "(where the source lives, for the inventory; empty: " (state.config.region) ")" } input name="region" maxlength="64" placeholder="eu-central-1"; }
                        button.primary type="submit" { "Add connection" }
                        p.error role="alert" {}
                    }
                }
            }
        },
    )
    .into_response())
}

pub async fn connection(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> PageResult {
    let record = connections::visible_record(&app, &viewer, &id).await?;
    let admin = viewer.is_admin();
    // A source that is down is said so on the page; its replicas and settings still show.
    let schemas = app.connections.schemas(&record).await;
    let replica_rows = if admin {
        proost_app::replicas::list(&app, &viewer, &record.id)
            .await?
            .replicas
    } else {
        Vec::new()
    };
    // What the scan found, per column (admins): categories, confidence, status.
    let found: std::collections::HashMap<(String, String, String), (String, f64, String)> = if admin
    {
        proost_app::permissions::classifications(&app, &viewer, &record.id)
            .await?
            .into_iter()
            .map(|c| {
                let cats = c.categories.as_array().cloned().unwrap_or_default();
                let names: Vec<&str> = cats
                    .iter()
                    .filter_map(|f| f.get("category").and_then(|v| v.as_str()).or(f.as_str()))
                    .collect();
                let confidence = cats
                    .iter()
                    .filter_map(|f| f.get("confidence").and_then(|v| v.as_f64()))
                    .fold(0.0, f64::max);
                (
                    (c.schema, c.table, c.column),
                    (names.join(", "), confidence, c.status),
                )
            })
            .collect()
    } else {
        Default::default()
    };
    let threshold = f64::from(app.config.mask_threshold);
    let num = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_else(|| "—".to_string());
    let state = &app;
    let access = &viewer.access;
    Ok(page(
        &record.name,
        "connection",
        Some(&viewer),
        html! {
            section.card {
                h1 { (record.name) " " small.muted { (record.kind) } }
                p.muted { "Region: " (record.region.as_deref().unwrap_or(&state.config.region)) }
                @if admin {
                    @for w in &record.warnings { p.warn { "⚠ " (w) } }
                    button.danger id="delete-connection" type="button" data-id=(record.id) data-name=(record.name) { "Delete connection" }
                }
            }
            @if admin {
            section.card id="replicas" data-id=(record.id) {
                h2 { "Replicas" }
                p.muted { "Encrypted local copies that answer queries instead of the source. Deleting the connection destroys them and their key." }
                @if replica_rows.is_empty() {
                    p.muted { "No table is replicated yet." }
                } @else {
                    table.list {
                        thead { tr { th { "Table" } th { "Mode" } th { "State" } th.num { "Version" } th.num { "Rows" } th.num { "Size" } th { "Last sync" } th { "Schedule" } @if admin { th {} } } }
                        tbody {
                            @for r in &replica_rows {
                                tr {
                                    td.mono { (r.table) }
                                    td { (r.mode) @if let Some(c) = &r.cursor_column { " by " code { (c) } } }
                                    td { span class={ "state " (r.state) } { (r.state) }
                                         @if let Some(e) = &r.last_error { br; small.error { (e) } } }
                                    td.num { (num(r.version)) }
                                    td.num { (num(r.rows)) }
                                    td.num { (fmt::size(r.bytes)) }
                                    td { (fmt::utc(r.last_sync.as_deref())) }
                                    td { @match &r.schedule {
                                        Some(s) => { (s) }
                                        None => { span.muted title="This replica syncs only when you press Sync now (or run `proost sync`). Give it a schedule to keep it fresh." { "none — syncs on Sync now" } }
                                    } }
                                    @if admin { td { button.link.delete-replica type="button" data-replica=(r.id) { "Remove" } } }
                                }
                            }
                        }
                    }
                }
                @if admin {
                    p {
                        @if replica_rows.is_empty() {
                            button id="sync-now" type="button" disabled title="Add a replica first" { "Sync now" }
                            " " span id="sync-status" .muted { "Nothing to sync yet: replicate a table below first." }
                        } @else {
                            button id="sync-now" type="button" { "Sync now" } " " span id="sync-status" role="status" .muted {}
                        }
                    }
                    form id="replica-form" {
                        h3 { "Replicate a table" }
                        label { "Table "
                            select name="table" required {
                                @if let Ok(schemas) = &schemas {
                                    @for s in schemas.iter() { @for t in &s.tables {
                                        option value={ (s.name) "." (t.name) } { (s.name) "." (t.name) }
                                    } }
                                }
                            }
                        }
                        label { "Mode "
                            select name="mode" { option value="full" { "full" } option value="incremental" { "incremental" } }
                        }
                        label { "Cursor column " input name="cursor_column" placeholder="id or updated_at (incremental)"; }
                        label { "Key column " input name="key_column" placeholder="id: updated rows replace old ones"; }
                        label { "Schedule " input name="schedule" placeholder="e.g. 15m, 1h, 1d"; }
                        label { "Max staleness " input name="max_staleness" placeholder="e.g. 2h (blank: always serve)"; }
                        button type="submit" { "Add replica" }
                        p.error {}
                    }
                }
            }
            }
            section.card {
                @match &schemas {
                    Err(e) => { p.error { (e.message) } }
                    Ok(schemas) => {
                        @let visible = visible::catalog(access, &record.id, schemas);
                        @if visible.is_empty() { p.muted { "No table of this connection is shared with you." } }
                        @for s in &visible {
                            h2 { "Schema " code { (s.name) } }
                            @for t in &s.tables {
                                details.table {
                                    summary { code { (record.name) "." (s.name) "." (t.info.name) } " " span.muted { (t.info.kind) ", " (t.columns.len()) " columns" } }
                                    table.list {
                                        thead { tr { th { "Column" } th { "Type" } th { "Nullable" } th { "Personal data" } } }
                                        tbody { @for c in &t.columns { tr {
                                            td.mono { (c.info.name) } td { (c.info.source_type) } td { @if c.info.nullable { "yes" } @else { "no" } }
                                            td {
                                                @if let Some((cats, conf, status)) = found.get(&(s.name.to_string(), t.info.name.clone(), c.info.name.clone())) {
                                                    @if status.as_str() == "rejected" { span.muted { "not personal (decided)" } }
                                                    @else if !cats.is_empty() {
                                                        (cats) " "
                                                        @if status.as_str() == "confirmed" { span.badge { "confirmed" } }
                                                        @else if *conf < threshold { span.badge.medium title="below the masking threshold: shown unmasked until an admin decides (Personal data page)" { "needs review · " (format!("{conf:.2}")) } }
                                                        @else { span.muted { (format!("{conf:.2}")) } }
                                                        " "
                                                    }
                                                }
                                                @if let Some(m) = c.mask { span.masked title="shown masked to you" { "masked (" (m.as_str()) ")" } }
                                            }
                                        } } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
    .into_response())
}
