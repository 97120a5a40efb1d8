//! Legal holds: while a person or a connection is held, the retention sweep keeps their
//! records (a person's usage events, sessions, query history; a connection's scan
//! results), and a held person is not erased (the erasure asks the store for the hold).

use proost_store::LegalHoldRecord;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::{Actor, App, Error, Kind, Result};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHold {
    /// `user` or `connection`.
    pub kind: String,
    /// The user's id (or email address), or the connection's id (or name).
    pub target_id: String,
    /// Why (a case, a claim): shown to admins, never in the audit log.
    pub reason: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Hold {
    #[serde(flatten)]
    pub hold: LegalHoldRecord,
    pub active: bool,
    /// The held person's email or the connection's name (`null`: no longer exists).
    pub target_name: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HoldList {
    pub holds: Vec<Hold>,
}

async fn view(app: &App, hold: LegalHoldRecord) -> Result<Hold> {
    let target_name = match hold.kind.as_str() {
        "user" => app.store.user(&hold.target_id).await?.map(|u| u.email),
        _ => app.store.connection(&hold.target_id).await?.map(|c| c.name),
    };
    Ok(Hold {
        active: hold.released_at.is_none(),
        target_name,
        hold,
    })
}

/// Every hold, active first (admin).
pub async fn list(app: &App, actor: &Actor) -> Result<HoldList> {
    actor.require_admin()?;
    let mut holds = Vec::new();
    for h in app.store.holds().await? {
        holds.push(view(app, h).await?);
    }
    Ok(HoldList { holds })
}

/// The id of the person or connection a hold names.
async fn target(app: &App, kind: &str, target: &str) -> Result<String> {
    let target = target.trim();
    let found = match kind {
        "user" if target.contains('@') => {
            app.store.user_for_login(target).await?.map(|(u, _)| u.id)
        }
        "user" => app.store.user(target).await?.map(|u| u.id),
        "connection" => match app.store.connection(target).await? {
            Some(c) => Some(c.id),
            None => app
                .store
                .connections()
                .await?
                .into_iter()
                .find(|c| c.name == target)
                .map(|c| c.id),
        },
        _ => {
            return Err(Error::bad_request(
                "hold_kind_invalid",
                "`kind` must be `user` or `connection`",
            ));
        }
    };
    found.ok_or_else(|| {
        Error::new(
            Kind::NotFound,
            "hold_target_not_found",
            format!(
                "there is no {kind} `{}`",
                target.chars().take(80).collect::<String>()
            ),
        )
    })
}

/// Places a hold (admin; audited `legal_hold.place` with the kind and the target's id).
pub async fn place(app: &App, actor: &Actor, new: NewHold) -> Result<Hold> {
    actor.require_admin()?;
    let reason = new.reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(Error::bad_request(
            "hold_reason_invalid",
            "a legal hold needs a reason of 1 to 1000 characters",
        ));
    }
    let target_id = target(app, new.kind.trim(), &new.target_id).await?;
    let hold = app
        .store
        .create_hold(new.kind.trim(), &target_id, reason, Some(&actor.user.id))
        .await?;
    app.audit(
        Some(&actor.user.id),
        "legal_hold.place",
        Some(&hold.id),
        &json!({"kind": hold.kind, "target_id": hold.target_id}),
    )
    .await?;
    view(app, hold).await
}

/// Releases an active hold (admin; audited `legal_hold.release`).
pub async fn release(app: &App, actor: &Actor, id: &str) -> Result<Hold> {
    actor.require_admin()?;
    let Some(hold) = app.store.release_hold(id, Some(&actor.user.id)).await? else {
        return Err(match app.store.hold(id).await? {
            Some(_) => Error::new(
                Kind::Conflict,
                "hold_released",
                "this legal hold was released already",
            ),
            None => Error::not_found("legal hold"),
        });
    };
    app.audit(
        Some(&actor.user.id),
        "legal_hold.release",
        Some(&hold.id),
        &json!({"kind": hold.kind, "target_id": hold.target_id}),
    )
    .await?;
    view(app, hold).await
}
