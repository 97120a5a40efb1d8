//! `/api/v1/grants…` and `/api/v1/row-policies…` (admin).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use proost_app::App;
use proost_app::permissions::{
    self, GrantFilter, GrantList, GrantView, NewGrantRequest, NewRowPolicy, RowPolicyList,
    RowPolicyView,
};
use utoipa::OpenApi;

use crate::http::error::ApiResult;
use crate::http::extract::{Admin, JsonBody, Query};

#[derive(OpenApi)]
#[openapi(paths(create, list, delete, create_policy, list_policies, delete_policy))]
pub struct ApiDoc;

/// Gives a user or group a level (`metadata`, `query`, `pii`) on a connection, schema,
/// table or column.
#[utoipa::path(post, path = "/api/v1/grants", tag = "permissions", request_body = NewGrantRequest,
    responses((status = 201, body = GrantView)))]
pub async fn create(
    State(app): State<Arc<App>>,
    admin: Admin,
    JsonBody(body): JsonBody<NewGrantRequest>,
) -> ApiResult<Response> {
    let g = permissions::create_grant(&app, &admin, body).await?;
    Ok((StatusCode::CREATED, Json(g)).into_response())
}

#[utoipa::path(get, path = "/api/v1/grants", tag = "permissions", params(GrantFilter),
    responses((status = 200, body = GrantList)))]
pub async fn list(
    State(app): State<Arc<App>>,
    admin: Admin,
    Query(f): Query<GrantFilter>,
) -> ApiResult<Json<GrantList>> {
    Ok(Json(permissions::list_grants(&app, &admin, f).await?))
}

#[utoipa::path(delete, path = "/api/v1/grants/{id}", tag = "permissions",
    params(("id" = String, Path)), responses((status = 204)))]
pub async fn delete(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    permissions::delete_grant(&app, &admin, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A filter on a table for a group's members, e.g. `region = {{user.region}}`.
#[utoipa::path(post, path = "/api/v1/row-policies", tag = "permissions", request_body = NewRowPolicy,
    responses((status = 201, body = RowPolicyView)))]
pub async fn create_policy(
    State(app): State<Arc<App>>,
    admin: Admin,
    JsonBody(body): JsonBody<NewRowPolicy>,
) -> ApiResult<Response> {
    let p = permissions::create_row_policy(&app, &admin, body).await?;
    Ok((StatusCode::CREATED, Json(p)).into_response())
}

#[utoipa::path(get, path = "/api/v1/row-policies", tag = "permissions",
    responses((status = 200, body = RowPolicyList)))]
pub async fn list_policies(
    State(app): State<Arc<App>>,
    admin: Admin,
) -> ApiResult<Json<RowPolicyList>> {
    Ok(Json(permissions::list_row_policies(&app, &admin).await?))
}

#[utoipa::path(delete, path = "/api/v1/row-policies/{id}", tag = "permissions",
    params(("id" = String, Path)), responses((status = 204)))]
pub async fn delete_policy(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    permissions::delete_row_policy(&app, &admin, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
