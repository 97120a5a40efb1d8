//! Backups (admin): list them, take one now, check one, restore one into a new data dir.

mod api;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use proost_app::App;

use crate::api_path;

pub use api::ApiDoc;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(api_path!("/backups"), get(api::list).post(api::take))
        .route(api_path!("/backups/{file}/verify"), post(api::verify))
        .route(api_path!("/backups/{file}/restore"), post(api::restore))
}
