//! The audit log: `GET /api/v1/audit` (JSON or JSON lines) and `/admin/audit`, for admins
//! and roles with `read_audit`.

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
        .route(api_path!("/audit"), get(api::log))
        .route("/admin/audit", get(pages::audit))
}
