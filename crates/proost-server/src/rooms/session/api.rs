//! `/api/v1/setup`, `/api/v1/session`, `/api/v1/sso`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use proost_app::App;
use proost_app::people::accounts::{self, Setup, SetupDone};
use proost_app::people::invites::{AcceptInvite, Accepted};
use proost_app::people::reset::{self, Forgot};
use proost_app::people::sessions::{self, LoginAnswer, LoginRequest, Me, NewSession};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::http::error::ApiResult;
use crate::http::extract::{Caller, JsonBody};
use crate::http::session::{
    CLEAR_SESSION_COOKIE, SESSION_COOKIE, client_ip, cookie, session_cookie,
};

#[derive(OpenApi)]
#[openapi(paths(setup, login, logout, me, providers, forgot_password, reset_password))]
pub struct ApiDoc;

/// First-run setup: the first admin, with the one-time token `proost serve` printed.
#[utoipa::path(post, path = "/api/v1/setup", request_body = Setup, tag = "session",
    responses((status = 201, body = SetupDone)))]
pub async fn setup(
    State(app): State<Arc<App>>,
    JsonBody(body): JsonBody<Setup>,
) -> ApiResult<Response> {
    let done = accounts::setup(&app, body).await?;
    Ok((StatusCode::CREATED, Json(done)).into_response())
}

/// Logs in (password, or `"provider": "ldap"`): the answer and a session cookie.
#[utoipa::path(post, path = "/api/v1/session", request_body = LoginRequest, tag = "session",
    responses((status = 200, body = LoginAnswer), (status = 401), (status = 429)))]
pub async fn login(
    State(app): State<Arc<App>>,
    extensions: axum::http::Extensions,
    headers: HeaderMap,
    JsonBody(body): JsonBody<LoginRequest>,
) -> ApiResult<Response> {
    let ip = client_ip(&extensions);
    let carried = cookie(&headers, SESSION_COOKIE);
    let session = sessions::login(&app, &body, &ip, carried.as_deref()).await?;
    Ok(signed_in(&session))
}

/// "Forgot password": mails a one-time reset link when the address belongs to an account
/// and SMTP is configured. The answer does not say whether it does.
#[utoipa::path(post, path = "/api/v1/password/forgot", request_body = Forgot, tag = "session",
    responses((status = 202, body = Started), (status = 404), (status = 429)))]
pub async fn forgot_password(
    State(app): State<Arc<App>>,
    extensions: axum::http::Extensions,
    JsonBody(body): JsonBody<Forgot>,
) -> ApiResult<Response> {
    reset::forgot(&app, &body, &client_ip(&extensions)).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Started {
            status: "sent_if_known",
        }),
    )
        .into_response())
}

#[derive(Serialize, ToSchema)]
pub struct Started {
    /// `sent_if_known`: a link was mailed if the address is an account's.
    status: &'static str,
}

/// Sets a new password from a one-time reset link; every session of the account ends and
/// its login lockout is lifted.
#[utoipa::path(post, path = "/api/v1/password/reset", request_body = AcceptInvite, tag = "session",
    responses((status = 200, body = Accepted), (status = 403)))]
pub async fn reset_password(
    State(app): State<Arc<App>>,
    JsonBody(body): JsonBody<AcceptInvite>,
) -> ApiResult<Json<Accepted>> {
    Ok(Json(reset::reset(&app, body).await?))
}

/// The answer to a login: the token, the CSRF token and the session cookie.
pub(super) fn signed_in(session: &NewSession) -> Response {
    let mut response = Json(session.answer()).into_response();
    if let Ok(v) = HeaderValue::from_str(&session_cookie(&session.token, session.max_age)) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// Logs out: the session ends and its cookie is cleared.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204)))]
pub async fn logout(State(app): State<Arc<App>>, caller: Caller) -> ApiResult<Response> {
    sessions::logout(&app, &caller).await?;
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(CLEAR_SESSION_COOKIE),
    );
    Ok(r)
}

/// Who the caller is and what their role allows.
#[utoipa::path(get, path = "/api/v1/session", tag = "session", responses((status = 200, body = Me)))]
pub async fn me(caller: Caller) -> Json<Me> {
    Json(sessions::me(&caller))
}

/// Which sign-in methods the login page should offer.
#[derive(Serialize, ToSchema)]
pub struct Providers {
    oidc: bool,
    ldap: bool,
}

#[utoipa::path(get, path = "/api/v1/sso", tag = "session", responses((status = 200, body = Providers)))]
pub async fn providers(State(app): State<Arc<App>>) -> Json<Providers> {
    Json(Providers {
        oidc: app.sso.oidc_enabled(),
        ldap: app.sso.ldap_enabled(),
    })
}
