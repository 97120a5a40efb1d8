//! `/api/v1/questions`, `/api/v1/builder`, `/api/v1/fields`, `/api/v1/collections`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use proost_app::content::questions::{
    self, BuilderRequest, QuestionDoc, QuestionPatch, QuestionView, Ran, RunRequest,
};
use proost_app::content::{
    self, CollectionView, Created, Diff, DuplicateRequest, Item, NewCollection, VersionList, fields,
};
use proost_app::query::QueryOptions;
use proost_app::usage::QueryRun;
use proost_app::{App, Error};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::http::error::ApiResult;
use crate::http::extract::{Caller, JsonBody, Query, Tracked};
use crate::http::respond::result_csv;

#[derive(OpenApi)]
#[openapi(paths(
    list,
    create,
    get,
    update,
    delete,
    run,
    export,
    duplicate,
    versions,
    diff,
    restore,
    builder_run,
    builder_sql,
    fields,
    add_field,
    delete_field,
    collections,
    create_collection,
    collection,
    delete_collection
))]
pub struct ApiDoc;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Search {
    /// Only content whose name or description contains this (any case).
    pub search: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionList {
    questions: Vec<Item>,
}

/// Questions the caller may open.
#[utoipa::path(get, path = "/api/v1/questions", tag = "questions", params(Search),
    responses((status = 200, body = QuestionList)))]
pub async fn list(
    State(app): State<Arc<App>>,
    caller: Caller,
    Query(q): Query<Search>,
) -> ApiResult<Json<QuestionList>> {
    Ok(Json(QuestionList {
        questions: content::list(&app, &caller, "question", q.search.as_deref()).await?,
    }))
}

/// Saves a question (analysts and admins); every save is a version.
#[utoipa::path(post, path = "/api/v1/questions", tag = "questions", request_body = QuestionDoc,
    responses((status = 201, body = Created), (status = 400)))]
pub async fn create(
    State(app): State<Arc<App>>,
    caller: Caller,
    JsonBody(doc): JsonBody<QuestionDoc>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(questions::create(&app, &caller, &doc).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/questions/{id}", tag = "questions", params(("id" = String, Path)),
    responses((status = 200, body = QuestionView), (status = 404)))]
pub async fn get(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<QuestionView>> {
    Ok(Json(questions::get(&app, &caller, &id).await?))
}

/// Changes a question (a new version).
#[utoipa::path(patch, path = "/api/v1/questions/{id}", tag = "questions", params(("id" = String, Path)),
    request_body = QuestionPatch, responses((status = 200, body = QuestionView)))]
pub async fn update(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(p): JsonBody<QuestionPatch>,
) -> ApiResult<Json<QuestionView>> {
    Ok(Json(questions::update(&app, &caller, &id, &p).await?))
}

#[utoipa::path(delete, path = "/api/v1/questions/{id}", tag = "questions", params(("id" = String, Path)),
    responses((status = 204)))]
pub async fn delete(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    content::delete(&app, &caller, "question", &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn ran_json(ran: &Ran) -> ApiResult<Value> {
    let mut v = proost_app::query::json::answer_json(&ran.answer)?;
    v["chart"] = ran.chart.clone();
    Ok(v)
}

fn record(app: &App, caller: &Caller, visit: &proost_app::usage::Visit, ran: &Ran) {
    visit.query(
        app,
        caller,
        QueryRun {
            sql: "",
            native: None,
            elapsed_ms: ran.answer.elapsed_ms,
            rows: ran.answer.rows,
            sources: &ran.answer.sources,
            cache: ran.answer.cache,
        },
    );
}

/// Runs a question as the caller (their grants, masks and row policies): the body of
/// `POST /api/v1/query`, plus `chart`.
#[utoipa::path(post, path = "/api/v1/questions/{id}/run", tag = "questions", params(("id" = String, Path)),
    request_body = RunRequest, responses((status = 200, body = Object)))]
pub async fn run(
    State(app): State<Arc<App>>,
    caller: Caller,
    Tracked(visit): Tracked,
    Path(id): Path<String>,
    body: Option<Json<RunRequest>>,
) -> ApiResult<Json<Value>> {
    let req = body.map(|Json(b)| b).unwrap_or_default();
    let ran = questions::run(&app, &caller, &id, &req, QueryOptions::default()).await?;
    record(&app, &caller, &visit, &ran);
    let mut body = ran_json(&ran)?;
    if let Some(t) = &req.table {
        content::tables::page(&mut body, t)?;
    }
    Ok(Json(body))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `csv`, `xlsx`, `png` or `svg` (the chart, drawn on the server).
    pub format: String,
    /// Images: the width in CSS pixels (default 960).
    pub width: Option<u32>,
    /// Images: the height in CSS pixels (default 540).
    pub height: Option<u32>,
}

/// The question's rows as a file, as the caller may see them; an audit entry.
#[utoipa::path(get, path = "/api/v1/questions/{id}/export", tag = "questions", params(("id" = String, Path), ExportParams),
    responses((status = 200, content_type = "text/csv")))]
pub async fn export(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
    Query(p): Query<ExportParams>,
) -> ApiResult<Response> {
    if !matches!(p.format.as_str(), "csv" | "xlsx" | "png" | "svg") {
        return Err(
            Error::bad_request("export_format", "the formats are csv, xlsx, png and svg").into(),
        );
    }
    let req = RunRequest {
        limit: Some(app.config.max_rows),
        ..Default::default()
    };
    let opts = QueryOptions {
        bypass_cache: false,
        wants_batches: true,
    };
    let ran = questions::run(&app, &caller, &id, &req, opts).await?;
    let tables: Vec<&str> = ran
        .answer
        .sources
        .iter()
        .map(|s| s.table.as_str())
        .collect();
    app.store
        .audit(
            Some(&caller.user.id),
            "question.export",
            Some(&id),
            &json!({"format": p.format, "rows": ran.answer.rows, "tables": tables}),
        )
        .await?;
    if matches!(p.format.as_str(), "png" | "svg") {
        let option = match ran.chart.get("kind").and_then(Value::as_str) {
            Some("echarts") => ran.chart["option"].clone(),
            _ => {
                return Err(Error::bad_request(
                    "export_no_chart",
                    "this question is not drawn as a chart (a table, number or pivot); export it as csv or xlsx",
                )
                .into());
            }
        };
        let (w, h) = (
            p.width.unwrap_or(960).clamp(100, 4000),
            p.height.unwrap_or(540).clamp(100, 4000),
        );
        let png = p.format == "png";
        let image = tokio::task::spawn_blocking(move || {
            if png {
                content::images::png(&option, w, h)
            } else {
                content::images::svg(&option, w, h).map(String::into_bytes)
            }
        })
        .await
        .map_err(Error::internal)??;
        let (mime, disposition) = if png {
            ("image/png", "attachment; filename=\"proost-chart.png\"")
        } else {
            ("image/svg+xml", "attachment; filename=\"proost-chart.svg\"")
        };
        return Ok((
            [
                (header::CONTENT_TYPE, mime),
                (header::CONTENT_DISPOSITION, disposition),
                // An SVG opened on its own runs no script and loads nothing.
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; style-src 'unsafe-inline'",
                ),
            ],
            image,
        )
            .into_response());
    }
    if p.format == "xlsx" {
        let bytes = proost_app::content::export::xlsx(&ran.answer.out, &ran.name)?;
        return Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"proost-question.xlsx\"",
                ),
            ],
            bytes,
        )
            .into_response());
    }
    result_csv(&ran.answer.out, "proost-question.csv")
}

#[utoipa::path(post, path = "/api/v1/questions/{id}/duplicate", tag = "questions", params(("id" = String, Path)),
    request_body = DuplicateRequest, responses((status = 201, body = Created)))]
pub async fn duplicate(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
    body: Option<Json<DuplicateRequest>>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let req = body.map(|Json(b)| b).unwrap_or_default();
    Ok((
        StatusCode::CREATED,
        Json(content::duplicate(&app, &caller, "question", &id, &req).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/questions/{id}/versions", tag = "questions", params(("id" = String, Path)),
    responses((status = 200, body = VersionList)))]
pub async fn versions(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<VersionList>> {
    Ok(Json(
        content::versions(&app, &caller, "question", &id).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffParams {
    /// The version to compare with (default: the newest).
    pub to: Option<i64>,
}

/// What changed from version `n` to another (default: the newest).
#[utoipa::path(get, path = "/api/v1/questions/{id}/versions/{n}/diff", tag = "questions",
    params(("id" = String, Path), ("n" = i64, Path), DiffParams), responses((status = 200, body = Diff)))]
pub async fn diff(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path((id, n)): Path<(String, i64)>,
    Query(p): Query<DiffParams>,
) -> ApiResult<Json<Diff>> {
    Ok(Json(
        content::diff(&app, &caller, "question", &id, n, p.to).await?,
    ))
}

/// Saves version `n` again as the newest version.
#[utoipa::path(post, path = "/api/v1/questions/{id}/versions/{n}/restore", tag = "questions",
    params(("id" = String, Path), ("n" = i64, Path)), responses((status = 200, body = Item)))]
pub async fn restore(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path((id, n)): Path<(String, i64)>,
) -> ApiResult<Json<Item>> {
    Ok(Json(
        content::restore(&app, &caller, "question", &id, n).await?,
    ))
}

/// Runs an unsaved builder spec as the caller.
#[utoipa::path(post, path = "/api/v1/builder/run", tag = "questions", request_body = BuilderRequest,
    responses((status = 200, body = Object), (status = 400)))]
pub async fn builder_run(
    State(app): State<Arc<App>>,
    caller: Caller,
    Tracked(visit): Tracked,
    JsonBody(req): JsonBody<BuilderRequest>,
) -> ApiResult<Json<Value>> {
    let ran = questions::run_builder(&app, &caller, &req).await?;
    record(&app, &caller, &visit, &ran);
    Ok(Json(ran_json(&ran)?))
}

#[derive(Serialize, ToSchema)]
pub struct SqlView {
    sql: String,
}

/// The SQL a spec means: its plan unparsed ("View SQL"). Nothing runs.
#[utoipa::path(post, path = "/api/v1/builder/sql", tag = "questions", request_body = BuilderRequest,
    responses((status = 200, body = SqlView), (status = 400)))]
pub async fn builder_sql(
    State(app): State<Arc<App>>,
    caller: Caller,
    JsonBody(req): JsonBody<BuilderRequest>,
) -> ApiResult<Json<SqlView>> {
    Ok(Json(SqlView {
        sql: questions::builder_sql(&app, &caller, &req).await?,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FieldParams {
    /// `connection.schema.table`.
    pub table: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/fields", tag = "questions", params(FieldParams),
    responses((status = 200, body = fields::FieldList)))]
pub async fn fields(
    State(app): State<Arc<App>>,
    caller: Caller,
    Query(p): Query<FieldParams>,
) -> ApiResult<Json<fields::FieldList>> {
    Ok(Json(fields::list(&app, &caller, p.table.as_deref()).await?))
}

/// Adds a computed field to a table (checked over the caller's governed table); a usage
/// event `field_added`.
#[utoipa::path(post, path = "/api/v1/fields", tag = "questions", request_body = fields::NewField,
    responses((status = 201, body = Created), (status = 400)))]
pub async fn add_field(
    State(app): State<Arc<App>>,
    caller: Caller,
    Tracked(visit): Tracked,
    JsonBody(f): JsonBody<fields::NewField>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let created = fields::create(&app, &caller, &f).await?;
    let kind = match f.table.split('.').next() {
        Some(name) => app
            .store
            .connection_by_name(name)
            .await?
            .map(|c| c.kind)
            .unwrap_or_default(),
        None => String::new(),
    };
    visit.record(&app, &caller, "field_added", &[kind.as_str()]);
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(delete, path = "/api/v1/fields/{id}", tag = "questions", params(("id" = String, Path)),
    responses((status = 204)))]
pub async fn delete_field(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    fields::delete(&app, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct CollectionList {
    collections: Vec<Item>,
}

#[utoipa::path(get, path = "/api/v1/collections", tag = "questions", params(Search),
    responses((status = 200, body = CollectionList)))]
pub async fn collections(
    State(app): State<Arc<App>>,
    caller: Caller,
    Query(q): Query<Search>,
) -> ApiResult<Json<CollectionList>> {
    Ok(Json(CollectionList {
        collections: content::list(&app, &caller, "collection", q.search.as_deref()).await?,
    }))
}

#[utoipa::path(post, path = "/api/v1/collections", tag = "questions", request_body = NewCollection,
    responses((status = 201, body = Created)))]
pub async fn create_collection(
    State(app): State<Arc<App>>,
    caller: Caller,
    JsonBody(c): JsonBody<NewCollection>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(content::create_collection(&app, &caller, &c).await?),
    ))
}

/// A collection and what the caller may open in it.
#[utoipa::path(get, path = "/api/v1/collections/{id}", tag = "questions", params(("id" = String, Path)),
    responses((status = 200, body = CollectionView)))]
pub async fn collection(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CollectionView>> {
    Ok(Json(content::collection(&app, &caller, &id).await?))
}

/// Deletes a collection with everything in it (its owner or an admin).
#[utoipa::path(delete, path = "/api/v1/collections/{id}", tag = "questions", params(("id" = String, Path)),
    responses((status = 204)))]
pub async fn delete_collection(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    content::delete(&app, &caller, "collection", &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
