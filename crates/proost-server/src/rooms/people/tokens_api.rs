//! `/api/v1/sessions…`, `/api/v1/tokens`, `/api/v1/users/{id}/sessions`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use proost_app::App;
use proost_app::people::tokens::{self, CreatedToken, NewToken, Revoked, SessionList};
use utoipa::OpenApi;

use crate::http::error::ApiResult;
use crate::http::extract::{Admin, Caller, JsonBody};

#[derive(OpenApi)]
#[openapi(paths(list, revoke, revoke_all, create))]
pub struct ApiDoc;

/// The caller's own sessions and API tokens (the current one marked).
#[utoipa::path(get, path = "/api/v1/sessions", tag = "people", responses((status = 200, body = SessionList)))]
pub async fn list(State(app): State<Arc<App>>, caller: Caller) -> ApiResult<Json<SessionList>> {
    Ok(Json(tokens::list(&app, &caller).await?))
}

/// Ends one of the caller's sessions or tokens; an admin may end anyone's.
#[utoipa::path(delete, path = "/api/v1/sessions/{id}", tag = "people", params(("id" = String, Path)),
    responses((status = 204)))]
pub async fn revoke(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    tokens::revoke(&app, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every session and token of a user (admin), e.g. after a lost laptop.
#[utoipa::path(delete, path = "/api/v1/users/{id}/sessions", tag = "people",
    params(("id" = String, Path)), responses((status = 200, body = Revoked)))]
pub async fn revoke_all(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Revoked>> {
    Ok(Json(tokens::revoke_all(&app, &admin, &id).await?))
}

/// Makes an API token for the caller, shown only in this answer.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "people", request_body = NewToken,
    responses((status = 201, body = CreatedToken)))]
pub async fn create(
    State(app): State<Arc<App>>,
    caller: Caller,
    JsonBody(body): JsonBody<NewToken>,
) -> ApiResult<Response> {
    let token = tokens::create(&app, &caller, body).await?;
    Ok((StatusCode::CREATED, Json(token)).into_response())
}
