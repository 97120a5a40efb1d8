//! Saved questions (SQL or builder), the builder's unsaved runs and SQL view, computed
//! fields and collections: the API, and the pages to list, build and open questions.

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
        .route(api_path!("/questions"), get(api::list).post(api::create))
        .route(
            api_path!("/questions/{id}"),
            get(api::get).patch(api::update).delete(api::delete),
        )
        .route(api_path!("/questions/{id}/run"), post(api::run))
        .route(api_path!("/questions/{id}/export"), get(api::export))
        .route(api_path!("/questions/{id}/duplicate"), post(api::duplicate))
        .route(api_path!("/questions/{id}/versions"), get(api::versions))
        .route(
            api_path!("/questions/{id}/versions/{n}/diff"),
            get(api::diff),
        )
        .route(
            api_path!("/questions/{id}/versions/{n}/restore"),
            post(api::restore),
        )
        .route(api_path!("/builder/run"), post(api::builder_run))
        .route(api_path!("/builder/sql"), post(api::builder_sql))
        .route(api_path!("/fields"), get(api::fields).post(api::add_field))
        .route(
            api_path!("/fields/{id}"),
            axum::routing::delete(api::delete_field),
        )
        .route(
            api_path!("/collections"),
            get(api::collections).post(api::create_collection),
        )
        .route(
            api_path!("/collections/{id}"),
            get(api::collection).delete(api::delete_collection),
        )
        .route("/questions", get(pages::index))
        .route("/questions/new", get(pages::builder))
        .route("/questions/{id}", get(pages::question))
}
