//! People: users and invites, groups and roles, sessions and API tokens; the people page
//! (admin) and the caller's own account page.

mod groups_api;
mod pages;
mod person;
mod tokens_api;
mod users_api;

use std::sync::Arc;

use axum::Router;
use axum::routing::{delete, get, post};
use proost_app::App;
use utoipa::OpenApi;

use crate::api_path;

/// The room's part of the OpenAPI document.
pub fn api_doc() -> utoipa::openapi::OpenApi {
    let mut doc = users_api::ApiDoc::openapi();
    doc.merge(groups_api::ApiDoc::openapi());
    doc.merge(tokens_api::ApiDoc::openapi());
    doc
}

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(
            api_path!("/users"),
            get(users_api::list).post(users_api::create),
        )
        .route(
            api_path!("/users/{id}"),
            get(users_api::get)
                .patch(users_api::update)
                .delete(users_api::delete),
        )
        .route(api_path!("/users/{id}/invite"), post(users_api::reinvite))
        .route(
            api_path!("/users/{id}/sessions"),
            delete(tokens_api::revoke_all),
        )
        .route(api_path!("/invites/accept"), post(users_api::accept_invite))
        .route(
            api_path!("/roles"),
            get(groups_api::list_roles).post(groups_api::create_role),
        )
        .route(api_path!("/roles/{name}"), delete(groups_api::delete_role))
        .route(
            api_path!("/groups"),
            get(groups_api::list).post(groups_api::create),
        )
        .route(
            api_path!("/groups/{id}"),
            get(groups_api::get).delete(groups_api::delete),
        )
        .route(
            api_path!("/groups/{id}/members"),
            post(groups_api::add_member),
        )
        .route(
            api_path!("/groups/{id}/members/{user}"),
            delete(groups_api::remove_member),
        )
        .route(api_path!("/sessions"), get(tokens_api::list))
        .route(api_path!("/sessions/{id}"), delete(tokens_api::revoke))
        .route(api_path!("/tokens"), post(tokens_api::create))
        .route("/admin/people", get(pages::people))
        .route("/admin/people/{id}", get(person::person))
        .route("/account", get(pages::account))
}
