//! The data browser: every connection, schema and table the caller may see, and a table's
//! rows filtered and sorted by clicking, without SQL (Metabase's "Browse data"). Viewers
//! start here.

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
        .route(api_path!("/browse"), post(api::browse))
        .route("/browse", get(pages::index))
        .route("/browse/{connection}/{schema}/{table}", get(pages::table))
}
