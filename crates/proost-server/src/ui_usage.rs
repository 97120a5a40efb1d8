//! The admin's usage page: the instance's counts and licence, top questions, slowest
//! queries, active users and recent events, filtered by a plain GET form. It reads through
//! the same functions as `GET /api/v1/usage`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, html};
use proost_store::{UsageEvent, UsageFilter};

use crate::AppState;
use crate::auth::session_of;
use crate::ui::page;
use crate::usage::UsageParams;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/admin/usage", get(usage_page))
}

/// `2026-11-29T16:09:57.028Z` → `2026-11-29 16:09:57`
fn when(t: &str) -> String {
    t.get(..19).unwrap_or(t).replace('T', " ")
}

fn ms(v: Option<f64>) -> String {
    v.map(|m| format!("{m:.1}")).unwrap_or_else(|| "—".into())
}

fn limit(v: Option<i64>) -> String {
    v.map(|n| n.to_string())
        .unwrap_or_else(|| "no limit".into())
}

async fn usage_page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(params): Query<UsageParams>,
) -> Response {
    let Some((session, _, _)) = session_of(&state, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    if !session.user.is_admin() {
        return (
            StatusCode::FORBIDDEN,
            page(
                "Usage",
                "usage",
                Some(&session),
                html! { section.card { h1 { "Usage" } p.error { "Only an admin can see usage." } } },
            ),
        )
            .into_response();
    }
    state.usage.flush().await;
    let loaded = async {
        let f = crate::usage::filter(&state, &params).await?;
        let f = UsageFilter {
            limit: params.limit.unwrap_or(100).clamp(1, 1000),
            ..f
        };
        let events = state.store.usage_events(&f).await?;
        let top = UsageFilter {
            limit: 10,
            ..f.clone()
        };
        let top_questions = state.store.usage_top_statements(&top).await?;
        let slowest = state.store.usage_slowest(&top).await?;
        let users = state
            .store
            .usage_active_users(&UsageFilter {
                limit: 1000,
                ..f.clone()
            })
            .await?;
        let days = state
            .store
            .usage_active_days(&UsageFilter {
                limit: 31,
                ..f.clone()
            })
            .await?;
        let instance = crate::licence::instance_json(&state).await?;
        Ok::<_, crate::error::ApiError>((events, top_questions, slowest, users, days, instance))
    }
    .await;
    let body = match loaded {
        Err(e) => html! {
            section.card { h1 { "Usage" } p.error { (e.message) } a href="/admin/usage" { "Clear the filters" } }
        },
        Ok((events, top_questions, slowest, users, days, instance)) => {
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
            let count = |k: &str| instance[k].as_i64().unwrap_or(0);
            let lic = &instance["licence"];
            html! {
                section.card id="instance" {
                    h1 { "Usage" }
                    p {
                        strong { (count("users")) } " users · "
                        strong { (count("roles")) } " roles · "
                        strong { (count("connections")) } " connections"
                    }
                    @if lic.is_null() {
                        p.muted { "No licence file: no limits." }
                    } @else {
                        p {
                            "Licensed to " strong { (lic["licensee"].as_str().unwrap_or("")) } ": "
                            (limit(lic["max_users"].as_i64())) " users, "
                            (limit(lic["max_roles"].as_i64())) " roles, "
                            (limit(lic["max_connections"].as_i64())) " connections"
                            @if let Some(d) = lic["expires"].as_str() { ", until " (d) }
                            @if lic["expired"].as_bool() == Some(true) { " " span.warn { "expired" } }
                        }
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
                                td.num { (q.runs) } td.num { (q.users) } td.num { (ms(q.avg_ms)) } td { (when(&q.last_at)) }
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
                                td.num { (u.events) } td.num { (u.queries) } td { (when(&u.last_at)) }
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
    page("Usage", "usage", Some(&session), body).into_response()
}

fn events_table(events: &[UsageEvent], who: &dyn Fn(&UsageEvent) -> String) -> Markup {
    html! {
        table.list {
            thead { tr { th { "When (UTC)" } th { "User" } th { "Kind" } th { "Page or statement" } th.num { "ms" } th.num { "Rows" } th { "Served from" } th { "Sources" } th { "Address" } } }
            tbody { @for e in events { tr {
                td { (when(&e.at)) }
                td { (who(e)) }
                td { (e.kind) }
                td.mono { (e.statement.as_deref().or(e.path.as_deref()).unwrap_or("")) }
                td.num { (ms(e.elapsed_ms)) }
                td.num { (e.rows.map(|r| r.to_string()).unwrap_or_default()) }
                td { (e.served_from.join(", ")) @if let Some(c) = &e.cache { " " small.muted { "(" (c) ")" } } }
                td { (e.connection_kinds.join(", ")) }
                td.mono { (e.ip.as_deref().unwrap_or("")) }
            } } }
        }
    }
}
