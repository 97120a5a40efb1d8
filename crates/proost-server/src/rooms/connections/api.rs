//! `/api/v1/connections…`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use proost_app::App;
use proost_app::classify::scan::ScanReport;
use proost_app::connections::{
    self, AddedConnection, ConnectionInfo, ConnectionList, ConnectionUpdate, ConnectionView,
    NewConnection, SchemaTree,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::http::error::ApiResult;
use crate::http::extract::{Admin, Caller, JsonBody, Query, Tracked};

#[derive(OpenApi)]
#[openapi(paths(list, create, get, update, delete, schema, scan))]
pub struct ApiDoc;

/// The connections the caller may see (the address and account warnings for admins only).
#[utoipa::path(get, path = "/api/v1/connections", tag = "connections",
    responses((status = 200, body = ConnectionList)))]
pub async fn list(State(app): State<Arc<App>>, caller: Caller) -> ApiResult<Json<ConnectionList>> {
    Ok(Json(connections::list(&app, &caller).await?))
}

/// Adds a connection (admin); its columns are classified before anyone can query it.
#[utoipa::path(post, path = "/api/v1/connections", tag = "connections", request_body = NewConnection,
    responses((status = 201, body = AddedConnection)))]
pub async fn create(
    State(app): State<Arc<App>>,
    admin: Admin,
    Tracked(visit): Tracked,
    JsonBody(body): JsonBody<NewConnection>,
) -> ApiResult<Response> {
    let added = connections::add(&app, Some(&admin), body, false).await?;
    visit.connection_added(&app, &admin, &added.record.kind);
    Ok((StatusCode::CREATED, Json(added)).into_response())
}

#[utoipa::path(get, path = "/api/v1/connections/{id}", tag = "connections",
    params(("id" = String, Path)), responses((status = 200, body = ConnectionInfo)))]
pub async fn get(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ConnectionInfo>> {
    Ok(Json(connections::get(&app, &caller, &id).await?))
}

/// Changes what can change without re-creating the connection (admin).
#[utoipa::path(patch, path = "/api/v1/connections/{id}", tag = "connections",
    params(("id" = String, Path)), request_body = ConnectionUpdate,
    responses((status = 200, body = ConnectionView)))]
pub async fn update(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ConnectionUpdate>,
) -> ApiResult<Json<ConnectionView>> {
    Ok(Json(connections::update(&app, &admin, &id, body).await?))
}

/// Crypto-shreds the connection (admin): its replicas, cached results and data key go.
#[utoipa::path(delete, path = "/api/v1/connections/{id}", tag = "connections",
    params(("id" = String, Path)), responses((status = 204)))]
pub async fn delete(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    connections::delete(&app, &admin, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The schemas, tables and columns the caller may see, with masks.
#[utoipa::path(get, path = "/api/v1/connections/{id}/schema", tag = "connections",
    params(("id" = String, Path)), responses((status = 200, body = SchemaTree)))]
pub async fn schema(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<SchemaTree>> {
    Ok(Json(connections::schema(&app, &caller, &id).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Wait {
    /// Answer with the result instead of running in the background.
    #[serde(default)]
    wait: bool,
}

/// A piece of work started in the background.
#[derive(Serialize, ToSchema)]
pub struct Started {
    status: &'static str,
}

/// Classifies every column again (admin): `?wait=true` answers with the report, else 202.
#[utoipa::path(post, path = "/api/v1/connections/{id}/scan", tag = "connections",
    params(("id" = String, Path), Wait),
    responses((status = 200, body = ScanReport), (status = 202, body = Started)))]
pub async fn scan(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
    Query(params): Query<Wait>,
) -> ApiResult<Response> {
    Ok(
        match connections::rescan(&app, &admin, &id, params.wait).await? {
            Some(report) => Json(report).into_response(),
            None => (StatusCode::ACCEPTED, Json(Started { status: "started" })).into_response(),
        },
    )
}
