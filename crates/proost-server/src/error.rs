//! The one place where errors become HTTP responses: a stable code, plain words, a 4xx for
//! anything the caller can fix. Internal failures are logged and answered with a generic
//! 500 that carries no detail.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "log in first: send a session cookie or an `Authorization: Bearer` token",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    /// Logs the detail server-side; the client only learns that something failed.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "something went wrong on the server; the details are in its log",
        )
    }

    /// Maps a stable code from any crate to its status. Codes not listed are client errors.
    pub fn from_code(code: &'static str, message: String) -> Self {
        let status = match code {
            "internal_error" => return Self::internal(message),
            "source_unreachable" | "source_auth_failed" => StatusCode::FAILED_DEPENDENCY,
            "query_timeout" => StatusCode::REQUEST_TIMEOUT,
            "table_not_found" | "not_found" => StatusCode::NOT_FOUND,
            "conflict" => StatusCode::CONFLICT,
            "memory_limit_exceeded" => StatusCode::UNPROCESSABLE_ENTITY,
            "setup_token_invalid" | "permission_denied" => StatusCode::FORBIDDEN,
            "last_admin" => StatusCode::CONFLICT,
            // Single sign-on (proost-sso's codes and the server's own `sso_*`).
            "sso_invalid_credentials" | "sso_token_invalid" => StatusCode::UNAUTHORIZED,
            "sso_provider_unreachable" => StatusCode::BAD_GATEWAY,
            "sso_state_mismatch" => StatusCode::BAD_REQUEST,
            "sso_email_missing" | "sso_required" | "sso_denied" | "account_deactivated" => {
                StatusCode::FORBIDDEN
            }
            "sso_email_taken" => StatusCode::CONFLICT,
            "sso_not_configured" => StatusCode::NOT_FOUND,
            "sso_busy" => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::BAD_REQUEST,
        };
        Self::new(status, code, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({"error": {"code": self.code, "message": self.message}})),
        )
            .into_response()
    }
}

impl From<proost_store::StoreError> for ApiError {
    fn from(e: proost_store::StoreError) -> Self {
        ApiError::from_code(e.code(), e.to_string())
    }
}

impl From<proost_connect::ConnectError> for ApiError {
    fn from(e: proost_connect::ConnectError) -> Self {
        ApiError::from_code(e.code(), e.to_string())
    }
}

impl From<proost_query::QueryError> for ApiError {
    fn from(e: proost_query::QueryError) -> Self {
        ApiError::from_code(e.code(), e.to_string())
    }
}

impl From<proost_readonly::Refusal> for ApiError {
    fn from(e: proost_readonly::Refusal) -> Self {
        ApiError::from_code(e.code, e.message)
    }
}

impl From<proost_keys::KeyError> for ApiError {
    fn from(e: proost_keys::KeyError) -> Self {
        ApiError::internal(e)
    }
}

/// JSON bodies that fail to parse get our error shape, not axum's plain-text rejection.
impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(e: axum::extract::rejection::JsonRejection) -> Self {
        ApiError::bad_request("invalid_body", e.body_text())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

impl From<proost_replica::ReplicaError> for ApiError {
    fn from(e: proost_replica::ReplicaError) -> Self {
        match e {
            proost_replica::ReplicaError::Source(c) => c.into(),
            other => ApiError::from_code(other.code(), other.to_string()),
        }
    }
}

impl From<proost_sso::SsoError> for ApiError {
    fn from(e: proost_sso::SsoError) -> Self {
        match e {
            // A bad setting is the operator's to fix: the detail (which may name internal
            // hosts) goes to the log, the person signing in learns only that SSO is broken.
            proost_sso::SsoError::ConfigInvalid { .. } => {
                tracing::error!(error = %e, "single sign-on is misconfigured");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    e.code(),
                    "single sign-on is misconfigured on this server; the details are in its log",
                )
            }
            // The provider's own words may describe its internals; log them, answer plainly.
            proost_sso::SsoError::ProviderUnreachable(_)
            | proost_sso::SsoError::TokenInvalid(_) => {
                tracing::warn!(error = %e, "single sign-on failed at the provider");
                let message = if e.code() == "sso_provider_unreachable" {
                    "the identity provider could not be reached; try again later"
                } else {
                    "the identity provider's answer was rejected; start the sign-in again"
                };
                ApiError::from_code(e.code(), message.into())
            }
            other => ApiError::from_code(other.code(), other.to_string()),
        }
    }
}
