//! Queries: `POST /api/v1/query` (JSON or CSV) and the SQL page.

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
        .route(api_path!("/query"), post(api::query))
        .route(api_path!("/query/{query_id}/cancel"), post(api::cancel))
        .route(api_path!("/history"), get(api::history))
        .route(
            api_path!("/drafts/{name}"),
            get(api::get_draft).put(api::put_draft),
        )
        .route("/sql", get(pages::sql))
}
