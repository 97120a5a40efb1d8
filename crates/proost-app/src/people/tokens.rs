//! A user's sessions and API tokens: listed, ended (their own; an admin anyone's), made.

use proost_store::{SessionInfo, secrets};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::accounts::validate_name;
use crate::{Actor, App, Error, Result};

/// A session or token as its owner sees it (never the token), the current one marked.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    #[serde(flatten)]
    #[schema(inline)]
    pub session: SessionInfo,
    pub current: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    pub sessions: Vec<SessionView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Revoked {
    pub revoked: usize,
}

/// `POST /api/v1/tokens`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    pub name: String,
    /// `read` (GET only), `query` (also POST /query) or `admin`.
    pub scope: String,
    /// 1 to 365 (default 90).
    pub expires_in_days: Option<i64>,
}

/// A token just made: the only time it is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    pub id: String,
    pub name: String,
    pub scope: String,
    pub token: String,
    pub expires_at: String,
}

/// The actor's own sessions and API tokens.
pub async fn list(app: &App, actor: &Actor) -> Result<SessionList> {
    let current = actor.session.as_ref().map(|s| s.id.as_str());
    let sessions = app.store.sessions_of(Some(&actor.user.id)).await?;
    Ok(SessionList {
        sessions: sessions
            .into_iter()
            .map(|s| SessionView {
                current: Some(s.id.as_str()) == current,
                session: s,
            })
            .collect(),
    })
}

/// Ends one of the actor's sessions or tokens; an admin may end anyone's.
pub async fn revoke(app: &App, actor: &Actor, id: &str) -> Result<()> {
    let owner = if actor.is_admin() {
        None
    } else {
        Some(actor.user.id.as_str())
    };
    let Some(hash) = app.store.revoke_session(id, owner).await? else {
        return Err(Error::not_found("session"));
    };
    app.sessions.forget(&hash);
    app.audit(Some(&actor.user.id), "session.revoke", Some(id), &json!({}))
        .await?;
    Ok(())
}

/// Ends every session and token of a user (admin), e.g. after a lost laptop.
pub async fn revoke_all(app: &App, actor: &Actor, user: &str) -> Result<Revoked> {
    actor.require_admin()?;
    if app.store.user(user).await?.is_none() {
        return Err(Error::not_found("user"));
    }
    let revoked = super::sessions::end_all(app, user, None).await?;
    app.audit(
        Some(&actor.user.id),
        "session.revoke_all",
        Some(user),
        &json!({"sessions": revoked}),
    )
    .await?;
    Ok(Revoked { revoked })
}

/// Makes an API token for the actor. The token is in this answer only; Proost keeps its
/// hash.
pub async fn create(app: &App, actor: &Actor, body: NewToken) -> Result<CreatedToken> {
    if !matches!(body.scope.as_str(), "read" | "query" | "admin") {
        return Err(Error::bad_request(
            "token_scope_invalid",
            "a token's scope is read, query or admin",
        ));
    }
    // A token never holds more than the session that makes it.
    let scope = actor.session.as_ref().map(|s| s.scope.as_str());
    if scope != Some("full") && scope != Some("admin") {
        return Err(Error::forbidden("an API token cannot make tokens")
            .with_code("token_scope_insufficient"));
    }
    validate_name(&body.name).map_err(|e| e.with_code("token_name_invalid"))?;
    let days = body.expires_in_days.unwrap_or(90);
    if !(1..=365).contains(&days) {
        return Err(Error::bad_request(
            "token_expiry_invalid",
            "a token lives 1 to 365 days",
        ));
    }
    let token = format!("pst_{}", secrets::new_token());
    let expires = chrono::Utc::now() + chrono::Duration::days(days);
    let name = body.name.trim().to_string();
    let id = app
        .store
        .create_session(
            &actor.user.id,
            &secrets::token_hash(&token),
            // Bearer tokens are not cookies: CSRF does not apply, but the column is required.
            &secrets::new_token(),
            expires,
            "api",
            Some(&name),
            &body.scope,
            None,
        )
        .await?;
    app.audit(
        Some(&actor.user.id),
        "token.create",
        Some(&id),
        &json!({"name": name, "scope": body.scope, "expires_at": expires.to_rfc3339()}),
    )
    .await?;
    Ok(CreatedToken {
        id,
        name,
        scope: body.scope,
        token,
        expires_at: expires.to_rfc3339(),
    })
}
