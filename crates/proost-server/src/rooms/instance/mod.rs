//! The instance: health, readiness, metrics, and its counts against the licence.

mod api;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use proost_app::App;

use crate::api_path;

pub use api::{ApiDoc, metrics_open};

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(api_path!("/health"), get(api::health))
        .route(api_path!("/ready"), get(api::ready))
        .route("/metrics", get(api::metrics))
        .route(api_path!("/instance"), get(api::instance))
}
