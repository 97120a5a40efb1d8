//! Signing in and out: first-run setup, password and LDAP logins, OpenID Connect, the
//! caller's own session; the setup, login and invite pages.

mod api;
mod oidc;
mod pages;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use proost_app::App;

use crate::api_path;

use utoipa::OpenApi;

/// The room's part of the OpenAPI document.
pub fn api_doc() -> utoipa::openapi::OpenApi {
    let mut doc = api::ApiDoc::openapi();
    doc.merge(oidc::ApiDoc::openapi());
    doc
}

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(api_path!("/setup"), post(api::setup))
        .route(
            api_path!("/session"),
            post(api::login).delete(api::logout).get(api::me),
        )
        .route(api_path!("/password/forgot"), post(api::forgot_password))
        .route(api_path!("/password/reset"), post(api::reset_password))
        .route(api_path!("/sso"), get(api::providers))
        .route(api_path!("/sso/oidc/login"), get(oidc::login))
        .route(api_path!("/sso/oidc/callback"), get(oidc::callback))
        .route("/", get(pages::home))
        .route("/setup", get(pages::setup))
        .route("/login", get(pages::login))
        .route("/invite", get(pages::invite))
        .route("/reset", get(pages::reset))
        .route("/forgot", get(pages::forgot))
}
