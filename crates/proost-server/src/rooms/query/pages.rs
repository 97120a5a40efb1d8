//! `/sql`: the editor, and beside it the tables the viewer may query.

use std::sync::Arc;

use axum::extract::State;
use axum::response::IntoResponse;
use maud::html;
use proost_app::App;
use proost_app::connections;

use crate::web::shell::{PageResult, Viewer, page};

pub async fn sql(State(app): State<Arc<App>>, viewer: Viewer) -> PageResult {
    let access = &viewer.access;
    if !access.can("sql") {
        // A role without SQL (viewers) explores in the data browser.
        return Ok(axum::response::Redirect::to("/browse").into_response());
    }
    let state = &app;
    let trees = connections::visible_trees(&app, &viewer).await?;
    let conns: Vec<&proost_store::ConnectionRecord> = trees.iter().map(|t| &t.record).collect();
    let native: Vec<&proost_store::ConnectionRecord> = conns
        .iter()
        .copied()
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
    // The table list beside the editor: only what the caller may see.
    // For the editor's completion: `connection.schema.table` → its visible columns.
    let mut completion = serde_json::Map::new();
    for t in &trees {
        for s in t.schemas.iter().flatten() {
            for table in &s.tables {
                completion.insert(
                    format!("{}.{}.{}", t.record.name, s.name, table.name),
                    table.columns.iter().map(|c| c.name.clone()).collect(),
                );
            }
        }
    }
    let completion = serde_json::Value::Object(completion).to_string();
    Ok(page(
        "SQL",
        "sql",
        Some(&viewer),
        html! {
            div.workspace {
            aside.tables {
                h2 { "Tables" }
                @for t in &trees {
                    @let name = &t.record.name;
                    @let replicated = state.replicas.fresh_for(&t.record.id);
                    details open[trees.len() == 1] {
                        summary { (name) }
                        @match &t.schemas {
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
                div.tabs id="sql-tabs" role="group" aria-label="Query tabs" {}
                div.toolbar {
                    label.inline { "Run on "
                        select id="target" {
                            option value="" { "All sources (connection.schema.table)" }
                            @for c in &native { option value=(c.name) { (c.name) " — native " (c.kind) } }
                        }
                    }
                    label.inline { "Row limit " input id="limit" type="number" value="2000" min="1" max="100000"; }
                    span.spacer {}
                    button id="format" type="button" title="Shift+Alt+F" { "Format" }
                    button.primary id="run" type="button" title="Ctrl+Enter runs the selection, or everything" { "Run" }
                    button.danger id="cancel" type="button" hidden { "Cancel" }
                    button id="csv" type="button" { "Download CSV" }
                }
                textarea id="sql" spellcheck="false" rows="10" aria-label="SQL" data-schema=(completion) { (example) }
            }
            section id="result" {
                p.muted id="status" role="status" { "Write a query and press Run (Ctrl+Enter)." }
                p.error role="alert" {}
                div id="grid" {}
            }
            section id="history" .card {
                div.toolbar.plain {
                    h2 { "Your history" }
                    span.spacer {}
                    label.inline { "Search " input id="history-q" type="search" placeholder="text in the statement"; }
                }
                p.muted { small { "Only you can read these statements: they are sealed with your own key and forgotten after the usage retention." } }
                ol id="history-list" {}
                p.muted id="history-empty" hidden { "Nothing yet: what you run shows up here." }
            }
            }
            }
        },
    )
    .into_response())
}
