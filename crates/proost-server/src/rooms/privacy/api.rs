//! `/api/v1/privacy/requests…`: file, verify, queue, approve, deny, extend, bundle.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use proost_app::App;
use proost_app::privacy::{
    self, ApproveBody, DenyBody, ExtendBody, Filed, NewRequest, RequestList, RequestParams,
    RequestView, VerifyBody,
};
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{Caller, JsonBody, Query};
use crate::http::session::token;

#[derive(OpenApi)]
#[openapi(paths(file, verify, list, get, approve, deny, extend, bundle))]
pub struct ApiDoc;

/// Files a request. Signed in: for yourself (`pending` at once). Without a session: by
/// email — the request waits in `verifying` until the code mailed to `subject.email` is
/// entered; the answer is the same whether or not the address is known.
#[utoipa::path(post, path = "/api/v1/privacy/requests", tag = "privacy",
    request_body = NewRequest, responses((status = 201, body = Filed)))]
pub async fn file(
    State(app): State<Arc<App>>,
    caller: Result<Caller, ApiError>,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    JsonBody(body): JsonBody<NewRequest>,
) -> ApiResult<(StatusCode, Json<Filed>)> {
    let filed = match caller {
        Ok(c) => privacy::file(&app, Some(&c), body).await?,
        // Credentials that do not hold are an error, not an anonymous filing.
        Err(e) if token(&headers).is_some() => return Err(e),
        Err(_) => privacy::file_by_email(&app, &peer.ip().to_string(), body).await?,
    };
    Ok((StatusCode::CREATED, Json(filed)))
}

/// Confirms a request filed by email with the mailed code.
#[utoipa::path(post, path = "/api/v1/privacy/requests/{id}/verify", tag = "privacy",
    params(("id" = String, Path)), request_body = VerifyBody,
    responses((status = 200, body = Filed)))]
pub async fn verify(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<VerifyBody>,
) -> ApiResult<Json<Filed>> {
    Ok(Json(privacy::verify(&app, &id, body).await?))
}

/// The queue (admins and privacy officers): open requests first, overdue and soonest due
/// at the top.
#[utoipa::path(get, path = "/api/v1/privacy/requests", tag = "privacy",
    params(RequestParams), responses((status = 200, body = RequestList)))]
pub async fn list(
    State(app): State<Arc<App>>,
    caller: Caller,
    Query(params): Query<RequestParams>,
) -> ApiResult<Json<RequestList>> {
    Ok(Json(privacy::list(&app, &caller, &params).await?))
}

/// One request: for officers, and for the person who filed it.
#[utoipa::path(get, path = "/api/v1/privacy/requests/{id}", tag = "privacy",
    params(("id" = String, Path)), responses((status = 200, body = RequestView)))]
pub async fn get(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(privacy::get(&app, &caller, &id).await?))
}

/// Approves a pending request; Proost carries it out in the background (poll the request
/// until `completed` or `failed`).
#[utoipa::path(post, path = "/api/v1/privacy/requests/{id}/approve", tag = "privacy",
    params(("id" = String, Path)), request_body = ApproveBody,
    responses((status = 200, body = RequestView)))]
pub async fn approve(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<RequestView>> {
    // The body is optional: `{}` or nothing approves with the default heir.
    let body: ApproveBody = if body.iter().all(u8::is_ascii_whitespace) {
        ApproveBody::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| proost_app::Error::bad_request("invalid_body", e.to_string()))?
    };
    Ok(Json(privacy::approve(&app, &caller, &id, body).await?))
}

/// Refuses a request: `reason_code` is an Art. 17(3) exception, `manifestly_unfounded`,
/// `excessive` or `identity_not_verified`.
#[utoipa::path(post, path = "/api/v1/privacy/requests/{id}/deny", tag = "privacy",
    params(("id" = String, Path)), request_body = DenyBody,
    responses((status = 200, body = RequestView)))]
pub async fn deny(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<DenyBody>,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(privacy::deny(&app, &caller, &id, body).await?))
}

/// Extends the deadline once (GDPR: two months; CCPA: 45 days), with a reason.
#[utoipa::path(post, path = "/api/v1/privacy/requests/{id}/extend", tag = "privacy",
    params(("id" = String, Path)), request_body = ExtendBody,
    responses((status = 200, body = RequestView)))]
pub async fn extend(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ExtendBody>,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(privacy::extend(&app, &caller, &id, body).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BundleParams {
    /// The requester's download token from the completion email.
    pub token: Option<String>,
}

/// The access bundle, age-encrypted (`age -d`): for the requester (their token, or signed
/// in as who filed it; the download removes it) or an officer.
#[utoipa::path(get, path = "/api/v1/privacy/requests/{id}/bundle", tag = "privacy",
    params(("id" = String, Path), BundleParams),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>)))]
pub async fn bundle(
    State(app): State<Arc<App>>,
    caller: Result<Caller, ApiError>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Query<BundleParams>,
) -> ApiResult<Response> {
    let caller = match caller {
        Ok(c) => Some(c),
        Err(e) if token(&headers).is_some() && params.token.is_none() => return Err(e),
        Err(_) => None,
    };
    let (bytes, name) =
        privacy::download(&app, caller.as_deref(), &id, params.token.as_deref()).await?;
    let mut r = Response::new(Body::from(bytes));
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r.into_response())
}
