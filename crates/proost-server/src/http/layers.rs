//! What wraps every route: security headers, the body limit, and the count of pages seen.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use proost_app::App;
use tower_http::set_header::SetResponseHeaderLayer;

use super::extract::Tracked;
use super::session::token;

/// Security headers and the body limit over every route.
pub fn secure(router: Router) -> Router {
    router
        .layer(axum::extract::DefaultBodyLimit::max(2 * 1024 * 1024))
        .layer(axum::middleware::from_fn(content_security_policy))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // The setup link carries its token in the URL: never let it leak through Referer.
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

tokio::task_local! {
    /// The nonce of this response's style policy, for the page shell to hand to the SQL
    /// editor (CodeMirror writes its styles into `<style>` elements at run time).
    pub static STYLE_NONCE: String;
}

/// Scripts only from Proost itself; styles from Proost and from `<style>` elements that
/// carry this response's nonce (fresh per response, so injected markup cannot guess it).
async fn content_security_policy(req: Request, next: Next) -> Response {
    let nonce = proost_store::secrets::new_token();
    let mut response = STYLE_NONCE.scope(nonce.clone(), next.run(req)).await;
    let policy = format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    );
    if let Ok(v) = HeaderValue::from_str(&policy) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, v);
    }
    response
}

/// Records a visit to a web page: a layer over every route, so every page (and every page
/// added later) is counted the same way without a call in each handler. Only successful
/// HTML answers to signed-in users; the query string is not kept; the API is not a page.
pub async fn record_page(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let seen = (req.method() == Method::GET
        && !path.starts_with("/assets/")
        && !path.starts_with("/api/"))
    .then(|| {
        let Tracked(visit) = Tracked::of(req.headers(), req.extensions(), path);
        visit
            .allowed
            .then(|| (visit, token(req.headers()).map(|(t, _)| t)))
    })
    .flatten();
    let response = next.run(req).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if let Some((visit, Some(token))) = seen
        && response.status() == StatusCode::OK
        && html
        && let Some((session, _)) = proost_app::people::sessions::find(&app, &token).await
    {
        visit.page(&app, &session.user.id);
    }
    response
}
