//! Sharing content with people and groups (`view` or `edit`). Only the owner or an admin
//! shares; a share never carries data access, only the right to open the content.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::{Created, Level, Shelf};
use crate::{Actor, App, Error, Result};

/// `POST /api/v1/shares`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewShare {
    /// `{"question"|"dashboard"|"collection": id}`.
    #[schema(value_type = Object)]
    pub object: Map<String, Value>,
    /// `{"user"|"group": id}`; or, as people type them, `{"email": …}` or `{"group_name": …}`.
    #[schema(value_type = Object)]
    pub principal: Map<String, Value>,
    /// `view` or `edit`.
    pub level: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Share {
    pub id: String,
    pub object: String,
    pub principal_kind: String,
    pub principal: String,
    pub level: String,
    pub created_at: String,
}

fn one<'a>(m: &'a Map<String, Value>, kinds: &[&str], what: &str) -> Result<(&'a str, &'a str)> {
    match m.iter().next() {
        Some((k, Value::String(id))) if m.len() == 1 && kinds.contains(&k.as_str()) => Ok((k, id)),
        _ => Err(Error::bad_request(
            "share_invalid",
            format!(
                "`{what}` is one of {}: an id",
                kinds
                    .iter()
                    .map(|k| format!("{{\"{k}\": id}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

pub async fn create(app: &App, actor: &Actor, s: &NewShare) -> Result<Created> {
    let (kind, id) = one(
        &s.object,
        &["question", "dashboard", "collection"],
        "object",
    )?;
    let (named, name) = one(
        &s.principal,
        &["user", "group", "email", "group_name"],
        "principal",
    )?;
    let (pkind, pid): (&str, String) = match named {
        "email" => {
            let users = app.store.users().await?;
            let u = users
                .iter()
                .find(|u| u.active && u.email.eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    Error::bad_request("share_invalid", format!("no person with the email {name}"))
                })?;
            ("user", u.id.clone())
        }
        "group_name" => {
            let g = app.store.group_by_name(name).await?.ok_or_else(|| {
                Error::bad_request("share_invalid", format!("no group called {name}"))
            })?;
            ("group", g.id)
        }
        other => (other, name.to_string()),
    };
    let pid = pid.as_str();
    if !matches!(s.level.as_str(), "view" | "edit") {
        return Err(Error::bad_request(
            "share_invalid",
            "`level` is view or edit",
        ));
    }
    let shelf = Shelf::load(app, actor).await?;
    shelf.open(kind, id, Level::Own)?;
    let known = match pkind {
        "user" => app.store.user(pid).await?.is_some(),
        _ => app.store.group(pid).await?.is_some(),
    };
    if !known {
        return Err(Error::bad_request(
            "share_invalid",
            format!("no {pkind} `{pid}`"),
        ));
    }
    let share = app
        .store
        .put_share(id, pkind, pid, &s.level, &actor.user.id)
        .await?;
    app.audit(
        Some(&actor.user.id),
        "share.create",
        Some(id),
        &json!({"object": kind, "principal": format!("{pkind}:{pid}"), "level": s.level}),
    )
    .await?;
    Ok(Created { id: share.id })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShareList {
    pub shares: Vec<Share>,
}

/// Shares of one piece of content (for those who may edit it).
pub async fn list(app: &App, actor: &Actor, content: &str) -> Result<ShareList> {
    let shelf = Shelf::load(app, actor).await?;
    let kind = shelf
        .contents
        .get(content)
        .map(|c| c.kind.clone())
        .unwrap_or_default();
    shelf.open(&kind, content, Level::Edit)?;
    let shares = app
        .store
        .shares_of(content)
        .await?
        .into_iter()
        .map(|s| Share {
            id: s.id,
            object: s.content_id,
            principal_kind: s.principal_kind,
            principal: s.principal_id,
            level: s.level,
            created_at: s.created_at,
        })
        .collect();
    Ok(ShareList { shares })
}

pub async fn delete(app: &App, actor: &Actor, id: &str) -> Result<()> {
    let share = app
        .store
        .share(id)
        .await?
        .ok_or_else(|| Error::not_found("share"))?;
    let shelf = Shelf::load(app, actor).await?;
    let kind = shelf
        .contents
        .get(&share.content_id)
        .map(|c| c.kind.clone())
        .unwrap_or_default();
    shelf
        .open(&kind, &share.content_id, Level::Own)
        .map_err(|_| Error::not_found("share"))?;
    app.store.delete_share(id).await?;
    app.audit(
        Some(&actor.user.id),
        "share.delete",
        Some(&share.content_id),
        &json!({"principal": format!("{}:{}", share.principal_kind, share.principal_id)}),
    )
    .await?;
    Ok(())
}
