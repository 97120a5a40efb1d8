//! `POST /api/v1/query`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use proost_app::query::history::{self as runs, Draft, HistoryList, HistoryParams};
use proost_app::query::{self, QueryOptions, QueryRequest};
use proost_app::usage::QueryRun;
use proost_app::{App, Error};
use serde::Serialize;
use serde_json::json;
use utoipa::{OpenApi, ToSchema};

use crate::http::error::ApiResult;
use crate::http::extract::{Caller, JsonBody, Query, Tracked};
use crate::http::respond::{accepts, result_csv};

#[derive(OpenApi)]
#[openapi(paths(query, cancel, history, get_draft, put_draft))]
pub struct ApiDoc;

/// The answer to a query (its shape; the server writes it).
#[derive(Serialize, ToSchema)]
pub struct QueryAnswer {
    /// `[{"name", "type"}]`
    #[schema(value_type = Vec<Object>)]
    columns: serde_json::Value,
    row_count: usize,
    /// One array of plain values per row: numbers, text, decimals as text, dates ISO 8601.
    #[schema(value_type = Vec<Vec<Object>>)]
    rows: serde_json::Value,
    truncated: bool,
    elapsed_ms: f64,
    /// Where each table was read from: `[{"table", "served_from", "version"?}]`.
    #[schema(value_type = Vec<Object>)]
    sources: serde_json::Value,
    /// `hit`, `stale`, `miss` or `bypass`.
    cache: String,
}

/// Runs SQL: across sources through the governed catalog, or natively on one connection
/// (`connection`). `Accept: text/csv` gives CSV; `Cache-Control: no-cache` a fresh answer.
#[utoipa::path(post, path = "/api/v1/query", tag = "query", request_body = QueryRequest,
    responses((status = 200, body = QueryAnswer), (status = 200, content_type = "text/csv")))]
pub async fn query(
    State(app): State<Arc<App>>,
    caller: Caller,
    Tracked(visit): Tracked,
    headers: HeaderMap,
    JsonBody(body): JsonBody<QueryRequest>,
) -> ApiResult<Response> {
    // `Cache-Control: no-cache` asks for a fresh answer (it is still stored for others).
    let bypass_cache = headers
        .get_all(header::CACHE_CONTROL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("no-cache") || v.contains("no-store"));
    let wants_csv = accepts(&headers, "text/csv");
    let answer = query::run(
        &app,
        &caller,
        &body,
        QueryOptions {
            bypass_cache,
            wants_batches: wants_csv,
        },
    )
    .await?;
    visit.query(
        &app,
        &caller,
        QueryRun {
            sql: &body.sql,
            native: body.connection.as_deref(),
            elapsed_ms: answer.elapsed_ms,
            rows: answer.rows,
            sources: &answer.sources,
            cache: answer.cache,
        },
    );
    let mut response = if wants_csv {
        // An export leaves Proost as a file: who took which tables, how many rows.
        let tables: Vec<&str> = answer.sources.iter().map(|s| s.table.as_str()).collect();
        app.store
            .audit(
                Some(&caller.user.id),
                "query.export",
                body.connection.as_deref(),
                &json!({"format": "csv", "rows": answer.rows, "tables": tables,
                        "native": body.connection.is_some()}),
            )
            .await?;
        result_csv(&answer.out, "proost-result.csv")?
    } else if let Some(prefix) = &answer.json_prefix {
        (
            [(header::CONTENT_TYPE, "application/json")],
            query::json::json_from_prefix(prefix, answer.elapsed_ms, answer.cache),
        )
            .into_response()
    } else {
        let mut v = query::json::to_json(&answer.out, answer.elapsed_ms)?;
        v["sources"] = serde_json::to_value(&answer.sources).map_err(Error::internal)?;
        v["cache"] = json!(answer.cache);
        Json(v).into_response()
    };
    response
        .headers_mut()
        .insert("x-proost-cache", HeaderValue::from_static(answer.cache));
    Ok(response)
}

/// Cancels the caller's own query that was sent with this `query_id`, at the source too;
/// the query's own request is answered 409 `query_cancelled`.
#[utoipa::path(post, path = "/api/v1/query/{query_id}/cancel", tag = "query",
    params(("query_id" = String, Path)), responses((status = 204), (status = 404)))]
pub async fn cancel(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(query_id): Path<String>,
) -> ApiResult<StatusCode> {
    app.running.cancel(&caller, &query_id)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's own query history, newest first (`q` searches the statements). Only its
/// author can read a statement: it is sealed with their own key.
#[utoipa::path(get, path = "/api/v1/history", tag = "query", params(HistoryParams),
    responses((status = 200, body = HistoryList)))]
pub async fn history(
    State(app): State<Arc<App>>,
    caller: Caller,
    Query(params): Query<HistoryParams>,
) -> ApiResult<Json<HistoryList>> {
    Ok(Json(runs::list(&app, &caller, &params).await?))
}

/// The caller's saved draft (`sql`: the SQL editor's text); empty when none was saved.
#[utoipa::path(get, path = "/api/v1/drafts/{name}", tag = "query",
    params(("name" = String, Path)), responses((status = 200, body = Draft)))]
pub async fn get_draft(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(name): Path<String>,
) -> ApiResult<Json<Draft>> {
    Ok(Json(runs::draft(&app, &caller, &name).await?))
}

/// Saves the caller's draft, sealed with their own key.
#[utoipa::path(put, path = "/api/v1/drafts/{name}", tag = "query", request_body = Draft,
    params(("name" = String, Path)), responses((status = 204)))]
pub async fn put_draft(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(name): Path<String>,
    JsonBody(body): JsonBody<Draft>,
) -> ApiResult<StatusCode> {
    runs::save_draft(&app, &caller, &name, &body).await?;
    Ok(StatusCode::NO_CONTENT)
}
