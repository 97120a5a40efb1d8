//! The one script and the one stylesheet, embedded in the binary (no CDN, no Node).

use std::sync::Arc;

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use proost_app::App;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/assets/app.js", get(script))
        .route("/assets/app.css", get(style))
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../assets/app.js"),
    )
        .into_response()
}

async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../assets/app.css"),
    )
        .into_response()
}
