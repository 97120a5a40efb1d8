//! Communication preferences per user (product notices, subscriptions, mentions, usage
//! analytics; all on until turned off), and the one-click unsubscribe every email to a user
//! carries (RFC 8058).
//!
//! An unsubscribe token names the user, the category and when it was issued, and is signed
//! with an HMAC key derived from the user's own data key — as subscription links are: a
//! master-key rotation re-wraps it (links already mailed keep working) and erasing the
//! person destroys it. A token works until `unsubscribe_link_ttl` after it was issued, and
//! once: its use is recorded (as a hash), a second use answers "already done".

use chrono::Utc;
use hmac::{Hmac, Mac};
use proost_store::{PreferencesRecord, User};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::{App, Error, Result};

/// `GET/PUT /api/v1/me/preferences`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Preferences {
    /// Notices about Proost itself: privacy notice changes, invitations.
    pub product_notices: bool,
    /// Scheduled emails of questions and dashboards.
    pub subscriptions: bool,
    /// Emails when someone mentions you in a comment.
    pub mentions: bool,
    /// Recording of your usage (pages, queries) for the instance's usage analytics.
    pub usage_analytics: bool,
}

impl From<PreferencesRecord> for Preferences {
    fn from(r: PreferencesRecord) -> Self {
        Preferences {
            product_notices: r.product_notices,
            subscriptions: r.subscriptions,
            mentions: r.mentions,
            usage_analytics: r.usage_analytics,
        }
    }
}

impl From<Preferences> for PreferencesRecord {
    fn from(p: Preferences) -> Self {
        PreferencesRecord {
            product_notices: p.product_notices,
            subscriptions: p.subscriptions,
            mentions: p.mentions,
            usage_analytics: p.usage_analytics,
        }
    }
}

/// A change: only the fields given are changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesPatch {
    pub product_notices: Option<bool>,
    pub subscriptions: Option<bool>,
    pub mentions: Option<bool>,
    pub usage_analytics: Option<bool>,
}

const FIELDS: [&str; 4] = [
    "product_notices",
    "subscriptions",
    "mentions",
    "usage_analytics",
];

impl PreferencesPatch {
    /// One field switched off (objection, unsubscribe).
    pub fn off(category: Category) -> Self {
        let mut p = PreferencesPatch::default();
        match category {
            Category::ProductNotices => p.product_notices = Some(false),
            Category::Subscriptions => p.subscriptions = Some(false),
            Category::Mentions => p.mentions = Some(false),
        }
        p
    }

    /// Reads a JSON body: an object of known fields, each true or false (`preferences_invalid`
    /// otherwise, naming the field).
    pub fn from_json(body: &Value) -> Result<Self> {
        let invalid = |m: String| Error::bad_request("preferences_invalid", m);
        let Some(object) = body.as_object() else {
            return Err(invalid(
                "send an object such as {\"mentions\": false}".into(),
            ));
        };
        let mut patch = PreferencesPatch::default();
        for (k, v) in object {
            let Some(b) = v.as_bool() else {
                if FIELDS.contains(&k.as_str()) {
                    return Err(invalid(format!("`{k}` is true or false")));
                }
                return Err(unknown(k));
            };
            match k.as_str() {
                "product_notices" => patch.product_notices = Some(b),
                "subscriptions" => patch.subscriptions = Some(b),
                "mentions" => patch.mentions = Some(b),
                "usage_analytics" => patch.usage_analytics = Some(b),
                _ => return Err(unknown(k)),
            }
        }
        Ok(patch)
    }
}

fn unknown(k: &str) -> Error {
    Error::bad_request(
        "preferences_invalid",
        format!("`{k}` is not a preference (known: {})", FIELDS.join(", ")),
    )
}

/// What kind of email a message is, as a user can turn it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    ProductNotices,
    Subscriptions,
    Mentions,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::ProductNotices => "product_notices",
            Category::Subscriptions => "subscriptions",
            Category::Mentions => "mentions",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "product_notices" => Some(Category::ProductNotices),
            "subscriptions" => Some(Category::Subscriptions),
            "mentions" => Some(Category::Mentions),
            _ => None,
        }
    }

    /// For people: "emails about …".
    pub fn describe(self) -> &'static str {
        match self {
            Category::ProductNotices => "notices about Proost (privacy notice changes)",
            Category::Subscriptions => "scheduled emails of questions and dashboards",
            Category::Mentions => "emails when someone mentions you in a comment",
        }
    }

    fn allowed(self, p: &Preferences) -> bool {
        match self {
            Category::ProductNotices => p.product_notices,
            Category::Subscriptions => p.subscriptions,
            Category::Mentions => p.mentions,
        }
    }
}

/// A user's preferences (defaults when never changed).
pub async fn get(app: &App, user_id: &str) -> Result<Preferences> {
    Ok(app.store.preferences(user_id).await?.into())
}

/// Whether the user takes emails of this category.
pub async fn allows(app: &App, user_id: &str, category: Category) -> Result<bool> {
    Ok(category.allowed(&get(app, user_id).await?))
}

/// Changes a user's preferences: `actor` is who did it (`None`: Proost itself, e.g. an
/// objection or unsubscribe request being carried out). Audited (`preferences.update`) when
/// anything changed; usage recording stops or resumes at once.
pub async fn set(
    app: &App,
    actor: Option<&str>,
    user_id: &str,
    patch: &PreferencesPatch,
) -> Result<Preferences> {
    if app.store.user(user_id).await?.is_none() {
        return Err(Error::not_found("user"));
    }
    let before = get(app, user_id).await?;
    let mut after = before;
    let mut changed = Map::new();
    for (name, field, value) in [
        (
            "product_notices",
            &mut after.product_notices,
            patch.product_notices,
        ),
        (
            "subscriptions",
            &mut after.subscriptions,
            patch.subscriptions,
        ),
        ("mentions", &mut after.mentions, patch.mentions),
        (
            "usage_analytics",
            &mut after.usage_analytics,
            patch.usage_analytics,
        ),
    ] {
        if let Some(v) = value
            && *field != v
        {
            *field = v;
            changed.insert(name.into(), json!(v));
        }
    }
    if changed.is_empty() {
        return Ok(after);
    }
    app.store.put_preferences(user_id, &after.into()).await?;
    app.usage.set_opted_out(user_id, !after.usage_analytics);
    app.audit(
        actor,
        "preferences.update",
        Some(user_id),
        &Value::Object(changed),
    )
    .await?;
    Ok(after)
}

type HmacSha256 = Hmac<Sha256>;

/// The MAC of a token's signed part, keyed from the user's own data key.
async fn token_mac(app: &App, user_id: &str, signed: &str) -> Result<HmacSha256> {
    let key = crate::query::history::user_key(app, user_id).await?;
    let mut mac = HmacSha256::new_from_slice(&key.derive_bytes("unsubscribe-preference-v1"))
        .map_err(Error::internal)?;
    mac.update(signed.as_bytes());
    Ok(mac)
}

/// A signed token: `v1.<user>.<category>.<issued unix seconds>.<hex HMAC>`.
pub async fn unsubscribe_token(app: &App, user_id: &str, category: Category) -> Result<String> {
    let signed = format!(
        "v1.{user_id}.{}.{}",
        category.as_str(),
        Utc::now().timestamp()
    );
    let sig = hex::encode(
        token_mac(app, user_id, &signed)
            .await?
            .finalize()
            .into_bytes(),
    );
    Ok(format!("{signed}.{sig}"))
}

/// The one-click URL of a fresh token (`POST` unsubscribes; `GET` shows a page with a button).
pub async fn unsubscribe_url(app: &App, user_id: &str, category: Category) -> Result<String> {
    Ok(format!(
        "{}/unsubscribe/{}",
        app.config.public_base(),
        unsubscribe_token(app, user_id, category).await?
    ))
}

/// A token checked: whose, which category.
#[derive(Debug, Clone)]
pub struct Unsubscribe {
    pub user: User,
    pub category: Category,
    hash: String,
}

fn refused() -> Error {
    Error::forbidden("this unsubscribe link is not valid").with_code("unsubscribe_invalid")
}

/// Checks a token's signature and age (nothing is changed): `unsubscribe_invalid` when it
/// was altered or names no user, `unsubscribe_expired` when it is too old.
pub async fn check_token(app: &App, token: &str) -> Result<Unsubscribe> {
    if token.len() > 400 {
        return Err(refused());
    }
    let Some((signed, sig)) = token.rsplit_once('.') else {
        return Err(refused());
    };
    let parts: Vec<&str> = signed.split('.').collect();
    let [version, user_id, category, issued] = parts.as_slice() else {
        return Err(refused());
    };
    let (Some(category), Ok(issued)) = (Category::parse(category), issued.parse::<i64>()) else {
        return Err(refused());
    };
    if *version != "v1" || user_id.is_empty() {
        return Err(refused());
    }
    let Some(user) = app.store.user(user_id).await? else {
        return Err(refused());
    };
    let given = hex::decode(sig).map_err(|_| refused())?;
    if token_mac(app, &user.id, signed)
        .await?
        .verify_slice(&given)
        .is_err()
    {
        return Err(refused());
    }
    let now = Utc::now().timestamp();
    let ttl = i64::try_from(app.config.unsubscribe_link_ttl.as_secs()).unwrap_or(i64::MAX);
    if issued > now + 300 || now.saturating_sub(issued) > ttl {
        return Err(Error::forbidden(
            "this unsubscribe link has expired; open Proost to change your email preferences",
        )
        .with_code("unsubscribe_expired"));
    }
    Ok(Unsubscribe {
        user,
        category,
        hash: hex::encode(Sha256::digest(token.as_bytes())),
    })
}

/// What a one-click unsubscribe did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Unsubscribed {
    pub category: &'static str,
    /// False when this link was used before (the preference is off either way).
    pub changed: bool,
}

/// Carries out a one-click unsubscribe: the preference is off when this returns.
pub async fn unsubscribe(app: &App, token: &str) -> Result<Unsubscribed> {
    let u = check_token(app, token).await?;
    let ttl = chrono::Duration::from_std(app.config.unsubscribe_link_ttl)
        .unwrap_or(chrono::Duration::days(30));
    let prune = (Utc::now() - ttl - chrono::Duration::days(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let first = app
        .store
        .use_unsubscribe(&u.hash, &u.user.id, u.category.as_str(), &prune)
        .await?;
    // Switched off even on a second use (it may have been turned back on since, by the
    // person; a link used before is not a new request, so it is left as it is then).
    if first {
        set(
            app,
            Some(&u.user.id),
            &u.user.id,
            &PreferencesPatch::off(u.category),
        )
        .await?;
    }
    Ok(Unsubscribed {
        category: u.category.as_str(),
        changed: first,
    })
}

/// What [`mail_user`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mailed {
    Sent,
    /// The user turned this category off.
    OptedOut,
    /// No SMTP configured.
    NoMail,
}

/// An HTML part and its inline images (content id, PNG bytes).
pub type Html = (String, Vec<(String, Vec<u8>)>);

/// A message for [`mail_user`]: plain text, or text and HTML with inline images.
pub struct Mail {
    pub subject: String,
    pub text: String,
    pub html: Option<Html>,
}

/// Emails a Proost user a message of `category`, unless they turned it off: with the RFC
/// 8058 one-click unsubscribe headers and, in the text, the link. Transactional mail the
/// user asked for (an invite, a password reset) passes `required`: sent whatever the
/// preference, still with the headers. SMTP failures are `smtp_failed` errors.
pub async fn mail_user(
    app: &App,
    user: &User,
    category: Category,
    required: bool,
    mail: Mail,
) -> Result<Mailed> {
    let Some(mailer) = &app.mailer else {
        return Ok(Mailed::NoMail);
    };
    if !required && !allows(app, &user.id, category).await? {
        return Ok(Mailed::OptedOut);
    }
    let url = unsubscribe_url(app, &user.id, category).await?;
    let text = format!(
        "{}\n\n--\nTo stop {}: {url}\nAll your email preferences: {}/account/preferences\n",
        mail.text.trim_end(),
        category.describe(),
        app.config.public_base()
    );
    let sent = match mail.html {
        None => {
            mailer
                .send_with(&user.email, &mail.subject, text, Some(&url))
                .await
        }
        Some((html, images)) => {
            mailer
                .send_rich_with(&user.email, &mail.subject, text, html, images, Some(&url))
                .await
        }
    };
    sent.map(|()| Mailed::Sent)
        .map_err(|e| Error::new(crate::Kind::SourceUnavailable, "smtp_failed", e))
}

/// Emails an address that may or may not be a Proost user's (a privacy requester filing by
/// email): a user gets it as [`mail_user`] sends it (required, with the one-click
/// unsubscribe from product notices); anyone else a plain message without
/// `List-Unsubscribe` (there is no preference to switch off for them).
pub async fn mail_address(app: &App, to: &str, subject: &str, text: String) -> Result<Mailed> {
    let Some(mailer) = &app.mailer else {
        return Ok(Mailed::NoMail);
    };
    if let Some((user, _)) = app.store.user_for_login(to.trim()).await? {
        let mail = Mail {
            subject: subject.to_string(),
            text,
            html: None,
        };
        return mail_user(app, &user, Category::ProductNotices, true, mail).await;
    }
    mailer
        .send(to, subject, text)
        .await
        .map(|()| Mailed::Sent)
        .map_err(|e| Error::new(crate::Kind::SourceUnavailable, "smtp_failed", e))
}
