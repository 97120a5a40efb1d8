//! `/dashboards` and `/dashboards/{id}`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use maud::html;
use proost_app::App;
use proost_app::content::{self, dashboards};

use crate::web::shell::{PageResult, Viewer, page};

pub async fn index(State(app): State<Arc<App>>, viewer: Viewer) -> PageResult {
    let list = content::list(&app, &viewer, "dashboard", None).await?;
    Ok(page(
        "Dashboards",
        "dashboards",
        Some(&viewer),
        html! {
            section.card {
                h1 { "Dashboards" }
                @if list.is_empty() {
                    p { "No dashboard is saved or shared with you yet." }
                } @else {
                    table.list {
                        thead { tr { th { "Name" } th { "Description" } th { "Updated" } th { "Access" } } }
                        tbody {
                            @for d in &list {
                                tr {
                                    td { a href={ "/dashboards/" (d.id) } { (d.name) } }
                                    td { (d.description) }
                                    td { (d.updated_at.get(..10).unwrap_or("")) }
                                    td { (d.access) }
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

pub async fn dashboard(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> PageResult {
    let d = dashboards::get(&app, &viewer, &id).await?;
    let layout = serde_json::to_string(&d.doc).unwrap_or_default();
    Ok(page(
        &d.doc.name,
        "dashboard",
        Some(&viewer),
        html! {
            section #dashboard data-id=(d.id) data-layout=(layout) {
                div.toolbar {
                    h1 { (d.doc.name) }
                    span.spacer {}
                    @if d.access != "view" {
                        button #d-edit type="button" aria-pressed="false" { "Edit layout" }
                        button #d-save.primary type="button" hidden { "Save layout" }
                    }
                    a.button #d-pdf href={ "/api/v1/dashboards/" (d.id) "/export?format=pdf" } download { "PDF" }
                    button #d-full type="button" { "Full screen" }
                    button #d-refresh type="button" { "Refresh" }
                }
                @if !d.doc.description.is_empty() { p.muted { (d.doc.description) } }
                @if !d.doc.filters.is_empty() {
                    form #d-filters.toolbar {
                        @for f in &d.doc.filters {
                            label { (f.name) " " input name=(f.name) data-type=(f.kind) type=(if f.kind == "number" { "number" } else { "text" }); }
                        }
                        button.primary type="submit" { "Apply" }
                    }
                }
                p #d-status.muted role="status" { "Loading…" }
                div #d-grid.dash-grid {}
            }
            (crate::web::content::actions("dashboard", &d.id, d.access == "own"))
            (crate::web::content::comments("dashboard", &d.id))
        },
    )
    .into_response())
}
