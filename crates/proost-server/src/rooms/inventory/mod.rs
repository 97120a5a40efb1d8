//! The personal-data inventory: `GET /api/v1/inventory` (JSON or CSV) and
//! `/admin/inventory` with the admin's confirm / reject actions.

mod api;
mod pages;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use proost_app::App;

use crate::api_path;

pub use api::ApiDoc;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(api_path!("/inventory"), get(api::inventory))
        .route("/admin/inventory", get(pages::inventory))
}
