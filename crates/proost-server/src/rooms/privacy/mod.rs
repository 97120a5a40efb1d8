//! Data-subject requests: filing (signed in, or by email from a public page with a mailed
//! code), the queue for admins and privacy officers, decisions, and the access bundle's
//! download.

mod api;
mod pages;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use proost_app::App;

use crate::api_path;

pub use api::ApiDoc;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(
            api_path!("/privacy/requests"),
            get(api::list).post(api::file),
        )
        .route(api_path!("/privacy/requests/{id}"), get(api::get))
        .route(
            api_path!("/privacy/requests/{id}/verify"),
            post(api::verify),
        )
        .route(
            api_path!("/privacy/requests/{id}/approve"),
            post(api::approve),
        )
        .route(api_path!("/privacy/requests/{id}/deny"), post(api::deny))
        .route(
            api_path!("/privacy/requests/{id}/extend"),
            post(api::extend),
        )
        .route(api_path!("/privacy/requests/{id}/bundle"), get(api::bundle))
        .route("/admin/privacy", get(pages::queue))
        .route("/privacy/request", get(pages::file_form))
        .route("/privacy/request/{id}", get(pages::verify_form))
}
