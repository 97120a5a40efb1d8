//! `GET /api/v1/usage`, `POST /api/v1/usage/sweep` (admin).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use proost_app::App;
use proost_app::usage::{self, UsageParams, UsageReport};
use proost_store::UsageSweep;
use utoipa::OpenApi;

use crate::http::error::ApiResult;
use crate::http::extract::{Admin, Query};
use crate::http::respond::{NDJSON, accepts, json_lines};

#[derive(OpenApi)]
#[openapi(paths(list, sweep))]
pub struct ApiDoc;

/// Events newest first, and a summary; `Accept: application/x-ndjson` exports the events
/// as JSON lines.
#[utoipa::path(get, path = "/api/v1/usage", tag = "usage", params(UsageParams),
    responses((status = 200, body = UsageReport), (status = 200, content_type = "application/x-ndjson")))]
pub async fn list(
    State(app): State<Arc<App>>,
    admin: Admin,
    headers: HeaderMap,
    Query(params): Query<UsageParams>,
) -> ApiResult<Response> {
    if accepts(&headers, NDJSON) {
        let (_, events) = usage::events(&app, &admin, &params).await?;
        return json_lines(&events);
    }
    Ok(Json(usage::report(&app, &admin, &params).await?).into_response())
}

/// Runs the retention sweep now.
#[utoipa::path(post, path = "/api/v1/usage/sweep", tag = "usage",
    responses((status = 200, body = UsageSweep)))]
pub async fn sweep(State(app): State<Arc<App>>, admin: Admin) -> ApiResult<Json<UsageSweep>> {
    Ok(Json(usage::sweep_now(&app, &admin).await?))
}
