//! `GET/POST /api/v1/backups`, `POST /api/v1/backups/{file}/verify|restore`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use proost_app::App;
use proost_app::backup::{self, BackupEntry, BackupList, RestoreReport, VerifyReport};
use serde::Deserialize;
use utoipa::{OpenApi, ToSchema};

use crate::http::error::ApiResult;
use crate::http::extract::{Admin, JsonBody};

#[derive(OpenApi)]
#[openapi(paths(list, take, verify, restore))]
pub struct ApiDoc;

/// The backup settings and every backup, newest first.
#[utoipa::path(get, path = "/api/v1/backups", tag = "backups",
    responses((status = 200, body = BackupList)))]
pub async fn list(State(app): State<Arc<App>>, _admin: Admin) -> ApiResult<Json<BackupList>> {
    Ok(Json(backup::overview(&app)?))
}

/// Takes a backup now (checked, then older ones pruned by the retention rule).
#[utoipa::path(post, path = "/api/v1/backups", tag = "backups",
    responses((status = 201, body = BackupEntry)))]
pub async fn take(
    State(app): State<Arc<App>>,
    admin: Admin,
) -> ApiResult<(StatusCode, Json<BackupEntry>)> {
    let entry = backup::take_audited(&app, Some(&admin.user.id)).await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// Decrypts the backup into a scratch directory and checks it with this instance's master
/// key (a backup taken to a recovery recipient is checked with `proost backup verify
/// --identity`).
#[utoipa::path(post, path = "/api/v1/backups/{file}/verify", tag = "backups",
    params(("file" = String, Path)),
    responses((status = 200, body = VerifyReport)))]
pub async fn verify(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(file): Path<String>,
) -> ApiResult<Json<VerifyReport>> {
    Ok(Json(
        backup::verify_audited(&app, &admin.user.id, &file).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestoreBody {
    /// An absolute path to a directory that does not exist yet.
    data_dir: String,
}

/// Restores the backup into a new data dir; the running instance is not touched.
#[utoipa::path(post, path = "/api/v1/backups/{file}/restore", tag = "backups",
    params(("file" = String, Path)), request_body = RestoreBody,
    responses((status = 201, body = RestoreReport)))]
pub async fn restore(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(file): Path<String>,
    JsonBody(body): JsonBody<RestoreBody>,
) -> ApiResult<(StatusCode, Json<RestoreReport>)> {
    let r = backup::restore_audited(&app, &admin.user.id, &file, &body.data_dir).await?;
    Ok((StatusCode::CREATED, Json(r)))
}
