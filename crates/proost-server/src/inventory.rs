//! The personal-data inventory (GDPR Art. 30's raw material): per connection, table and
//! column, what personal data it holds, how sensitive, whether and how it is masked, who
//! reads it unmasked, and where copies of it live. JSON, CSV and an admin page.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use proost_classify::{Category, Sensitivity};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::ui::{page, viewer};

#[derive(Debug, Serialize)]
pub struct InventoryRow {
    pub connection: String,
    pub connection_id: String,
    pub kind: String,
    pub schema: String,
    pub table: String,
    pub column: String,
    pub categories: Vec<String>,
    pub confidence: f32,
    pub sensitivity: &'static str,
    pub status: String,
    /// The mask for callers without `pii` on the column; `None` when it is not masked.
    pub mask: Option<&'static str>,
    /// Who reads it unmasked: `admins`, `user:<email>`.
    pub unmasked_for: Vec<String>,
    /// Where the values live: the source, and Proost's copies.
    pub copies: Vec<String>,
    /// Where the replica and the result cache are kept: this instance's region.
    pub region: String,
    /// Where the source lives: the connection's region, else this instance's.
    pub source_region: String,
}

#[derive(Deserialize, Default)]
pub struct InventoryParams {
    pub connection: Option<String>,
    pub format: Option<String>,
    /// Include rejected columns (kept out by default: an admin said they are not personal).
    #[serde(default)]
    pub rejected: bool,
}

fn sensitivity_of(categories: &[String]) -> Sensitivity {
    categories
        .iter()
        .filter_map(|c| Category::from_id(c))
        .map(Category::sensitivity)
        .max()
        .unwrap_or(Sensitivity::Low)
}

fn sensitivity_name(s: Sensitivity) -> &'static str {
    match s {
        Sensitivity::Low => "low",
        Sensitivity::Medium => "medium",
        Sensitivity::High => "high",
        Sensitivity::Special => "special",
    }
}

/// Builds the inventory, from the same access rules every query goes through.
pub async fn build(state: &AppState, params: &InventoryParams) -> ApiResult<Vec<InventoryRow>> {
    let connections = state.store.connections().await?;
    let replicas = state.store.replicas(None).await?;
    let users: Vec<_> = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.active)
        .collect();
    let mut accesses = Vec::with_capacity(users.len());
    for u in &users {
        accesses.push((u, state.access.of(&state.store, u).await?));
    }
    let classifications = state.store.classifications(None).await?;
    let cache_on = state.config.cache_max_mb > 0;
    let mut rows = Vec::new();
    for c in &connections {
        if params
            .connection
            .as_deref()
            .is_some_and(|n| n != c.name && n != c.id)
        {
            continue;
        }
        for r in classifications
            .iter()
            .filter(|r| r.connection_id == c.id)
            .cloned()
        {
            if r.status == "rejected" && !params.rejected {
                continue;
            }
            let mut ids = Vec::new();
            let mut confidence = 0f32;
            for f in r.categories.as_array().into_iter().flatten() {
                let id = f
                    .get("category")
                    .and_then(Value::as_str)
                    .or(f.as_str())
                    .unwrap_or_default();
                if !id.is_empty() {
                    ids.push(id.to_owned());
                }
                let conf = f.get("confidence").and_then(Value::as_f64).unwrap_or(1.0) as f32;
                confidence = confidence.max(conf);
            }
            let mut mask = None;
            let mut unmasked_for = Vec::new();
            let mut admins = false;
            for (u, a) in &accesses {
                if mask.is_none() {
                    mask = a.protection(&c.id, &r.schema, &r.table, &r.column);
                }
                match a.column_view(&c.id, &r.schema, &r.table, &r.column) {
                    Some(None) if a.admin => admins = true,
                    Some(None) => unmasked_for.push(format!("user:{}", u.email)),
                    _ => {}
                }
            }
            if admins {
                unmasked_for.insert(0, "admins".into());
            }
            let replicated = replicas.iter().any(|x| {
                x.connection_id == c.id && x.schema_name == r.schema && x.table_name == r.table
            });
            let mut copies = vec![format!("source:{}", c.kind)];
            if replicated {
                copies.push("replica (encrypted parquet)".into());
            }
            if cache_on && (replicated || state.config.cache_live) {
                copies.push("result cache (encrypted, memory)".into());
            }
            rows.push(InventoryRow {
                connection: c.name.clone(),
                connection_id: c.id.clone(),
                kind: c.kind.clone(),
                schema: r.schema,
                table: r.table,
                column: r.column,
                sensitivity: sensitivity_name(sensitivity_of(&ids)),
                categories: ids,
                confidence: (confidence * 100.0).round() / 100.0,
                status: r.status,
                mask: mask.map(|m| m.as_str()),
                unmasked_for,
                copies,
                region: state.config.region.clone(),
                source_region: c
                    .region
                    .clone()
                    .unwrap_or_else(|| state.config.region.clone()),
            });
        }
    }
    Ok(rows)
}

/// `GET /api/v1/inventory[?connection=…][&format=csv]` (admin). `Accept: text/csv` also
/// gives CSV.
pub async fn api(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    headers: HeaderMap,
    Query(params): Query<InventoryParams>,
) -> ApiResult<Response> {
    caller.require_admin()?;
    let rows = build(&state, &params).await?;
    crate::api::audit(
        &state,
        &caller,
        "inventory.export",
        None,
        &serde_json::json!({"rows": rows.len(), "connection": params.connection}),
    )
    .await?;
    let csv = params.format.as_deref() == Some("csv") || crate::api::accepts(&headers, "text/csv");
    if csv {
        return Ok((
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static("attachment; filename=\"proost-inventory.csv\""),
                ),
            ],
            to_csv(&rows),
        )
            .into_response());
    }
    Ok(Json(serde_json::json!({"region": state.config.region, "columns": rows})).into_response())
}

fn csv_field(s: &str) -> String {
    // Quoted always; a leading = + - @ is defused so a spreadsheet does not run it.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn to_csv(rows: &[InventoryRow]) -> String {
    let mut out = String::from(
        "connection,kind,schema,table,column,categories,confidence,sensitivity,status,mask,unmasked_for,copies,region,source_region\r\n",
    );
    for r in rows {
        let fields = [
            r.connection.clone(),
            r.kind.clone(),
            r.schema.clone(),
            r.table.clone(),
            r.column.clone(),
            r.categories.join(" "),
            format!("{:.2}", r.confidence),
            r.sensitivity.to_owned(),
            r.status.clone(),
            r.mask.unwrap_or("none").to_owned(),
            r.unmasked_for.join(" "),
            r.copies.join("; "),
            r.region.clone(),
            r.source_region.clone(),
        ];
        out.push_str(
            &fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

/// `/admin/inventory`: the same rows, with the admin's confirm / reject actions.
pub async fn page_handler(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(params): Query<InventoryParams>,
) -> Response {
    let Some((session, access)) = viewer(&state, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    if !access.admin {
        return (
            StatusCode::FORBIDDEN,
            page(
                "Inventory",
                "inventory",
                Some(&session),
                html! { section.card { h1 { "Personal data" } p.error { "Only an admin can see the inventory." } } },
            ),
        )
            .into_response();
    }
    let rows = match build(&state, &params).await {
        Ok(r) => r,
        Err(e) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                page(
                    "Inventory",
                    "inventory",
                    Some(&session),
                    html! { section.card { h1 { "Personal data" } p.error { (e.message) } } },
                ),
            )
                .into_response();
        }
    };
    let special = rows.iter().filter(|r| r.sensitivity == "special").count();
    let masked = rows.iter().filter(|r| r.mask.is_some()).count();
    let body = html! {
        section.card {
            h1 { "Personal data" }
            p.muted {
                (rows.len()) " personal columns, " (special) " of special categories, "
                (masked) " masked for everyone without a pii grant. Proost's copies (replicas, result cache) are kept in region "
                strong { (state.config.region) } "; each source's region is under its connection's name."
            }
            p {
                a href="/api/v1/inventory?format=csv" download="proost-inventory.csv" { "Download CSV" }
                " · "
                a href="/api/v1/inventory" { "JSON" }
            }
            div.scroll-x { table.grid id="inventory" {
                thead { tr {
                    th { "Connection" } th { "Table" } th { "Column" } th { "Categories" }
                    th { "Sensitivity" } th { "Status" } th { "Mask" } th { "Unmasked for" }
                    th { "Copies" } th { "" }
                } }
                tbody {
                    @for r in &rows {
                        tr class=(format!("sens-{}", r.sensitivity)) {
                            td { (r.connection) br; span.muted title="where the source lives" { (r.source_region) } }
                            td { (r.schema) "." (r.table) }
                            td { code { (r.column) } }
                            td { (r.categories.join(", ")) span.muted { " " (format!("{:.2}", r.confidence)) } }
                            td { span class=(format!("badge {}", r.sensitivity)) { (r.sensitivity) } }
                            td { (r.status) }
                            td { (r.mask.unwrap_or("—")) }
                            td { (r.unmasked_for.join(", ")) }
                            td { (r.copies.join("; ")) }
                            td.actions {
                                @let path = format!("/connections/{}/classifications", r.connection_id);
                                @if r.status != "confirmed" {
                                    button.link.act type="button" data-method="PUT" data-path=(path)
                                        data-body=(serde_json::json!({"schema": r.schema, "table": r.table, "column": r.column, "status": "confirmed"}).to_string())
                                        { "Confirm" }
                                }
                                @if r.status != "rejected" {
                                    button.link.act type="button" data-method="PUT" data-path=(path)
                                        data-body=(serde_json::json!({"schema": r.schema, "table": r.table, "column": r.column, "status": "rejected"}).to_string())
                                        data-confirm={ "Mark " (r.table) "." (r.column) " as not personal? It is then shown unmasked to everyone who can query it." }
                                        { "Not personal" }
                                }
                            }
                        }
                    }
                }
            } }
        }
    };
    page("Personal data", "inventory", Some(&session), body).into_response()
}
