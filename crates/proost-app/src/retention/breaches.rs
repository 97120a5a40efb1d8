//! The breach log (GDPR Art. 33(5)): every personal-data breach with its facts, effects and
//! remedial action, whether or not it was reported to the supervisory authority. Admins
//! record and update entries; the audit entries name the breach by id, never its text.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use proost_classify::Category;
use proost_store::BreachRecord;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Value, json};

use crate::{Actor, App, Error, Result};

const MAX_TEXT: usize = 20_000;

/// `Some(None)` when the field is given as `null` (cleared), `None` when left out.
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A breach's fields. On create, `facts`, `effects`, `remedial_action` and `discovered_at`
/// are required; on update every field left out stays, and `null` clears an optional one.
/// Times are RFC 3339 or a date (`2026-12-01`); `categories` are the classifier's category
/// ids (a list, or one string separated by commas or spaces).
#[derive(Debug, Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BreachInput {
    pub facts: Option<String>,
    pub effects: Option<String>,
    pub remedial_action: Option<String>,
    pub discovered_at: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub occurred_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub reported_to_authority_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub subjects_affected: Option<Option<i64>>,
    #[schema(value_type = Option<Vec<String>>)]
    pub categories: Option<Value>,
    /// `open` (default) or `closed`.
    pub status: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Breach {
    #[serde(flatten)]
    pub breach: BreachRecord,
    /// 72 hours after discovery (Art. 33(1)): when the authority should have been told.
    pub authority_deadline: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BreachList {
    pub breaches: Vec<Breach>,
}

fn view(b: BreachRecord) -> Breach {
    let deadline = DateTime::parse_from_rfc3339(&b.discovered_at)
        .map(|t| t.with_timezone(&Utc) + chrono::Duration::hours(72))
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
        .unwrap_or_default();
    Breach {
        breach: b,
        authority_deadline: deadline,
    }
}

fn time(field: &str, v: &str) -> Result<String> {
    let v = v.trim();
    let bad = || {
        Error::bad_request(
            "breach_time_invalid",
            format!("`{field}` must be an RFC 3339 time or a date (2026-12-01)"),
        )
    };
    let t = if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        t.with_timezone(&Utc)
    } else if let Ok(t) = NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S"))
    {
        // A form's `datetime-local`: read as UTC.
        t.and_utc()
    } else if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        d.and_hms_opt(0, 0, 0).ok_or_else(bad)?.and_utc()
    } else {
        return Err(bad());
    };
    if t > Utc::now() + chrono::Duration::days(1) {
        return Err(Error::bad_request(
            "breach_time_invalid",
            format!("`{field}` is in the future"),
        ));
    }
    Ok(t.to_rfc3339_opts(SecondsFormat::Millis, true))
}

fn text(field: &str, v: &str) -> Result<String> {
    let v = v.trim();
    if v.is_empty() {
        return Err(Error::bad_request(
            "breach_field_required",
            format!("`{field}` must not be empty"),
        ));
    }
    if v.chars().count() > MAX_TEXT {
        return Err(Error::bad_request(
            "breach_text_too_long",
            format!("`{field}` is at most {MAX_TEXT} characters"),
        ));
    }
    Ok(v.to_owned())
}

/// The classifier's personal-data category ids, which `categories` may name.
pub fn category_ids() -> Vec<&'static str> {
    Category::ALL.iter().map(|c| c.id()).collect()
}

fn categories(v: &Value) -> Result<Vec<String>> {
    let bad = |m: String| Error::bad_request("breach_category_unknown", m);
    let ids: Vec<String> = match v {
        Value::Array(a) => a
            .iter()
            .map(|c| {
                c.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| bad("`categories` must be a list of category ids".into()))
            })
            .collect::<Result<_>>()?,
        Value::String(s) => s
            .split([',', ' ', '\n', '\t'])
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        Value::Null => Vec::new(),
        _ => return Err(bad("`categories` must be a list of category ids".into())),
    };
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        let id = id.trim().to_owned();
        if Category::from_id(&id).is_none() {
            return Err(bad(format!(
                "`{}` is not a personal-data category; the categories are {}",
                id.chars().take(60).collect::<String>(),
                Category::ALL
                    .iter()
                    .map(|c| c.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// Applies `input` to `b`; the names of the fields that changed.
fn apply(b: &mut BreachRecord, input: BreachInput) -> Result<Vec<&'static str>> {
    let mut changed = Vec::new();
    let mut set = |name: &'static str, slot: &mut String, v: String| {
        if *slot != v {
            *slot = v;
            changed.push(name);
        }
    };
    if let Some(v) = input.facts {
        set("facts", &mut b.facts, text("facts", &v)?);
    }
    if let Some(v) = input.effects {
        set("effects", &mut b.effects, text("effects", &v)?);
    }
    if let Some(v) = input.remedial_action {
        set(
            "remedial_action",
            &mut b.remedial_action,
            text("remedial_action", &v)?,
        );
    }
    if let Some(v) = input.discovered_at {
        set(
            "discovered_at",
            &mut b.discovered_at,
            time("discovered_at", &v)?,
        );
    }
    if let Some(v) = input.status {
        let v = v.trim().to_owned();
        if v != "open" && v != "closed" {
            return Err(Error::bad_request(
                "breach_status_invalid",
                "`status` must be `open` or `closed`",
            ));
        }
        set("status", &mut b.status, v);
    }
    let mut opt = |name: &'static str, slot: &mut Option<String>, v: Option<Option<String>>| {
        let Some(v) = v else { return Ok(()) };
        let v = match v.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(t) => Some(time(name, t)?),
        };
        if *slot != v {
            *slot = v;
            changed.push(name);
        }
        Ok::<_, Error>(())
    };
    opt("occurred_at", &mut b.occurred_at, input.occurred_at)?;
    opt(
        "reported_to_authority_at",
        &mut b.reported_to_authority_at,
        input.reported_to_authority_at,
    )?;
    if let Some(v) = input.subjects_affected {
        if v.is_some_and(|n| !(0..=10_000_000_000).contains(&n)) {
            return Err(Error::bad_request(
                "breach_subjects_invalid",
                "`subjects_affected` must be a count from 0",
            ));
        }
        if b.subjects_affected != v {
            b.subjects_affected = v;
            changed.push("subjects_affected");
        }
    }
    if let Some(v) = input.categories {
        let v = categories(&v)?;
        if b.categories != v {
            b.categories = v;
            changed.push("categories");
        }
    }
    if b.occurred_at.as_ref().is_some_and(|o| *o > b.discovered_at) {
        return Err(Error::bad_request(
            "breach_time_invalid",
            "`occurred_at` is after `discovered_at`",
        ));
    }
    Ok(changed)
}

/// Every breach, most recently discovered first (admin).
pub async fn list(app: &App, actor: &Actor) -> Result<BreachList> {
    actor.require_admin()?;
    Ok(BreachList {
        breaches: app.store.breaches().await?.into_iter().map(view).collect(),
    })
}

/// Records a breach (admin; audited `breach.record`).
pub async fn record(app: &App, actor: &Actor, input: BreachInput) -> Result<Breach> {
    actor.require_admin()?;
    for (name, given) in [
        ("facts", input.facts.is_some()),
        ("effects", input.effects.is_some()),
        ("remedial_action", input.remedial_action.is_some()),
        ("discovered_at", input.discovered_at.is_some()),
    ] {
        if !given {
            return Err(Error::bad_request(
                "breach_field_required",
                format!("a breach needs `{name}`"),
            ));
        }
    }
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let mut b = BreachRecord {
        id: uuid::Uuid::new_v4().to_string(),
        facts: String::new(),
        effects: String::new(),
        remedial_action: String::new(),
        discovered_at: String::new(),
        occurred_at: None,
        reported_to_authority_at: None,
        subjects_affected: None,
        categories: Vec::new(),
        status: "open".into(),
        created_at: now.clone(),
        created_by: Some(actor.user.id.clone()),
        updated_at: now,
        updated_by: Some(actor.user.id.clone()),
    };
    apply(&mut b, input)?;
    app.store.insert_breach(&b).await?;
    app.audit(
        Some(&actor.user.id),
        "breach.record",
        Some(&b.id),
        &json!({"breach": b.id, "status": b.status}),
    )
    .await?;
    Ok(view(b))
}

/// Updates a breach (admin; audited `breach.update` with the names of the changed fields).
pub async fn update(app: &App, actor: &Actor, id: &str, input: BreachInput) -> Result<Breach> {
    actor.require_admin()?;
    let mut b = app
        .store
        .breach(id)
        .await?
        .ok_or_else(|| Error::not_found("breach"))?;
    let changed = apply(&mut b, input)?;
    if !changed.is_empty() {
        b.updated_at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        b.updated_by = Some(actor.user.id.clone());
        app.store.update_breach(&b).await?;
        app.audit(
            Some(&actor.user.id),
            "breach.update",
            Some(&b.id),
            &json!({"breach": b.id, "fields": changed, "status": b.status}),
        )
        .await?;
    }
    Ok(view(b))
}
