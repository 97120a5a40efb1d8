//! `/sql`: the editor, and beside it the tables the viewer may query.

use std::sync::Arc;

use axum::extract::State;
use axum::response::IntoResponse;
use maud::html;
use proost_app::App;
use proost_app::connections;
use proost_app::sources::visible;

use crate::web::shell::{PageResult, Viewer, page};

pub async fn sql(State(app): State<Arc<App>>, viewer: Viewer) -> PageResult {
    let access = &viewer.access;
    let state = &app;
    let conns = connections::visible_records(&app, &viewer).await?;
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
            visible::catalog(access, &c.id, &schemas)
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
    Ok(page(
        "SQL",
        "sql",
        Some(&viewer),
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
    .into_response())
}
