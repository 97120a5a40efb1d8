//! Signing in and staying signed in: password logins (throttled per account and per
//! address, with the same work for unknown accounts), sessions opened for every kind of
//! login, looked up per request with a one-second memo, idle expiry, logout.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use proost_store::{Session, User, secrets};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::access::CAPABILITIES;
use crate::{Actor, App, Error, Kind, Result, SessionRef};

/// `POST /api/v1/session`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    #[serde(default)]
    pub email: String,
    /// A directory login (`uid`, `sAMAccountName`…); `email` works as well.
    pub login: Option<String>,
    pub password: String,
    /// `"ldap"` checks the password against the directory; absent or `"password"`: Proost's own.
    pub provider: Option<String>,
}

/// A browser session just opened at login. The front hands `token` to the client (as a
/// cookie and in the answer).
pub struct NewSession {
    pub user: User,
    pub token: String,
    pub csrf: String,
    pub expires: chrono::DateTime<chrono::Utc>,
    /// Seconds the session lives, for the cookie's `Max-Age`.
    pub max_age: u64,
}

/// The answer to a login.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginAnswer {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: String,
    pub user: LoggedIn,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoggedIn {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
}

impl NewSession {
    pub fn answer(&self) -> LoginAnswer {
        LoginAnswer {
            token: self.token.clone(),
            csrf_token: self.csrf.clone(),
            expires_at: self.expires.to_rfc3339(),
            user: LoggedIn {
                id: self.user.id.clone(),
                email: self.user.email.clone(),
                name: self.user.name.clone(),
                role: self.user.role_name().to_string(),
            },
        }
    }
}

/// Who the caller is, as `GET /api/v1/session` tells them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub admin: bool,
    pub capabilities: Vec<&'static str>,
    pub csrf_token: Option<String>,
    pub session_id: Option<String>,
    pub scope: Option<String>,
}

pub fn me(actor: &Actor) -> Me {
    let s = actor.session.as_ref();
    Me {
        id: actor.user.id.clone(),
        email: actor.user.email.clone(),
        name: actor.user.name.clone(),
        role: actor.user.role_name().to_string(),
        admin: actor.is_admin(),
        capabilities: CAPABILITIES
            .iter()
            .copied()
            .filter(|c| actor.access.can(c))
            .collect(),
        csrf_token: s.map(|s| s.csrf_token.clone()),
        session_id: s.map(|s| s.id.clone()),
        scope: s.map(|s| s.scope.clone()),
    }
}

/// A password login. `ip` is the client's address; `carried` is a session token the
/// client already held, which ends here (session fixation: a session is always new at
/// login).
pub async fn login(
    app: &App,
    body: &LoginRequest,
    ip: &str,
    carried: Option<&str>,
) -> Result<NewSession> {
    let who = match (&body.login, body.email.is_empty()) {
        (Some(login), true) => login.clone(),
        _ => body.email.clone(),
    };
    if let Err(retry) = app.login_limiter.check(&who, ip) {
        let mut e = Error::new(
            Kind::RateLimited,
            "too_many_login_attempts",
            format!(
                "too many failed logins; try again in {} minutes",
                retry.as_secs().div_ceil(60).max(1)
            ),
        );
        e.retry_after = Some(retry.max(Duration::from_secs(1)));
        return Err(e);
    }
    match body.provider.as_deref() {
        None | Some("password") => {}
        Some("ldap") => {
            let user = super::sso::ldap_sign_in(app, ip, &who, &body.password).await?;
            return open(app, user, ip, carried).await;
        }
        Some(_) => {
            return Err(Error::bad_request(
                "provider_unknown",
                "`provider` is \"password\" (the default) or \"ldap\"",
            ));
        }
    }
    let found = app.store.user_for_login(who.trim()).await?;
    if let Some((user, _)) = &found
        && user.sso_enforced
    {
        // CVE-2022-39360 (Metabase): a password must not work for an SSO-only account.
        app.audit(
            None,
            "login.failed",
            Some(&user.id),
            &json!({"ip": ip, "reason": "sso_required"}),
        )
        .await?;
        return Err(Error::new(
            Kind::Forbidden,
            "sso_required",
            "this account signs in through single sign-on, not with a password",
        ));
    }
    let user = match found {
        Some((user, Some(hash)))
            if user.active && secrets::verify_password(&body.password, &hash) =>
        {
            user
        }
        other => {
            // The attempted email is not recorded unless it names an account: a mistyped
            // password pasted into the email field must not end up in the log.
            let target = other.as_ref().map(|(u, _)| u.id.clone());
            app.audit(None, "login.failed", target.as_deref(), &json!({"ip": ip}))
                .await?;
            if other.is_none() {
                // Same work as a real check, so timing does not tell which emails exist.
                secrets::verify_password(&body.password, secrets::decoy_hash());
            }
            app.login_limiter.failed(&who, ip);
            crate::metrics::login_failed("password");
            tracing::info!(%ip, "failed login");
            return Err(Error::new(
                Kind::Unauthenticated,
                "invalid_credentials",
                "wrong email or password",
            ));
        }
    };
    app.login_limiter.succeeded(&who);
    app.audit(Some(&user.id), "login", Some(&user.id), &json!({"ip": ip}))
        .await?;
    open(app, user, ip, carried).await
}

/// Opens a browser session for a user who proved who they are (password, LDAP, OIDC).
pub async fn open(app: &App, user: User, ip: &str, carried: Option<&str>) -> Result<NewSession> {
    let token = secrets::new_token();
    let csrf = secrets::new_token();
    let ttl = app.config.session_ttl;
    let expires = chrono::Utc::now()
        + chrono::Duration::from_std(ttl).unwrap_or_else(|_| chrono::Duration::hours(12));
    // Session fixation: a session the browser already carried (perhaps planted) ends here.
    if let Some(old) = carried.filter(|t| t.len() <= 200) {
        let old = secrets::token_hash(old);
        app.store.delete_session(&old).await?;
        app.sessions.forget(&old);
    }
    app.store
        .create_session(
            &user.id,
            &secrets::token_hash(&token),
            &csrf,
            expires,
            "browser",
            None,
            "full",
            Some(ip),
        )
        .await?;
    Ok(NewSession {
        user,
        token,
        csrf,
        expires,
        max_age: ttl.as_secs(),
    })
}

/// The session behind a bearer token, if it is one; `None` for anything else.
pub async fn find(app: &App, token: &str) -> Option<(Session, String)> {
    if token.is_empty() || token.len() > 200 {
        return None;
    }
    let hash = secrets::token_hash(token);
    if let Some(session) = app.sessions.get(&hash) {
        return Some((session, hash));
    }
    let session = app.store.session(&hash).await.ok()??;
    app.sessions.put(&hash, &session);
    Some((session, hash))
}

/// The actor behind a session, once it is known to be alive: a browser session idle
/// longer than `--session-idle-minutes` ends here. Activity is written at most once a
/// minute per session.
pub async fn actor(app: &App, session: Session, token_hash: String) -> Result<Actor> {
    let now = chrono::Utc::now();
    if session.kind == "browser" {
        let idle = now.signed_duration_since(session.last_seen_at);
        if idle.to_std().unwrap_or_default() > app.config.session_idle {
            let _ = app.store.delete_session(&token_hash).await;
            app.sessions.forget(&token_hash);
            return Err(Error::unauthorized().with_code("session_expired"));
        }
    }
    if now.signed_duration_since(session.last_seen_at) > chrono::Duration::seconds(60) {
        let _ = app.store.touch_session(&token_hash, now).await;
        app.sessions.forget(&token_hash);
    }
    let access = app.access.of(&app.store, &session.user).await?;
    Ok(Actor {
        user: session.user,
        access,
        session: Some(SessionRef {
            id: session.id,
            token_hash,
            scope: session.scope,
            csrf_token: session.csrf_token,
        }),
    })
}

/// Ends the actor's own session.
pub async fn logout(app: &App, actor: &Actor) -> Result<()> {
    if let Some(s) = &actor.session {
        app.store.delete_session(&s.token_hash).await?;
        app.sessions.forget(&s.token_hash);
    }
    Ok(())
}

/// Ends a user's sessions and tokens (all but `keep`, a token hash) at once, in the app
/// database and in the session memo.
pub(crate) async fn end_all(app: &App, user_id: &str, keep: Option<&str>) -> Result<usize> {
    let hashes = app.store.revoke_sessions_of(user_id, keep).await?;
    for h in &hashes {
        app.sessions.forget(h);
    }
    Ok(hashes.len())
}

/// Sessions looked up in the last second, so a burst of requests (a dashboard, an API
/// client) does not read the app database for each one. Logout removes its entry at once;
/// anything else that ends a session server-side is seen within `SESSION_MEMO`.
#[derive(Default)]
pub struct SessionMemo(std::sync::Mutex<HashMap<String, (Instant, Session)>>);

const SESSION_MEMO: Duration = Duration::from_secs(1);

impl SessionMemo {
    fn get(&self, hash: &str) -> Option<Session> {
        let map = self.0.lock().ok()?;
        let (at, s) = map.get(hash)?;
        (at.elapsed() < SESSION_MEMO && s.expires_at > chrono::Utc::now()).then(|| s.clone())
    }

    fn put(&self, hash: &str, session: &Session) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= 10_000 {
                map.retain(|_, (at, _)| at.elapsed() < SESSION_MEMO);
            }
            map.insert(hash.to_string(), (Instant::now(), session.clone()));
        }
    }

    pub fn forget(&self, hash: &str) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(hash);
        }
    }
}

/// Counts failed logins per account and per client address, so password guessing is slow
/// however it is spread. (With other limits it also counts privacy requests filed by
/// email, each of which mails a code: `App::privacy_filings`.)
pub struct LoginLimiter {
    failures: std::sync::Mutex<HashMap<String, Vec<Instant>>>,
    window: Duration,
    per_account: usize,
    per_address: usize,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter::new(Duration::from_secs(15 * 60), 5, 30)
    }
}

impl LoginLimiter {
    /// At most `per_account` per address or account and `per_address` per client address
    /// within `window`.
    pub fn new(window: Duration, per_account: usize, per_address: usize) -> Self {
        LoginLimiter {
            failures: std::sync::Mutex::new(HashMap::new()),
            window,
            per_account,
            per_address,
        }
    }

    fn keys(email: &str, ip: &str) -> [(String, bool); 2] {
        [
            (format!("account:{}", email.to_lowercase()), true),
            (format!("address:{ip}"), false),
        ]
    }

    /// `Err(retry_after)` when either the account or the address is locked out.
    pub fn check(&self, email: &str, ip: &str) -> std::result::Result<(), Duration> {
        let Ok(mut map) = self.failures.lock() else {
            return Ok(());
        };
        let now = Instant::now();
        for (key, account) in Self::keys(email, ip) {
            if let Some(times) = map.get_mut(&key) {
                times.retain(|t| now.duration_since(*t) < self.window);
                let max = if account {
                    self.per_account
                } else {
                    self.per_address
                };
                if times.len() >= max {
                    let oldest = times.first().copied().unwrap_or(now);
                    return Err(self.window.saturating_sub(now.duration_since(oldest)));
                }
            }
        }
        Ok(())
    }

    pub fn failed(&self, email: &str, ip: &str) {
        if let Ok(mut map) = self.failures.lock() {
            for (key, _) in Self::keys(email, ip) {
                map.entry(key).or_default().push(Instant::now());
            }
        }
    }

    pub fn succeeded(&self, email: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&format!("account:{}", email.to_lowercase()));
        }
    }
}
