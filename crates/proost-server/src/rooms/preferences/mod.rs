//! Communication preferences (`/account/preferences`, `GET/PUT /api/v1/me/preferences`), the
//! one-click unsubscribe every email carries (`/unsubscribe/{token}`: `POST` is RFC 8058's
//! one click, `GET` a page with a button so link scanners change nothing), and the privacy
//! notice in versions (`/privacy`, `/api/v1/privacy/notice…`, `/admin/privacy-notice`).
//!
//! A material notice version gates everything else: [`notice_gate`], a layer over every
//! route, answers a signed-in caller's API calls `403 notice_acknowledgement_required` and
//! sends their browser to `/privacy/acknowledge` until they acknowledge it — except the
//! notice itself, its acknowledgement, signing in and out, and static assets. One layer,
//! whatever way the session was made (password, SSO, API token).

mod api;
mod pages;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use proost_app::{App, Error};

use crate::api_path;
use crate::http::error::ApiError;
use crate::http::session::token;

pub use api::ApiDoc;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(
            api_path!("/me/preferences"),
            get(api::preferences).put(api::set_preferences),
        )
        .route(
            "/unsubscribe/{token}",
            get(pages::unsubscribe_page).post(pages::unsubscribe_now),
        )
        .route(
            api_path!("/privacy/notice"),
            get(api::notice).post(api::publish),
        )
        .route(api_path!("/privacy/notice/versions"), get(api::versions))
        .route(
            api_path!("/privacy/notice/versions/{version}"),
            get(api::notice_version),
        )
        .route(
            api_path!("/privacy/notice/acknowledge"),
            post(api::acknowledge),
        )
        .route("/account/preferences", get(pages::preferences))
        .route("/privacy", get(pages::notice))
        .route("/privacy/acknowledge", get(pages::acknowledge))
        .route("/admin/privacy-notice", get(pages::admin))
}

/// Paths a caller with a notice to acknowledge may still use.
fn open_while_pending(method: &Method, path: &str) -> bool {
    matches!(
        path,
        "/api/v1/session"
            | "/api/v1/privacy/notice/acknowledge"
            | "/privacy"
            | "/privacy/acknowledge"
    ) || (*method == Method::GET && path.starts_with("/api/v1/privacy/notice"))
        || path.starts_with("/assets/")
        || path.starts_with("/unsubscribe/")
        // Signing in again (SSO, a password reset, an invite) is never held.
        || path.starts_with("/api/v1/sso/")
        || path.starts_with("/api/v1/password/")
        || path == "/api/v1/invites/accept"
        || matches!(path, "/login" | "/favicon.ico" | "/api/v1/openapi.json")
}

/// The layer that holds a signed-in caller at the material notice they have not
/// acknowledged (see the module doc). Requests without a live session pass untouched.
pub async fn notice_gate(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if open_while_pending(req.method(), path) {
        return next.run(req).await;
    }
    let Some((t, _)) = token(req.headers()) else {
        return next.run(req).await;
    };
    let Some((session, _)) = proost_app::people::sessions::find(&app, &t).await else {
        return next.run(req).await;
    };
    let pending = match proost_app::notices::pending(&app, &session.user.id).await {
        Ok(p) => p,
        Err(e) => return ApiError(e).into_response(),
    };
    let Some(version) = pending else {
        return next.run(req).await;
    };
    if path.starts_with("/api/") {
        return ApiError(
            Error::forbidden(format!(
                "the privacy notice changed (version {version}); acknowledge it first: \
                 POST /api/v1/privacy/notice/acknowledge (read it at GET /api/v1/privacy/notice)"
            ))
            .with_code("notice_acknowledgement_required"),
        )
        .into_response();
    }
    if *req.method() == Method::GET {
        return Redirect::to("/privacy/acknowledge").into_response();
    }
    next.run(req).await
}
