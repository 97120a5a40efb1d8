//! Password recovery: a one-time link, made by `proost users reset-password EMAIL` on the
//! server's machine, or mailed on request ("forgot password") when SMTP is configured. The
//! link is an invite with a short life; using it ends the account's sessions and its login
//! lockout. A request never tells whether the address belongs to an account.

use proost_store::{Store, secrets};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::invites::{AcceptInvite, Accepted, accept_invite};
use crate::{App, Error, Kind, Result};

/// How long a reset link works.
pub const RESET_MINUTES: i64 = 60;

/// `POST /api/v1/password/forgot`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Forgot {
    pub email: String,
}

/// A new one-time link for the account `email` (its path, `/reset#…`). Works on the store
/// alone, beside a running server, so a locked-out admin can get back in.
pub async fn reset_link(store: &Store, email: &str, via: &str) -> Result<String> {
    let (user, _) = store
        .user_for_login(email.trim())
        .await?
        .ok_or_else(|| Error::not_found(&format!("a user with the email `{}`", email.trim())))?;
    if user.sso_enforced {
        return Err(Error::bad_request(
            "sso_enforced",
            "this user signs in through SSO; there is no password to reset",
        ));
    }
    if !user.active {
        return Err(Error::new(
            Kind::Forbidden,
            "account_deactivated",
            "this account is deactivated; reactivate it first",
        ));
    }
    let token = secrets::new_token();
    let expires = chrono::Utc::now() + chrono::Duration::minutes(RESET_MINUTES);
    store
        .create_invite(&user.id, &secrets::token_hash(&token), expires)
        .await?;
    store
        .audit(
            None,
            "user.password_reset_link",
            Some(&user.id),
            &json!({"via": via}),
        )
        .await?;
    Ok(format!("/reset#{token}"))
}

/// "Forgot password": mails a link when the address is an active password account and
/// SMTP is configured. The answer is the same whatever the address; requests are throttled
/// per address and per client like logins.
pub async fn forgot(app: &App, body: &Forgot, client: &str) -> Result<()> {
    let email = body.email.trim();
    if email.is_empty() || email.len() > 320 {
        return Err(Error::bad_request(
            "email_invalid",
            "give the email address of your account",
        ));
    }
    let key = format!("reset:{email}");
    if let Err(after) = app.login_limiter.check(&key, client) {
        let mut e = Error::new(
            Kind::RateLimited,
            "too_many_requests",
            "too many reset requests; try again later",
        );
        e.retry_after = Some(after.max(std::time::Duration::from_secs(1)));
        return Err(e);
    }
    app.login_limiter.failed(&key, client);
    if app.mailer.is_none() {
        return Err(Error::new(
            Kind::NotFound,
            "smtp_not_configured",
            "this instance sends no email; ask an admin to run `proost users reset-password` for you",
        ));
    }
    let Ok(link) = reset_link(&app.store, email, "email").await else {
        // Unknown, deactivated or SSO-only: nothing is sent, and nothing is said.
        return Ok(());
    };
    let url = format!("{}{link}", app.config.public_base());
    let text = format!(
        "Hello,\n\nSomeone (hopefully you) asked to reset the password of your Proost account. \
         Choose a new one here (the link works once, for {RESET_MINUTES} minutes):\n\n{url}\n\n\
         If you did not ask for this, ignore this message: your password stays as it is.\n"
    );
    let Ok(Some((user, _))) = app.store.user_for_login(email).await else {
        return Ok(());
    };
    // Asked for by the person: sent whatever their preferences, with the one-click
    // unsubscribe (from product notices) every email to a user carries.
    let mail = super::preferences::Mail {
        subject: "Reset your Proost password".into(),
        text,
        html: None,
    };
    let category = super::preferences::Category::ProductNotices;
    if let Err(e) = super::preferences::mail_user(app, &user, category, true, mail).await {
        tracing::warn!("password reset email failed: {}", e.message);
    }
    Ok(())
}

/// Sets a new password from a reset (or invite) link, ends every session of the account and
/// lifts its login lockout.
pub async fn reset(app: &App, body: AcceptInvite) -> Result<Accepted> {
    let accepted = accept_invite(app, body).await?;
    for hash in app.store.revoke_sessions_of(&accepted.id, None).await? {
        app.sessions.forget(&hash);
    }
    app.login_limiter.succeeded(&accepted.email);
    Ok(accepted)
}
