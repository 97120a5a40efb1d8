//! `/admin/people` (users, groups, grants, row policies) and `/account` (the viewer's own
//! profile, sessions and tokens). Forms post to the API through the page script, so the
//! pages can do nothing the API would not.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State;
use axum::response::IntoResponse;
use maud::{Markup, html};
use proost_app::people::{accounts, groups, tokens};
use proost_app::permissions::{self, PrincipalRef};
use proost_app::{App, connections};

use crate::web::fmt;
use crate::web::shell::{AdminViewer, PageResult, Viewer, page};

pub async fn people(State(app): State<Arc<App>>, admin: AdminViewer) -> PageResult {
    let users = accounts::list(&app, &admin).await?.users;
    let groups = groups::list_groups(&app, &admin).await?.groups;
    let grants = permissions::list_grants(&app, &admin, Default::default())
        .await?
        .grants;
    let policies = permissions::list_row_policies(&app, &admin)
        .await?
        .row_policies;
    let roles: Vec<_> = groups::list_roles(&app, &admin)
        .await?
        .roles
        .into_iter()
        .filter(|r| !r.builtin)
        .collect();
    let conns = connections::visible_records(&app, &admin).await?;
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
        let m = groups::get_group(&app, &admin, &g.id).await?.members;
        members.insert(g.id.clone(), m.into_iter().map(|u| u.name).collect());
    }
    let principal = |p: &PrincipalRef| -> Markup {
        match (&p.user, &p.group) {
            (Some(u), _) => {
                html! { "user " strong { (user_name.get(u.as_str()).copied().unwrap_or("?")) } }
            }
            (_, Some(g)) => {
                html! { "group " strong { (group_name.get(g.as_str()).copied().unwrap_or("?")) } }
            }
            _ => html! { "?" },
        }
    };
    let invited: Vec<_> = users
        .iter()
        .filter(|u| u.active && !u.has_password && !u.sso_enforced)
        .collect();
    let role_options = html! {
        option value="viewer" { "viewer" }
        option value="analyst" { "analyst" }
        option value="admin" { "admin" }
        @for r in &roles { option value=(r.name) { (r.name) } }
    };
    Ok(page(
        "People",
        "people",
        Some(&admin),
        html! {
            nav.subnav aria-label="Sections of this page" {
                a href="#people" { "People (" (users.len()) ")" }
                a href="#invitations" { "Invitations (" (invited.len()) ")" }
                a href="#groups-card" { "Groups (" (groups.len()) ")" }
                a href="#roles" { "Roles" }
                a href="#grants-card" { "Grants (" (grants.len()) ")" }
                a href="#policies-card" { "Row policies (" (policies.len()) ")" }
            }
            section.card id="people" {
                h1 { "People" }
                table.list id="users" data-refresh {
                    thead { tr { th { "Name" } th { "Email" } th { "Role" } th { "Status" } th { "Sign-in" } th {} } }
                    tbody {
                        @for u in &users {
                            tr {
                                td { a href={ "/admin/people/" (u.id) } { (u.name) } }
                                td.mono { (u.email) }
                                td { (u.role) }
                                td { @if !u.active { span.warn { "deactivated" } }
                                     @else if !u.has_password && !u.sso_enforced { span.warn title="The invite link was not used yet" { "invited" } }
                                     @else { span.ok { "active" } } }
                                td { @if u.sso_enforced { "SSO only" } @else if u.has_password { "password" } @else { span.muted { "invited" } } }
                                td.actions {
                                    @if u.id != admin.user.id {
                                        @if u.active && !u.has_password && !u.sso_enforced {
                                            button.link.act type="button" data-method="POST" data-path={ "/users/" (u.id) "/invite" } data-show="invite_url" title="The old link stops working" { "New invite link" }
                                            " · "
                                        }
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
            section.card id="invitations" {
                h2 { "Invitations" }
                @if invited.is_empty() {
                    p.muted { "No invitation is waiting: everyone invited has set their password." }
                } @else {
                    p.muted { "These people were invited and have not used their link yet. A new link replaces the old one." }
                    table.list {
                        thead { tr { th { "Name" } th { "Email" } th { "Invited" } th {} } }
                        tbody { @for u in &invited {
                            tr {
                                td { a href={ "/admin/people/" (u.id) } { (u.name) } }
                                td.mono { (u.email) }
                                td { (fmt::short_time(&u.created_at)) }
                                td.actions { button.link.act type="button" data-method="POST" data-path={ "/users/" (u.id) "/invite" } data-show="invite_url" { "New invite link" } }
                            }
                        } }
                    }
                }
            }
            section.card id="groups-card" {
                h2 { "Groups" }
                @if groups.is_empty() { p.muted { "No groups yet. Groups let you grant access and row policies to many people at once: create one below." } }
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
                        label { "Person" select id="member-user" data-refresh name="user" { @for u in &users { option value=(u.id) { (u.name) " <" (u.email) ">" } } } }
                        button type="submit" { "Add" }
                        p.error role="alert" {}
                    }
                }
            }
            section.card id="roles" {
                h2 { "Roles" }
                p.muted { "Built in: " strong { "admin" } " (everything), " strong { "analyst" } " (SQL on what is granted), "
                    strong { "viewer" } " (browses what is granted, no SQL)." }
                @if roles.is_empty() { p.muted { "No custom roles." } }
                @else {
                    table.list {
                        thead { tr { th { "Role" } th { "Capabilities" } th {} } }
                        tbody { @for r in &roles {
                            tr {
                                td { strong { (r.name) } }
                                td { (r.capabilities.join(", ")) }
                                td { button.link.act type="button" data-method="DELETE" data-path={ "/roles/" (r.name) } data-confirm={ "Delete the role " (r.name) "?" } { "Delete" } }
                            }
                        } }
                    }
                }
            }
            section.card id="grants-card" {
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
                                    (g.connection)
                                    @if let Some(s) = &g.schema { "." (s) }
                                    @if let Some(t) = &g.table { "." (t) }
                                    @if let Some(c) = &g.column { "." (c) }
                                }
                                td { span class={ "level " (g.level) } { (g.level) } }
                                td { button.link.act type="button" data-method="DELETE" data-path={ "/grants/" (g.id) } { "Revoke" } }
                            }
                        }
                    }
                }
                form.api-form data-method="POST" data-path="/grants" data-principal {
                    h3 { "Grant" }
                    div.row {
                        label { "To" select id="grant-principal" data-refresh name="principal" {
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
            section.card id="policies-card" {
                h2 { "Row policies" }
                p.muted { "A filter on a table for a group's members, e.g. " code { "region = {{user.region}}" } ". Several apply together (AND); a missing attribute matches no row." }
                table.list id="row-policies" {
                    thead { tr { th { "Group" } th { "Table" } th { "Filter" } th {} } }
                    tbody {
                        @for p in &policies {
                            tr {
                                td { (group_name.get(p.group.as_str()).copied().unwrap_or("?")) }
                                td.mono { (p.connection) "." (p.schema) "." (p.table) }
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
    .into_response())
}

pub async fn account(State(app): State<Arc<App>>, viewer: Viewer) -> PageResult {
    let sessions = tokens::list(&app, &viewer).await?.sessions;
    let groups = accounts::get(&app, &viewer, &viewer.user.id).await?.groups;
    let u = &viewer.user;
    let access = &viewer.access;
    Ok(page(
        "Account",
        "account",
        Some(&viewer),
        html! {
            section.card {
                h1 { "Your account" }
                p { a href="/account/preferences" { "Email and privacy preferences" } " · " a href="/privacy" { "Privacy notice" } }
                p { strong { (u.name) } " · " span.mono { (u.email) } " · role " strong { (u.role_name()) } }
                @if !groups.is_empty() {
                    p.muted { "Groups: " (groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join(", ")) }
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
                        @for view in &sessions {
                            @let s = &view.session;
                            tr {
                                td { (if s.kind == "api" { "API token" } else { "browser" }) }
                                td { @if let Some(n) = &s.name { (n) " · " } span.mono { (s.scope) } }
                                td { (fmt::short_time(&s.created_at)) }
                                td { (fmt::short_time(&s.last_seen_at)) }
                                td { (fmt::short_time(&s.expires_at)) }
                                td.mono { (s.client_ip.as_deref().unwrap_or("")) }
                                td {
                                    @if view.current { span.muted { "this session" } }
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
    .into_response())
}
