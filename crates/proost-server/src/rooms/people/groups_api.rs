//! `/api/v1/groups…` and `/api/v1/roles…` (admin).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use proost_app::App;
use proost_app::people::groups::{
    self, GroupDetail, GroupList, MemberAdded, NewGroup, NewMember, NewRole, RoleList,
};
use proost_store::{GroupRecord, RoleRecord};
use utoipa::OpenApi;

use crate::http::error::ApiResult;
use crate::http::extract::{Admin, JsonBody};

#[derive(OpenApi)]
#[openapi(paths(
    create,
    list,
    get,
    delete,
    add_member,
    remove_member,
    list_roles,
    create_role,
    delete_role
))]
pub struct ApiDoc;

#[utoipa::path(post, path = "/api/v1/groups", tag = "people", request_body = NewGroup,
    responses((status = 201, body = GroupRecord)))]
pub async fn create(
    State(app): State<Arc<App>>,
    admin: Admin,
    JsonBody(body): JsonBody<NewGroup>,
) -> ApiResult<Response> {
    let g = groups::create_group(&app, &admin, body).await?;
    Ok((StatusCode::CREATED, Json(g)).into_response())
}

#[utoipa::path(get, path = "/api/v1/groups", tag = "people", responses((status = 200, body = GroupList)))]
pub async fn list(State(app): State<Arc<App>>, admin: Admin) -> ApiResult<Json<GroupList>> {
    Ok(Json(groups::list_groups(&app, &admin).await?))
}

#[utoipa::path(get, path = "/api/v1/groups/{id}", tag = "people", params(("id" = String, Path)),
    responses((status = 200, body = GroupDetail)))]
pub async fn get(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<GroupDetail>> {
    Ok(Json(groups::get_group(&app, &admin, &id).await?))
}

#[utoipa::path(delete, path = "/api/v1/groups/{id}", tag = "people", params(("id" = String, Path)),
    responses((status = 204)))]
pub async fn delete(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    groups::delete_group(&app, &admin, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a member (201), or confirms one already in (200).
#[utoipa::path(post, path = "/api/v1/groups/{id}/members", tag = "people",
    params(("id" = String, Path)), request_body = NewMember,
    responses((status = 201, body = MemberAdded), (status = 200, body = MemberAdded)))]
pub async fn add_member(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<NewMember>,
) -> ApiResult<Response> {
    let added = groups::add_member(&app, &admin, &id, body).await?;
    let status = if added.added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(added)).into_response())
}

#[utoipa::path(delete, path = "/api/v1/groups/{id}/members/{user}", tag = "people",
    params(("id" = String, Path), ("user" = String, Path)), responses((status = 204)))]
pub async fn remove_member(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path((id, user)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    groups::remove_member(&app, &admin, &id, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/roles", tag = "people", responses((status = 200, body = RoleList)))]
pub async fn list_roles(State(app): State<Arc<App>>, admin: Admin) -> ApiResult<Json<RoleList>> {
    Ok(Json(groups::list_roles(&app, &admin).await?))
}

#[utoipa::path(post, path = "/api/v1/roles", tag = "people", request_body = NewRole,
    responses((status = 201, body = RoleRecord)))]
pub async fn create_role(
    State(app): State<Arc<App>>,
    admin: Admin,
    JsonBody(body): JsonBody<NewRole>,
) -> ApiResult<Response> {
    let role = groups::create_role(&app, &admin, body).await?;
    Ok((StatusCode::CREATED, Json(role)).into_response())
}

#[utoipa::path(delete, path = "/api/v1/roles/{name}", tag = "people",
    params(("name" = String, Path)), responses((status = 204)))]
pub async fn delete_role(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    groups::delete_role(&app, &admin, &name).await?;
    Ok(StatusCode::NO_CONTENT)
}
