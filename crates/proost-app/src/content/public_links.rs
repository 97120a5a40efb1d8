//! Public links: a question or dashboard anyone with the link may open, without logging in.
//!
//! Off until an admin turns them on. A link never runs as the person who made it: every
//! public run is the **public-links principal** — a built-in user that cannot log in, member
//! of the group "Public links" — so it sees exactly what admins grant that group (no table
//! by default), with that group's masks and row policies. Links expire (at most
//! `max_days`), can be revoked, and only a hash of the token is stored; the token travels
//! in the URL's fragment, which browsers do not send to servers, proxies or in `Referer`.
//! Making, revoking and every use are audit entries.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use proost_store::{NewUser, UserPatch, secrets};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::dashboards::{CardAnswers, DashboardDoc, DashboardRun};
use super::questions::QuestionDoc;
use super::{Level, Shelf};
use crate::query::QueryOptions;
use crate::{Actor, App, Error, Kind, Result};

const SETTING: &str = "public_links";
const PRINCIPAL_EMAIL: &str = "public-links@proost.invalid";
const PRINCIPAL_GROUP: &str = "Public links";
const DEFAULT_DAYS: i64 = 30;
const MAX_DAYS: i64 = 365;

/// Stored in `settings`.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    enabled: bool,
    max_days: Option<i64>,
    user_id: Option<String>,
    group_id: Option<String>,
}

/// `GET /api/v1/public-links/settings`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Settings {
    pub enabled: bool,
    /// The longest a link may live, in days.
    pub max_days: i64,
    /// The group whose grants, masks and row policies every public run has (once enabled).
    pub group: Option<String>,
    pub group_name: &'static str,
    /// The principal public runs act as (a user that cannot log in).
    pub user: Option<String>,
}

/// `PUT /api/v1/public-links/settings`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    pub enabled: bool,
    /// 1–365 (default 30).
    pub max_days: Option<i64>,
}

async fn stored(app: &App) -> Result<Stored> {
    match app.store.setting(SETTING).await? {
        Some(text) => serde_json::from_str(&text).map_err(Error::internal),
        None => Ok(Stored::default()),
    }
}

fn settings_of(s: &Stored) -> Settings {
    Settings {
        enabled: s.enabled,
        max_days: s.max_days.unwrap_or(DEFAULT_DAYS),
        group: s.group_id.clone(),
        group_name: PRINCIPAL_GROUP,
        user: s.user_id.clone(),
    }
}

pub async fn settings(app: &App, actor: &Actor) -> Result<Settings> {
    actor.require_admin()?;
    Ok(settings_of(&stored(app).await?))
}

pub async fn set_settings(app: &App, actor: &Actor, p: &SettingsPatch) -> Result<Settings> {
    actor.require_admin()?;
    if let Some(d) = p.max_days
        && !(1..=MAX_DAYS).contains(&d)
    {
        return Err(Error::bad_request(
            "public_links_invalid",
            format!("`max_days` is 1 to {MAX_DAYS}"),
        ));
    }
    let mut s = stored(app).await?;
    s.enabled = p.enabled;
    if p.max_days.is_some() {
        s.max_days = p.max_days;
    }
    if s.enabled {
        let (user, group) = ensure_principal(app, &s).await?;
        s.user_id = Some(user);
        s.group_id = Some(group);
    }
    app.store
        .put_setting(
            SETTING,
            &serde_json::to_string(&s).map_err(Error::internal)?,
        )
        .await?;
    app.audit(
        Some(&actor.user.id),
        "public_links.settings",
        None,
        &json!({"enabled": s.enabled, "max_days": s.max_days.unwrap_or(DEFAULT_DAYS)}),
    )
    .await?;
    Ok(settings_of(&s))
}

/// The principal public runs act as: a viewer without a password that cannot log in
/// (inactive), alone in its group; made on first enabling, found again afterwards.
async fn ensure_principal(app: &App, s: &Stored) -> Result<(String, String)> {
    let group = match s.group_id.as_deref() {
        Some(id) if app.store.group(id).await?.is_some() => id.to_string(),
        _ => match app.store.group_by_name(PRINCIPAL_GROUP).await? {
            Some(g) => g.id,
            None => {
                app.store
                    .create_group(
                        PRINCIPAL_GROUP,
                        "What public links may show: grant this group the tables they may read.",
                    )
                    .await?
                    .id
            }
        },
    };
    let existing = match s.user_id.as_deref() {
        Some(id) => app.store.user(id).await?,
        None => None,
    };
    let user = match existing {
        Some(u) => u,
        None => match app
            .store
            .users()
            .await?
            .into_iter()
            .find(|u| u.email.eq_ignore_ascii_case(PRINCIPAL_EMAIL))
        {
            Some(u) => u,
            None => {
                app.store
                    .create_user(&NewUser {
                        email: PRINCIPAL_EMAIL.into(),
                        name: "Public links (restricted)".into(),
                        password_hash: None,
                        role: "viewer".into(),
                        attributes: Map::new(),
                        business_address: None,
                        business_phone: None,
                        sso_provider: None,
                        sso_subject: None,
                        sso_enforced: false,
                    })
                    .await?
            }
        },
    };
    // Whatever an admin did to it, it stays a viewer that cannot log in.
    if !restricted(&user) {
        app.store
            .update_user(
                &user.id,
                &UserPatch {
                    active: Some(false),
                    role: Some("viewer".into()),
                    ..Default::default()
                },
            )
            .await?;
        app.store.clear_password(&user.id).await?;
    }
    app.store.add_member(&group, &user.id, "manual").await?;
    app.access.changed();
    Ok((user.id, group))
}

/// A principal that cannot log in and has a viewer's capabilities only.
fn restricted(u: &proost_store::User) -> bool {
    !u.active && !u.has_password && u.custom_role.is_none() && u.role_name() == "viewer"
}

/// `POST /api/v1/public-links`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLink {
    /// `{"question"|"dashboard": id}`.
    #[schema(value_type = Object)]
    pub object: Map<String, Value>,
    /// Days until the link stops working (default and most: the instance's `max_days`).
    pub expires_in_days: Option<i64>,
}

/// The made link: `url` holds the token, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedLink {
    pub id: String,
    pub url: String,
    pub token: String,
    pub expires_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Link {
    pub id: String,
    pub object_kind: String,
    pub object: String,
    pub object_name: String,
    pub created_by: Option<String>,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
    /// `live`, `expired` or `revoked`.
    pub status: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkList {
    pub links: Vec<Link>,
}

fn disabled() -> Error {
    Error::new(
        Kind::Conflict,
        "public_links_disabled",
        "public links are turned off on this instance (an admin turns them on)",
    )
}

/// Makes a link to content the caller owns (or any, for an admin).
pub async fn create(app: &App, actor: &Actor, l: &NewLink) -> Result<CreatedLink> {
    let s = stored(app).await?;
    if !s.enabled {
        return Err(disabled());
    }
    let (kind, id) = match l.object.iter().next() {
        Some((k, Value::String(id)))
            if l.object.len() == 1 && matches!(k.as_str(), "question" | "dashboard") =>
        {
            (k.as_str(), id.as_str())
        }
        _ => {
            return Err(Error::bad_request(
                "public_link_invalid",
                "`object` is {\"question\": id} or {\"dashboard\": id}",
            ));
        }
    };
    let max = s.max_days.unwrap_or(DEFAULT_DAYS);
    let days = l.expires_in_days.unwrap_or(max);
    if !(1..=max).contains(&days) {
        return Err(Error::bad_request(
            "public_link_invalid",
            format!("`expires_in_days` is 1 to {max} on this instance"),
        ));
    }
    Shelf::load(app, actor).await?.open(kind, id, Level::Own)?;
    let token = secrets::new_token();
    let expires =
        (Utc::now() + Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let link = app
        .store
        .create_public_link(id, &secrets::token_hash(&token), &actor.user.id, &expires)
        .await?;
    app.audit(
        Some(&actor.user.id),
        "public_link.create",
        Some(&link.id),
        &json!({"object": kind, "id": id, "expires_at": expires}),
    )
    .await?;
    Ok(CreatedLink {
        id: link.id,
        url: format!("/public#{token}"),
        token,
        expires_at: expires,
    })
}

fn status_of(l: &proost_store::PublicLinkRecord, now: DateTime<Utc>) -> &'static str {
    if l.revoked_at.is_some() {
        "revoked"
    } else if expired(&l.expires_at, now) {
        "expired"
    } else {
        "live"
    }
}

fn expired(at: &str, now: DateTime<Utc>) -> bool {
    DateTime::parse_from_rfc3339(at).map_or(true, |t| t.with_timezone(&Utc) <= now)
}

/// Admins see every link; others the links to content they own.
pub async fn list(app: &App, actor: &Actor) -> Result<LinkList> {
    let shelf = Shelf::load(app, actor).await?;
    let now = Utc::now();
    let links = app
        .store
        .public_links()
        .await?
        .into_iter()
        .filter(|l| shelf.level(&l.content_id) == Level::Own)
        .filter_map(|l| {
            let c = shelf.contents.get(&l.content_id)?;
            Some(Link {
                status: status_of(&l, now),
                id: l.id,
                object_kind: c.kind.clone(),
                object: c.id.clone(),
                object_name: c.name.clone(),
                created_by: l.created_by,
                created_at: l.created_at,
                expires_at: l.expires_at,
                revoked_at: l.revoked_at,
                last_used_at: l.last_used_at,
            })
        })
        .collect();
    Ok(LinkList { links })
}

/// Revokes a link at once (its owner's content's owner, or an admin).
pub async fn revoke(app: &App, actor: &Actor, id: &str) -> Result<()> {
    let link = app
        .store
        .public_link(id)
        .await?
        .ok_or_else(|| Error::not_found("public link"))?;
    let shelf = Shelf::load(app, actor).await?;
    if shelf.level(&link.content_id) != Level::Own {
        return Err(Error::not_found("public link"));
    }
    if app.store.revoke_public_link(id).await? {
        app.audit(
            Some(&actor.user.id),
            "public_link.revoke",
            Some(id),
            &json!({"content": link.content_id}),
        )
        .await?;
    }
    Ok(())
}

/// One answer for every link that does not work — unknown, expired, revoked, or links
/// turned off — so a guess learns nothing.
fn gone() -> Error {
    Error::new(
        Kind::NotFound,
        "public_link_not_found",
        "this link does not work: it may have expired or been revoked",
    )
}

/// A working link's principal, shelf and content.
struct Opened {
    link: proost_store::PublicLinkRecord,
    actor: Actor,
    shelf: Shelf,
}

async fn opened(app: &App, token: &str) -> Result<Opened> {
    let s = stored(app).await?;
    let token = token.trim();
    if !s.enabled || token.is_empty() || token.len() > 200 {
        return Err(gone());
    }
    let link = app
        .store
        .public_link_by_token(&secrets::token_hash(token))
        .await?
        .filter(|l| status_of(l, Utc::now()) == "live")
        .ok_or_else(gone)?;
    let user = match s.user_id.as_deref() {
        Some(id) => app.store.user(id).await?.ok_or_else(gone)?,
        None => return Err(gone()),
    };
    // Someone made the principal a person (a password, a role): no public run until an
    // admin turns links on again, which restricts it anew.
    if !restricted(&user) {
        tracing::warn!("public links refused: their principal is no longer restricted");
        return Err(gone());
    }
    let access = app.access.of(&app.store, &user).await?;
    let actor = Actor {
        user,
        access,
        session: None,
    };
    let shelf = Shelf::for_link(app, &actor, &link.content_id).await?;
    Ok(Opened { link, actor, shelf })
}

/// `POST /api/v1/public/open` and `/run`: the link's token (from the page's URL fragment).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicRequest {
    pub token: String,
    /// A question's parameter values.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub params: Map<String, Value>,
    /// A dashboard's filter values.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub filters: Map<String, Value>,
    /// A question's page of rows, as in `POST /api/v1/questions/{id}/run`.
    #[serde(default)]
    pub table: Option<super::tables::TablePage>,
}

/// What a public page shows around the data: never a question's query.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicView {
    /// `question` or `dashboard`.
    pub kind: String,
    pub name: String,
    pub description: String,
    /// A question's parameters (`[{"name","type","default"}]`).
    #[schema(value_type = Vec<Object>)]
    pub params: Vec<Value>,
    /// A dashboard's layout (cards, filters, tabs).
    #[schema(value_type = Option<Object>)]
    pub dashboard: Option<Value>,
    pub expires_at: String,
}

pub async fn view(app: &App, token: &str) -> Result<PublicView> {
    let o = opened(app, token).await?;
    let c = o.shelf.contents.get(&o.link.content_id).ok_or_else(gone)?;
    let mut out = PublicView {
        kind: c.kind.clone(),
        name: c.name.clone(),
        description: c.description.clone(),
        params: Vec::new(),
        dashboard: None,
        expires_at: o.link.expires_at.clone(),
    };
    if c.kind == "question" {
        let doc: QuestionDoc = serde_json::from_str(&c.body).map_err(Error::internal)?;
        out.params = match (&doc.query.sql, &doc.query.builder) {
            (Some(_), _) => doc
                .query
                .params
                .iter()
                .filter_map(|p| serde_json::to_value(p).ok())
                .collect(),
            (_, Some(spec)) => spec
                .params
                .iter()
                .filter_map(|p| serde_json::to_value(p).ok())
                .collect(),
            _ => Vec::new(),
        };
    } else {
        let mut doc: DashboardDoc = serde_json::from_str(&c.body).map_err(Error::internal)?;
        // Click targets lead into the app, which a public page cannot open.
        for card in &mut doc.cards {
            card.click = None;
        }
        doc.collection = None;
        out.dashboard = Some(serde_json::to_value(&doc).map_err(Error::internal)?);
    }
    Ok(out)
}

/// Runs the linked question (its answer and chart, as `POST /api/v1/questions/{id}/run`)
/// or dashboard (as `POST /api/v1/dashboards/{id}/run`) as the public-links principal.
pub async fn run(app: &Arc<App>, req: &PublicRequest) -> Result<Value> {
    let o = opened(app, &req.token).await?;
    let id = o.link.content_id.clone();
    let kind = o
        .shelf
        .contents
        .get(&id)
        .map(|c| c.kind.clone())
        .ok_or_else(gone)?;
    let out = if kind == "question" {
        let c = o.shelf.open("question", &id, Level::View)?;
        let doc: QuestionDoc = serde_json::from_str(&c.body).map_err(Error::internal)?;
        let ran = super::questions::run_doc(
            app,
            &o.actor,
            &o.shelf,
            &doc,
            &req.params,
            None,
            QueryOptions::default(),
        )
        .await?;
        let mut v = crate::query::json::answer_json(&ran.answer)?;
        v["chart"] = ran.chart;
        if let Some(t) = &req.table {
            super::tables::page(&mut v, t)?;
        }
        v
    } else {
        let answers: CardAnswers = super::dashboards::run_on(
            app,
            &o.actor,
            &o.shelf,
            &id,
            &DashboardRun {
                filters: req.filters.clone(),
                cards: None,
            },
        )
        .await?;
        serde_json::to_value(answers).map_err(Error::internal)?
    };
    app.store.touch_public_link(&o.link.id).await?;
    app.audit(
        Some(&o.actor.user.id),
        "public_link.run",
        Some(&o.link.id),
        &json!({"object": kind, "id": id}),
    )
    .await?;
    Ok(out)
}

/// Question ids a document shows: `"question": id` anywhere in it, except in click
/// targets (a link does not open what a click would lead to).
pub(super) fn shown_questions(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("click", _) => {}
                    ("question", Value::String(id)) => out.push(id.clone()),
                    _ => shown_questions(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| shown_questions(v, out)),
        _ => {}
    }
}
