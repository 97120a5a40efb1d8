//! Requests as the queue shows them: overdue first, with the subject while it may be known.

use proost_store::PrivacyRequestRecord;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::{Subject, open, parse_ts, require_officer};
use crate::{Actor, App, Error, Result};

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestView {
    pub id: String,
    pub number: i64,
    pub kind: String,
    /// `verifying`, `pending`, `approved`, `completed`, `failed` or `denied`.
    pub status: String,
    pub regime: String,
    /// Who it is about; absent once the subject was erased (see `subject_label`).
    pub subject: Option<Subject>,
    /// `erased subject #N` after an erasure.
    pub subject_label: Option<String>,
    /// Whether the subject has a Proost account (officers only).
    pub has_account: bool,
    pub received_at: String,
    pub due_at: String,
    pub overdue: bool,
    pub extended_at: Option<String>,
    pub extension_reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub deny_code: Option<String>,
    pub deny_note: Option<String>,
    pub completed_at: Option<String>,
    /// What was done: counts and places, never a personal value.
    #[schema(value_type = Object)]
    pub outcome: Option<Value>,
    pub error: Option<String>,
    /// An access bundle waits for download until this time.
    pub bundle_expires_at: Option<String>,
    /// Legal holds that stop deletion for this subject.
    pub legal_hold: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestList {
    pub requests: Vec<RequestView>,
}

#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestParams {
    pub status: Option<String>,
}

const FINAL: &[&str] = &["completed", "denied", "failed"];

pub(crate) async fn one(app: &App, actor: &Actor, r: PrivacyRequestRecord) -> Result<RequestView> {
    let erased = app.store.erased_subjects().await?;
    render(app, actor, r, &erased).await
}

async fn render(
    app: &App,
    actor: &Actor,
    r: PrivacyRequestRecord,
    erased: &std::collections::HashMap<String, i64>,
) -> Result<RequestView> {
    let sealed = open(app, &r)?;
    let officer = actor.access.can("privacy_requests");
    let label = match (&sealed, &r.subject_user_id) {
        (None, Some(u)) => Some(match erased.get(u) {
            Some(n) => format!("erased subject #{n}"),
            None => "erased subject".into(),
        }),
        (None, None) => Some("erased subject".into()),
        _ => None,
    };
    let legal_hold = match (&r.subject_user_id, officer) {
        (Some(u), true) if !FINAL.contains(&r.status.as_str()) => {
            super::held(app, "user", u).await?
        }
        _ => None,
    };
    let overdue = !FINAL.contains(&r.status.as_str())
        && parse_ts(&r.due_at).is_some_and(|d| d < chrono::Utc::now());
    Ok(RequestView {
        has_account: officer && sealed.is_some() && r.subject_user_id.is_some(),
        subject: sealed.map(|s| s.subject),
        subject_label: label,
        overdue,
        outcome: r
            .outcome
            .as_deref()
            .and_then(|o| serde_json::from_str(o).ok()),
        bundle_expires_at: r.bundle_file.as_ref().and(r.bundle_expires_at.clone()),
        legal_hold,
        id: r.id,
        number: r.number,
        kind: r.kind,
        status: r.status,
        regime: r.regime,
        received_at: r.received_at,
        due_at: r.due_at,
        extended_at: r.extended_at,
        extension_reason: r.extension_reason,
        decided_by: r.decided_by,
        decided_at: r.decided_at,
        deny_code: r.deny_code,
        deny_note: r.deny_note,
        completed_at: r.completed_at,
        error: r.error,
    })
}

/// The queue (admins and privacy officers): open requests first, overdue and soonest due
/// at the top.
pub async fn list(app: &App, actor: &Actor, params: &RequestParams) -> Result<RequestList> {
    require_officer(actor)?;
    let erased = app.store.erased_subjects().await?;
    let mut out = Vec::new();
    for r in app.store.privacy_requests(params.status.as_deref()).await? {
        out.push(render(app, actor, r, &erased).await?);
    }
    Ok(RequestList { requests: out })
}

/// One request: for officers, and for the person who filed it.
pub async fn get(app: &App, actor: &Actor, id: &str) -> Result<RequestView> {
    let r = app
        .store
        .privacy_request(id)
        .await?
        .ok_or_else(|| Error::not_found("privacy request"))?;
    let mine = r.filed_by.as_deref() == Some(actor.user.id.as_str());
    if !mine && !actor.access.can("privacy_requests") {
        return Err(Error::not_found("privacy request"));
    }
    one(app, actor, r).await
}
