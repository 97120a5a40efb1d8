//! `/api/v1/users…` and `/api/v1/invites/accept`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use proost_app::App;
use proost_app::people::accounts::{
    self, CreatedUser, NewUserRequest, UserDetail, UserList, UserUpdate, UserView,
};
use proost_app::people::invites::{self, AcceptInvite, Accepted, Invite};
use utoipa::OpenApi;

use crate::http::error::ApiResult;
use crate::http::extract::{Admin, Caller, JsonBody};

#[derive(OpenApi)]
#[openapi(paths(create, list, get, update, delete, reinvite, accept_invite))]
pub struct ApiDoc;

/// Creates a user (admin); without a password the answer carries a one-time invite link
/// (emailed when SMTP is set).
#[utoipa::path(post, path = "/api/v1/users", tag = "people", request_body = NewUserRequest,
    responses((status = 201, body = CreatedUser)))]
pub async fn create(
    State(app): State<Arc<App>>,
    admin: Admin,
    JsonBody(body): JsonBody<NewUserRequest>,
) -> ApiResult<Response> {
    let created = accounts::create(&app, &admin, body).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[utoipa::path(get, path = "/api/v1/users", tag = "people", responses((status = 200, body = UserList)))]
pub async fn list(State(app): State<Arc<App>>, admin: Admin) -> ApiResult<Json<UserList>> {
    Ok(Json(accounts::list(&app, &admin).await?))
}

/// A user (admins: anyone; others: themselves), with their groups.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "people", params(("id" = String, Path)),
    responses((status = 200, body = UserDetail)))]
pub async fn get(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<UserDetail>> {
    Ok(Json(accounts::get(&app, &caller, &id).await?))
}

/// Changes a user: their own name, profile and password, or (admin) anything.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "people", params(("id" = String, Path)),
    request_body = UserUpdate, responses((status = 200, body = UserView)))]
pub async fn update(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<UserUpdate>,
) -> ApiResult<Json<UserView>> {
    Ok(Json(accounts::update(&app, &caller, &id, body).await?))
}

#[utoipa::path(delete, path = "/api/v1/users/{id}", tag = "people", params(("id" = String, Path)),
    responses((status = 204)))]
pub async fn delete(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    accounts::delete(&app, &admin, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new invite link for a user without a password (admin).
#[utoipa::path(post, path = "/api/v1/users/{id}/invite", tag = "people", params(("id" = String, Path)),
    responses((status = 201, body = Invite)))]
pub async fn reinvite(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let invite = invites::reinvite(&app, &admin, &id).await?;
    Ok((StatusCode::CREATED, Json(invite)).into_response())
}

/// Sets a password from an invite link; the link works once.
#[utoipa::path(post, path = "/api/v1/invites/accept", tag = "people", request_body = AcceptInvite,
    responses((status = 200, body = Accepted)))]
pub async fn accept_invite(
    State(app): State<Arc<App>>,
    JsonBody(body): JsonBody<AcceptInvite>,
) -> ApiResult<Json<Accepted>> {
    Ok(Json(invites::accept_invite(&app, body).await?))
}
