//! Subscriptions: a question or dashboard emailed on a schedule (daily, weekly, monthly, in
//! the recipient's time zone) to people who may open it, rendered for each recipient with
//! their own access, charts as images; or, for a question, only when its result crosses a
//! threshold (an alert). Every email carries a signed one-click unsubscribe link that
//! works logged out and takes effect at once.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Datelike, TimeZone, Utc};
use hmac::{Hmac, Mac};
use proost_store::SubscriptionRecord;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::Sha256;
use utoipa::ToSchema;

use super::{Level, Shelf};
use crate::{Actor, App, Error, Result};

/// `POST /api/v1/subscriptions`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubscription {
    /// `{"question"|"dashboard": id}`.
    #[schema(value_type = Object)]
    pub object: Map<String, Value>,
    pub schedule: Schedule,
    /// Who gets it (user ids; default: the caller). Others only by the content's owner or
    /// editors, and only people who may open it.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// A question only: send when a row's `column` compares `op` (`gt`, `ge`, `lt`, `le`,
    /// `eq`, `ne`) to `value`.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub alert: Option<Alert>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// `daily`, `weekly` or `monthly`.
    pub every: String,
    /// The hour of the day (0–23) in `time_zone`.
    #[serde(default = "eight")]
    pub hour: u32,
    /// Weekly: 1 = Monday … 7 = Sunday.
    pub weekday: Option<u32>,
    /// Monthly: the day, 1–28.
    pub day: Option<u32>,
    /// IANA name; default UTC.
    #[serde(default = "utc")]
    pub time_zone: String,
}

fn eight() -> u32 {
    8
}
fn utc() -> String {
    "UTC".into()
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Alert {
    pub column: String,
    pub op: String,
    pub value: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Subscription {
    pub id: String,
    pub object: String,
    pub user: String,
    pub schedule: Schedule,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub alert: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_sent_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionList {
    pub subscriptions: Vec<Subscription>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedMany {
    pub ids: Vec<String>,
}

fn view(s: SubscriptionRecord) -> Subscription {
    Subscription {
        id: s.id,
        object: s.content_id,
        user: s.user_id,
        schedule: Schedule {
            every: s.every,
            hour: s.hour as u32,
            weekday: s.weekday.map(|w| w as u32),
            day: s.day.map(|d| d as u32),
            time_zone: s.time_zone,
        },
        alert: s.alert.and_then(|a| serde_json::from_str(&a).ok()),
        last_sent_at: s.last_sent_at,
        last_error: s.last_error,
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::bad_request("subscription_invalid", message)
}

fn check_schedule(s: &Schedule) -> Result<()> {
    if s.time_zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(invalid(format!(
            "`{}` is not a time zone (e.g. Europe/Berlin)",
            s.time_zone
        )));
    }
    if s.hour > 23 {
        return Err(invalid("`hour` is 0 to 23"));
    }
    match (s.every.as_str(), s.weekday, s.day) {
        ("daily", None, None) => Ok(()),
        ("weekly", Some(1..=7), None) => Ok(()),
        ("monthly", None, Some(1..=28)) => Ok(()),
        _ => Err(invalid(
            "`every` is daily; weekly with `weekday` 1–7; or monthly with `day` 1–28",
        )),
    }
}

pub async fn create(app: &App, actor: &Actor, req: &NewSubscription) -> Result<CreatedMany> {
    check_schedule(&req.schedule)?;
    let (kind, id) = match req.object.iter().next() {
        Some((k, Value::String(id)))
            if req.object.len() == 1 && matches!(k.as_str(), "question" | "dashboard") =>
        {
            (k.clone(), id.clone())
        }
        _ => {
            return Err(invalid(
                "`object` is {\"question\": id} or {\"dashboard\": id}",
            ));
        }
    };
    if let Some(a) = &req.alert
        && (kind != "question" || !matches!(a.op.as_str(), "gt" | "ge" | "lt" | "le" | "eq" | "ne"))
    {
        return Err(invalid(
            "alerts are on questions, with op gt, ge, lt, le, eq or ne",
        ));
    }
    let shelf = Shelf::load(app, actor).await?;
    shelf.open(&kind, &id, Level::View)?;
    let recipients = if req.recipients.is_empty() {
        vec![actor.user.id.clone()]
    } else {
        req.recipients.clone()
    };
    if recipients.iter().any(|r| r != &actor.user.id) {
        shelf.open(&kind, &id, Level::Edit)?;
    }
    let mut ids = Vec::new();
    for r in &recipients {
        let user = app
            .store
            .user(r)
            .await?
            .filter(|u| u.active)
            .ok_or_else(|| invalid(format!("no active user `{r}`")))?;
        let access = app.access.of(&app.store, &user).await?;
        let theirs = Shelf::load(
            app,
            &Actor {
                user,
                access,
                session: None,
            },
        )
        .await?;
        if theirs.level(&id) == Level::None {
            return Err(invalid(format!(
                "`{r}` may not open this {kind}; share it with them first"
            )));
        }
        let s = &req.schedule;
        let record = SubscriptionRecord {
            id: String::new(),
            content_id: id.clone(),
            user_id: r.clone(),
            every: s.every.clone(),
            hour: s.hour.into(),
            weekday: s.weekday.map(Into::into),
            day: s.day.map(Into::into),
            time_zone: s.time_zone.clone(),
            alert: req.alert.as_ref().map(|a| json!(a).to_string()),
            created_at: String::new(),
            last_sent_at: None,
            last_error: None,
        };
        let saved = app
            .store
            .create_subscription(&record, &actor.user.id)
            .await?;
        app.audit(
            Some(&actor.user.id),
            "subscription.create",
            Some(&saved.id),
            &json!({"object": id, "recipient": r, "every": s.every}),
        )
        .await?;
        ids.push(saved.id);
    }
    Ok(CreatedMany { ids })
}

/// The caller's subscriptions (an admin's: everyone's).
pub async fn list(app: &App, actor: &Actor) -> Result<SubscriptionList> {
    let who = (!actor.access.admin).then_some(actor.user.id.as_str());
    Ok(SubscriptionList {
        subscriptions: app
            .store
            .subscriptions(who)
            .await?
            .into_iter()
            .map(view)
            .collect(),
    })
}

async fn mine(app: &App, actor: &Actor, id: &str) -> Result<SubscriptionRecord> {
    let s = app
        .store
        .subscription(id)
        .await?
        .ok_or_else(|| Error::not_found("subscription"))?;
    if s.user_id == actor.user.id || actor.access.admin {
        return Ok(s);
    }
    // The content's owner manages who gets it.
    let shelf = Shelf::load(app, actor).await?;
    if shelf.level(&s.content_id) == Level::Own {
        return Ok(s);
    }
    Err(Error::not_found("subscription"))
}

pub async fn delete(app: &App, actor: &Actor, id: &str) -> Result<()> {
    let s = mine(app, actor, id).await?;
    app.store.delete_subscription(&s.id).await?;
    app.audit(
        Some(&actor.user.id),
        "subscription.delete",
        Some(id),
        &json!({"object": s.content_id}),
    )
    .await?;
    Ok(())
}

/// Sends it now, whatever the schedule (alerts still only when crossed): `true` when an
/// email went out.
pub async fn send_now(app: &Arc<App>, actor: &Actor, id: &str) -> Result<bool> {
    let s = mine(app, actor, id).await?;
    deliver(app, &s).await
}

type HmacSha256 = Hmac<Sha256>;

/// The link's MAC key: from the subscriber's own data key, which a master-key rotation
/// re-wraps (links already mailed keep working) and erasing the person destroys.
async fn link_mac(app: &App, user_id: &str, id: &str) -> Result<HmacSha256> {
    let key = crate::query::history::user_key(app, user_id).await?;
    let mut mac = HmacSha256::new_from_slice(&key.derive_bytes("unsubscribe-links"))
        .map_err(Error::internal)?;
    mac.update(id.as_bytes());
    Ok(mac)
}

/// The one-click unsubscribe link of a subscription.
pub async fn unsubscribe_link(app: &App, user_id: &str, id: &str) -> Result<String> {
    let sig = hex::encode(link_mac(app, user_id, id).await?.finalize().into_bytes());
    Ok(format!(
        "{}/unsubscribe?s={id}&sig={sig}",
        app.config.public_base()
    ))
}

/// Ends a subscription from its emailed link (no login): a wrong signature is refused,
/// an already ended one is fine.
pub async fn unsubscribe(app: &App, id: &str, sig: &str) -> Result<()> {
    let Some(s) = app.store.subscription(id).await? else {
        return Ok(());
    };
    let given = hex::decode(sig).unwrap_or_default();
    if link_mac(app, &s.user_id, id)
        .await?
        .verify_slice(&given)
        .is_err()
    {
        return Err(
            Error::forbidden("this unsubscribe link is not valid").with_code("unsubscribe_invalid")
        );
    }
    app.store.delete_subscription(id).await?;
    app.audit(
        Some(&s.user_id),
        "subscription.unsubscribe",
        Some(id),
        &json!({"object": s.content_id}),
    )
    .await?;
    Ok(())
}

/// When the subscription is next due after `since`.
fn next_due(s: &SubscriptionRecord, since: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let tz: chrono_tz::Tz = s.time_zone.parse().ok()?;
    let local = since.with_timezone(&tz);
    let mut day = local.date_naive();
    for _ in 0..400 {
        let at = tz
            .from_local_datetime(&day.and_hms_opt(s.hour as u32, 0, 0)?)
            .earliest()
            .map(|t| t.with_timezone(&Utc));
        let fits = match s.every.as_str() {
            "weekly" => Some(day.weekday().number_from_monday() as i64) == s.weekday,
            "monthly" => Some(day.day() as i64) == s.day,
            _ => true,
        };
        if fits
            && let Some(at) = at
            && at > since
        {
            return Some(at);
        }
        day = day.succ_opt()?;
    }
    None
}

/// Delivers every subscription that is due.
pub async fn deliver_due(app: &Arc<App>) -> Result<()> {
    let now = Utc::now();
    for s in app.store.subscriptions(None).await? {
        let since = s.last_sent_at.as_deref().unwrap_or(&s.created_at);
        let since = DateTime::parse_from_rfc3339(since)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now);
        if next_due(&s, since).is_some_and(|due| due <= now)
            && let Err(e) = deliver(app, &s).await
        {
            tracing::warn!(code = e.code, subscription = %s.id, "subscription not delivered");
        }
    }
    Ok(())
}

/// Checks for due subscriptions every minute, for as long as the app lives.
pub fn spawn_scheduler(app: &Arc<App>) {
    app.background
        .every(app, Duration::from_secs(60), |app| async move {
            if app.mailer.is_none() {
                return;
            }
            if let Err(e) = deliver_due(&app).await {
                tracing::warn!(code = e.code, "subscription round failed");
            }
        });
}

fn crossed(alert: &Alert, body: &Value) -> bool {
    let Some(i) = body["columns"]
        .as_array()
        .and_then(|c| c.iter().position(|c| c["name"] == alert.column.as_str()))
    else {
        return false;
    };
    body["rows"].as_array().into_iter().flatten().any(|r| {
        let v = match &r[i] {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        };
        v.is_some_and(|v| match alert.op.as_str() {
            "gt" => v > alert.value,
            "ge" => v >= alert.value,
            "lt" => v < alert.value,
            "le" => v <= alert.value,
            "eq" => v == alert.value,
            _ => v != alert.value,
        })
    })
}

/// Renders the content for the recipient, as the recipient, and emails it.
async fn deliver(app: &Arc<App>, s: &SubscriptionRecord) -> Result<bool> {
    if app.mailer.is_none() {
        return Err(Error::new(
            crate::Kind::Conflict,
            "smtp_not_configured",
            "email is not set up on this instance (--smtp-url)",
        ));
    }
    let at = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let user = app
        .store
        .user(&s.user_id)
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| Error::not_found("recipient"))?;
    let category = crate::people::preferences::Category::Subscriptions;
    if !crate::people::preferences::allows(app, &user.id, category).await? {
        // Turned off in their preferences: nothing is rendered or sent.
        app.store
            .mark_subscription(
                &s.id,
                &at,
                Some("the recipient turned subscription emails off"),
            )
            .await?;
        return Ok(false);
    }
    let access = app.access.of(&app.store, &user).await?;
    let actor = Actor {
        user: user.clone(),
        access,
        session: None,
    };
    let shelf = Shelf::load(app, &actor).await?;
    let content = match shelf.contents.get(&s.content_id) {
        Some(c) if shelf.level(&c.id) > Level::None => c.clone(),
        // No longer theirs to see: nothing is sent.
        _ => {
            app.store
                .mark_subscription(&s.id, &at, Some("the recipient may no longer open it"))
                .await?;
            return Ok(false);
        }
    };
    // (title, answer body or error) per part.
    let mut parts: Vec<(String, std::result::Result<Value, String>)> = Vec::new();
    if content.kind == "question" {
        let doc: super::questions::QuestionDoc =
            serde_json::from_str(&content.body).map_err(Error::internal)?;
        let ran = super::questions::run_doc(
            app,
            &actor,
            &shelf,
            &doc,
            &Map::new(),
            Some(1000),
            Default::default(),
        )
        .await;
        let body = match ran {
            Ok(r) => crate::query::json::answer_json(&r.answer).map(|mut b| {
                b["chart"] = r.chart;
                b
            }),
            Err(e) => Err(e),
        };
        if let (Some(alert), Ok(b)) = (
            s.alert
                .as_deref()
                .and_then(|a| serde_json::from_str::<Alert>(a).ok()),
            &body,
        ) && !crossed(&alert, b)
        {
            app.store.mark_subscription(&s.id, &at, None).await?;
            return Ok(false);
        }
        parts.push((content.name.clone(), body.map_err(|e| e.message)));
    } else {
        let answers = super::dashboards::run(app, &actor, &content.id, &Default::default()).await?;
        let view = super::dashboards::get(app, &actor, &content.id).await?;
        for c in answers.cards {
            let card = c["card"].as_str().unwrap_or_default();
            let title = view
                .questions
                .get(card)
                .and_then(|q| q["name"].as_str())
                .unwrap_or(card)
                .to_string();
            match c.get("result") {
                Some(r) => parts.push((title, Ok(r.clone()))),
                None => parts.push((
                    title,
                    Err(c["error"]["message"]
                        .as_str()
                        .unwrap_or("failed")
                        .to_string()),
                )),
            }
        }
    }
    let link = unsubscribe_link(app, &s.user_id, &s.id).await?;
    let open = format!(
        "{}/{}s/{}",
        app.config.public_base(),
        content.kind,
        content.id
    );
    // Drawing charts blocks: off the async threads.
    let name = content.name.clone();
    let (text, html, images) =
        tokio::task::spawn_blocking(move || super::email::compose(&name, &open, &link, &parts))
            .await
            .map_err(Error::internal)?;
    let subject = match s.alert {
        Some(_) => format!("Alert: {}", content.name),
        None => content.name.clone(),
    };
    let mail = crate::people::preferences::Mail {
        subject,
        text,
        html: Some((html, images)),
    };
    let sent = crate::people::preferences::mail_user(app, &user, category, true, mail).await;
    let error = sent.as_ref().err().map(|e| e.message.as_str());
    app.store.mark_subscription(&s.id, &at, error).await?;
    sent.map(|m| m == crate::people::preferences::Mailed::Sent)
}
