//! `/admin/audit`: the log with filters, and whether its chain is intact.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State;
use axum::response::IntoResponse;
use maud::html;
use proost_app::App;
use proost_app::audit::{self, AuditQuery};

use crate::http::extract::Query;
use crate::web::fmt;
use crate::web::shell::{PageResult, Viewer, forbidden, page};

pub async fn audit(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Query(f): Query<AuditQuery>,
) -> PageResult {
    if !viewer.access.can("read_audit") {
        return Ok(forbidden(&viewer, "the audit log"));
    }
    let f = f.without_blanks();
    let log = audit::log(&app, &viewer, f.clone()).await?;
    let mut entries = log.entries;
    let broken = log.first_broken;
    let users = audit::actor_names(&app, &viewer).await?;
    let names: HashMap<&str, &str> = users
        .iter()
        .map(|(id, name)| (id.as_str(), name.as_str()))
        .collect();
    let (action, actor, from, to) = (&f.action, &f.actor, &f.from, &f.to);
    let total = entries.len();
    entries.reverse();
    entries.truncate(500);
    let mut export = String::from("/api/v1/audit?");
    for (k, v) in [
        ("action", &action),
        ("actor", &actor),
        ("from", &from),
        ("to", &to),
    ] {
        if let Some(v) = v {
            export.push_str(&format!(
                "{k}={}&",
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            ));
        }
    }
    Ok(page(
        "Audit log",
        "audit",
        Some(&viewer),
        html! {
            section.card {
                h1 { "Audit log" }
                @match broken {
                    None => p.ok { "✓ The hash chain is intact: no entry was changed or removed." },
                    Some(seq) => p.error { "✗ The hash chain breaks at entry #" (seq) ": the log was tampered with. Run " code { "proost audit verify" } "." },
                }
                form.filters method="get" action="/admin/audit" {
                    label.inline { "Action " input name="action" value=[action.as_deref()] placeholder="e.g. grant. or login.failed"; }
                    label.inline { "Who " select name="actor" {
                        option value="" { "anyone" }
                        @for (id, name) in &users { option value=(id) selected[actor.as_deref() == Some(id.as_str())] { (name) } }
                    } }
                    label.inline { "From " input name="from" type="date" value=[from.as_deref()]; }
                    label.inline { "To " input name="to" type="date" value=[to.as_deref()]; }
                    button type="submit" { "Filter" }
                    a.button href=(export) data-download="audit.jsonl" { "Export JSON lines" }
                }
                p.muted { (total) " entries" @if total > 500 { ", newest 500 shown" } "." }
                div.table-wrap tabindex="0" role="region" aria-label="Audit entries" {
                    table.list id="audit" {
                        thead { tr { th.num { "#" } th { "When (UTC)" } th { "Who" } th { "Action" } th { "Target" } th { "Details" } } }
                        tbody {
                            @for e in &entries {
                                tr {
                                    td.num { (e.seq) }
                                    td { (fmt::short_time(&e.at)) }
                                    td { @match e.actor.as_deref() { Some(a) => (names.get(a).copied().unwrap_or(a)), None => span.muted { "system" } } }
                                    td.mono { (e.action) }
                                    td.mono.clip { (e.target.as_deref().unwrap_or("")) }
                                    td.details { (details(&e.details)) }
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

/// An entry's details as readable key/value pairs (nested values as compact JSON).
fn details(v: &serde_json::Value) -> maud::Markup {
    let Some(map) = v.as_object().filter(|m| !m.is_empty()) else {
        return html! { span.muted { "—" } };
    };
    html! {
        dl.kv {
            // Empty fields say nothing: left out.
            @for (k, v) in map.iter().filter(|(_, v)| !v.is_null()) {
                dt { (k.replace('_', " ")) }
                dd { @match v {
                    serde_json::Value::String(s) => { (s) }
                    serde_json::Value::Array(a) if a.iter().all(|x| x.is_string()) => {
                        (a.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(", "))
                    }
                    other => { span.mono { (other.to_string()) } }
                } }
            }
        }
    }
}
