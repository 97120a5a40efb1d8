//! `/api/v1/dashboards`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use proost_app::content::dashboards::{
    self, CardAnswers, DashboardDoc, DashboardRun, DashboardView,
};
use proost_app::content::{self, Created, DuplicateRequest, Item, VersionList};
use proost_app::{App, Error};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::http::error::ApiResult;
use crate::http::extract::{Caller, JsonBody, Query};

#[derive(OpenApi)]
#[openapi(paths(
    list, create, get, update, delete, run, versions, restore, duplicate, export
))]
pub struct ApiDoc;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Search {
    pub search: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DashboardList {
    dashboards: Vec<Item>,
}

#[utoipa::path(get, path = "/api/v1/dashboards", tag = "dashboards", params(Search),
    responses((status = 200, body = DashboardList)))]
pub async fn list(
    State(app): State<Arc<App>>,
    caller: Caller,
    Query(q): Query<Search>,
) -> ApiResult<Json<DashboardList>> {
    Ok(Json(DashboardList {
        dashboards: content::list(&app, &caller, "dashboard", q.search.as_deref()).await?,
    }))
}

#[utoipa::path(post, path = "/api/v1/dashboards", tag = "dashboards", request_body = DashboardDoc,
    responses((status = 201, body = Created), (status = 400)))]
pub async fn create(
    State(app): State<Arc<App>>,
    caller: Caller,
    JsonBody(doc): JsonBody<DashboardDoc>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(dashboards::create(&app, &caller, &doc).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/dashboards/{id}", tag = "dashboards", params(("id" = String, Path)),
    responses((status = 200, body = DashboardView), (status = 404)))]
pub async fn get(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<DashboardView>> {
    Ok(Json(dashboards::get(&app, &caller, &id).await?))
}

/// Changes any fields of the dashboard (a new version): layout, cards, filters, tabs.
#[utoipa::path(patch, path = "/api/v1/dashboards/{id}", tag = "dashboards", params(("id" = String, Path)),
    request_body = Object, responses((status = 200, body = DashboardView)))]
pub async fn update(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(p): JsonBody<Map<String, Value>>,
) -> ApiResult<Json<DashboardView>> {
    Ok(Json(dashboards::update(&app, &caller, &id, &p).await?))
}

#[utoipa::path(delete, path = "/api/v1/dashboards/{id}", tag = "dashboards", params(("id" = String, Path)),
    responses((status = 204)))]
pub async fn delete(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    content::delete(&app, &caller, "dashboard", &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Runs every question card at once, concurrently on the server, each as the caller and
/// through the result cache: `{"cards":[{"card","result"|"error"}]}`.
#[utoipa::path(post, path = "/api/v1/dashboards/{id}/run", tag = "dashboards", params(("id" = String, Path)),
    request_body = DashboardRun, responses((status = 200, body = CardAnswers)))]
pub async fn run(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
    body: Option<Json<DashboardRun>>,
) -> ApiResult<Json<CardAnswers>> {
    let req = body.map(|Json(b)| b).unwrap_or_default();
    Ok(Json(dashboards::run(&app, &caller, &id, &req).await?))
}

#[utoipa::path(get, path = "/api/v1/dashboards/{id}/versions", tag = "dashboards", params(("id" = String, Path)),
    responses((status = 200, body = VersionList)))]
pub async fn versions(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<VersionList>> {
    Ok(Json(
        content::versions(&app, &caller, "dashboard", &id).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/dashboards/{id}/versions/{n}/restore", tag = "dashboards",
    params(("id" = String, Path), ("n" = i64, Path)), responses((status = 200, body = Item)))]
pub async fn restore(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path((id, n)): Path<(String, i64)>,
) -> ApiResult<Json<Item>> {
    Ok(Json(
        content::restore(&app, &caller, "dashboard", &id, n).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/dashboards/{id}/duplicate", tag = "dashboards", params(("id" = String, Path)),
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
        Json(content::duplicate(&app, &caller, "dashboard", &id, &req).await?),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `pdf`.
    pub format: String,
    /// Filter values as JSON, `{"Region": "EU"}` (default: the filters' defaults).
    pub filters: Option<String>,
}

/// The dashboard as a PDF, every card drawn as the caller may see it (their grants, masks
/// and row policies); charts as vectors, text searchable; an audit entry.
#[utoipa::path(get, path = "/api/v1/dashboards/{id}/export", tag = "dashboards", params(("id" = String, Path), ExportParams),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>)))]
pub async fn export(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
    Query(p): Query<ExportParams>,
) -> ApiResult<Response> {
    if p.format != "pdf" {
        return Err(Error::bad_request("export_format", "dashboards export as pdf").into());
    }
    let filters: Map<String, Value> = match p.filters.as_deref() {
        None | Some("") => Map::new(),
        Some(text) => serde_json::from_str(text).map_err(|e| {
            Error::bad_request("export_filters", format!("`filters` is a JSON object: {e}"))
        })?,
    };
    let (_, pdf) = content::pdf::dashboard(&app, &caller, &id, &filters).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"proost-dashboard.pdf\"",
            ),
        ],
        pdf,
    )
        .into_response())
}
