//! Data-subject requests: access, correction, erasure, objection and unsubscribe, filed by
//! a signed-in person for themself or by anyone by email (verified with a mailed code),
//! reviewed by an admin or privacy officer, executed by Proost, with deadlines kept and
//! every step in the audit log. The requester is emailed at each change of state.
//!
//! Who a request is about is sealed with the request's own data key; an erasure destroys
//! that key when it completes, so the request stays as proof about "erased subject #N".

mod bundle;
mod decide;
mod erasure;
mod execute;
mod places;
mod view;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Months, Utc};
use proost_keys::DataKey;
use proost_store::PrivacyRequestRecord;
use proost_store::secrets;
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

pub use bundle::{Bundle, download, purge as purge_bundles};
pub(crate) use decide::require_officer;
pub use decide::{approve, deny, extend, recover};
pub use erasure::erase_user_records;
pub use view::{RequestList, RequestParams, RequestView, get, list};

use crate::people::accounts::validate_email;
use crate::{Actor, App, Error, Kind, Result};

pub const KINDS: &[&str] = &[
    "access",
    "correction",
    "erasure",
    "objection",
    "unsubscribe",
];
/// Identifiers a subject can be found by in connected sources.
pub const IDENTIFIERS: &[&str] = &["phone", "national_id", "customer_id", "username"];
/// Why a request may be refused: GDPR Art. 17(3) (a)–(e), Art. 12(5), and an identity
/// that could not be verified.
pub const DENY_CODES: &[&str] = &[
    "identity_not_verified",
    "freedom_of_expression",
    "legal_obligation",
    "public_health",
    "archiving_research",
    "legal_claims",
    "manifestly_unfounded",
    "excessive",
];
const CODE_MINUTES: i64 = 30;
const MAX_CODE_ATTEMPTS: i64 = 5;

/// `POST /api/v1/privacy/requests`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    /// `access`, `correction`, `erasure`, `objection` or `unsubscribe`.
    pub kind: String,
    pub subject: Option<Subject>,
    /// Access: `{"passphrase"}` or `{"recipient":"age1…"}` for the bundle. Correction:
    /// `{"name","email"}`. Objection/unsubscribe: `{"processing":[…]}`.
    #[schema(value_type = Object)]
    pub details: Option<Value>,
    /// `gdpr` (one month, extendable by two) or `ccpa` (45 days + 45). Default `gdpr`.
    pub regime: Option<String>,
}

/// Who the request is about.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    pub email: Option<String>,
    /// `phone`, `national_id`, `customer_id`, `username`.
    #[serde(default)]
    pub identifiers: BTreeMap<String, String>,
}

/// What is sealed with the request's key.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct Sealed {
    pub subject: Subject,
    #[serde(default)]
    pub details: Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Filed {
    pub id: String,
    pub status: String,
    pub due_at: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyBody {
    pub code: String,
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ApproveBody {
    /// Erasure: who receives the person's questions and dashboards (an admin's id or
    /// email; default: the approving admin, else the first admin).
    pub transfer_to: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DenyBody {
    pub reason_code: String,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendBody {
    pub reason: String,
}

fn now() -> DateTime<Utc> {
    Utc::now()
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// GDPR Art. 12(3): one month from receipt; CCPA: 45 days.
fn due(regime: &str, received: DateTime<Utc>) -> DateTime<Utc> {
    match regime {
        "ccpa" => received + Duration::days(45),
        _ => received
            .checked_add_months(Months::new(1))
            .unwrap_or(received + Duration::days(31)),
    }
}

/// An extension: two more months (GDPR), 45 more days (CCPA).
fn extended(regime: &str, due_at: DateTime<Utc>) -> DateTime<Utc> {
    match regime {
        "ccpa" => due_at + Duration::days(45),
        _ => due_at
            .checked_add_months(Months::new(2))
            .unwrap_or(due_at + Duration::days(61)),
    }
}

fn owner(id: &str) -> String {
    format!("request:{id}")
}

fn purpose(id: &str) -> String {
    format!("privacy-request:{id}")
}

/// The request's data key, while it exists.
pub(crate) fn request_key(app: &App, r: &PrivacyRequestRecord) -> Result<Option<DataKey>> {
    let Some(wrapped) = &r.wrapped_dek else {
        return Ok(None);
    };
    let master = app.connections.current_master()?;
    Ok(Some(master.unwrap_key(wrapped, &owner(&r.id))?))
}

/// The sealed subject and details, while the request's key exists.
pub(crate) fn open(app: &App, r: &PrivacyRequestRecord) -> Result<Option<Sealed>> {
    let (Some(key), Some(sealed)) = (request_key(app, r)?, &r.sealed_subject) else {
        return Ok(None);
    };
    let plain = key.open(sealed, &purpose(&r.id))?;
    Ok(Some(
        serde_json::from_slice(&plain).map_err(Error::internal)?,
    ))
}

pub(crate) fn reseal(app: &App, r: &mut PrivacyRequestRecord, s: &Sealed) -> Result<()> {
    let key = request_key(app, r)?.ok_or_else(|| Error::internal("request key is gone"))?;
    let plain = serde_json::to_vec(s).map_err(Error::internal)?;
    r.sealed_subject = Some(key.seal(&plain, &purpose(&r.id))?);
    Ok(())
}

fn validate(body: &NewRequest, subject: &Subject) -> Result<()> {
    if !KINDS.contains(&body.kind.as_str()) {
        return Err(Error::bad_request(
            "privacy_kind_invalid",
            format!("kind is one of {}", KINDS.join(", ")),
        ));
    }
    if let Some(r) = &body.regime
        && !matches!(r.as_str(), "gdpr" | "ccpa")
    {
        return Err(Error::bad_request(
            "privacy_regime_invalid",
            "regime is gdpr or ccpa",
        ));
    }
    if subject
        .email
        .as_deref()
        .is_none_or(|e| validate_email(e).is_err())
    {
        return Err(Error::bad_request(
            "subject_email_invalid",
            "subject.email must be an email address",
        ));
    }
    for (k, v) in &subject.identifiers {
        if !IDENTIFIERS.contains(&k.as_str()) {
            return Err(Error::bad_request(
                "subject_identifier_unknown",
                format!("identifiers are {}", IDENTIFIERS.join(", ")),
            ));
        }
        if v.trim().is_empty() || v.len() > 200 {
            return Err(Error::bad_request(
                "subject_identifier_invalid",
                format!("identifier `{k}` must be 1 to 200 characters"),
            ));
        }
    }
    let details = body.details.as_ref().unwrap_or(&Value::Null);
    if !(details.is_null() || details.is_object()) {
        return Err(Error::bad_request(
            "privacy_details_invalid",
            "details must be an object",
        ));
    }
    match body.kind.as_str() {
        "access" => bundle::check_encryption(details)?,
        "correction" => execute::check_correction(details)?,
        "objection" | "unsubscribe" => execute::check_processing(details)?,
        _ => {}
    }
    Ok(())
}

/// Files a request: for the signed-in person (`actor`), or from the public page by email
/// (`None`: waits in `verifying` until the mailed code is entered). The answer is the same
/// whether or not the address belongs to anyone.
pub async fn file(app: &App, actor: Option<&Actor>, body: NewRequest) -> Result<Filed> {
    let mut subject = body.subject.clone().unwrap_or_default();
    if let Some(a) = actor {
        // A signed-in person files for themself.
        subject.email = Some(a.user.email.clone());
    }
    if let Some(e) = &subject.email {
        subject.email = Some(e.trim().to_string());
    }
    validate(&body, &subject)?;
    let email = subject.email.clone().unwrap_or_default();
    let received = now();
    let regime = body.regime.clone().unwrap_or_else(|| "gdpr".into());
    let id = uuid::Uuid::new_v4().to_string();
    let master = app.connections.current_master()?;
    let key = DataKey::generate();
    let sealed = Sealed {
        subject,
        details: body.details.clone().unwrap_or(Value::Null),
    };
    let plain = serde_json::to_vec(&sealed).map_err(Error::internal)?;
    let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
    let record = PrivacyRequestRecord {
        id: id.clone(),
        number: 0,
        kind: body.kind.clone(),
        status: if actor.is_some() {
            "pending"
        } else {
            "verifying"
        }
        .into(),
        regime: regime.clone(),
        subject_user_id: actor.map(|a| a.user.id.clone()),
        filed_by: actor.map(|a| a.user.id.clone()),
        wrapped_dek: Some(master.wrap(&key, &owner(&id))?),
        sealed_subject: Some(key.seal(&plain, &purpose(&id))?),
        received_at: ts(received),
        due_at: ts(due(&regime, received)),
        extended_at: None,
        extension_reason: None,
        code_hash: actor.is_none().then(|| secrets::token_hash(&code)),
        code_expires_at: actor
            .is_none()
            .then(|| ts(received + Duration::minutes(CODE_MINUTES))),
        code_attempts: 0,
        decided_by: None,
        decided_at: None,
        deny_code: None,
        deny_note: None,
        completed_at: None,
        outcome: None,
        error: None,
        bundle_file: None,
        bundle_expires_at: None,
        download_hash: None,
    };
    let number = app.store.insert_privacy_request(&record).await?;
    app.audit(
        actor.map(|a| a.user.id.as_str()),
        "privacy.request.file",
        Some(&id),
        &json!({"number": number, "kind": record.kind, "regime": regime,
                "via": if actor.is_some() { "account" } else { "email" }}),
    )
    .await?;
    if actor.is_some() {
        notify(
            app,
            &email,
            number,
            "received",
            "We received your request; it is being reviewed.",
        )
        .await;
    } else {
        let text = format!(
            "Someone (we hope you) filed a privacy request (#{number}, {}) for this address at \
             Proost. To confirm it, enter this code within {CODE_MINUTES} minutes:\n\n    {code}\n\n\
             If you did not file it, ignore this message and nothing happens.\n",
            record.kind
        );
        send(
            app,
            &email,
            &format!("Confirm your privacy request #{number}"),
            text,
        )
        .await;
    }
    Ok(Filed {
        id,
        status: record.status,
        due_at: record.due_at,
    })
}

/// Filings by email within an hour: 3 about one address (each mails it a code), 5 from one
/// client address.
pub(crate) fn filing_limiter() -> crate::people::sessions::LoginLimiter {
    crate::people::sessions::LoginLimiter::new(std::time::Duration::from_secs(3600), 3, 5)
}

/// How long an access bundle waits for its download unless the `privacy_bundles`
/// retention says otherwise.
pub const BUNDLE_DAYS: i64 = 7;

/// The reason of an active legal hold on a person (`user`) or connection, if any.
pub(crate) async fn held(app: &App, kind: &str, id: &str) -> Result<Option<String>> {
    Ok(app.store.active_hold(kind, id).await?.map(|h| h.reason))
}

/// Where access bundles wait for their download, under the data dir.
pub(crate) fn bundles_dir(data_dir: &std::path::Path) -> std::path::PathBuf {
    data_dir.join("privacy").join("bundles")
}

/// Files a request from the public page (no account), throttled per address and client.
pub async fn file_by_email(app: &App, ip: &str, body: NewRequest) -> Result<Filed> {
    let email = body
        .subject
        .as_ref()
        .and_then(|s| s.email.as_deref())
        .unwrap_or("")
        .trim()
        .to_string();
    if let Err(retry) = app.privacy_filings.check(&email, ip) {
        let mut e = Error::new(
            Kind::RateLimited,
            "privacy_rate_limited",
            "too many requests filed for this address or from this client: try again later",
        );
        e.retry_after = Some(retry);
        return Err(e);
    }
    let filed = file(app, None, body).await?;
    // Counted once filed: a refused (invalid) filing mails nothing.
    app.privacy_filings.failed(&email, ip);
    Ok(filed)
}

/// Confirms a request filed by email with the mailed code. Codes expire; after
/// [`MAX_CODE_ATTEMPTS`] wrong tries the request cannot be confirmed any more.
pub async fn verify(app: &App, id: &str, body: VerifyBody) -> Result<Filed> {
    let refused = || {
        Error::new(
            Kind::Forbidden,
            "privacy_code_invalid",
            "the code is wrong or expired; file the request again if it expired",
        )
    };
    let mut r = app
        .store
        .privacy_request(id)
        .await?
        .ok_or_else(|| Error::not_found("privacy request"))?;
    if r.status != "verifying" {
        return Err(refused());
    }
    let expired = r
        .code_expires_at
        .as_deref()
        .and_then(parse_ts)
        .is_none_or(|t| t < now());
    if r.code_attempts >= MAX_CODE_ATTEMPTS {
        return Err(Error::new(
            Kind::RateLimited,
            "privacy_code_attempts",
            "too many wrong codes: file the request again",
        ));
    }
    let matches = r
        .code_hash
        .as_deref()
        .is_some_and(|h| h == secrets::token_hash(body.code.trim()));
    if expired || !matches {
        r.code_attempts += 1;
        app.store.update_privacy_request(&r).await?;
        return Err(refused());
    }
    r.status = "pending".into();
    r.code_hash = None;
    r.code_expires_at = None;
    let sealed = open(app, &r)?.unwrap_or_default();
    let email = sealed.subject.email.clone().unwrap_or_default();
    // The subject's Proost account, if the verified address has one (never told).
    if let Some((user, _)) = app.store.user_for_login(&email).await? {
        r.subject_user_id = Some(user.id);
    }
    app.store.update_privacy_request(&r).await?;
    app.audit(
        None,
        "privacy.request.verify",
        Some(&r.id),
        &json!({"number": r.number}),
    )
    .await?;
    notify(
        app,
        &email,
        r.number,
        "received",
        "Your request is confirmed and being reviewed.",
    )
    .await;
    Ok(Filed {
        id: r.id,
        status: r.status,
        due_at: r.due_at,
    })
}

/// Mails the requester about a change of state. Mail problems are logged, never fatal:
/// the queue is the record.
pub(crate) async fn notify(app: &App, to: &str, number: i64, state: &str, text: &str) {
    let body = format!(
        "Privacy request #{number}: {state}.\n\n{text}\n\nProost at {}\n",
        app.config.public_base()
    );
    send(
        app,
        to,
        &format!("Your privacy request #{number}: {state}"),
        body,
    )
    .await;
}

async fn send(app: &App, to: &str, subject: &str, body: String) {
    if to.is_empty() {
        return;
    }
    // A Proost user gets the one-click unsubscribe headers; the answer to their own
    // request is still sent (it is required).
    if let Err(e) = crate::people::preferences::mail_address(app, to, subject, body).await {
        tracing::warn!(code = e.code, "privacy request email failed");
    }
}
