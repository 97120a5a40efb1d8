//! Public links: `/api/v1/public-links` (make, list, revoke; the admin's switch) and the
//! logged-out side, `/public#token` with `/api/v1/public/open|run`. The token is sent in
//! request bodies, never in a path or query string, so it stays out of access logs.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use maud::html;
use proost_app::App;
use proost_app::content::public_links::{
    self, CreatedLink, LinkList, NewLink, PublicRequest, PublicView, Settings, SettingsPatch,
};
use serde_json::Value;
use utoipa::OpenApi;

use crate::http::error::ApiResult;
use crate::http::extract::{Caller, JsonBody};
use crate::web::shell::{PageResult, Viewer, page};

#[derive(OpenApi)]
#[openapi(paths(settings, set_settings, create, list, revoke, open, run))]
pub struct ApiDoc;

/// Whether public links may be made, and the group whose grants they run with (admins).
#[utoipa::path(get, path = "/api/v1/public-links/settings", tag = "sharing",
    responses((status = 200, body = Settings)))]
pub async fn settings(State(app): State<Arc<App>>, caller: Caller) -> ApiResult<Json<Settings>> {
    Ok(Json(public_links::settings(&app, &caller).await?))
}

/// Turns public links on or off (admins). Turning them on makes the restricted principal
/// and its group "Public links"; grant that group what links may show. Off: every link
/// stops working at once.
#[utoipa::path(put, path = "/api/v1/public-links/settings", tag = "sharing",
    request_body = SettingsPatch, responses((status = 200, body = Settings)))]
pub async fn set_settings(
    State(app): State<Arc<App>>,
    caller: Caller,
    JsonBody(p): JsonBody<SettingsPatch>,
) -> ApiResult<Json<Settings>> {
    Ok(Json(public_links::set_settings(&app, &caller, &p).await?))
}

/// Makes a public link to a question or dashboard the caller owns. The answer holds the
/// token this once; only its hash is kept.
#[utoipa::path(post, path = "/api/v1/public-links", tag = "sharing", request_body = NewLink,
    responses((status = 201, body = CreatedLink)))]
pub async fn create(
    State(app): State<Arc<App>>,
    caller: Caller,
    JsonBody(l): JsonBody<NewLink>,
) -> ApiResult<(StatusCode, Json<CreatedLink>)> {
    Ok((
        StatusCode::CREATED,
        Json(public_links::create(&app, &caller, &l).await?),
    ))
}

/// Links the caller may revoke (admins: all), live, expired and revoked.
#[utoipa::path(get, path = "/api/v1/public-links", tag = "sharing",
    responses((status = 200, body = LinkList)))]
pub async fn list(State(app): State<Arc<App>>, caller: Caller) -> ApiResult<Json<LinkList>> {
    Ok(Json(public_links::list(&app, &caller).await?))
}

#[utoipa::path(delete, path = "/api/v1/public-links/{id}", tag = "sharing", params(("id" = String, Path)),
    responses((status = 204)))]
pub async fn revoke(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    public_links::revoke(&app, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a public link shows (no login): name, description, parameters or layout — never
/// a question's query. Unknown, expired and revoked links: `404 public_link_not_found`.
#[utoipa::path(post, path = "/api/v1/public/open", tag = "sharing", request_body = PublicRequest,
    responses((status = 200, body = PublicView)))]
pub async fn open(
    State(app): State<Arc<App>>,
    JsonBody(r): JsonBody<PublicRequest>,
) -> ApiResult<Json<PublicView>> {
    Ok(Json(public_links::view(&app, &r.token).await?))
}

/// Runs a public link's question or dashboard as the restricted public-links principal.
#[utoipa::path(post, path = "/api/v1/public/run", tag = "sharing", request_body = PublicRequest,
    responses((status = 200, body = Object)))]
pub async fn run(
    State(app): State<Arc<App>>,
    JsonBody(r): JsonBody<PublicRequest>,
) -> ApiResult<Json<Value>> {
    Ok(Json(public_links::run(&app, &r).await?))
}

/// `/public#token`: filled by the page script from the fragment.
pub async fn public_page() -> axum::response::Response {
    let body = html! {
        section #public {
            p #p-status.muted role="status" { "Opening the link…" }
        }
        p.muted.fine { "Shown through a public link: the data is what this Proost's admins allow public links to show." }
    };
    page("Shared", "public", None, body).into_response()
}

/// `/public-links`: the links the viewer may revoke; admins also turn links on or off.
pub async fn links_page(State(app): State<Arc<App>>, viewer: Viewer) -> PageResult {
    let links = public_links::list(&app, &viewer).await?;
    let settings = if viewer.is_admin() {
        Some(public_links::settings(&app, &viewer).await?)
    } else {
        None
    };
    Ok(page(
        "Public links",
        "public-links",
        Some(&viewer),
        html! {
            section.card #public-links {
                h1 { "Public links" }
                p { "Anyone with a public link can open its question or dashboard without logging in. "
                    "Every public run acts as one restricted principal, the group " strong { "Public links" }
                    ": it sees only the tables admins grant that group, masked and row-filtered as that group is — never the data of the person who made the link." }
                @if let Some(s) = &settings {
                    form #pl-settings.toolbar data-enabled=(s.enabled) {
                        label.inline { input.check type="checkbox" name="enabled" checked[s.enabled]; "Allow public links" }
                        label.inline { "that last at most" input type="number" name="max_days" min="1" max="365" value=(s.max_days); "days" }
                        button.primary type="submit" { "Save" }
                    }
                    @if s.group.is_some() {
                        p.muted { "Grant what links may show to the group Public links under " a href="/admin/people#grants-card" { "People → Grants" } "." }
                    }
                }
                p #pl-status.muted role="status" {}
                @if links.links.is_empty() {
                    p { "No public link has been made." }
                } @else {
                    table.list {
                        thead { tr { th { "Shows" } th { "Made" } th { "Expires" } th { "Last used" } th { "Status" } th { span.sr-only { "Revoke" } } } }
                        tbody {
                            @for l in &links.links {
                                tr {
                                    td { a href={ "/" (l.object_kind) "s/" (l.object) } { (l.object_name) } " (" (l.object_kind) ")" }
                                    td { (l.created_at.get(..10).unwrap_or("")) }
                                    td { (l.expires_at.get(..10).unwrap_or("")) }
                                    td { (l.last_used_at.as_deref().and_then(|t| t.get(..16)).map(|t| t.replace('T', " ")).unwrap_or_else(|| "never".into())) }
                                    td { (l.status) }
                                    td { @if l.status == "live" { button.link.pl-revoke type="button" data-id=(l.id) { "Revoke" } } }
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
