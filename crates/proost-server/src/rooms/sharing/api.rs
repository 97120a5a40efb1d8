//! `/api/v1/shares` and comments.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use proost_app::App;
use proost_app::content::Created;
use proost_app::content::comments::{self, CommentList, CommentPatch, NewComment};
use proost_app::content::shares::{self, NewShare, ShareList};
use proost_app::content::subscriptions::{self, CreatedMany, NewSubscription, SubscriptionList};
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

use crate::http::error::ApiResult;
use crate::http::extract::{Caller, JsonBody, Query};

#[derive(OpenApi)]
#[openapi(paths(
    share,
    subscribe,
    subscriptions,
    unsubscribe_by_id,
    send_now,
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

/// Emails a question or dashboard on a schedule (or, for a question, when its result
/// crosses a threshold) to the caller or, for its owner and editors, to people who may
/// open it; each gets it drawn with their own access.
#[utoipa::path(post, path = "/api/v1/subscriptions", tag = "sharing", request_body = NewSubscription,
    responses((status = 201, body = CreatedMany)))]
pub async fn subscribe(
    State(app): State<Arc<App>>,
    caller: Caller,
    JsonBody(s): JsonBody<NewSubscription>,
) -> ApiResult<(StatusCode, Json<CreatedMany>)> {
    Ok((
        StatusCode::CREATED,
        Json(subscriptions::create(&app, &caller, &s).await?),
    ))
}

/// The caller's subscriptions (an admin's: everyone's).
#[utoipa::path(get, path = "/api/v1/subscriptions", tag = "sharing", responses((status = 200, body = SubscriptionList)))]
pub async fn subscriptions(
    State(app): State<Arc<App>>,
    caller: Caller,
) -> ApiResult<Json<SubscriptionList>> {
    Ok(Json(subscriptions::list(&app, &caller).await?))
}

#[utoipa::path(delete, path = "/api/v1/subscriptions/{id}", tag = "sharing", params(("id" = String, Path)),
    responses((status = 204)))]
pub async fn unsubscribe_by_id(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    subscriptions::delete(&app, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Sent {
    /// False when an alert's threshold was not crossed (nothing to send).
    sent: bool,
}

/// Sends a subscription now, whatever its schedule.
#[utoipa::path(post, path = "/api/v1/subscriptions/{id}/send", tag = "sharing", params(("id" = String, Path)),
    responses((status = 200, body = Sent)))]
pub async fn send_now(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Sent>> {
    Ok(Json(Sent {
        sent: subscriptions::send_now(&app, &caller, &id).await?,
    }))
}

#[derive(Debug, Deserialize)]
pub struct UnsubscribeParams {
    s: String,
    sig: String,
}

/// The emailed one-click link: works logged out, takes effect at once.
pub async fn unsubscribe_page(
    State(app): State<Arc<App>>,
    Query(p): Query<UnsubscribeParams>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (status, title, text) = match subscriptions::unsubscribe(&app, &p.s, &p.sig).await {
        Ok(()) => (
            StatusCode::OK,
            "Unsubscribed",
            "You will get no more emails from this subscription.",
        ),
        Err(e) if e.code == "unsubscribe_invalid" => (
            StatusCode::FORBIDDEN,
            "Link not valid",
            "This unsubscribe link is not valid. Open Proost to manage your subscriptions.",
        ),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Not done",
            "Unsubscribing failed; try the link again later.",
        ),
    };
    let body = maud::html! { section.card { h1 { (title) } p { (text) } p { a href="/login" { "Open Proost" } } } };
    (
        status,
        crate::web::shell::page(title, "unsubscribe", None, body),
    )
        .into_response()
}
