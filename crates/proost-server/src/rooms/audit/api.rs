//! `GET /api/v1/audit`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use proost_app::App;
use proost_app::audit::{self, AuditLog, AuditQuery};
use utoipa::OpenApi;

use crate::http::error::ApiResult;
use crate::http::extract::{Capable, Query, ReadAudit};
use crate::http::respond::{NDJSON, accepts, json_lines};

#[derive(OpenApi)]
#[openapi(paths(log))]
pub struct ApiDoc;

/// The audit log, oldest first; `Accept: application/x-ndjson` exports it as JSON lines.
/// `chain_intact` says whether every entry still fits the hash chain.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditLog), (status = 200, content_type = "application/x-ndjson")))]
pub async fn log(
    State(app): State<Arc<App>>,
    reader: Capable<ReadAudit>,
    headers: HeaderMap,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Response> {
    let log = audit::log(&app, &reader, query).await?;
    if accepts(&headers, NDJSON) {
        return json_lines(&log.entries);
    }
    Ok(Json(log).into_response())
}
