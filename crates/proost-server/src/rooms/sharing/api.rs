//! `/api/v1/shares` and comments.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use proost_app::App;
use proost_app::content::Created;
use proost_app::content::comments::{self, CommentList, CommentPatch, NewComment};
use proost_app::content::shares::{self, NewShare, ShareList};
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

use crate::http::error::ApiResult;
use crate::http::extract::{Caller, JsonBody, Query};

#[derive(OpenApi)]
#[openapi(paths(
    share,
    shares,
    unshare,
    question_comments,
    comment_question,
    dashboard_comments,
    comment_dashboard,
    edit_comment,
    delete_comment
))]
pub struct ApiDoc;

/// Shares a question, dashboard or collection with a user or group (`view` or `edit`);
/// its owner or an admin. Viewers run shared questions with their own grants.
#[utoipa::path(post, path = "/api/v1/shares", tag = "sharing", request_body = NewShare,
    responses((status = 201, body = Created)))]
pub async fn share(
    State(app): State<Arc<App>>,
    caller: Caller,
    JsonBody(s): JsonBody<NewShare>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(shares::create(&app, &caller, &s).await?),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ShareParams {
    /// The question, dashboard or collection id.
    pub object: String,
}

#[utoipa::path(get, path = "/api/v1/shares", tag = "sharing", params(ShareParams),
    responses((status = 200, body = ShareList)))]
pub async fn shares(
    State(app): State<Arc<App>>,
    caller: Caller,
    Query(p): Query<ShareParams>,
) -> ApiResult<Json<ShareList>> {
    Ok(Json(shares::list(&app, &caller, &p.object).await?))
}

#[utoipa::path(delete, path = "/api/v1/shares/{id}", tag = "sharing", params(("id" = String, Path)),
    responses((status = 204)))]
pub async fn unshare(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    shares::delete(&app, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/questions/{id}/comments", tag = "sharing", params(("id" = String, Path)),
    responses((status = 200, body = CommentList)))]
pub async fn question_comments(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CommentList>> {
    Ok(Json(comments::list(&app, &caller, "question", &id).await?))
}

/// Comments on a question; `@name` mentions email the people named who may open it.
#[utoipa::path(post, path = "/api/v1/questions/{id}/comments", tag = "sharing", params(("id" = String, Path)),
    request_body = NewComment, responses((status = 201, body = Created)))]
pub async fn comment_question(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(c): JsonBody<NewComment>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(comments::add(&app, &caller, "question", &id, &c).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/dashboards/{id}/comments", tag = "sharing", params(("id" = String, Path)),
    responses((status = 200, body = CommentList)))]
pub async fn dashboard_comments(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CommentList>> {
    Ok(Json(comments::list(&app, &caller, "dashboard", &id).await?))
}

#[utoipa::path(post, path = "/api/v1/dashboards/{id}/comments", tag = "sharing", params(("id" = String, Path)),
    request_body = NewComment, responses((status = 201, body = Created)))]
pub async fn comment_dashboard(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(c): JsonBody<NewComment>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(comments::add(&app, &caller, "dashboard", &id, &c).await?),
    ))
}

/// The author edits the text; an admin hides it (`{"hidden": reason}`).
#[utoipa::path(patch, path = "/api/v1/comments/{id}", tag = "sharing", params(("id" = String, Path)),
    request_body = CommentPatch, responses((status = 204)))]
pub async fn edit_comment(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(p): JsonBody<CommentPatch>,
) -> ApiResult<StatusCode> {
    comments::update(&app, &caller, &id, &p).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes a comment (its author, or an admin): gone from the app database.
#[utoipa::path(delete, path = "/api/v1/comments/{id}", tag = "sharing", params(("id" = String, Path)),
    responses((status = 204)))]
pub async fn delete_comment(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    comments::delete(&app, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
