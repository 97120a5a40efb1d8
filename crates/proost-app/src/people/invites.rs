//! Invites: a one-time link (emailed when SMTP is set) with which a new user chooses their
//! password. Only the link's hash is kept.

use proost_store::{User, secrets};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::accounts::validate_password;
use crate::{Actor, App, Error, Kind, Result};

const INVITE_DAYS: i64 = 7;

/// A one-time link that lets a user choose their password, and whether it was emailed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Invite {
    pub invite_url: String,
    pub invite_emailed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invite_email_error: Option<super::super::connections::ErrorBody>,
}

/// `POST /api/v1/invites/accept`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AcceptInvite {
    pub token: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    pub id: String,
    pub email: String,
}

/// Makes a one-time invite link for a user and emails it when SMTP is configured; only the
/// link's hash is kept. A failed send loses nothing: the admin still gets the link.
pub(super) async fn invite(app: &App, user: &User) -> Result<Invite> {
    let token = secrets::new_token();
    let expires = chrono::Utc::now() + chrono::Duration::days(INVITE_DAYS);
    app.store
        .create_invite(&user.id, &secrets::token_hash(&token), expires)
        .await?;
    // In the fragment: browsers do not send it to servers, proxies or in Referer headers.
    let link = format!("/invite#{token}");
    let mut out = Invite {
        invite_url: link.clone(),
        invite_emailed: false,
        invite_email_error: None,
    };
    if app.mailer.is_none() {
        return Ok(out);
    }
    let url = format!("{}{link}", app.config.public_base());
    let body = format!(
        "Hello {},\n\nAn administrator invited you to Proost. Choose your password here \
         (the link works once and expires in {INVITE_DAYS} days):\n\n{url}\n\n\
         If you did not expect this, ignore this message.\n",
        user.name
    );
    // Asked for by an admin: sent whatever the person's product-notice preference, with
    // the one-click unsubscribe from product notices like every email to a user.
    let mail = super::preferences::Mail {
        subject: "Your Proost invitation".into(),
        text: body,
        html: None,
    };
    let category = super::preferences::Category::ProductNotices;
    match super::preferences::mail_user(app, user, category, true, mail).await {
        Ok(sent) => out.invite_emailed = sent == super::preferences::Mailed::Sent,
        Err(e) => {
            tracing::warn!(user = %user.id, "invite email failed: {}", e.message);
            out.invite_email_error = Some(super::super::connections::ErrorBody {
                code: e.code,
                message: e.message,
            });
        }
    }
    Ok(out)
}

/// A new invite link for a user without a password (admin).
pub async fn reinvite(app: &App, actor: &Actor, id: &str) -> Result<Invite> {
    actor.require_admin()?;
    let user = app
        .store
        .user(id)
        .await?
        .ok_or_else(|| Error::not_found("user"))?;
    if user.sso_enforced {
        return Err(Error::bad_request(
            "sso_enforced",
            "this user signs in through SSO; there is no password to set",
        ));
    }
    let out = invite(app, &user).await?;
    app.audit(
        Some(&actor.user.id),
        "user.invite",
        Some(id),
        &json!({"emailed": out.invite_emailed}),
    )
    .await?;
    Ok(out)
}

/// Sets a password from an invite link; the link works once.
pub async fn accept_invite(app: &App, body: AcceptInvite) -> Result<Accepted> {
    validate_password(&body.password)?;
    let hash = secrets::hash_password(&body.password).map_err(Error::internal)?;
    let user = app
        .store
        .accept_invite(&secrets::token_hash(body.token.trim()), &hash)
        .await?
        .ok_or_else(|| {
            Error::new(
                Kind::Forbidden,
                "invite_invalid",
                "this invite link is not valid: it was used, it expired, or it was replaced",
            )
        })?;
    app.audit(Some(&user.id), "invite.accept", Some(&user.id), &json!({}))
        .await?;
    Ok(Accepted {
        id: user.id,
        email: user.email,
    })
}
