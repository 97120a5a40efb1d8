//! Sharing and talking about content: shares with people and groups, comments on
//! questions and dashboards, and email subscriptions (with their logged-out unsubscribe
//! page).

mod api;
mod links;

use std::sync::Arc;

use axum::Router;
use axum::routing::{delete, get, patch, post};
use proost_app::App;

use crate::api_path;

pub use api::ApiDoc;
pub use links::ApiDoc as LinksApiDoc;

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
        .route(
            api_path!("/subscriptions"),
            post(api::subscribe).get(api::subscriptions),
        )
        .route(
            api_path!("/subscriptions/{id}"),
            delete(api::unsubscribe_by_id),
        )
        .route(api_path!("/subscriptions/{id}/send"), post(api::send_now))
        .route("/unsubscribe", get(api::unsubscribe_page))
        .route(
            api_path!("/public-links/settings"),
            get(links::settings).put(links::set_settings),
        )
        .route(
            api_path!("/public-links"),
            post(links::create).get(links::list),
        )
        .route(api_path!("/public-links/{id}"), delete(links::revoke))
        .route(api_path!("/public/open"), post(links::open))
        .route(api_path!("/public/run"), post(links::run))
        .route("/public", get(links::public_page))
        .route("/public-links", get(links::links_page))
}
