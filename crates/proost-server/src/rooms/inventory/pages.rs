//! `/admin/inventory`.

use std::sync::Arc;

use axum::extract::State;
use axum::response::IntoResponse;
use maud::html;
use proost_app::App;
use proost_app::classify::inventory::{self, InventoryParams};

use crate::http::extract::Query;
use crate::web::shell::{AdminViewer, PageResult, page};

/// `/admin/inventory`: the same rows, with the admin's confirm / reject actions.
pub async fn inventory(
    State(app): State<Arc<App>>,
    admin: AdminViewer,
    Query(params): Query<InventoryParams>,
) -> PageResult {
    let inv = inventory::inventory(&app, &admin, &params).await?;
    let rows = inv.columns;
    let region = inv.region;
    let special = rows.iter().filter(|r| r.sensitivity == "special").count();
    let masked = rows.iter().filter(|r| r.mask.is_some()).count();
    // Suggested below the masking threshold: shown to everyone as stored until decided.
    let review: Vec<_> = rows
        .iter()
        .filter(|r| r.status == "suggested" && r.mask.is_none())
        .collect();
    let body = html! {
        @if !review.is_empty() {
            section.card.review id="needs-review" {
                h2 { "Needs review (" (review.len()) ")" }
                p.muted { "The scan thinks these columns may hold personal data, but not surely enough to mask them on its own (below the masking threshold of "
                    (format!("{:.2}", app.config.mask_threshold)) "). Until you decide, they are shown unmasked to everyone who can query them." }
                table.list {
                    thead { tr { th { "Column" } th { "Might be" } th.num { "Confidence" } th {} } }
                    tbody { @for r in &review {
                        tr {
                            td { code { (r.connection) "." (r.schema) "." (r.table) "." (r.column) } }
                            td { (r.categories.join(", ")) }
                            td.num { (format!("{:.2}", r.confidence)) }
                            td.actions {
                                @let path = format!("/connections/{}/classifications", r.connection_id);
                                button.link.act type="button" data-method="PUT" data-path=(path)
                                    data-body=(serde_json::json!({"schema": r.schema, "table": r.table, "column": r.column, "status": "confirmed"}).to_string())
                                    { "Confirm and mask" }
                                " · "
                                button.link.act type="button" data-method="PUT" data-path=(path)
                                    data-body=(serde_json::json!({"schema": r.schema, "table": r.table, "column": r.column, "status": "rejected"}).to_string())
                                    { "Not personal" }
                            }
                        }
                    } }
                }
            }
        }
        section.card {
            h1 { "Personal data" }
            p.muted {
                (rows.len()) " personal columns, " (special) " of special categories, "
                (masked) " masked for everyone without a pii grant. Proost's copies (replicas, result cache) are kept in region "
                strong { (region) } "; each source's region is under its connection's name."
            }
            p {
                a href="/api/v1/inventory?format=csv" download="proost-inventory.csv" { "Download CSV" }
                " · "
                a href="/api/v1/inventory" data-download="proost-inventory.json" { "JSON" }
            }
            div.scroll-x tabindex="0" role="region" aria-label="Personal columns" { table.grid id="inventory" {
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
    Ok(page("Personal data", "inventory", Some(&admin), body).into_response())
}
