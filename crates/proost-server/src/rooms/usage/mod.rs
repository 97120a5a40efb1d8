//! Usage analytics for admins: `GET /api/v1/usage` (JSON or JSON lines), the retention
//! sweep on demand, and `/admin/usage`.

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
        .route(api_path!("/usage"), get(api::list))
        .route(api_path!("/usage/sweep"), post(api::sweep))
        .route("/admin/usage", get(pages::usage))
}
