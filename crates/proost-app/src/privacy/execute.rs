//! Carrying out an approved request, in the background: one task per request, its end state
//! (`completed` or `failed`) and outcome written back, audited, and mailed to the requester.

use std::sync::Arc;

use proost_store::{PrivacyRequestRecord, UserPatch};
use serde_json::{Value, json};

use super::{Sealed, notify, open, reseal, ts};
use crate::people::preferences::{self, PreferencesPatch};
use crate::{Actor, App, Error, Result};

/// What objection and unsubscribe requests can stop.
const PROCESSING: &[&str] = &[
    "usage_analytics",
    "subscriptions",
    "product_notices",
    "mentions",
];

pub(super) fn check_correction(details: &Value) -> Result<()> {
    let invalid = |m: &str| Error::bad_request("correction_invalid", m.to_string());
    let Some(o) = details.as_object() else {
        return Err(invalid(
            "a correction needs details with the new name and/or email",
        ));
    };
    if o.is_empty() || o.keys().any(|k| !matches!(k.as_str(), "name" | "email")) {
        return Err(invalid("a correction changes `name` and/or `email`"));
    }
    if let Some(e) = o.get("email")
        && e.as_str()
            .is_none_or(|e| crate::people::accounts::validate_email(e).is_err())
    {
        return Err(invalid("email must be an email address"));
    }
    if let Some(n) = o.get("name")
        && !n
            .as_str()
            .is_some_and(|n| !n.trim().is_empty() && n.len() <= 200)
    {
        return Err(invalid("name must be 1 to 200 characters"));
    }
    Ok(())
}

fn processing(details: &Value, kind: &str) -> Vec<String> {
    match details.get("processing").and_then(Value::as_array) {
        Some(list) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        None if kind == "unsubscribe" => vec![
            "subscriptions".into(),
            "product_notices".into(),
            "mentions".into(),
        ],
        None => PROCESSING.iter().map(|p| p.to_string()).collect(),
    }
}

pub(super) fn check_processing(details: &Value) -> Result<()> {
    if let Some(p) = details.get("processing") {
        let ok = p.as_array().is_some_and(|l| {
            !l.is_empty()
                && l.iter()
                    .all(|x| x.as_str().is_some_and(|s| PROCESSING.contains(&s)))
        });
        if !ok {
            return Err(Error::bad_request(
                "processing_invalid",
                format!("processing is a list of {}", PROCESSING.join(", ")),
            ));
        }
    }
    Ok(())
}

/// Runs the request in the background.
pub(super) fn spawn(app: Arc<App>, officer: Actor, id: String, heir: Option<String>) {
    tokio::spawn(async move {
        if let Err(e) = run(&app, &officer, &id, heir).await {
            tracing::error!(request = %id, code = e.code, "privacy request execution failed");
            // Never left "approved" for ever: the queue shows what went wrong.
            if let Ok(Some(mut r)) = app.store.privacy_request(&id).await
                && r.status == "approved"
            {
                r.status = "failed".into();
                r.error = Some(format!("{}: {}", e.code, e.message));
                let _ = app.store.update_privacy_request(&r).await;
            }
        }
    });
}

async fn run(app: &Arc<App>, officer: &Actor, id: &str, heir: Option<String>) -> Result<()> {
    let mut r = app
        .store
        .privacy_request(id)
        .await?
        .ok_or_else(|| Error::not_found("privacy request"))?;
    let sealed = open(app, &r)?.unwrap_or_default();
    let email = sealed.subject.email.clone().unwrap_or_default();
    // Each kind returns what was done and what the requester is told (the access link
    // with its token goes only into that mail).
    let result: Result<(Value, String)> = match r.kind.as_str() {
        "access" => access(app, officer, &mut r, &sealed).await,
        "erasure" => super::erasure::run(app, &mut r, &sealed, heir)
            .await
            .map(|o| {
                (
                    o,
                    "Your data in Proost and every copy Proost kept of it were erased.".into(),
                )
            }),
        "correction" => correct(app, officer, &r, &sealed).await.map(carried_out),
        _ => object(app, officer, &r, &sealed).await.map(carried_out),
    };
    let (action, state, text) = match result {
        Ok((outcome, text)) => {
            r.status = "completed".into();
            r.outcome = Some(outcome.to_string());
            ("privacy.request.complete", "completed", text)
        }
        Err(e) => {
            r.status = "failed".into();
            r.error = Some(format!("{}: {}", e.code, e.message));
            (
                "privacy.request.fail",
                "failed",
                "We could not carry out your request yet; the privacy team was told.".to_string(),
            )
        }
    };
    r.completed_at = Some(ts(chrono::Utc::now()));
    app.store.update_privacy_request(&r).await?;
    let details = json!({
        "number": r.number,
        "kind": r.kind,
        "outcome": r.outcome.as_deref().and_then(|o| serde_json::from_str::<Value>(o).ok()),
        "error": r.error,
    });
    app.audit(Some(&officer.user.id), action, Some(&r.id), &details)
        .await?;
    notify(app, &email, r.number, state, &text).await;
    if r.kind == "erasure" {
        // Nothing of the subject may stay in the WAL: truncate it, retrying while readers
        // keep it busy.
        for _ in 0..60 {
            if app.store.checkpoint().await? {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        }
    }
    Ok(())
}

fn carried_out(outcome: Value) -> (Value, String) {
    (outcome, "Your request was carried out.".into())
}

async fn access(
    app: &Arc<App>,
    officer: &Actor,
    r: &mut PrivacyRequestRecord,
    sealed: &Sealed,
) -> Result<(Value, String)> {
    let bundle = super::bundle::build(app, officer, r, sealed).await?;
    let keep = app
        .store
        .retention_keep_days("privacy_bundles")
        .await?
        .unwrap_or(super::BUNDLE_DAYS);
    let token = super::bundle::attach(r, &bundle, keep);
    // The passphrase served its purpose: it is not kept.
    let mut without = sealed.clone();
    if let Some(d) = without.details.as_object_mut() {
        d.remove("passphrase");
    }
    reseal(app, r, &without)?;
    let told = format!(
        "Your data is ready: download it within {keep} days from\n\n{}/api/v1/privacy/requests/{}/bundle?token={token}\n\nIt is encrypted with age to the passphrase or key you chose (age -d). The link works once.",
        app.config.public_base(),
        r.id
    );
    Ok((bundle.outcome, told))
}

/// The subject's own account, for kinds that change Proost's records.
async fn account(app: &App, r: &PrivacyRequestRecord) -> Result<proost_store::User> {
    let none = || {
        Error::bad_request(
            "subject_has_no_account",
            "the subject has no Proost account: there is nothing of theirs to change",
        )
    };
    let id = r.subject_user_id.as_deref().ok_or_else(none)?;
    app.store.user(id).await?.ok_or_else(none)
}

async fn correct(
    app: &App,
    officer: &Actor,
    r: &PrivacyRequestRecord,
    sealed: &Sealed,
) -> Result<Value> {
    let user = account(app, r).await?;
    let new_name = sealed
        .details
        .get("name")
        .and_then(Value::as_str)
        .map(|n| n.trim().to_string());
    let new_email = sealed
        .details
        .get("email")
        .and_then(Value::as_str)
        .map(|e| e.trim().to_string());
    let patch = UserPatch {
        name: new_name.clone(),
        email: new_email.clone(),
        ..Default::default()
    };
    app.store.update_user(&user.id, &patch).await?;
    app.access.changed();
    let fields: Vec<&str> = [("name", new_name.is_some()), ("email", new_email.is_some())]
        .into_iter()
        .filter_map(|(f, on)| on.then_some(f))
        .collect();
    // Old and new values are personal: App::audit seals them for the person.
    app.audit(
        Some(&officer.user.id),
        "privacy.correction",
        Some(&user.id),
        &json!({"request": r.number, "fields": fields,
                "old": {"name": user.name, "email": user.email},
                "new": {"name": new_name, "email": new_email}}),
    )
    .await?;
    Ok(json!({"corrected": fields}))
}

async fn object(
    app: &App,
    officer: &Actor,
    r: &PrivacyRequestRecord,
    sealed: &Sealed,
) -> Result<Value> {
    let user = account(app, r).await?;
    let stopped = processing(&sealed.details, &r.kind);
    let body: serde_json::Map<String, Value> = stopped
        .iter()
        .map(|p| (p.clone(), Value::Bool(false)))
        .collect();
    let patch = PreferencesPatch::from_json(&Value::Object(body))?;
    preferences::set(app, Some(&officer.user.id), &user.id, &patch).await?;
    Ok(json!({"stopped": stopped}))
}
