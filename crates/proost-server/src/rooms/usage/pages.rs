//! `/admin/usage`: the instance's counts and licence, top questions, slowest queries,
//! active users and recent events, filtered by a plain GET form, through the same filters
//! as `GET /api/v1/usage`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State;
use axum::response::IntoResponse;
use maud::{Markup, html};
use proost_app::App;
use proost_app::usage::{self, UsageParams};
use proost_store::UsageEvent;

use crate::http::extract::Query;
use crate::web::fmt;
use crate::web::shell::{AdminViewer, PageResult, page};

pub async fn usage(
    State(app): State<Arc<App>>,
    admin: AdminViewer,
    Query(params): Query<UsageParams>,
) -> PageResult {
    let o = usage::overview(
        &app,
        &admin,
        &params,
        params.limit.unwrap_or(100).clamp(1, 1000),
    )
    .await;
    let state = &app;
    let body = match o {
        // A bad filter is the viewer's to fix on this very page.
        Err(e) if e.kind == proost_app::Kind::Invalid => html! {
            section.card { h1 { "Usage" } p.error { (e.message) } a href="/admin/usage" { "Clear the filters" } }
        },
        Err(e) => return Err(e.into()),
        Ok(o) => {
            let (events, top_questions, slowest, users, days, instance) = (
                o.events,
                o.top_questions,
                o.slowest,
                o.active_users,
                o.active_per_day,
                o.instance,
            );
            let names: HashMap<&str, &str> = users
                .iter()
                .map(|u| {
                    let label = u
                        .name
                        .as_deref()
                        .or(u.email.as_deref())
                        .unwrap_or(&u.user_id);
                    (u.user_id.as_str(), label)
                })
                .collect();
            let who = |e: &UsageEvent| -> String {
                match &e.user_id {
                    Some(id) => names
                        .get(id.as_str())
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| id.clone()),
                    None => "—".into(),
                }
            };
            let lic = &instance.licence;
            html! {
                section.card id="instance" {
                    h1 { "Usage" }
                    p {
                        strong { (instance.users) } " users · "
                        strong { (instance.roles) } " roles · "
                        strong { (instance.connections) } " connections"
                    }
                    @match lic {
                        None => p.muted { "No licence file: no limits." },
                        Some(lic) => p {
                            "Licensed to " strong { (lic.licensee) } ": "
                            (fmt::limit(lic.max_users)) " users, "
                            (fmt::limit(lic.max_roles)) " roles, "
                            (fmt::limit(lic.max_connections)) " connections"
                            @if let Some(d) = &lic.expires { ", until " (d) }
                            @if lic.expired { " " span.warn { "expired" } }
                        },
                    }
                    p.muted {
                        "Events are kept " (state.config.usage_retention_days) " days, then folded into daily counts; addresses are cut to their network after "
                        (state.config.usage_ip_days) " days. Browsers sending Do Not Track or Global Privacy Control are not recorded. Nothing is sent to a vendor."
                    }
                    form method="get" action="/admin/usage" {
                        label.inline { "User " input name="user" value=[params.user.as_deref()] placeholder="email or id"; }
                        label.inline { "Kind "
                            select name="kind" {
                                option value="" { "any" }
                                @for k in ["page", "query", "connection_added", "field_added"] {
                                    option value=(k) selected[params.kind.as_deref() == Some(k)] { (k) }
                                }
                            }
                        }
                        label.inline { "From " input name="from" type="date" value=[params.from.as_deref()]; }
                        label.inline { "To " input name="to" type="date" value=[params.to.as_deref()]; }
                        " "
                        button type="submit" { "Filter" }
                    }
                }
                section.card id="top-questions" {
                    h2 { "Top questions" }
                    @if top_questions.is_empty() { p.muted { "No queries in this window." } } @else {
                        table.list {
                            thead { tr { th { "Statement (literals replaced by ?)" } th.num { "Runs" } th.num { "Users" } th.num { "Avg ms" } th { "Last run" } } }
                            tbody { @for q in &top_questions { tr {
                                td.mono { (q.statement.as_deref().unwrap_or("(not parsed)")) }
                                td.num { (q.runs) } td.num { (q.users) } td.num { (fmt::ms(q.avg_ms)) } td { (fmt::seconds(&q.last_at)) }
                            } } }
                        }
                    }
                }
                section.card id="slowest" {
                    h2 { "Slowest queries" }
                    @if slowest.is_empty() { p.muted { "No queries in this window." } } @else {
                        (events_table(&slowest, &who))
                    }
                }
                section.card id="active-users" {
                    h2 { "Active users" }
                    @if users.is_empty() { p.muted { "Nobody in this window." } } @else {
                        table.list {
                            thead { tr { th { "User" } th.num { "Events" } th.num { "Queries" } th { "Last seen" } } }
                            tbody { @for u in users.iter().take(50) { tr {
                                td { (u.name.as_deref().unwrap_or(&u.user_id)) @if let Some(e) = &u.email { " " small.muted { (e) } } }
                                td.num { (u.events) } td.num { (u.queries) } td { (fmt::seconds(&u.last_at)) }
                            } } }
                        }
                    }
                    @if !days.is_empty() {
                        h3 { "Per day" }
                        table.list {
                            thead { tr { th { "Day" } th.num { "Users" } th.num { "Events" } } }
                            tbody { @for d in &days { tr { td { (d.day) } td.num { (d.users) } td.num { (d.events) } } } }
                        }
                    }
                }
                section.card id="events" {
                    h2 { "Recent events" }
                    @if events.is_empty() { p.muted { "No events match." } } @else { (events_table(&events, &who)) }
                }
            }
        }
    };
    Ok(page("Usage", "usage", Some(&admin), body).into_response())
}

fn events_table(events: &[UsageEvent], who: &dyn Fn(&UsageEvent) -> String) -> Markup {
    html! {
        table.list {
            thead { tr { th { "When (UTC)" } th { "User" } th { "Kind" } th { "Page or statement" } th.num { "ms" } th.num { "Rows" } th { "Served from" } th { "Sources" } th { "Address" } } }
            tbody { @for e in events { tr {
                td { (fmt::seconds(&e.at)) }
                td { (who(e)) }
                td { (e.kind) }
                td.mono { (e.statement.as_deref().or(e.path.as_deref()).unwrap_or("")) }
                td.num { (fmt::ms(e.elapsed_ms)) }
                td.num { (e.rows.map(|r| r.to_string()).unwrap_or_default()) }
                td { (e.served_from.join(", ")) @if let Some(c) = &e.cache { " " small.muted { "(" (c) ")" } } }
                td { (e.connection_kinds.join(", ")) }
                td.mono { (e.ip.as_deref().unwrap_or("")) }
            } } }
        }
    }
}
