//! Pages for people and the record: users, groups, grants and row policies (admin), the
//! audit log with filters (admin or `read_audit`), the caller's own account (sessions, API
//! tokens), and the invite page. Forms post to the API through the page script
//! (`data-api`), so the pages can do nothing the API would not.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, html};
use proost_store::Principal;

use crate::AppState;
use crate::api::AuditParams;
use crate::ui::{page, viewer};

type Shared = State<Arc<AppState>>;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/admin/people", get(people))
        .route("/admin/audit", get(audit))
        .route("/admin/inventory", get(crate::inventory::page_handler))
        .route("/account", get(account))
        .route("/invite", get(invite))
}

fn forbidden(session: &proost_store::Session, what: &str) -> Response {
    (
        StatusCode::FORBIDDEN,
        page(
            "Not allowed",
            "admin",
            Some(session),
            html! { section.card { h1 { "Not allowed" } p { "Only an admin can see " (what) "." } } },
        ),
    )
        .into_response()
}

/// `2026-11-29T16:09:57.028Z` → `2026-11-29 16:09`
fn short_time(t: &str) -> String {
    if t.len() >= 16 {
        t[..16].replace('T', " ")
    } else {
        t.to_string()
    }
}

async fn people(State(state): Shared, headers: HeaderMap) -> Response {
    let Some((session, access)) = viewer(&state, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    if !access.admin {
        return forbidden(&session, "people and permissions");
    }
    let users = state.store.users().await.unwrap_or_default();
    let groups = state.store.groups().await.unwrap_or_default();
    let grants = state.store.grants().await.unwrap_or_default();
    let policies = state.store.row_policies().await.unwrap_or_default();
    let roles = state.store.roles().await.unwrap_or_default();
    let conns = state.store.connections().await.unwrap_or_default();
    let conn_name: HashMap<&str, &str> = conns
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let user_name: HashMap<&str, &str> = users
        .iter()
        .map(|u| (u.id.as_str(), u.name.as_str()))
        .collect();
    let group_name: HashMap<&str, &str> = groups
        .iter()
        .map(|g| (g.id.as_str(), g.name.as_str()))
        .collect();
    let mut members: HashMap<String, Vec<String>> = HashMap::new();
    for g in &groups {
        let m = state.store.members(&g.id).await.unwrap_or_default();
        members.insert(g.id.clone(), m.into_iter().map(|u| u.name).collect());
    }
    let principal = |p: &Principal| -> Markup {
        match p {
            Principal::User(u) => {
                html! { "user " strong { (user_name.get(u.as_str()).copied().unwrap_or("?")) } }
            }
            Principal::Group(g) => {
                html! { "group " strong { (group_name.get(g.as_str()).copied().unwrap_or("?")) } }
            }
        }
    };
    let role_options = html! {
        option value="viewer" { "viewer" }
        option value="analyst" { "analyst" }
        option value="admin" { "admin" }
        @for r in &roles { option value=(r.name) { (r.name) } }
    };
    page(
        "People",
        "people",
        Some(&session),
        html! {
            section.card {
                h1 { "People" }
                table.list id="users" {
                    thead { tr { th { "Name" } th { "Email" } th { "Role" } th { "Status" } th { "Sign-in" } th {} } }
                    tbody {
                        @for u in &users {
                            tr {
                                td { (u.name) }
                                td.mono { (u.email) }
                                td { (u.role_name()) }
                                td { @if u.active { span.ok { "active" } } @else { span.warn { "deactivated" } } }
                                td { @if u.sso_enforced { "SSO only" } @else if u.has_password { "password" } @else { span.muted { "invited" } } }
                                td.actions {
                                    @if u.id != session.user.id {
                                        @if u.active {
                                            button.link.act type="button" data-method="PATCH" data-path={ "/users/" (u.id) } data-body=r#"{"active":false}"# data-confirm={ "Deactivate " (u.name) "? Their sessions end now." } { "Deactivate" }
                                        } @else {
                                            button.link.act type="button" data-method="PATCH" data-path={ "/users/" (u.id) } data-body=r#"{"active":true}"# { "Reactivate" }
                                        }
                                        " · "
                                        button.link.act type="button" data-method="DELETE" data-path={ "/users/" (u.id) } data-confirm={ "Delete " (u.name) " and their grants, sessions and tokens?" } { "Delete" }
                                    }
                                }
                            }
                        }
                    }
                }
                form.api-form data-method="POST" data-path="/users" data-show="invite_url" {
                    h2 { "Add a person" }
                    div.row {
                        label { "Name" input name="name" required; }
                        label { "Email" input name="email" type="email" required; }
                        label { "Role" select name="role" { (role_options) } }
                        label { "Attributes " small.muted { "(JSON, for row policies)" } input name="attributes" data-json placeholder=r#"{"region": "EMEA"}"#; }
                    }
                    p.muted { "They get a one-time invite link to set their password (shown here once; send it to them)." }
                    button.primary type="submit" { "Add and invite" }
                    p.error role="alert" {}
                    p.result.mono {}
                }
            }
            section.card {
                h2 { "Groups" }
                table.list id="groups" {
                    thead { tr { th { "Group" } th { "Members" } th {} } }
                    tbody {
                        @for g in &groups {
                            tr {
                                td { strong { (g.name) } @if !g.description.is_empty() { br; small.muted { (g.description) } } }
                                td { (members.get(&g.id).map(|m| m.join(", ")).unwrap_or_default()) }
                                td { button.link.act type="button" data-method="DELETE" data-path={ "/groups/" (g.id) } data-confirm={ "Delete the group " (g.name) " with its grants and row policies?" } { "Delete" } }
                            }
                        }
                    }
                }
                div.row {
                    form.api-form data-method="POST" data-path="/groups" {
                        h3 { "New group" }
                        label { "Name" input name="name" required; }
                        button type="submit" { "Create group" }
                        p.error role="alert" {}
                    }
                    form.api-form data-method="POST" data-path-template="/groups/{group}/members" {
                        h3 { "Add a member" }
                        label { "Group" select name="group" { @for g in &groups { option value=(g.id) { (g.name) } } } }
                        label { "Person" select name="user" { @for u in &users { option value=(u.id) { (u.name) " <" (u.email) ">" } } } }
                        button type="submit" { "Add" }
                        p.error role="alert" {}
                    }
                }
            }
            section.card {
                h2 { "Grants" }
                p.muted { "Admins see everything. Everyone else sees only what a grant reaches: "
                    strong { "metadata" } " (that it exists), " strong { "query" } " (rows, personal columns masked), "
                    strong { "pii" } " (personal columns unmasked)." }
                table.list id="grants" {
                    thead { tr { th { "To" } th { "On" } th { "Level" } th {} } }
                    tbody {
                        @for g in &grants {
                            tr {
                                td { (principal(&g.principal)) }
                                td.mono {
                                    (conn_name.get(g.connection_id.as_str()).copied().unwrap_or("?"))
                                    @if let Some(s) = &g.schema { "." (s) }
                                    @if let Some(t) = &g.table { "." (t) }
                                    @if let Some(c) = &g.column { "." (c) }
                                }
                                td { span class={ "level " (g.level.as_str()) } { (g.level.as_str()) } }
                                td { button.link.act type="button" data-method="DELETE" data-path={ "/grants/" (g.id) } { "Revoke" } }
                            }
                        }
                    }
                }
                form.api-form data-method="POST" data-path="/grants" data-principal {
                    h3 { "Grant" }
                    div.row {
                        label { "To" select name="principal" {
                            @for g in &groups { option value={ "group:" (g.id) } { "group " (g.name) } }
                            @for u in &users { option value={ "user:" (u.id) } { (u.name) } }
                        } }
                        label { "Connection" select name="connection" { @for c in &conns { option value=(c.name) { (c.name) } } } }
                        label { "Schema " small.muted { "(blank: all)" } input name="schema"; }
                        label { "Table" input name="table"; }
                        label { "Column" input name="column"; }
                        label { "Level" select name="level" {
                            option value="query" { "query" } option value="metadata" { "metadata" } option value="pii" { "pii" }
                        } }
                    }
                    button.primary type="submit" { "Grant" }
                    p.error role="alert" {}
                }
            }
            section.card {
                h2 { "Row policies" }
                p.muted { "A filter on a table for a group's members, e.g. " code { "region = {{user.region}}" } ". Several apply together (AND); a missing attribute matches no row." }
                table.list id="row-policies" {
                    thead { tr { th { "Group" } th { "Table" } th { "Filter" } th {} } }
                    tbody {
                        @for p in &policies {
                            tr {
                                td { (group_name.get(p.group_id.as_str()).copied().unwrap_or("?")) }
                                td.mono { (conn_name.get(p.connection_id.as_str()).copied().unwrap_or("?")) "." (p.schema) "." (p.table) }
                                td.mono { (p.filter) }
                                td { button.link.act type="button" data-method="DELETE" data-path={ "/row-policies/" (p.id) } { "Delete" } }
                            }
                        }
                    }
                }
                form.api-form data-method="POST" data-path="/row-policies" {
                    div.row {
                        label { "Group" select name="group" { @for g in &groups { option value=(g.id) { (g.name) } } } }
                        label { "Connection" select name="connection" { @for c in &conns { option value=(c.name) { (c.name) } } } }
                        label { "Schema" input name="schema" required; }
                        label { "Table" input name="table" required; }
                        label.wide { "Filter" input name="filter" required placeholder="region = {{user.region}}"; }
                    }
                    button.primary type="submit" { "Add policy" }
                    p.error role="alert" {}
                }
            }
        },
    )
    .into_response()
}

async fn audit(State(state): Shared, headers: HeaderMap, Query(f): Query<AuditParams>) -> Response {
    let Some((session, access)) = viewer(&state, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    if !access.can("read_audit") {
        return forbidden(&session, "the audit log");
    }
    let f = f.without_blanks();
    let mut entries = f.select(&state.store).await.unwrap_or_default();
    let broken = state.store.audit_verify().await.ok().flatten();
    let users = state.store.users().await.unwrap_or_default();
    let names: HashMap<&str, &str> = users
        .iter()
        .map(|u| (u.id.as_str(), u.name.as_str()))
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
            export.push_str(&format!("{k}={}&", percent_encode(v)));
        }
    }
    page(
        "Audit log",
        "audit",
        Some(&session),
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
                        @for u in &users { option value=(u.id) selected[actor.as_deref() == Some(u.id.as_str())] { (u.name) } }
                    } }
                    label.inline { "From " input name="from" type="date" value=[from.as_deref()]; }
                    label.inline { "To " input name="to" type="date" value=[to.as_deref()]; }
                    button type="submit" { "Filter" }
                    a.button href=(export) data-download="audit.jsonl" { "Export JSON lines" }
                }
                p.muted { (total) " entries" @if total > 500 { ", newest 500 shown" } "." }
                div.table-wrap {
                    table.list id="audit" {
                        thead { tr { th.num { "#" } th { "When (UTC)" } th { "Who" } th { "Action" } th { "Target" } th { "Details" } } }
                        tbody {
                            @for e in &entries {
                                tr {
                                    td.num { (e.seq) }
                                    td { (short_time(&e.at)) }
                                    td { @match e.actor.as_deref() { Some(a) => (names.get(a).copied().unwrap_or(a)), None => span.muted { "system" } } }
                                    td.mono { (e.action) }
                                    td.mono.clip { (e.target.as_deref().unwrap_or("")) }
                                    td.mono.clip title=(e.details.to_string()) { (e.details.to_string()) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
    .into_response()
}

fn percent_encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

async fn account(State(state): Shared, headers: HeaderMap) -> Response {
    let Some((session, access)) = viewer(&state, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    let sessions = state
        .store
        .sessions_of(Some(&session.user.id))
        .await
        .unwrap_or_default();
    let groups = state
        .store
        .groups_of(&session.user.id)
        .await
        .unwrap_or_default();
    let u = &session.user;
    page(
        "Account",
        "account",
        Some(&session),
        html! {
            section.card {
                h1 { "Your account" }
                p { strong { (u.name) } " · " span.mono { (u.email) } " · role " strong { (u.role_name()) } }
                @if !groups.is_empty() {
                    p.muted { "Groups: " (groups.iter().map(|(g, _)| g.name.as_str()).collect::<Vec<_>>().join(", ")) }
                }
                @if !access.admin { p.muted { "What you can see comes from grants an admin gave you or your groups." } }
                form.api-form data-method="PATCH" data-path={ "/users/" (u.id) } {
                    h2 { "Profile" }
                    div.row {
                        label { "Name" input name="name" value=(u.name) required; }
                        label { "Business address" input name="business_address" value=[u.business_address.as_deref()]; }
                        label { "Business phone" input name="business_phone" value=[u.business_phone.as_deref()]; }
                    }
                    button type="submit" { "Save" }
                    p.error role="alert" {}
                }
                @if !u.sso_enforced {
                    form.api-form data-method="PATCH" data-path={ "/users/" (u.id) } {
                        h2 { "Password" }
                        div.row {
                            label { "Current password" input name="current_password" type="password" required autocomplete="current-password"; }
                            label { "New password " small.muted { "(12+ characters)" } input name="password" type="password" required minlength="12" autocomplete="new-password"; }
                        }
                        button type="submit" { "Change password" }
                        p.error role="alert" {}
                    }
                }
            }
            section.card {
                h2 { "Sessions and API tokens" }
                table.list id="sessions" {
                    thead { tr { th { "Kind" } th { "Name / scope" } th { "Started" } th { "Last seen" } th { "Expires" } th { "From" } th {} } }
                    tbody {
                        @for s in &sessions {
                            tr {
                                td { (if s.kind == "api" { "API token" } else { "browser" }) }
                                td { @if let Some(n) = &s.name { (n) " · " } span.mono { (s.scope) } }
                                td { (short_time(&s.created_at)) }
                                td { (short_time(&s.last_seen_at)) }
                                td { (short_time(&s.expires_at)) }
                                td.mono { (s.client_ip.as_deref().unwrap_or("")) }
                                td {
                                    @if s.id == session.id { span.muted { "this session" } }
                                    @else { button.link.act type="button" data-method="DELETE" data-path={ "/sessions/" (s.id) } { "Revoke" } }
                                }
                            }
                        }
                    }
                }
                form.api-form data-method="POST" data-path="/tokens" data-show="token" {
                    h3 { "New API token" }
                    div.row {
                        label { "Name" input name="name" required placeholder="nightly export"; }
                        label { "Scope" select name="scope" {
                            option value="read" { "read — GET only" }
                            option value="query" { "query — read and run queries" }
                            option value="admin" { "admin — everything your role allows" }
                        } }
                        label { "Days valid" input name="expires_in_days" type="number" min="1" max="365" value="90" data-number; }
                    }
                    button type="submit" { "Create token" }
                    p.error role="alert" {}
                    p.muted { "The token is shown once. Proost keeps only its hash." }
                    p.result.mono {}
                }
            }
        },
    )
    .into_response()
}

async fn invite(State(_state): Shared) -> Response {
    page(
        "Set your password",
        "invite",
        None,
        html! {
            section.card.narrow {
                h1 { "Welcome to Proost" }
                p.muted { "Choose your password. This link works once." }
                form id="invite-form" {
                    label { "Password " small.muted { "(at least 12 characters)" }
                        input name="password" type="password" required minlength="12" autocomplete="new-password"; }
                    button.primary type="submit" { "Set password" }
                    p.error role="alert" {}
                }
            }
        },
    )
    .into_response()
}
