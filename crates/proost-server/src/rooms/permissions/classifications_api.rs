//! `/api/v1/connections/{id}/classifications`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use proost_app::App;
use proost_app::permissions::{self, ClassificationSet, ClassificationView, SetClassification};
use utoipa::OpenApi;

use crate::http::error::ApiResult;
use crate::http::extract::{Admin, Caller, JsonBody};

#[derive(OpenApi)]
#[openapi(paths(list, set))]
pub struct ApiDoc;

/// What is known about the columns of a connection the caller may see (only the columns
/// they may see).
#[utoipa::path(get, path = "/api/v1/connections/{id}/classifications", tag = "permissions",
    params(("id" = String, Path)), responses((status = 200, body = Vec<ClassificationView>)))]
pub async fn list(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ClassificationView>>> {
    Ok(Json(
        permissions::classifications(&app, &caller, &id).await?,
    ))
}

/// An admin's verdict on a column: confirm it personal, reject a suggestion, choose a mask.
#[utoipa::path(put, path = "/api/v1/connections/{id}/classifications", tag = "permissions",
    params(("id" = String, Path)), request_body = SetClassification,
    responses((status = 200, body = ClassificationSet)))]
pub async fn set(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<SetClassification>,
) -> ApiResult<Json<ClassificationSet>> {
    Ok(Json(
        permissions::set_classification(&app, &admin, &id, body).await?,
    ))
}
