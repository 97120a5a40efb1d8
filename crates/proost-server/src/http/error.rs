//! The one place where errors become HTTP responses: the status comes from the error's
//! kind, the body is `{"error":{"code","message"}}`. Internal failures were logged where
//! they were made and carry no detail.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use proost_app::{Error, Kind};
use serde_json::json;

/// An error on its way to an HTTP client.
#[derive(Debug)]
pub struct ApiError(pub Error);

pub type ApiResult<T> = Result<T, ApiError>;

impl<E> From<E> for ApiError
where
    Error: From<E>,
{
    fn from(e: E) -> Self {
        ApiError(Error::from(e))
    }
}

/// The HTTP status of each kind of failure.
pub fn status_of(kind: Kind) -> StatusCode {
    match kind {
        Kind::Invalid => StatusCode::BAD_REQUEST,
        Kind::Unauthenticated => StatusCode::UNAUTHORIZED,
        Kind::Forbidden => StatusCode::FORBIDDEN,
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::Conflict => StatusCode::CONFLICT,
        Kind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        // Not 408: browsers silently re-send a request answered 408, so a query that hit
        // its time limit would run again at the source (twice more, in Chromium).
        Kind::Timeout => StatusCode::GATEWAY_TIMEOUT,
        Kind::TooLarge => StatusCode::UNPROCESSABLE_ENTITY,
        Kind::SourceUnavailable => StatusCode::FAILED_DEPENDENCY,
        Kind::ProviderUnavailable => StatusCode::BAD_GATEWAY,
        Kind::Busy => StatusCode::SERVICE_UNAVAILABLE,
        Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let mut r = (
            status_of(e.kind),
            Json(json!({"error": {"code": e.code, "message": e.message}})),
        )
            .into_response();
        if let Some(after) = e.retry_after
            && let Ok(v) = HeaderValue::from_str(&after.as_secs().max(1).to_string())
        {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        r
    }
}

/// Any path under `/api/v1` that names no endpoint.
pub async fn not_found() -> ApiError {
    ApiError(Error::new(
        Kind::NotFound,
        "not_found",
        "no such API endpoint",
    ))
}
