//! Decisions on a request: approve (then Proost carries it out), deny with a reason code,
//! extend the deadline once. Admins and privacy officers only; each is audited and told to
//! the requester.

use std::sync::Arc;

use proost_store::PrivacyRequestRecord;
use serde_json::json;

use super::{
    ApproveBody, DENY_CODES, DenyBody, ExtendBody, RequestView, erasure, execute, extended, notify,
    now, open, parse_ts, ts, view,
};
use crate::{Actor, App, Error, Kind, Result};

pub(crate) fn require_officer(actor: &Actor) -> Result<()> {
    actor
        .access
        .require("privacy_requests", "working privacy requests")
}

async fn decidable(app: &App, actor: &Actor, id: &str) -> Result<PrivacyRequestRecord> {
    require_officer(actor)?;
    app.store
        .privacy_request(id)
        .await?
        .ok_or_else(|| Error::not_found("privacy request"))
}

fn wrong_state(r: &PrivacyRequestRecord, what: &str) -> Error {
    Error::new(
        Kind::Conflict,
        "privacy_request_state",
        format!("request #{} is {}: it cannot be {what}", r.number, r.status),
    )
}

/// Runs a decision to its end even when the client goes away mid-way: the state change,
/// its audit entry and (for an approval) the start of the work happen together or not at
/// all, never cut off by a dropped HTTP request.
async fn detached<T: Send + 'static>(
    work: impl std::future::Future<Output = Result<T>> + Send + 'static,
) -> Result<T> {
    tokio::spawn(work).await.map_err(Error::internal)?
}

/// Approves a pending request (or retries a failed one); Proost executes it in the
/// background.
pub async fn approve(
    app: &Arc<App>,
    actor: &Actor,
    id: &str,
    body: ApproveBody,
) -> Result<RequestView> {
    let (app, actor, id) = (app.clone(), actor.clone(), id.to_string());
    detached(async move { approve_now(&app, &actor, &id, body).await }).await
}

async fn approve_now(
    app: &Arc<App>,
    actor: &Actor,
    id: &str,
    body: ApproveBody,
) -> Result<RequestView> {
    let mut r = decidable(app, actor, id).await?;
    // A failed request keeps its subject (its key is destroyed only by a finished
    // erasure): it can be approved again once the cause is fixed.
    if !(r.status == "pending" || (r.status == "failed" && r.wrapped_dek.is_some())) {
        return Err(wrong_state(&r, "approved"));
    }
    r.error = None;
    let heir = if r.kind == "erasure" {
        Some(erasure::heir(app, actor, body.transfer_to.as_deref(), &r).await?)
    } else {
        None
    };
    r.status = "approved".into();
    r.decided_by = Some(actor.user.id.clone());
    r.decided_at = Some(ts(now()));
    app.store.update_privacy_request(&r).await?;
    app.audit(
        Some(&actor.user.id),
        "privacy.request.approve",
        Some(&r.id),
        &json!({"number": r.number, "kind": r.kind}),
    )
    .await?;
    if let Some(s) = open(app, &r)? {
        notify(
            app,
            s.subject.email.as_deref().unwrap_or_default(),
            r.number,
            "approved",
            "Your request was approved; Proost is carrying it out now.",
        )
        .await;
    }
    execute::spawn(app.clone(), actor.clone(), r.id.clone(), heir);
    view::one(app, actor, r).await
}

/// Refuses a request with one of [`DENY_CODES`].
pub async fn deny(app: &Arc<App>, actor: &Actor, id: &str, body: DenyBody) -> Result<RequestView> {
    let (app, actor, id) = (app.clone(), actor.clone(), id.to_string());
    detached(async move { deny_now(&app, &actor, &id, body).await }).await
}

async fn deny_now(app: &App, actor: &Actor, id: &str, body: DenyBody) -> Result<RequestView> {
    let mut r = decidable(app, actor, id).await?;
    if !matches!(r.status.as_str(), "pending" | "verifying") {
        return Err(wrong_state(&r, "denied"));
    }
    if !DENY_CODES.contains(&body.reason_code.as_str()) {
        return Err(Error::bad_request(
            "deny_reason_invalid",
            format!("reason_code is one of {}", DENY_CODES.join(", ")),
        ));
    }
    let note = body
        .note
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.len() > 2000) {
        return Err(Error::bad_request(
            "deny_note_invalid",
            "the note is at most 2000 characters",
        ));
    }
    r.status = "denied".into();
    r.decided_by = Some(actor.user.id.clone());
    r.decided_at = Some(ts(now()));
    r.deny_code = Some(body.reason_code.clone());
    r.deny_note = note.clone();
    r.code_hash = None;
    app.store.update_privacy_request(&r).await?;
    app.audit(
        Some(&actor.user.id),
        "privacy.request.deny",
        Some(&r.id),
        &json!({"number": r.number, "reason_code": body.reason_code}),
    )
    .await?;
    if let Some(s) = open(app, &r)? {
        let text = format!(
            "Your request was refused ({}).{}",
            body.reason_code.replace('_', " "),
            note.map(|n| format!("\n\n{n}")).unwrap_or_default()
        );
        notify(
            app,
            s.subject.email.as_deref().unwrap_or_default(),
            r.number,
            "denied",
            &text,
        )
        .await;
    }
    view::one(app, actor, r).await
}

/// Extends the deadline once (Art. 12(3)), with the reason recorded and told.
pub async fn extend(
    app: &Arc<App>,
    actor: &Actor,
    id: &str,
    body: ExtendBody,
) -> Result<RequestView> {
    let (app, actor, id) = (app.clone(), actor.clone(), id.to_string());
    detached(async move { extend_now(&app, &actor, &id, body).await }).await
}

async fn extend_now(app: &App, actor: &Actor, id: &str, body: ExtendBody) -> Result<RequestView> {
    let mut r = decidable(app, actor, id).await?;
    if !matches!(r.status.as_str(), "pending" | "approved" | "verifying") {
        return Err(wrong_state(&r, "extended"));
    }
    if r.extended_at.is_some() {
        return Err(Error::new(
            Kind::Conflict,
            "privacy_already_extended",
            format!("request #{} was extended already", r.number),
        ));
    }
    let reason = body.reason.trim().to_string();
    if reason.is_empty() || reason.len() > 2000 {
        return Err(Error::bad_request(
            "extension_reason_invalid",
            "an extension needs a reason of at most 2000 characters",
        ));
    }
    let due_at = parse_ts(&r.due_at).ok_or_else(|| Error::internal("stored due date"))?;
    r.due_at = ts(extended(&r.regime, due_at));
    r.extended_at = Some(ts(now()));
    r.extension_reason = Some(reason.clone());
    app.store.update_privacy_request(&r).await?;
    app.audit(
        Some(&actor.user.id),
        "privacy.request.extend",
        Some(&r.id),
        &json!({"number": r.number, "due_at": r.due_at}),
    )
    .await?;
    if let Some(s) = open(app, &r)? {
        let text = format!(
            "The deadline of your request is now {}. Why: {reason}",
            r.due_at
        );
        notify(
            app,
            s.subject.email.as_deref().unwrap_or_default(),
            r.number,
            "extended",
            &text,
        )
        .await;
    }
    view::one(app, actor, r).await
}

/// At start: a request left `approved` was being carried out when the process stopped. It
/// is marked failed (interrupted), so an officer sees it and approves it again.
pub async fn recover(app: &App) -> Result<usize> {
    let mut n = 0;
    for mut r in app.store.privacy_requests(Some("approved")).await? {
        r.status = "failed".into();
        r.error =
            Some("interrupted: Proost stopped while carrying it out; approve it again".into());
        app.store.update_privacy_request(&r).await?;
        n += 1;
    }
    Ok(n)
}
