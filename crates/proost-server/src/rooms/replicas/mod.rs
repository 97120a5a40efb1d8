//! Replicas (admin): defining, reading, rolling back and removing them, and syncing a
//! connection's replicas now. (Their card on the connection page belongs to that page.)

mod api;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use proost_app::App;

use crate::api_path;

pub use api::ApiDoc;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(
            api_path!("/connections/{id}/replicas"),
            get(api::list).post(api::create),
        )
        .route(
            api_path!("/connections/{id}/replicas/{replica}"),
            get(api::get).delete(api::delete),
        )
        .route(
            api_path!("/connections/{id}/replicas/{replica}/rollback"),
            post(api::rollback),
        )
        .route(api_path!("/connections/{id}/sync"), post(api::sync))
}
