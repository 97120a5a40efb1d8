//! `/browse` and `/browse/{connection}/{schema}/{table}`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use maud::html;
use proost_app::connections;
use proost_app::{App, Error};

use crate::web::shell::{PageResult, Viewer, page};

pub async fn index(State(app): State<Arc<App>>, viewer: Viewer) -> PageResult {
    let trees = connections::visible_trees(&app, &viewer).await?;
    Ok(page(
        "Browse data",
        "browse",
        Some(&viewer),
        html! {
            section.card {
                h1 { "Browse data" }
                p.muted { "Every table shared with you. Open one to see its rows; filter and sort them without writing SQL. Personal data you may not see unmasked stays masked." }
                @if trees.is_empty() {
                    p { "No connection is shared with you yet. Ask an admin to grant you access to the data you need." }
                }
                @for t in &trees {
                    h2 { (t.record.name) " " small.muted { (t.record.kind) } }
                    @match &t.schemas {
                        None => { p.muted { "This source is not reachable right now." } }
                        Some(schemas) if schemas.is_empty() => { p.muted { "No table of this connection is shared with you." } }
                        Some(schemas) => {
                            @for s in schemas {
                                h3.schema { "Schema " code { (s.name) } }
                                ul.table-cards {
                                    @for table in &s.tables {
                                        li {
                                            a href={ "/browse/" (enc(&t.record.name)) "/" (enc(&s.name)) "/" (enc(&table.name)) } {
                                                strong { (table.name) }
                                                span.muted { (table.kind) " · " (table.columns.len()) " columns" }
                                            }
                                        }
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

/// A name as one path segment: everything but letters, digits and `-._~` escaped.
fn enc(s: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()
}

pub async fn table(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Path((connection, schema, table)): Path<(String, String, String)>,
) -> PageResult {
    // Only what the caller may see; anything else is "not found", never "forbidden".
    let record = connections::visible_records(&app, &viewer)
        .await?
        .into_iter()
        .find(|r| r.name == connection);
    let tree = match record {
        Some(r) => Some(connections::visible_tree(&app, &viewer, r).await),
        None => None,
    };
    let info = tree
        .iter()
        .flat_map(|t| t.schemas.iter().flatten())
        .filter(|s| s.name == schema)
        .flat_map(|s| s.tables.iter())
        .find(|t| t.name == table)
        .ok_or_else(|| Error::not_found(&format!("table `{connection}.{schema}.{table}`")))?;
    Ok(page(
        &table,
        "browse",
        Some(&viewer),
        html! {
            section.card id="browse" data-connection=(connection) data-schema=(schema) data-table=(table) {
                p.crumbs { a href="/browse" { "Browse data" } " / " (connection) " / " (schema) }
                h1 { (table) }
                form id="browse-filter" .filters {
                    label.inline { "Column "
                        select name="column" {
                            @for c in &info.columns { option value=(c.name) { (c.name) } }
                        }
                    }
                    label.inline { "Condition "
                        select name="op" {
                            option value="eq" { "is" }
                            option value="ne" { "is not" }
                            option value="contains" { "contains" }
                            option value="starts_with" { "starts with" }
                            option value="gt" { "greater than" }
                            option value="ge" { "at least" }
                            option value="lt" { "less than" }
                            option value="le" { "at most" }
                            option value="is_null" { "is empty" }
                            option value="not_null" { "is not empty" }
                        }
                    }
                    label.inline { "Value " input name="value" type="text"; }
                    button type="submit" { "Add filter" }
                }
                div id="browse-active" .chips {}
                p.muted id="browse-status" role="status" { "Loading…" }
                p.error role="alert" {}
                div id="browse-grid" {}
            }
        },
    )
    .into_response())
}
