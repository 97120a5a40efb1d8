//! `/questions`, `/questions/new` (the builder) and `/questions/{id}`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use maud::html;
use proost_app::content::{self, questions};
use proost_app::{App, connections};
use serde_json::json;

use crate::web::shell::{PageResult, Viewer, page};

pub async fn index(State(app): State<Arc<App>>, viewer: Viewer) -> PageResult {
    let list = content::list(&app, &viewer, "question", None).await?;
    let collections = content::list(&app, &viewer, "collection", None).await?;
    Ok(page(
        "Questions",
        "questions",
        Some(&viewer),
        html! {
            section.card {
                div.toolbar {
                    h1 { "Questions" }
                    span.spacer {}
                    @if viewer.access.can("sql") { a.button.primary href="/questions/new" { "New question" } }
                }
                p.muted { "Saved questions you may open. Each runs with your own access: masks and row policies apply to you, whoever wrote it." }
                @if list.is_empty() {
                    p { "No question is saved or shared with you yet." }
                } @else {
                    table.list {
                        thead { tr { th { "Name" } th { "Description" } th { "Collection" } th { "Updated" } th { "Access" } } }
                        tbody {
                            @for q in &list {
                                tr {
                                    td { a href={ "/questions/" (q.id) } { (q.name) } }
                                    td { (q.description) }
                                    td { @if let Some(c) = q.collection.as_ref().and_then(|c| collections.iter().find(|x| &x.id == c)) { (c.name) } }
                                    td { (q.updated_at.get(..10).unwrap_or("")) }
                                    td { (q.access) }
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

pub async fn builder(State(app): State<Arc<App>>, viewer: Viewer) -> PageResult {
    let trees = connections::visible_trees(&app, &viewer).await?;
    let mut tables = serde_json::Map::new();
    // Foreign keys the caller may see, so the page can join along them.
    let mut keys = Vec::new();
    for t in &trees {
        for s in t.schemas.iter().flatten() {
            for tb in &s.tables {
                let cols: Vec<_> = tb.columns.iter().map(|c| c.name.clone()).collect();
                let name = format!("{}.{}.{}", t.record.name, s.name, tb.name);
                for k in &tb.foreign_keys {
                    keys.push(json!({
                        "table": name,
                        "columns": k.columns,
                        "ref": format!("{}.{}.{}", t.record.name, k.ref_schema, k.ref_table),
                        "ref_columns": k.ref_columns,
                    }));
                }
                tables.insert(name, json!(cols));
            }
        }
    }
    let data = json!({"tables": tables, "keys": keys}).to_string();
    Ok(page(
        "New question",
        "builder",
        Some(&viewer),
        html! {
            section.card #builder data-catalog=(data) {
                h1 { "New question" }
                p.muted { "Pick a table, then filter, group and summarize. The question is planned over your governed tables, never sent as SQL text." }
                form.builder #builder-form {
                    fieldset { legend { "Data" }
                        label { "Table " select #b-table required {} }
                    }
                    fieldset { legend { "Join" }
                        label { "Table " select #b-jtable { option value="" { "(no join)" } } }
                        label { "where " select #b-jleft { option value="" { "—" } } }
                        label { "equals " select #b-jright { option value="" { "—" } } }
                        span #b-jkey.muted role="status" {}
                    }
                    fieldset { legend { "Filter" }
                        label { "Column " select #b-fcol { option value="" { "(none)" } } }
                        label { "Operator " select #b-fop {
                            @for (v, l) in [("eq","is"),("ne","is not"),("gt","greater than"),("lt","less than"),("contains","contains"),("not_null","is not empty"),("relative","in the last … days")] { option value=(v) { (l) } }
                        } }
                        label { "Value " input #b-fval type="text"; }
                    }
                    fieldset { legend { "Summarize" }
                        label { "Aggregation " select #b-agg {
                            @for (v, l) in [("","(rows)"),("count","Count of rows"),("sum","Sum of"),("avg","Average of"),("min","Minimum of"),("max","Maximum of"),("count_distinct","Distinct values of"),("median","Median of")] { option value=(v) { (l) } }
                        } }
                        label { "of column " select #b-aggcol { option value="" { "—" } } }
                        label { "Group by " select #b-group { option value="" { "(nothing)" } } }
                        label { "Bucket " select #b-bucket {
                            @for (v, l) in [("","as is"),("day","day"),("week","week"),("month","month"),("quarter","quarter"),("year","year"),("day_of_week","day of week"),("hour_of_day","hour of day")] { option value=(v) { (l) } }
                        } }
                    }
                    fieldset { legend { "Computed column" }
                        label { "Name " input #b-cname type="text" placeholder="net_per_item"; }
                        label { "Expression " input #b-cexpr type="text" placeholder="[amount] / [quantity]"; }
                    }
                    fieldset { legend { "Visualization" }
                        label { "Chart " select #b-viz {
                            @for t in ["table","bar","stacked_bar","line","area","combo","pie","donut","number","pivot","scatter","heatmap","funnel"] { option value=(t) { (t) } }
                        } }
                    }
                    div.toolbar {
                        button.primary #b-run type="submit" { "Run" }
                        button #b-sql type="button" { "View SQL" }
                        span.spacer {}
                        label { "Name " input #b-name type="text"; }
                        button #b-save type="button" { "Save" }
                    }
                }
                pre #b-sqltext hidden {}
                p #b-status.muted role="status" {}
                figure.chart #chart {}
                div #result {}
            }
        },
    )
    .into_response())
}

pub async fn question(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> PageResult {
    let q = questions::get(&app, &viewer, &id).await?;
    let params: Vec<_> = match (&q.doc.query.sql, &q.doc.query.builder) {
        (Some(_), _) => q.doc.query.params.clone(),
        (_, Some(spec)) => spec.params.clone(),
        _ => Vec::new(),
    };
    let kind = if q.doc.query.builder.is_some() {
        "builder"
    } else {
        "sql"
    };
    let spec = q
        .doc
        .query
        .builder
        .as_ref()
        .map(|s| serde_json::to_string(s).unwrap_or_default())
        .unwrap_or_default();
    // Where a click on a value leads (`{"question"|"dashboard": id, "param"|"filter": name}`).
    let click = q
        .doc
        .visualization
        .get("click")
        .filter(|c| c.is_object())
        .map(|c| c.to_string())
        .unwrap_or_default();
    Ok(page(
        &q.doc.name,
        "question",
        Some(&viewer),
        html! {
            section.card #question data-id=(q.id) data-kind=(kind) data-spec=(spec) data-click=(click) {
                div.toolbar {
                    h1 { (q.doc.name) }
                    span.spacer {}
                    a.button href={ "/api/v1/questions/" (q.id) "/export?format=csv" } download { "CSV" }
                    a.button href={ "/api/v1/questions/" (q.id) "/export?format=xlsx" } download { "XLSX" }
                }
                @if !q.doc.description.is_empty() { p { (q.doc.description) } }
                p.muted { "Version " (q.version) " · your access: " (q.access) " · runs with your own grants, masks and row policies." }
                @if !params.is_empty() {
                    form #params.toolbar {
                        @for p in &params {
                            label { (p.name) " " input name=(p.name) data-type=(p.kind) type=(if p.kind == "date" { "date" } else if matches!(p.kind.as_str(), "number" | "integer") { "number" } else { "text" }) value=(p.default.as_ref().map(|d| d.as_str().map(str::to_string).unwrap_or_else(|| d.to_string())).unwrap_or_default()); }
                        }
                        button.primary type="submit" { "Apply" }
                    }
                }
                p #q-status.muted role="status" { "Running…" }
                div.chart #chart {}
                details #q-table { summary { "Rows" } div #result data-always="1" {} }
            }
            (crate::web::content::actions("question", &q.id, q.access == "own"))
            (crate::web::content::comments("question", &q.id))
        },
    )
    .into_response())
}
