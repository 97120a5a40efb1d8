//! `GET /api/v1/health`, `GET /api/v1/instance`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use proost_app::App;
use proost_app::licence::{self, InstanceInfo};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::http::error::ApiResult;
use crate::http::extract::Admin;

#[derive(OpenApi)]
#[openapi(paths(health, instance))]
pub struct ApiDoc;

#[derive(Serialize, ToSchema)]
pub struct Health {
    status: &'static str,
}

#[utoipa::path(get, path = "/api/v1/health", tag = "instance", responses((status = 200, body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Counts of users, roles and connections, and the licence's limits (`null` without one).
#[utoipa::path(get, path = "/api/v1/instance", tag = "instance",
    responses((status = 200, body = InstanceInfo)))]
pub async fn instance(State(app): State<Arc<App>>, admin: Admin) -> ApiResult<Json<InstanceInfo>> {
    Ok(Json(licence::instance(&app, &admin).await?))
}
