//! `POST /api/v1/browse`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use proost_app::query::{self, BrowseRequest};
use proost_app::usage::QueryRun;
use proost_app::{App, Error};
use serde_json::Value;
use utoipa::OpenApi;

use crate::http::error::ApiResult;
use crate::http::extract::{Caller, JsonBody, Tracked};

#[derive(OpenApi)]
#[openapi(paths(browse))]
pub struct ApiDoc;

/// A table's rows as the caller may see them (grants, masks, row policies), filtered and
/// sorted without SQL; for every role that may read the table, viewers included. The
/// answer has the shape of `POST /api/v1/query`'s.
#[utoipa::path(post, path = "/api/v1/browse", tag = "query", request_body = BrowseRequest,
    responses((status = 200, body = Object), (status = 400), (status = 404)))]
pub async fn browse(
    State(app): State<Arc<App>>,
    caller: Caller,
    Tracked(visit): Tracked,
    JsonBody(body): JsonBody<BrowseRequest>,
) -> ApiResult<Json<Value>> {
    let answer = query::browse(&app, &caller, &body).await?;
    visit.query(
        &app,
        &caller,
        QueryRun {
            // No statement: a browse is built without SQL; the table is in `sources`.
            sql: "",
            native: None,
            elapsed_ms: answer.elapsed_ms,
            rows: answer.rows,
            sources: &answer.sources,
            cache: answer.cache,
        },
    );
    let mut v = query::json::to_json(&answer.out, answer.elapsed_ms)?;
    v["sources"] = serde_json::to_value(&answer.sources).map_err(Error::internal)?;
    v["cache"] = Value::from(answer.cache);
    Ok(Json(v))
}
