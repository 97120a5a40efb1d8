//! Sharing and talking about content: shares with people and groups, and comments on
//! questions and dashboards.

mod api;

use std::sync::Arc;

use axum::Router;
use axum::routing::{delete, get, patch, post};
use proost_app::App;

use crate::api_path;

pub use api::ApiDoc;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(api_path!("/shares"), post(api::share).get(api::shares))
        .route(api_path!("/shares/{id}"), delete(api::unshare))
        .route(
            api_path!("/questions/{id}/comments"),
            get(api::question_comments).post(api::comment_question),
        )
        .route(
            api_path!("/dashboards/{id}/comments"),
            get(api::dashboard_comments).post(api::comment_dashboard),
        )
        .route(
            api_path!("/comments/{id}"),
            patch(api::edit_comment).delete(api::delete_comment),
        )
}
