//! Privacy records (admin): retention policies and their sweep, legal holds, the record of
//! processing (GDPR Art. 30) and the breach log (Art. 33(5)), over the API and on
//! `/admin/privacy/records`.

mod api;
mod pages;

use std::sync::Arc;

use axum::Router;
use axum::routing::{delete, get, post, put};
use proost_app::App;

use crate::api_path;

pub use api::ApiDoc;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(api_path!("/privacy/retention"), get(api::retention_list))
        .route(
            api_path!("/privacy/retention/sweep"),
            post(api::retention_sweep),
        )
        .route(
            api_path!("/privacy/retention/{record_type}"),
            put(api::retention_set),
        )
        .route(
            api_path!("/privacy/holds"),
            get(api::holds_list).post(api::holds_place),
        )
        .route(api_path!("/privacy/holds/{id}"), delete(api::holds_release))
        .route(api_path!("/privacy/record"), get(api::record_export))
        .route(
            api_path!("/privacy/breaches"),
            get(api::breaches_list).post(api::breaches_record),
        )
        .route(
            api_path!("/privacy/breaches/{id}"),
            put(api::breaches_update),
        )
        .route("/admin/privacy/records", get(pages::records))
}
