//! `/api/v1/connections/{id}/replicas…` and `/sync`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use proost_app::App;
use proost_app::replicas::{self, NewReplica, ReplicaList, ReplicaView, Rollback, SyncResults};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::http::error::ApiResult;
use crate::http::extract::{Admin, JsonBody, Query};

#[derive(OpenApi)]
#[openapi(paths(list, create, get, delete, rollback, sync))]
pub struct ApiDoc;

#[utoipa::path(get, path = "/api/v1/connections/{id}/replicas", tag = "replicas",
    params(("id" = String, Path)), responses((status = 200, body = ReplicaList)))]
pub async fn list(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<ReplicaList>> {
    Ok(Json(replicas::list(&app, &admin, &id).await?))
}

/// Replicates a table: `full`, or `incremental` by a growing cursor column.
#[utoipa::path(post, path = "/api/v1/connections/{id}/replicas", tag = "replicas",
    params(("id" = String, Path)), request_body = NewReplica,
    responses((status = 201, body = ReplicaView)))]
pub async fn create(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<NewReplica>,
) -> ApiResult<Response> {
    let r = replicas::define(&app, &admin, &id, body).await?;
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

#[utoipa::path(get, path = "/api/v1/connections/{id}/replicas/{replica}", tag = "replicas",
    params(("id" = String, Path), ("replica" = String, Path)),
    responses((status = 200, body = ReplicaView)))]
pub async fn get(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path((id, replica)): Path<(String, String)>,
) -> ApiResult<Json<ReplicaView>> {
    Ok(Json(replicas::get(&app, &admin, &id, &replica).await?))
}

/// Removes the replica: its definition, versions and files.
#[utoipa::path(delete, path = "/api/v1/connections/{id}/replicas/{replica}", tag = "replicas",
    params(("id" = String, Path), ("replica" = String, Path)), responses((status = 204)))]
pub async fn delete(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path((id, replica)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    replicas::remove(&app, &admin, &id, &replica).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Serves an older kept version again (until the next sync).
#[utoipa::path(post, path = "/api/v1/connections/{id}/replicas/{replica}/rollback", tag = "replicas",
    params(("id" = String, Path), ("replica" = String, Path)), request_body = Rollback,
    responses((status = 200, body = ReplicaView)))]
pub async fn rollback(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path((id, replica)): Path<(String, String)>,
    JsonBody(body): JsonBody<Rollback>,
) -> ApiResult<Json<ReplicaView>> {
    Ok(Json(
        replicas::roll_back(&app, &admin, &id, &replica, body).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Wait {
    /// Answer with the results instead of running in the background.
    #[serde(default)]
    wait: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Started {
    status: &'static str,
}

/// Syncs every replica of the connection: `?wait=true` answers with per-table results,
/// otherwise the sync runs in the background and the answer is 202.
#[utoipa::path(post, path = "/api/v1/connections/{id}/sync", tag = "replicas",
    params(("id" = String, Path), Wait),
    responses((status = 200, body = SyncResults), (status = 202, body = Started)))]
pub async fn sync(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
    Query(params): Query<Wait>,
) -> ApiResult<Response> {
    Ok(
        match replicas::sync_request(&app, &admin, &id, params.wait).await? {
            Some(results) => Json(results).into_response(),
            None => (StatusCode::ACCEPTED, Json(Started { status: "started" })).into_response(),
        },
    )
}
