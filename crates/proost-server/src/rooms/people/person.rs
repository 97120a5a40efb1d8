//! `/admin/people/{id}`: one person — their status and invite link, their groups, and
//! what they may read, granted from here.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use maud::html;
use proost_app::people::accounts;
use proost_app::permissions::{self, GrantFilter};
use proost_app::{App, connections};

use crate::web::shell::{AdminViewer, PageResult, page};

pub async fn person(
    State(app): State<Arc<App>>,
    admin: AdminViewer,
    Path(id): Path<String>,
) -> PageResult {
    let detail = accounts::get(&app, &admin, &id).await?;
    let u = &detail.user;
    let grants = permissions::list_grants(
        &app,
        &admin,
        GrantFilter {
            user: Some(u.id.clone()),
            ..Default::default()
        },
    )
    .await?
    .grants;
    let conns = connections::visible_records(&app, &admin).await?;
    let invited = u.active && !u.has_password && !u.sso_enforced;
    Ok(page(
        &u.name,
        "people",
        Some(&admin),
        html! {
            section.card {
                p.crumbs { a href="/admin/people" { "People" } " / " (u.name) }
                h1 { (u.name) }
                p { span.mono { (u.email) } " · role " strong { (u.role) } " · "
                    @if !u.active { span.warn { "deactivated" } }
                    @else if invited { span.warn { "invited — the link was not used yet" } }
                    @else { span.ok { "active" } }
                }
                @if invited {
                    p {
                        button.act type="button" data-method="POST" data-path={ "/users/" (u.id) "/invite" } data-show="invite_url" { "Make a new invite link" }
                        " " small.muted { "The previous link stops working." }
                    }
                }
                @if !detail.groups.is_empty() {
                    p.muted { "Groups: " (detail.groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join(", ")) }
                }
            }
            section.card {
                h2 { "Access granted to " (u.name) }
                @if u.role == "admin" { p.muted { "Admins see everything; grants add nothing for them." } }
                @if grants.is_empty() {
                    p.muted id="person-grants" { "Nothing granted to them directly yet (their groups may grant more). Grant access below." }
                } @else {
                    table.list id="person-grants" {
                        thead { tr { th { "On" } th { "Level" } th {} } }
                        tbody { @for g in &grants {
                            tr {
                                td.mono { (g.connection)
                                    @if let Some(s) = &g.schema { "." (s) }
                                    @if let Some(t) = &g.table { "." (t) }
                                    @if let Some(c) = &g.column { "." (c) } }
                                td { span class={ "level " (g.level) } { (g.level) } }
                                td { button.link.act type="button" data-method="DELETE" data-path={ "/grants/" (g.id) } { "Revoke" } }
                            }
                        } }
                    }
                }
                form.api-form id="person-grant" data-method="POST" data-path="/grants" {
                    input type="hidden" name="principal" value={ "user:" (u.id) };
                    div.row {
                        label { "Connection" select name="connection" { @for c in &conns { option value=(c.name) { (c.name) } } } }
                        label { "Schema " small.muted { "(blank: all)" } input name="schema"; }
                        label { "Table " small.muted { "(blank: all)" } input name="table"; }
                        label { "Column " small.muted { "(blank: all)" } input name="column"; }
                        label { "Level" select name="level" {
                            option value="query" { "query — rows, personal columns masked" }
                            option value="metadata" { "metadata — that it exists" }
                            option value="pii" { "pii — personal columns unmasked" }
                        } }
                    }
                    button.primary type="submit" { "Grant" }
                    p.error role="alert" {}
                }
            }
        },
    )
    .into_response())
}
