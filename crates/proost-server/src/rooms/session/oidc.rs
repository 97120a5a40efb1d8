//! `GET /api/v1/sso/oidc/login` and `/callback`: the browser goes to the provider and back.
//! Answers are pages for a person, our JSON error for a script.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::html;
use proost_app::people::{sessions, sso};
use proost_app::{App, Error};

use crate::http::error::{ApiError, status_of};
use crate::http::extract::Query;
use crate::http::respond::accepts;
use crate::http::session::{SESSION_COOKIE, client_ip, cookie};
use crate::web::shell::page;

#[derive(utoipa::OpenApi)]
#[openapi(paths(login, callback))]
pub struct ApiDoc;

/// Ties an OIDC login to the browser that started it (login CSRF, see `sso::finish_oidc`).
const BROWSER_COOKIE: &str = "proost_sso";
const BROWSER_COOKIE_PATH: &str = "/api/v1/sso/oidc";

/// Sends the browser to the provider.
#[utoipa::path(get, path = "/api/v1/sso/oidc/login", tag = "session",
    responses((status = 302, description = "to the identity provider")))]
pub async fn login(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    match sso::start_oidc(&app).await {
        Ok(start) => {
            let mut r = StatusCode::FOUND.into_response();
            match HeaderValue::from_str(&start.authorize_url) {
                Ok(location) => {
                    r.headers_mut().insert(header::LOCATION, location);
                }
                Err(e) => return failed(&headers, Error::internal(e)),
            }
            // SameSite=Lax, unlike the session cookie: the callback is a cross-site
            // top-level navigation from the provider, on which a Strict cookie would not
            // be sent.
            let cookie = format!(
                "{BROWSER_COOKIE}={}; Path={BROWSER_COOKIE_PATH}; HttpOnly; Secure; SameSite=Lax; Max-Age=600",
                start.browser
            );
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        Err(e) => failed(&headers, e),
    }
}

/// The provider sends the browser back here.
#[utoipa::path(get, path = "/api/v1/sso/oidc/callback", tag = "session",
    params(sso::OidcCallback),
    responses((status = 200, description = "signed in: a page that moves on to /sql", content_type = "text/html", body = String)))]
pub async fn callback(
    State(app): State<Arc<App>>,
    extensions: axum::http::Extensions,
    headers: HeaderMap,
    Query(query): Query<sso::OidcCallback>,
) -> Response {
    let ip = client_ip(&extensions);
    let browser = cookie(&headers, BROWSER_COOKIE);
    let signed = async {
        let user = sso::finish_oidc(&app, query, browser.as_deref(), &ip).await?;
        let carried = cookie(&headers, SESSION_COOKIE);
        sessions::open(&app, user, &ip, carried.as_deref()).await
    };
    let session = match signed.await {
        Ok(s) => s,
        Err(e) => return failed(&headers, e),
    };
    // A page that moves on to /sql, not a redirect: the browser arrived here from the
    // provider, and a navigation in that redirect chain is cross-site, so it would not
    // carry the SameSite=Strict session cookie just set. A navigation this page starts is
    // same-site and does.
    let mut r = page(
        "Signed in",
        "login",
        None,
        html! {
            meta http-equiv="refresh" content="0; url=/sql";
            section.card.narrow {
                h1 { "Signed in" }
                p { "Welcome, " (session.user.name) ". " a href="/sql" { "Continue to Proost" } }
            }
        },
    )
    .into_response();
    for cookie in [
        crate::http::session::session_cookie(&session.token, session.max_age),
        format!(
            "{BROWSER_COOKIE}=; Path={BROWSER_COOKIE_PATH}; HttpOnly; Secure; SameSite=Lax; Max-Age=0"
        ),
    ] {
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}

/// A person gets a page, a script our JSON error.
fn failed(headers: &HeaderMap, e: Error) -> Response {
    if !accepts(headers, "text/html") {
        return ApiError(e).into_response();
    }
    let body = page(
        "Sign-in failed",
        "login",
        None,
        html! {
            section.card.narrow {
                h1 { "Single sign-on failed" }
                p { (e.message) }
                p.muted { "Error code: " code { (e.code) } }
                p { a href="/login" { "Back to the login page" } }
            }
        },
    );
    (status_of(e.kind), body).into_response()
}
