//! `GET/PUT /api/v1/me/preferences` and the privacy notice API.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use proost_app::notices::{self, Acknowledged, NewNotice, Notice, NoticeVersions, Published};
use proost_app::people::preferences::{self, Preferences, PreferencesPatch};
use proost_app::{App, Error};
use serde_json::Value;
use utoipa::OpenApi;

use crate::http::error::ApiResult;
use crate::http::extract::{Admin, Caller, JsonBody};

#[derive(OpenApi)]
#[openapi(paths(
    preferences,
    set_preferences,
    notice,
    notice_version,
    versions,
    publish,
    acknowledge
))]
pub struct ApiDoc;

/// The caller's communication preferences (all true until changed).
#[utoipa::path(get, path = "/api/v1/me/preferences", tag = "preferences",
    responses((status = 200, body = Preferences)))]
pub async fn preferences(
    State(app): State<Arc<App>>,
    caller: Caller,
) -> ApiResult<Json<Preferences>> {
    Ok(Json(preferences::get(&app, &caller.user.id).await?))
}

/// Changes some of the caller's preferences: only the fields sent; an unknown field or a
/// value other than true/false is `400 preferences_invalid`. Audited `preferences.update`.
#[utoipa::path(put, path = "/api/v1/me/preferences", tag = "preferences",
    request_body = PreferencesPatch,
    responses((status = 200, body = Preferences), (status = 400, description = "preferences_invalid")))]
pub async fn set_preferences(
    State(app): State<Arc<App>>,
    caller: Caller,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<Json<Preferences>> {
    let patch = PreferencesPatch::from_json(&body)?;
    Ok(Json(
        preferences::set(&app, Some(&caller.user.id), &caller.user.id, &patch).await?,
    ))
}

/// The current privacy notice (public, no login); `404 not_found` before one is published.
#[utoipa::path(get, path = "/api/v1/privacy/notice", tag = "privacy",
    responses((status = 200, body = Notice), (status = 404, description = "none published")))]
pub async fn notice(State(app): State<Arc<App>>) -> ApiResult<Json<Notice>> {
    Ok(Json(
        notices::current(&app)
            .await?
            .ok_or_else(|| Error::not_found("privacy notice"))?,
    ))
}

/// One version of the notice (public).
#[utoipa::path(get, path = "/api/v1/privacy/notice/versions/{version}", tag = "privacy",
    params(("version" = i64, Path)), responses((status = 200, body = Notice)))]
pub async fn notice_version(
    State(app): State<Arc<App>>,
    Path(version): Path<String>,
) -> ApiResult<Json<Notice>> {
    let v = version
        .parse::<i64>()
        .map_err(|_| Error::not_found("notice version"))?;
    Ok(Json(notices::version(&app, v).await?))
}

/// Every version, newest first, with how many users acknowledged each (admin).
#[utoipa::path(get, path = "/api/v1/privacy/notice/versions", tag = "privacy",
    responses((status = 200, body = NoticeVersions)))]
pub async fn versions(
    State(app): State<Arc<App>>,
    admin: Admin,
) -> ApiResult<Json<NoticeVersions>> {
    Ok(Json(notices::versions(&app, &admin).await?))
}

/// Publishes a new version (admin; audited `notice.publish`). A material one must be
/// acknowledged by every user at their next request, and is emailed to users who take
/// product notices.
#[utoipa::path(post, path = "/api/v1/privacy/notice", tag = "privacy", request_body = NewNotice,
    responses((status = 201, body = Published), (status = 400, description = "notice_invalid")))]
pub async fn publish(
    State(app): State<Arc<App>>,
    admin: Admin,
    JsonBody(body): JsonBody<NewNotice>,
) -> ApiResult<(StatusCode, Json<Published>)> {
    Ok((
        StatusCode::CREATED,
        Json(notices::publish(&app, &admin, &body).await?),
    ))
}

/// Acknowledges the newest material version (audited `notice.acknowledge`); open while
/// every other call answers `notice_acknowledgement_required`.
#[utoipa::path(post, path = "/api/v1/privacy/notice/acknowledge", tag = "privacy",
    responses((status = 200, body = Acknowledged)))]
pub async fn acknowledge(
    State(app): State<Arc<App>>,
    caller: Caller,
) -> ApiResult<Json<Acknowledged>> {
    Ok(Json(notices::acknowledge(&app, &caller).await?))
}
