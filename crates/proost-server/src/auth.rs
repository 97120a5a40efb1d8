//! Who is calling: the [`Caller`] extractor every protected handler takes, sessions,
//! CSRF protection for cookie-authenticated requests, and login throttling.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use proost_store::{Session, User, secrets};

use crate::AppState;
use crate::error::ApiError;

pub const SESSION_COOKIE: &str = "proost_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub csrf_token: String,
    /// The bearer token's digest, to end this session on logout.
    pub token_hash: String,
    /// The session's public id.
    pub session_id: String,
    /// `full` for a login; an API token's scope otherwise.
    pub scope: String,
    pub access: Arc<crate::access::Access>,
}

impl Caller {
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.access.admin {
            Ok(())
        } else {
            Err(ApiError::forbidden("only an admin can do this"))
        }
    }

    pub fn is_admin(&self) -> bool {
        self.access.admin
    }
}

/// What an API token of each scope may call: `read` only reads, `query` also runs
/// queries, `admin` (and a browser login) anything the user's role allows.
fn scope_allows(scope: &str, method: &Method, path: &str) -> bool {
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    match scope {
        "full" | "admin" => true,
        "query" => safe || (*method == Method::POST && path.ends_with("/query")),
        _ => safe,
    }
}

pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
}

fn bearer_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(|t| t.trim().to_string())
}

/// Looks up the session behind the request, if any, and whether it came from the cookie.
pub async fn session_of(state: &AppState, headers: &HeaderMap) -> Option<(Session, String, bool)> {
    let (token, from_cookie) = match bearer_token(headers) {
        Some(t) => (t, false),
        None => (cookie_token(headers)?, true),
    };
    if token.is_empty() || token.len() > 200 {
        return None;
    }
    let hash = secrets::token_hash(&token);
    if let Some(session) = state.sessions.get(&hash) {
        return Some((session, hash, from_cookie));
    }
    let session = state.store.session(&hash).await.ok()??;
    state.sessions.put(&hash, &session);
    Some((session, hash, from_cookie))
}

/// Sessions looked up in the last second, so a burst of requests (a dashboard, an API
/// client) does not read the app database for each one. Logout removes its entry at once;
/// anything else that ends a session server-side is seen within `SESSION_MEMO`.
#[derive(Default)]
pub struct SessionMemo(
    std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, Session)>>,
);

const SESSION_MEMO: std::time::Duration = std::time::Duration::from_secs(1);

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
            map.insert(
                hash.to_string(),
                (std::time::Instant::now(), session.clone()),
            );
        }
    }

    pub fn forget(&self, hash: &str) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(hash);
        }
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let (session, token_hash, from_cookie) = session_of(state, &parts.headers)
            .await
            .ok_or_else(ApiError::unauthorized)?;
        // A browser sends the cookie on cross-site requests too; only our own pages know
        // the CSRF token, so a state-changing request must carry it.
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if from_cookie && !safe {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent, &session.csrf_token) {
                return Err(ApiError::forbidden(
                    "missing or wrong CSRF token: send the X-CSRF-Token header from the page",
                )
                .with_code("csrf_token_invalid"));
            }
        }
        let now = chrono::Utc::now();
        if session.kind == "browser" {
            let idle = now.signed_duration_since(session.last_seen_at);
            if idle.to_std().unwrap_or_default() > state.config.session_idle {
                let _ = state.store.delete_session(&token_hash).await;
                state.sessions.forget(&token_hash);
                return Err(ApiError::unauthorized().with_code("session_expired"));
            }
        }
        // Activity is written at most once a minute per session.
        if now.signed_duration_since(session.last_seen_at) > chrono::Duration::seconds(60) {
            let _ = state.store.touch_session(&token_hash, now).await;
            state.sessions.forget(&token_hash);
        }
        // Inside `/api/v1` (nested routes see the path without it).
        let path = parts.uri.path().to_string();
        if !scope_allows(&session.scope, &parts.method, &path) {
            return Err(ApiError::forbidden(format!(
                "this API token's scope (`{}`) does not allow {} {path}",
                session.scope, parts.method
            ))
            .with_code("token_scope_insufficient"));
        }
        let access = state.access.of(&state.store, &session.user).await?;
        Ok(Caller {
            user: session.user,
            csrf_token: session.csrf_token,
            token_hash,
            session_id: session.id,
            scope: session.scope,
            access,
        })
    }
}

pub fn client_ip(parts_ext: &axum::http::Extensions) -> String {
    parts_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Counts failed logins per account and per client address, so password guessing is slow
/// however it is spread.
pub struct LoginLimiter {
    failures: std::sync::Mutex<HashMap<String, Vec<Instant>>>,
    window: Duration,
    per_account: usize,
    per_address: usize,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter {
            failures: std::sync::Mutex::new(HashMap::new()),
            window: Duration::from_secs(15 * 60),
            per_account: 5,
            per_address: 30,
        }
    }
}

impl LoginLimiter {
    fn keys(email: &str, ip: &str) -> [(String, bool); 2] {
        [
            (format!("account:{}", email.to_lowercase()), true),
            (format!("address:{ip}"), false),
        ]
    }

    /// `Err(retry_after)` when either the account or the address is locked out.
    pub fn check(&self, email: &str, ip: &str) -> Result<(), Duration> {
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
