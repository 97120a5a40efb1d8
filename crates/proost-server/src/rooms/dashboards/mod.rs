//! Dashboards: the API (one batched run for every card) and the dashboard pages.

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
        .route(api_path!("/dashboards"), get(api::list).post(api::create))
        .route(
            api_path!("/dashboards/{id}"),
            get(api::get).patch(api::update).delete(api::delete),
        )
        .route(api_path!("/dashboards/{id}/run"), post(api::run))
        .route(api_path!("/dashboards/{id}/export"), get(api::export))
        .route(api_path!("/dashboards/{id}/versions"), get(api::versions))
        .route(
            api_path!("/dashboards/{id}/versions/{n}/restore"),
            post(api::restore),
        )
        .route(
            api_path!("/dashboards/{id}/duplicate"),
            post(api::duplicate),
        )
        .route("/dashboards", get(pages::index))
        .route("/dashboards/{id}", get(pages::dashboard))
}
