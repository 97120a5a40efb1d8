//! The web UI: server-rendered pages (maud escapes every interpolated value) with one small
//! script and one stylesheet embedded in the binary. Pages read data through the same API
//! as any client, so they can never show more than the API would.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{DOCTYPE, Markup, html};
use proost_store::Session;
use serde::Deserialize;

use crate::AppState;
use crate::auth::session_of;

type Shared = State<Arc<AppState>>;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(home))
        .route("/setup", get(setup))
        .route("/login", get(login))
        .route("/sql", get(sql))
        .route("/connections", get(connections))
        .route("/connections/{id}", get(connection))
        .route("/assets/app.js", get(script))
        .route("/assets/app.css", get(style))
        .merge(crate::ui_admin::routes())
}

/// The signed-in user behind a page request and their access.
pub(crate) async fn viewer(
    state: &AppState,
    headers: &HeaderMap,
) -> Option<(Session, Arc<crate::access::Access>)> {
    let (session, _, _) = session_of(state, headers).await?;
    let access = state.access.of(&state.store, &session.user).await.ok()?;
    Some((session, access))
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("assets/app.js"),
    )
        .into_response()
}

async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("assets/app.css"),
    )
        .into_response()
}

pub(crate) fn page(
    title: &str,
    page: &str,
    session: Option<&Session>,
    body: Markup,
) -> Html<String> {
    let admin = session.is_some_and(|s| s.user.is_admin());
    Html(html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(s) = session { meta name="csrf-token" content=(s.csrf_token); }
                title { (title) " · Proost" }
                link rel="stylesheet" href="/assets/app.css";
                script src="/assets/app.js" defer {}
            }
            body data-page=(page) {
                header.top {
                    a.brand href="/" { span.logo { "P" } "Proost" }
                    @if let Some(s) = session {
                        nav {
                            a href="/sql" class=[(page == "sql").then_some("active")] { "SQL" }
                            a href="/connections" class=[(page.starts_with("connection")).then_some("active")] { "Connections" }
                            @if admin {
                                a href="/admin/people" class=[(page == "people").then_some("active")] { "People" }
                                a href="/admin/inventory" class=[(page == "inventory").then_some("active")] { "Personal data" }
                                a href="/admin/audit" class=[(page == "audit").then_some("active")] { "Audit" }
                                a href="/admin/usage" class=[(page == "usage").then_some("active")] { "Usage" }
                            }
                        }
                        div.user {
                            a.who href="/account" title=(s.user.email) { (s.user.name) }
                            button.link id="logout" type="button" { "Log out" }
                        }
                    }
                }
                main { (body) }
            }
        }
    }.into_string())
}

async fn home(State(state): Shared, headers: HeaderMap) -> Redirect {
    match session_of(&state, &headers).await {
        Some(_) => Redirect::to("/sql"),
        None => Redirect::to("/login"),
    }
}

#[derive(Deserialize)]
struct SetupQuery {
    token: Option<String>,
}

async fn setup(State(state): Shared, Query(q): Query<SetupQuery>) -> Html<String> {
    let done = state
        .store
        .user_count()
        .await
        .map(|n| n > 0)
        .unwrap_or(true);
    page(
        "Set up",
        "setup",
        None,
        html! {
            section.card.narrow {
                h1 { "Welcome to Proost" }
                @if done {
                    p { "This instance is already set up. " a href="/login" { "Log in" } "." }
                } @else if q.token.is_none() {
                    p { "Open the setup link that " code { "proost serve" } " printed on its console." }
                } @else {
                    p.muted { "Create the first administrator. The setup link works once." }
                    form id="setup-form" {
                        input type="hidden" name="token" value=[q.token.as_deref()];
                        label { "Name" input name="name" required autocomplete="name"; }
                        label { "Email" input name="email" type="email" required autocomplete="email"; }
                        label { "Password " small.muted { "(at least 12 characters)" }
                            input name="password" type="password" required minlength="12" autocomplete="new-password"; }
                        button.primary type="submit" { "Create admin" }
                        p.error role="alert" {}
                    }
                }
            }
        },
    )
}

async fn login(State(state): Shared, headers: HeaderMap) -> Response {
    if session_of(&state, &headers).await.is_some() {
        return Redirect::to("/sql").into_response();
    }
    page(
        "Log in",
        "login",
        None,
        html! {
            section.card.narrow {
                h1 { "Log in" }
                @if state.sso.oidc_enabled() {
                    p { a.button href="/api/v1/sso/oidc/login" { "Sign in with single sign-on" } }
                }
                form id="login-form" {
                    @if state.sso.ldap_enabled() {
                        label { "Sign in with"
                            select name="provider" {
                                option value="password" { "Proost password" }
                                option value="ldap" { "Directory (LDAP)" }
                            }
                        }
                        // A directory login may be a user name, not an email.
                        label { "Email or directory login" input name="email" type="text" required autocomplete="username"; }
                    } @else {
                        label { "Email" input name="email" type="email" required autocomplete="username"; }
                    }
                    label { "Password" input name="password" type="password" required autocomplete="current-password"; }
                    button.primary type="submit" { "Log in" }
                    p.error role="alert" {}
                }
            }
        },
    )
    .into_response()
}

async fn sql(State(state): Shared, headers: HeaderMap) -> Response {
    let Some((session, access)) = viewer(&state, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    let mut conns = state.store.connections().await.unwrap_or_default();
    conns.retain(|c| access.sees_connection(&c.id));
    let native: Vec<&proost_store::ConnectionRecord> = conns
        .iter()
        .filter(|c| access.can("native_sql") && access.unrestricted_on(&c.id))
        .collect();
    let example = conns
        .iter()
        .find(|c| c.demo)
        .map(|c| {
            format!(
                "SELECT c.country, COUNT(*) AS orders, ROUND(SUM(o.amount), 2) AS revenue\nFROM {0}.main.orders o\nJOIN {0}.main.customers c ON c.id = o.customer_id\nGROUP BY c.country\nORDER BY revenue DESC",
                c.name
            )
        })
        .unwrap_or_else(|| "SELECT 1".into());
    // The table list beside the editor; a slow or unreachable source is shown as such
    // instead of holding the page.
    let trees = futures::future::join_all(conns.iter().map(|c| async {
        let tree = tokio::time::timeout(
            std::time::Duration::from_secs(3),
            state.connections.schemas(c),
        )
        .await;
        let replicated = state.replicas.fresh_for(&c.id);
        // Only the tables the caller may see, as in their governed catalog.
        let tree = tree.ok().and_then(Result::ok).map(|schemas| {
            crate::visible::catalog(&access, &c.id, &schemas)
                .into_iter()
                .map(|s| proost_connect::SchemaInfo {
                    name: s.name.to_string(),
                    tables: s.tables.iter().map(|t| t.info.clone()).collect(),
                })
                .collect::<Vec<_>>()
        });
        (c.name.clone(), tree, replicated)
    }))
    .await;
    page(
        "SQL",
        "sql",
        Some(&session),
        html! {
            div.workspace {
            aside.tables {
                h2 { "Tables" }
                @for (name, tree, replicated) in &trees {
                    details open[trees.len() == 1] {
                        summary { (name) }
                        @match tree {
                            None => { p.muted { "not reachable right now" } }
                            Some(schemas) => {
                                @for s in schemas.iter() {
                                    @for t in &s.tables {
                                        button.table-ref type="button"
                                            data-sql={ "SELECT * FROM " (name) "." (s.name) "." (t.name) " LIMIT 100" }
                                            title={ (name) "." (s.name) "." (t.name) }
                                        {
                                            (s.name) "." (t.name)
                                            @if let Some(r) = replicated.get(&(s.name.clone(), t.name.clone())) {
                                                " " span.replica-mark title={ "answered from the encrypted replica, version " (r.version) } { "replica" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            div.work {
            section.editor {
                div.toolbar {
                    label.inline { "Run on "
                        select id="target" {
                            option value="" { "All sources (connection.schema.table)" }
                            @for c in &native { option value=(c.name) { (c.name) " — native " (c.kind) } }
                        }
                    }
                    label.inline { "Row limit " input id="limit" type="number" value="2000" min="1" max="100000"; }
                    span.spacer {}
                    button.primary id="run" type="button" title="Ctrl+Enter" { "Run" }
                    button id="csv" type="button" { "Download CSV" }
                }
                textarea id="sql" spellcheck="false" rows="10" { (example) }
            }
            section id="result" {
                p.muted id="status" { "Write a query and press Run (Ctrl+Enter)." }
                p.error role="alert" {}
                div.table-wrap { table id="grid" {} }
            }
            }
            }
        },
    )
    .into_response()
}

async fn connections(State(state): Shared, headers: HeaderMap) -> Response {
    let Some((session, access)) = viewer(&state, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    let mut conns = state.store.connections().await.unwrap_or_default();
    conns.retain(|c| access.sees_connection(&c.id));
    let admin = access.admin;
    page(
        "Connections",
        "connections",
        Some(&session),
        html! {
            section.card {
                h1 { "Connections" }
                table.list {
                    thead { tr { th { "Name" } th { "Kind" } @if admin { th { "Address" } th { "Read-only check" } } } }
                    tbody {
                        @for c in &conns {
                            tr {
                                td { a href={ "/connections/" (c.id) } { (c.name) } @if c.demo { " " span.badge { "demo" } } }
                                td { (c.kind) }
                                // The source account's privileges name schemas and tables the
                                // caller may not see: for admins only.
                                @if admin {
                                    td.mono { (state.connections.params(c).map(|p| p.display_url()).unwrap_or_default()) }
                                    td {
                                        @if c.warnings.is_empty() { span.ok { "read-only account" } }
                                        @else { span.warn title=(c.warnings.join("\n")) { "⚠ account can write" } }
                                    }
                                }
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
    .into_response()
}

async fn connection(State(state): Shared, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let Some((session, access)) = viewer(&state, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    let record = match state.store.connection(&id).await {
        Ok(Some(r)) if access.sees_connection(&r.id) => r,
        _ => {
            return (
                axum::http::StatusCode::NOT_FOUND,
                page("Not found", "connection", Some(&session), html! {
                    section.card { h1 { "Connection not found" } a href="/connections" { "Back to connections" } }
                }),
            )
                .into_response();
        }
    };
    let schemas = state.connections.schemas(&record).await;
    let replicas = state
        .store
        .replicas(Some(&record.id))
        .await
        .unwrap_or_default();
    let mut replica_rows = Vec::new();
    for r in &replicas {
        if let Ok(v) = state.replicas.json(r).await {
            replica_rows.push(v);
        }
    }
    let admin = access.admin;
    if !admin {
        replica_rows.clear();
    }
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::Null => "—".to_string(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    // `2026-11-29T16:09:57.028Z` → `2026-11-29 16:09:57 UTC`
    let when = |v: &serde_json::Value| match v.as_str() {
        Some(t) if t.len() >= 19 => format!("{} UTC", t[..19].replace('T', " ")),
        _ => "never".to_string(),
    };
    let size = |v: &serde_json::Value| match v.as_f64() {
        Some(b) if b >= 1048576.0 => format!("{:.1} MiB", b / 1048576.0),
        Some(b) => format!("{:.0} KiB", (b / 1024.0).ceil()),
        None => "—".into(),
    };
    page(
        &record.name,
        "connection",
        Some(&session),
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
                                    td.mono { (text(&r["table"])) }
                                    td { (text(&r["mode"])) @if let Some(c) = r["cursor_column"].as_str() { " by " code { (c) } } }
                                    td { span class={ "state " (text(&r["state"])) } { (text(&r["state"])) }
                                         @if let Some(e) = r["last_error"].as_str() { br; small.error { (e) } } }
                                    td.num { (text(&r["version"])) }
                                    td.num { (text(&r["rows"])) }
                                    td.num { (size(&r["bytes"])) }
                                    td { (when(&r["last_sync"])) }
                                    td { (text(&r["schedule"])) }
                                    @if admin { td { button.link.delete-replica type="button" data-replica=(text(&r["id"])) { "Remove" } } }
                                }
                            }
                        }
                    }
                }
                @if admin {
                    p { button id="sync-now" type="button" { "Sync now" } " " span id="sync-status" .muted {} }
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
                        @let visible = crate::visible::catalog(&access, &record.id, schemas);
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
                                            td { @if let Some(m) = c.mask { span.masked title="shown masked to you" { "masked (" (m.as_str()) ")" } } }
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
    .into_response()
}
