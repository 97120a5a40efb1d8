//! The page shell (head, navigation, the CSRF token for the page script), who views a page
//! ([`Viewer`], [`AdminViewer`]: a page cannot be built without one), and the pages for
//! errors: a failed read shows its stable code, never an empty table.

use std::ops::Deref;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{DOCTYPE, Markup, html};
use proost_app::{Actor, App, Error};

use crate::http::error::status_of;
use crate::http::session::token;
use crate::web::assets;

pub fn page(title: &str, page: &str, viewer: Option<&Actor>, body: Markup) -> Html<String> {
    let admin = viewer.is_some_and(|v| v.is_admin());
    Html(html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(s) = viewer.and_then(|v| v.session.as_ref()) { meta name="csrf-token" content=(s.csrf_token); }
                @if let Ok(nonce) = crate::http::layers::STYLE_NONCE.try_with(String::clone) { meta name="csp-nonce" content=(nonce); }
                title { (title) " · Proost" }
                link rel="icon" type="image/svg+xml" href=(assets::url("favicon.svg"));
                link rel="stylesheet" href=(assets::url("app.css"));
                @if matches!(page, "sql" | "browse" | "question" | "builder" | "dashboard" | "public") {
                    link rel="stylesheet" href=(assets::url("grid.css"));
                    script src=(assets::url("grid.js")) defer {}
                }
                @if matches!(page, "question" | "builder" | "dashboard" | "public") {
                    link rel="stylesheet" href=(assets::url("chart.css"));
                    script src=(assets::url("echarts.min.js")) defer {}
                    script src=(assets::url("chart.js")) defer {}
                    script src=(assets::url("explore.js")) defer {}
                }
                @if page == "sql" { script src=(assets::url("editor.js")) defer {} }
                script src=(assets::url("app.js")) defer {}
            }
            body data-page=(page) {
                header.top {
                    a.brand href="/" { span.logo { "P" } "Proost" }
                    @if let Some(v) = viewer {
                        nav {
                            a href="/browse" class=[(page == "browse").then_some("active")] { "Browse data" }
                            a href="/questions" class=[matches!(page, "questions" | "question" | "builder").then_some("active")] { "Questions" }
                            a href="/dashboards" class=[matches!(page, "dashboards" | "dashboard").then_some("active")] { "Dashboards" }
                            @if v.access.can("sql") {
                                a href="/sql" class=[(page == "sql").then_some("active")] { "SQL" }
                            }
                            a href="/connections" class=[(page.starts_with("connection")).then_some("active")] { "Connections" }
                            @if admin {
                                a href="/admin/people" class=[(page == "people").then_some("active")] { "People" }
                                a href="/admin/inventory" class=[(page == "inventory").then_some("active")] { "Personal data" }
                                a href="/admin/audit" class=[(page == "audit").then_some("active")] { "Audit" }
                                a href="/admin/usage" class=[(page == "usage").then_some("active")] { "Usage" }
                            }
                            @if v.access.can("privacy_requests") {
                                a href="/admin/privacy" class=[(page.starts_with("privacy") || page == "records").then_some("active")] { "Privacy" }
                            }
                        }
                        div.user {
                            a.who href="/account" title=(v.user.email) { (v.user.name) }
                            button.link id="logout" type="button" { "Log out" }
                        }
                    }
                }
                main { (body) }
            }
        }
    }.into_string())
}

/// The admin pages of privacy work, one line under the header: requests (also for privacy
/// officers), retention and records, the privacy notice.
pub fn privacy_nav(viewer: &Actor, active: &str) -> Markup {
    html! {
        @if viewer.is_admin() {
            nav.subnav aria-label="Privacy pages" {
                @for (path, label) in [
                    ("/admin/privacy", "Requests"),
                    ("/admin/privacy/records", "Retention, holds, record, breaches"),
                    ("/admin/privacy-notice", "Privacy notice"),
                ] {
                    a href=(path) class=[(path == active).then_some("active")] aria-current=[(path == active).then_some("page")] { (label) }
                }
            }
        }
    }
}

/// The signed-in person a page is for. Without a live session the browser goes to the
/// login page.
#[derive(Debug, Clone)]
pub struct Viewer(pub Actor);

impl Deref for Viewer {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.0
    }
}

impl Viewer {
    /// Whoever views the page, if anyone is signed in.
    pub async fn of(parts: &Parts, app: &App) -> Option<Viewer> {
        let (token, _) = token(&parts.headers)?;
        let (session, hash) = proost_app::people::sessions::find(app, &token).await?;
        let actor = proost_app::people::sessions::actor(app, session, hash)
            .await
            .ok()?;
        Some(Viewer(actor))
    }
}

impl FromRequestParts<Arc<App>> for Viewer {
    type Rejection = Redirect;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Redirect> {
        Viewer::of(parts, app)
            .await
            .ok_or_else(|| Redirect::to(&login_then(parts)))
    }
}

/// The login page, asked to come back to this page afterwards.
fn login_then(parts: &Parts) -> String {
    let back = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    if back == "/" || back.starts_with("/login") {
        return "/login".into();
    }
    format!(
        "/login?next={}",
        percent_encoding::utf8_percent_encode(back, percent_encoding::NON_ALPHANUMERIC)
    )
}

/// Any page path that names no page: "not found" inside the app's own shell.
pub async fn not_found_page(
    parts: Parts,
    axum::extract::State(app): axum::extract::State<Arc<App>>,
) -> Response {
    let viewer = Viewer::of(&parts, &app).await;
    (
        StatusCode::NOT_FOUND,
        page(
            "Not found",
            "error",
            viewer.as_deref(),
            html! {
                section.card.narrow {
                    h1 { "Page not found" }
                    p { "There is no page at " code { (parts.uri.path()) } "." }
                    p { a href="/" { "Back to Proost" } }
                }
            },
        ),
    )
        .into_response()
}

/// A page only admins may see; anyone else gets a "not allowed" page.
pub struct AdminViewer(pub Viewer);

impl Deref for AdminViewer {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.0.0
    }
}

impl FromRequestParts<Arc<App>> for AdminViewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Response> {
        let viewer = Viewer::from_request_parts(parts, app)
            .await
            .map_err(IntoResponse::into_response)?;
        if !viewer.is_admin() {
            return Err(forbidden(&viewer, "this page"));
        }
        Ok(AdminViewer(viewer))
    }
}

/// "Not allowed", as a page.
pub fn forbidden(viewer: &Actor, what: &str) -> Response {
    (
        StatusCode::FORBIDDEN,
        page(
            "Not allowed",
            "admin",
            Some(viewer),
            html! { section.card { h1 { "Not allowed" } p { "Only an admin can see " (what) "." } } },
        ),
    )
        .into_response()
}

/// A page that could not be built: the error's message and stable code, its status.
pub struct PageError(pub Error);

impl<E> From<E> for PageError
where
    Error: From<E>,
{
    fn from(e: E) -> Self {
        PageError(Error::from(e))
    }
}

pub type PageResult = Result<Response, PageError>;

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = self.0;
        let title = if e.kind == proost_app::Kind::NotFound {
            "Not found"
        } else {
            "Something failed"
        };
        (
            status_of(e.kind),
            page(
                title,
                "error",
                None,
                html! {
                    section.card.narrow {
                        h1 { (title) }
                        p.error { (e.message) }
                        p.muted { "Error code: " code { (e.code) } }
                        p { a href="/" { "Back to Proost" } }
                    }
                },
            ),
        )
            .into_response()
    }
}
