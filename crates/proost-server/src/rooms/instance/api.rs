//! `GET /api/v1/health`, `GET /api/v1/ready`, `GET /metrics`, `GET /api/v1/instance`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use proost_app::App;
use proost_app::instance::{Readiness, readiness};
use proost_app::licence::{self, InstanceInfo};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::Admin;

#[derive(OpenApi)]
#[openapi(paths(health, ready, instance))]
pub struct ApiDoc;

#[derive(Serialize, ToSchema)]
pub struct Health {
    status: &'static str,
}

#[utoipa::path(get, path = "/api/v1/health", tag = "instance", responses((status = 200, body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Whether this instance can serve: the app database answers with this build's
/// migrations, the keyring is open, the background scheduler runs. 503 until all hold.
/// Public, for load balancers: it says yes or no per check and nothing else.
#[utoipa::path(get, path = "/api/v1/ready", tag = "instance",
    responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
pub async fn ready(State(app): State<Arc<App>>) -> (StatusCode, Json<Readiness>) {
    let r = readiness(&app).await;
    let status = if r.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(r))
}

/// Prometheus metrics in the text format, for an admin's token (scrapers send
/// `Authorization: Bearer <API token>`), or on `--metrics-listen` without one. Not part
/// of the REST API (it lives at `/metrics`, as scrapers expect), so not in its document.
pub async fn metrics(State(app): State<Arc<App>>, _admin: Admin) -> Response {
    metrics_open(State(app)).await
}

/// `/metrics` without authentication, for the separate `--metrics-listen` address.
pub async fn metrics_open(State(app): State<Arc<App>>) -> Response {
    match crate::http::observe::render(&app) {
        Some(text) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        None => ApiError(proost_app::Error::new(
            proost_app::Kind::Conflict,
            "metrics_unavailable",
            "another metrics recorder was installed first",
        ))
        .into_response(),
    }
}

/// Counts of users, roles and connections, and the licence's limits (`null` without one).
#[utoipa::path(get, path = "/api/v1/instance", tag = "instance",
    responses((status = 200, body = InstanceInfo)))]
pub async fn instance(State(app): State<Arc<App>>, admin: Admin) -> ApiResult<Json<InstanceInfo>> {
    Ok(Json(licence::instance(&app, &admin).await?))
}
