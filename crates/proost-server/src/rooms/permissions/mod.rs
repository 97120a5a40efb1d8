//! Permissions: grants, row policies, and column classifications (which columns are
//! personal and how they are masked).

mod classifications_api;
mod grants_api;

use std::sync::Arc;

use axum::Router;
use axum::routing::{delete, get};
use proost_app::App;
use utoipa::OpenApi;

use crate::api_path;

pub fn api_doc() -> utoipa::openapi::OpenApi {
    let mut doc = grants_api::ApiDoc::openapi();
    doc.merge(classifications_api::ApiDoc::openapi());
    doc
}

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(
            api_path!("/grants"),
            get(grants_api::list).post(grants_api::create),
        )
        .route(api_path!("/grants/{id}"), delete(grants_api::delete))
        .route(
            api_path!("/row-policies"),
            get(grants_api::list_policies).post(grants_api::create_policy),
        )
        .route(
            api_path!("/row-policies/{id}"),
            delete(grants_api::delete_policy),
        )
        .route(
            api_path!("/connections/{id}/classifications"),
            get(classifications_api::list).put(classifications_api::set),
        )
}
