#![forbid(unsafe_code)]
//! Server: Proost's HTTP front — the REST API under `/api/v1` and the web UI — over the
//! services of `proost-app`.
//!
//! One room per feature (`rooms/`), each with its own `routes()` holding its API endpoints
//! and its pages; rooms never use each other. Below them, `http/` (errors to responses,
//! extractors that put permissions in handler signatures, sessions and CSRF, JSON lines and
//! the one CSV writer, layers) and `web/` (the page shell and who views it). The OpenAPI
//! document is generated from the handlers and their response types.

pub mod http;
mod rooms;
pub mod tls;
mod web;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::response::IntoResponse;
use axum::routing::get;
use proost_app::App;
use utoipa::OpenApi;

pub use proost_app::{Config, Rotation, StartError, mail, rotate_master_key, verify_audit_log};

/// Every route: one line per room, then the plumbing over all of them.
pub fn router(app: Arc<App>) -> Router {
    // Installed before the first request, so nothing recorded is lost.
    http::observe::prometheus();
    let rooms = Router::new()
        .merge(rooms::session::routes())
        .merge(rooms::connections::routes())
        .merge(rooms::replicas::routes())
        .merge(rooms::query::routes())
        .merge(rooms::browse::routes())
        .merge(rooms::questions::routes())
        .merge(rooms::dashboards::routes())
        .merge(rooms::sharing::routes())
        .merge(rooms::people::routes())
        .merge(rooms::preferences::routes())
        .merge(rooms::permissions::routes())
        .merge(rooms::audit::routes())
        .merge(rooms::inventory::routes())
        .merge(rooms::usage::routes())
        .merge(rooms::backups::routes())
        .merge(rooms::privacy::routes())
        .merge(rooms::records::routes())
        .merge(rooms::instance::routes())
        .merge(web::assets::routes())
        .route(api_path!("/openapi.json"), get(openapi_json))
        .route(
            api_path!("/{*rest}"),
            axum::routing::any(http::error::not_found),
        )
        .fallback(web::shell::not_found_page)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            rooms::preferences::notice_gate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            http::layers::record_page,
        ))
        .layer(axum::middleware::from_fn(http::observe::observe))
        .with_state(app);
    http::layers::secure(rooms)
}

/// Only `/metrics`, without authentication: for `--metrics-listen`, an address the
/// operator keeps to the monitoring network.
pub fn metrics_router(app: Arc<App>) -> Router {
    http::observe::prometheus();
    Router::new()
        .route("/metrics", get(rooms::instance::metrics_open))
        .with_state(app)
}

/// The OpenAPI document, generated from every room's handlers and types.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = rooms::session::api_doc();
    for part in [
        rooms::connections::ApiDoc::openapi(),
        rooms::replicas::ApiDoc::openapi(),
        rooms::query::ApiDoc::openapi(),
        rooms::browse::ApiDoc::openapi(),
        rooms::questions::ApiDoc::openapi(),
        rooms::dashboards::ApiDoc::openapi(),
        rooms::sharing::ApiDoc::openapi(),
        rooms::sharing::LinksApiDoc::openapi(),
        rooms::people::api_doc(),
        rooms::preferences::ApiDoc::openapi(),
        rooms::permissions::api_doc(),
        rooms::audit::ApiDoc::openapi(),
        rooms::inventory::ApiDoc::openapi(),
        rooms::usage::ApiDoc::openapi(),
        rooms::backups::ApiDoc::openapi(),
        rooms::privacy::ApiDoc::openapi(),
        rooms::records::ApiDoc::openapi(),
        rooms::instance::ApiDoc::openapi(),
        OpenApiDoc::openapi(),
    ] {
        doc.merge(part);
    }
    // Paths are given relative to the API's base, as clients call them.
    let paths = std::mem::take(&mut doc.paths.paths);
    for (path, item) in paths {
        let relative = path.strip_prefix("/api/v1").unwrap_or(&path).to_string();
        doc.paths.paths.insert(relative, item);
    }
    doc.servers = Some(vec![utoipa::openapi::server::Server::new("/api/v1")]);
    doc.info.title = "Proost".into();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    doc.info.description = Some(
        "Self-hosted data exploration with privacy by construction. Errors are always \
         {\"error\":{\"code\",\"message\"}} with a stable code. Authenticate with \
         `Authorization: Bearer <token>` (POST /api/v1/session, or an API token)."
            .into(),
    );
    doc
}

#[derive(OpenApi)]
#[openapi(paths(openapi_json))]
struct OpenApiDoc;

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "instance",
    responses((status = 200, description = "this document", body = Object)))]
async fn openapi_json() -> axum::response::Response {
    match openapi().to_json() {
        Ok(json) => (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            json,
        )
            .into_response(),
        Err(e) => http::error::ApiError(proost_app::Error::internal(e)).into_response(),
    }
}

/// An opened instance with its HTTP front.
pub struct Instance(pub proost_app::Instance);

impl Instance {
    pub async fn open(config: &Config) -> Result<Instance, StartError> {
        Ok(Instance(proost_app::Instance::open(config).await?))
    }

    pub fn router(&self) -> Router {
        router(self.0.app.clone())
    }
}

impl std::ops::Deref for Instance {
    type Target = proost_app::Instance;
    fn deref(&self) -> &proost_app::Instance {
        &self.0
    }
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
