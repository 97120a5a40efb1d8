//! Extractors: what a handler needs, in its signature. [`Caller`] is anyone signed in,
//! [`Admin`] an admin, [`Capable`] someone whose role has a capability; a handler cannot
//! forget the check, because without it it cannot get the actor at all.

use std::marker::PhantomData;
use std::ops::Deref;
use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use proost_app::usage::Visit;
use proost_app::{Actor, App, Error};

use super::error::ApiError;
use super::session::{CSRF_HEADER, constant_time_eq, scope_allows, token};

/// Parses a JSON body into `T`, answering malformed input with our error shape.
pub struct JsonBody<T>(pub T);

impl<T, S> FromRequest<S> for JsonBody<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        // JSON bodies that fail to parse get our error shape, not axum's plain-text rejection.
        let Json(v) = Json::<T>::from_request(req, state)
            .await
            .map_err(|e| ApiError(Error::bad_request("invalid_body", e.body_text())))?;
        Ok(JsonBody(v))
    }
}

/// Query parameters, answering malformed ones with our error shape.
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let axum::extract::Query(v) = axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError(Error::bad_request("invalid_parameter", e.body_text())))?;
        Ok(Query(v))
    }
}

/// A signed-in caller of the API: a live session or API token whose scope allows this
/// request, and, for a browser (cookie) on a state-changing request, the right CSRF token.
#[derive(Debug, Clone)]
pub struct Caller(pub Actor);

impl Deref for Caller {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.0
    }
}

impl FromRequestParts<Arc<App>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, ApiError> {
        let (token, from_cookie) = token(&parts.headers).ok_or_else(Error::unauthorized)?;
        let (session, token_hash) = proost_app::people::sessions::find(app, &token)
            .await
            .ok_or_else(Error::unauthorized)?;
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
                return Err(Error::forbidden(
                    "missing or wrong CSRF token: send the X-CSRF-Token header from the page",
                )
                .with_code("csrf_token_invalid")
                .into());
            }
        }
        let path = parts.uri.path().to_string();
        if !scope_allows(&session.scope, &parts.method, &path) {
            return Err(Error::forbidden(format!(
                "this API token's scope (`{}`) does not allow {} {path}",
                session.scope, parts.method
            ))
            .with_code("token_scope_insufficient")
            .into());
        }
        let actor = proost_app::people::sessions::actor(app, session, token_hash).await?;
        Ok(Caller(actor))
    }
}

/// A caller who is an admin.
#[derive(Debug, Clone)]
pub struct Admin(pub Caller);

impl Deref for Admin {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.0.0
    }
}

impl FromRequestParts<Arc<App>> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, app).await?;
        caller.require_admin()?;
        Ok(Admin(caller))
    }
}

/// A capability a role may grant besides data access.
pub trait Capability {
    const NAME: &'static str;
    /// What it allows, for the refusal: "your role does not allow {WHAT}".
    const WHAT: &'static str;
}

pub struct ReadAudit;
impl Capability for ReadAudit {
    const NAME: &'static str = "read_audit";
    const WHAT: &'static str = "reading the audit log";
}

/// A caller whose role has capability `C` (admins have all).
pub struct Capable<C: Capability>(pub Caller, PhantomData<C>);

impl<C: Capability> Deref for Capable<C> {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.0.0
    }
}

impl<C: Capability + Send + Sync> FromRequestParts<Arc<App>> for Capable<C> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, app).await?;
        caller.access.require(C::NAME, C::WHAT)?;
        Ok(Capable(caller, PhantomData))
    }
}

/// What a request tells the usage recorder about itself: optional analytics are off for a
/// browser that sent `DNT: 1` or `Sec-GPC: 1`.
pub struct Tracked(pub Visit);

impl Tracked {
    pub fn of(headers: &HeaderMap, extensions: &axum::http::Extensions, path: &str) -> Self {
        let says_one = |name: &str| {
            headers
                .get_all(name)
                .iter()
                .any(|v| v.to_str().is_ok_and(|s| s.trim() == "1"))
        };
        Tracked(Visit {
            allowed: !(says_one("dnt") || says_one("sec-gpc")),
            ip: extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string()),
            path: path.to_string(),
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Tracked {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Tracked::of(
            &parts.headers,
            &parts.extensions,
            parts.uri.path(),
        ))
    }
}
