//! Connections: adding, reading, changing and deleting them, their schema as the caller may
//! see it, classification on demand; the connections list and the connection page (with
//! its replicas card for admins).

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
        .route(api_path!("/connections"), get(api::list).post(api::create))
        .route(
            api_path!("/connections/{id}"),
            get(api::get).patch(api::update).delete(api::delete),
        )
        .route(api_path!("/connections/{id}/schema"), get(api::schema))
        .route(api_path!("/connections/{id}/scan"), post(api::scan))
        .route("/connections", get(pages::list))
        .route("/connections/{id}", get(pages::connection))
}
