//! The REST API under `/api/v1`. Handlers are thin: they take the [`Caller`], the state
//! and a typed body, and leave the work to the domain crates.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use proost_connect::{Limits, QueryOutput};
use proost_store::{ConnectionRecord, secrets};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::{Caller, SESSION_COOKIE, client_ip};
use crate::connections::CallerCatalog;
use crate::error::{ApiError, ApiResult};
use crate::results;

type Shared = State<Arc<AppState>>;

/// Records a privileged action of the caller in the audit log.
pub(crate) async fn audit(
    state: &AppState,
    caller: &Caller,
    action: &str,
    target: Option<&str>,
    details: &Value,
) -> ApiResult<()> {
    state
        .store
        .audit(Some(&caller.user.id), action, target, details)
        .await?;
    Ok(())
}

/// Parses a JSON body into `T`, answering malformed input with our error shape.
pub struct JsonBody<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for JsonBody<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        let Json(v) = Json::<T>::from_request(req, state).await?;
        Ok(JsonBody(v))
    }
}

pub async fn health() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

pub async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct SetupBody {
    token: String,
    email: String,
    name: String,
    password: String,
}

pub const MIN_PASSWORD: usize = 12;

fn validate_person(email: &str, name: &str, password: &str) -> ApiResult<()> {
    validate_email(email)?;
    validate_name(name)?;
    validate_password(password)
}

pub(crate) fn validate_email(email: &str) -> ApiResult<()> {
    let email_ok = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'))
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if !email_ok {
        return Err(ApiError::bad_request(
            "email_invalid",
            "the email address does not look valid (name@example.com)",
        ));
    }
    Ok(())
}

pub(crate) fn validate_name(name: &str) -> ApiResult<()> {
    if name.trim().is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            "name_invalid",
            "the name must be 1 to 200 printable characters",
        ));
    }
    Ok(())
}

/// The password policy: long enough to resist guessing (NIST 800-63B: length over
/// composition rules), not absurdly long (argon2 work), not all one character.
pub(crate) fn validate_password(password: &str) -> ApiResult<()> {
    if password.chars().count() < MIN_PASSWORD || password.len() > 1024 {
        return Err(ApiError::bad_request(
            "password_too_short",
            format!("the password needs at least {MIN_PASSWORD} characters"),
        ));
    }
    let mut chars = password.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return Err(ApiError::bad_request(
            "password_too_weak",
            "the password repeats one character; choose a passphrase",
        ));
    }
    Ok(())
}

pub async fn setup(
    State(state): Shared,
    JsonBody(body): JsonBody<SetupBody>,
) -> ApiResult<Response> {
    validate_person(&body.email, &body.name, &body.password)?;
    let hash = secrets::hash_password(&body.password).map_err(ApiError::internal)?;
    let user = state
        .store
        .complete_setup(
            &secrets::token_hash(&body.token),
            body.email.trim(),
            body.name.trim(),
            &hash,
        )
        .await?;
    tracing::info!(user = %user.id, "first admin created; setup is complete");
    state
        .store
        .audit(Some(&user.id), "setup.complete", Some(&user.id), &json!({}))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": user.id, "email": user.email, "name": user.name, "role": "admin"})),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct LoginBody {
    #[serde(default)]
    pub(crate) email: String,
    /// A directory login (`uid`, `sAMAccountName`…); `email` works as well.
    pub(crate) login: Option<String>,
    pub(crate) password: String,
    /// `"ldap"` checks the password against the directory; absent or `"password"`: Proost's own.
    pub(crate) provider: Option<String>,
}

pub async fn login(
    State(state): Shared,
    req_parts: axum::http::Extensions,
    headers: HeaderMap,
    JsonBody(body): JsonBody<LoginBody>,
) -> ApiResult<Response> {
    let ip = client_ip(&req_parts);
    let who = match (&body.login, body.email.is_empty()) {
        (Some(login), true) => login.clone(),
        _ => body.email.clone(),
    };
    if let Err(retry) = state.login_limiter.check(&who, &ip) {
        let mut r = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_login_attempts",
            format!(
                "too many failed logins; try again in {} minutes",
                retry.as_secs().div_ceil(60).max(1)
            ),
        )
        .into_response();
        if let Ok(v) = HeaderValue::from_str(&retry.as_secs().max(1).to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(r);
    }
    match body.provider.as_deref() {
        None | Some("password") => {}
        Some("ldap") => {
            return crate::sso::ldap_login(&state, &headers, &ip, &who, &body.password).await;
        }
        Some(_) => {
            return Err(ApiError::bad_request(
                "provider_unknown",
                "`provider` is \"password\" (the default) or \"ldap\"",
            ));
        }
    }
    let found = state.store.user_for_login(who.trim()).await?;
    if let Some((user, _)) = &found
        && user.sso_enforced
    {
        // CVE-2022-39360 (Metabase): a password must not work for an SSO-only account.
        state
            .store
            .audit(
                None,
                "login.failed",
                Some(&user.id),
                &json!({"ip": ip.to_string(), "reason": "sso_required"}),
            )
            .await?;
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
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
            state
                .store
                .audit(
                    None,
                    "login.failed",
                    target.as_deref(),
                    &json!({"ip": ip.to_string()}),
                )
                .await?;
            if other.is_none() {
                // Same work as a real check, so timing does not tell which emails exist.
                secrets::verify_password(&body.password, secrets::decoy_hash());
            }
            state.login_limiter.failed(&who, &ip);
            tracing::info!(%ip, "failed login");
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "wrong email or password",
            ));
        }
    };
    state.login_limiter.succeeded(&who);
    state
        .store
        .audit(
            Some(&user.id),
            "login",
            Some(&user.id),
            &json!({"ip": ip.to_string()}),
        )
        .await?;
    let session = open_browser_session(&state, &user.id, &headers, &ip).await?;
    Ok(session_response(&user, session))
}

/// A browser session just opened at login; `cookie` is its `Set-Cookie` value.
pub(crate) struct NewSession {
    pub token: String,
    pub csrf: String,
    pub expires: chrono::DateTime<chrono::Utc>,
    pub cookie: String,
}

/// Opens a browser session for `user_id` (password, LDAP and OIDC logins alike).
pub(crate) async fn open_browser_session(
    state: &AppState,
    user_id: &str,
    headers: &HeaderMap,
    ip: &str,
) -> ApiResult<NewSession> {
    let token = secrets::new_token();
    let csrf = secrets::new_token();
    let ttl = state.config.session_ttl;
    let expires = chrono::Utc::now()
        + chrono::Duration::from_std(ttl).unwrap_or_else(|_| chrono::Duration::hours(12));
    // Session fixation: a session is always new at login, and one the browser already
    // carried (perhaps planted) ends here.
    if let Some(old) = crate::auth::cookie_token(headers).filter(|t| t.len() <= 200) {
        let old = secrets::token_hash(&old);
        state.store.delete_session(&old).await?;
        state.sessions.forget(&old);
    }
    state
        .store
        .create_session(
            user_id,
            &secrets::token_hash(&token),
            &csrf,
            expires,
            "browser",
            None,
            "full",
            Some(ip),
        )
        .await?;
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={}",
        ttl.as_secs()
    );
    Ok(NewSession {
        token,
        csrf,
        expires,
        cookie,
    })
}

/// The answer to `POST /api/v1/session`: the token, the CSRF token and the session cookie.
pub(crate) fn session_response(user: &proost_store::User, session: NewSession) -> Response {
    let mut response = Json(json!({
        "token": session.token,
        "csrf_token": session.csrf,
        "expires_at": session.expires.to_rfc3339(),
        "user": {"id": user.id, "email": user.email, "name": user.name, "role": user.role_name()},
    }))
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&session.cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

pub async fn logout(State(state): Shared, caller: Caller) -> ApiResult<Response> {
    state.store.delete_session(&caller.token_hash).await?;
    state.sessions.forget(&caller.token_hash);
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "proost_session=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0",
        ),
    );
    Ok(r)
}

pub async fn me(caller: Caller) -> Json<Value> {
    let capabilities: Vec<&str> = crate::access::CAPABILITIES
        .iter()
        .copied()
        .filter(|c| caller.access.can(c))
        .collect();
    Json(json!({
        "id": caller.user.id, "email": caller.user.email, "name": caller.user.name,
        "role": caller.user.role_name(), "admin": caller.is_admin(),
        "capabilities": capabilities, "csrf_token": caller.csrf_token,
        "session_id": caller.session_id, "scope": caller.scope,
    }))
}

fn connection_json(state: &AppState, c: &ConnectionRecord) -> Value {
    let url = state
        .connections
        .params(c)
        .map(|p| p.display_url())
        .unwrap_or_default();
    json!({
        "id": c.id, "name": c.name, "kind": c.kind, "url": url,
        "warnings": c.warnings, "demo": c.demo, "created_at": c.created_at,
        "region": c.region,
    })
}

/// A connection as the caller may see it: the source's address only for admins.
fn connection_view(state: &AppState, caller: &Caller, c: &ConnectionRecord) -> Value {
    if caller.is_admin() {
        connection_json(state, c)
    } else {
        json!({"id": c.id, "name": c.name, "kind": c.kind, "demo": c.demo,
               "unrestricted": caller.access.unrestricted_on(&c.id)})
    }
}

pub async fn list_connections(State(state): Shared, caller: Caller) -> ApiResult<Json<Value>> {
    let all = state.store.connections().await?;
    Ok(Json(json!({
        "connections": all.iter()
            .filter(|c| caller.access.sees_connection(&c.id))
            .map(|c| connection_view(&state, &caller, c))
            .collect::<Vec<_>>()
    })))
}

#[derive(Deserialize)]
pub struct NewConnection {
    name: String,
    kind: String,
    url: String,
    /// Where the source lives; absent: where this instance runs.
    #[serde(default)]
    region: Option<String>,
}

pub async fn create_connection(
    State(state): Shared,
    caller: Caller,
    usage: crate::usage::UsageContext,
    JsonBody(body): JsonBody<NewConnection>,
) -> ApiResult<Response> {
    caller.require_admin()?;
    crate::licence::check_can_add(&state, crate::licence::LicensedThing::Connection).await?;
    let record = state
        .connections
        .create(
            &body.name,
            &body.kind,
            &body.url,
            Some(&caller.user.id),
            false,
            body.region.as_deref(),
        )
        .await?;
    tracing::info!(connection = %record.id, kind = %record.kind, by = %caller.user.id, "connection added");
    audit(
        &state,
        &caller,
        "connection.create",
        Some(&record.id),
        &json!({"name": record.name, "kind": record.kind, "data_key_id": record.key_id,
                "region": record.region}),
    )
    .await?;
    usage.connection_added(&state, &caller, &record.kind);
    let mut out = connection_json(&state, &record);
    // Classified before anyone can query it: no window in which personal columns of a new
    // source are unmasked. A failed scan does not undo the connection; it says so.
    if state.config.scan_on_connect {
        out["scan"] = match crate::scan::scan_connection(&state, &record, "connect").await {
            Ok(report) => json!(report),
            Err(e) => json!({"error": {"code": e.code, "message": e.message}}),
        };
    }
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

#[derive(Deserialize)]
pub struct ScanParams {
    #[serde(default)]
    wait: bool,
}

/// `POST /api/v1/connections/{id}/scan?wait=true`: classifies every column again (admin).
/// Without `wait` the scan runs in the background and the answer is 202.
pub async fn scan_connection(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
    axum::extract::Query(params): axum::extract::Query<ScanParams>,
) -> ApiResult<Response> {
    caller.require_admin()?;
    let record = find(&state, &id).await?;
    audit(
        &state,
        &caller,
        "classification.scan_requested",
        Some(&record.id),
        &json!({"wait": params.wait}),
    )
    .await?;
    if params.wait {
        let report = crate::scan::scan_connection(&state, &record, "on_demand").await?;
        return Ok(Json(json!(report)).into_response());
    }
    let background = state.clone();
    tokio::spawn(async move {
        if let Err(e) = crate::scan::scan_connection(&background, &record, "on_demand").await {
            tracing::warn!(connection = %record.id, code = e.code, "scan failed");
        }
    });
    Ok((StatusCode::ACCEPTED, Json(json!({"status": "started"}))).into_response())
}

async fn find(state: &AppState, id: &str) -> ApiResult<ConnectionRecord> {
    state
        .store
        .connection(id)
        .await?
        .ok_or_else(|| ApiError::not_found("connection"))
}

/// A connection the caller may see; one they may not is "not found", like a missing one.
pub(crate) async fn find_visible(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> ApiResult<ConnectionRecord> {
    let c = find(state, id).await?;
    if caller.access.sees_connection(&c.id) {
        Ok(c)
    } else {
        Err(ApiError::not_found("connection"))
    }
}

pub async fn get_connection(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let c = find_visible(&state, &caller, &id).await?;
    Ok(Json(connection_view(&state, &caller, &c)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionUpdate {
    /// Where the source lives; `null` clears it (the instance's region applies).
    region: Option<String>,
}

/// `PATCH /api/v1/connections/{id}` (admin): what can change without re-creating the
/// connection (its address and credentials cannot: add a new one, shred the old).
pub async fn update_connection(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ConnectionUpdate>,
) -> ApiResult<Json<Value>> {
    caller.require_admin()?;
    let region = body.region.as_deref().map(str::trim);
    if let Some(region) = region {
        crate::connections::validate_region(region)?;
    }
    if !state.store.set_connection_region(&id, region).await? {
        return Err(ApiError::not_found("connection"));
    }
    audit(
        &state,
        &caller,
        "connection.update",
        Some(&id),
        &json!({"region": region}),
    )
    .await?;
    let record = find(&state, &id).await?;
    Ok(Json(connection_json(&state, &record)))
}

/// Deleting a connection crypto-shreds it (see `shred.rs`).
pub async fn delete_connection(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require_admin()?;
    if crate::shred::shred_connection(&state, &id, Some(&caller.user.id))
        .await?
        .is_none()
    {
        return Err(ApiError::not_found("connection"));
    }
    tracing::info!(connection = %id, by = %caller.user.id, "connection deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// Which audit entries to show: the API's query parameters and the audit page's filters.
#[derive(Deserialize, Default)]
pub struct AuditParams {
    /// An action, or a prefix of one ending in `.` (e.g. `grant.`).
    pub action: Option<String>,
    pub actor: Option<String>,
    pub target: Option<String>,
    /// RFC 3339 times or dates (`2026-12-01`), inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// The newest `limit` entries.
    pub limit: Option<usize>,
}

impl AuditParams {
    /// A form sends empty fields for filters left blank: they filter nothing.
    pub fn without_blanks(self) -> Self {
        let keep = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        AuditParams {
            action: keep(self.action),
            actor: keep(self.actor),
            target: keep(self.target),
            from: keep(self.from),
            to: keep(self.to),
            limit: self.limit,
        }
    }

    /// The matching entries, oldest first.
    pub async fn select(
        &self,
        store: &proost_store::Store,
    ) -> ApiResult<Vec<proost_store::AuditEntry>> {
        let mut entries = store.audit_entries(self.action.as_deref()).await?;
        entries.retain(|e| self.matches(e));
        if let Some(limit) = self.limit {
            let skip = entries.len().saturating_sub(limit);
            entries.drain(..skip);
        }
        Ok(entries)
    }

    fn matches(&self, e: &proost_store::AuditEntry) -> bool {
        self.actor.as_ref().is_none_or(|a| e.actor.as_deref() == Some(a.as_str()))
            && self.target.as_ref().is_none_or(|t| e.target.as_deref() == Some(t.as_str()))
            && self.from.as_ref().is_none_or(|f| e.at.as_str() >= f.as_str())
            // a bare date covers the whole day
            && self.to.as_ref().is_none_or(|t| {
                let end = if t.len() == 10 { format!("{t}T23:59:59.999Z") } else { t.clone() };
                e.at.as_str() <= end.as_str()
            })
    }
}

/// The audit log, oldest first (admin). `Accept: application/x-ndjson` exports it as JSON
/// lines; `chain_intact` says whether every entry still fits the hash chain.
pub(crate) const NDJSON: &str = "application/x-ndjson";

/// The client's `Accept` header names `mime`.
pub(crate) fn accepts(headers: &HeaderMap, mime: &str) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains(mime))
}

/// Records as JSON lines (the export format of the audit log and of usage events).
pub(crate) fn json_lines<T: serde::Serialize>(items: &[T]) -> ApiResult<Response> {
    let mut body = String::new();
    for item in items {
        body.push_str(&serde_json::to_string(item).map_err(ApiError::internal)?);
        body.push('\n');
    }
    Ok(([(header::CONTENT_TYPE, NDJSON)], body).into_response())
}

pub async fn audit_log(
    State(state): Shared,
    caller: Caller,
    headers: HeaderMap,
    axum::extract::Query(params): axum::extract::Query<AuditParams>,
) -> ApiResult<Response> {
    caller
        .access
        .require("read_audit", "reading the audit log")?;
    let entries = params.without_blanks().select(&state.store).await?;
    let broken = state.store.audit_verify().await?;
    if accepts(&headers, NDJSON) {
        return json_lines(&entries);
    }
    Ok(Json(json!({
        "entries": entries,
        "chain_intact": broken.is_none(),
        "first_broken": broken,
    }))
    .into_response())
}

pub async fn list_replicas(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    caller.require_admin()?;
    let c = find(&state, &id).await?;
    let mut out = Vec::new();
    for r in state.store.replicas(Some(&c.id)).await? {
        out.push(state.replicas.json(&r).await?);
    }
    Ok(Json(json!({ "replicas": out })))
}

pub async fn create_replica(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<crate::replicas::NewReplica>,
) -> ApiResult<Response> {
    caller.require_admin()?;
    let c = find(&state, &id).await?;
    let r = state
        .replicas
        .create(&c, &state.connections, body, &caller.user.id)
        .await?;
    audit(
        &state,
        &caller,
        "replica.create",
        Some(&r.id),
        &json!({"connection": c.name, "table": r.qualified(), "mode": r.mode}),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(state.replicas.json(&r).await?)).into_response())
}

async fn find_replica(
    state: &AppState,
    conn: &str,
    replica: &str,
) -> ApiResult<(ConnectionRecord, proost_store::ReplicaRecord)> {
    let c = find(state, conn).await?;
    let r = state
        .store
        .replica(replica)
        .await?
        .filter(|r| r.connection_id == c.id)
        .ok_or_else(|| ApiError::not_found("replica"))?;
    Ok((c, r))
}

pub async fn get_replica(
    State(state): Shared,
    caller: Caller,
    Path((id, replica)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    caller.require_admin()?;
    let (_, r) = find_replica(&state, &id, &replica).await?;
    Ok(Json(state.replicas.json(&r).await?))
}

pub async fn delete_replica(
    State(state): Shared,
    caller: Caller,
    Path((id, replica)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    caller.require_admin()?;
    let (c, r) = find_replica(&state, &id, &replica).await?;
    let (files, entries) = state.replicas.delete(&r).await?;
    audit(
        &state,
        &caller,
        "replica.delete",
        Some(&r.id),
        &json!({"connection": c.name, "table": r.qualified(),
                    "files_removed": files.len(), "cache_entries": entries}),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct RollbackBody {
    version: i64,
}

/// Serves an older kept version of a replica again (until the next sync).
pub async fn rollback_replica(
    State(state): Shared,
    caller: Caller,
    Path((id, replica)): Path<(String, String)>,
    JsonBody(body): JsonBody<RollbackBody>,
) -> ApiResult<Json<Value>> {
    caller.require_admin()?;
    let (c, r) = find_replica(&state, &id, &replica).await?;
    let from = r.current_version;
    state
        .replicas
        .rollback(&r, body.version, &state.connections)
        .await?;
    audit(
        &state,
        &caller,
        "replica.rollback",
        Some(&r.id),
        &json!({"connection": c.name, "table": r.qualified(),
                    "from_version": from, "to_version": body.version}),
    )
    .await?;
    let r = state
        .store
        .replica(&r.id)
        .await?
        .ok_or_else(|| ApiError::not_found("replica"))?;
    Ok(Json(state.replicas.json(&r).await?))
}

#[derive(Deserialize)]
pub struct SyncParams {
    #[serde(default)]
    wait: bool,
}

/// Syncs every replica of a connection: `?wait=true` answers with per-table results,
/// otherwise the sync runs in the background and the answer is 202.
pub async fn sync_connection(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
    axum::extract::Query(params): axum::extract::Query<SyncParams>,
) -> ApiResult<Response> {
    caller.require_admin()?;
    let c = find(&state, &id).await?;
    let actor = caller.user.id.clone();
    let run = {
        let state = state.clone();
        async move {
            let results = state
                .replicas
                .sync_connection(&c, &state.connections, None)
                .await?;
            crate::scan::after_sync(&state, &c, &results).await;
            // Who asked for a copy of what, and what it became (scheduled syncs are the
            // system's own and not recorded here).
            let summary: Vec<Value> = results
                .iter()
                .map(|r| json!({"table": r.table, "status": r.status, "version": r.version, "rows": r.rows}))
                .collect();
            state
                .store
                .audit(
                    Some(&actor),
                    "replica.sync",
                    Some(&c.id),
                    &json!({"connection": c.name, "results": summary}),
                )
                .await?;
            Ok::<_, ApiError>(results)
        }
    };
    if params.wait {
        let results = run.await?;
        Ok(Json(json!({ "results": results })).into_response())
    } else {
        tokio::spawn(async move {
            if let Err(e) = run.await {
                tracing::warn!(code = e.code, "background sync failed");
            }
        });
        Ok((StatusCode::ACCEPTED, Json(json!({"status": "started"}))).into_response())
    }
}

pub async fn connection_schema(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let c = find_visible(&state, &caller, &id).await?;
    let schemas = state.connections.schemas(&c).await?;
    let out: Vec<Value> = crate::visible::catalog(&caller.access, &c.id, &schemas)
        .iter()
        .map(|s| {
            let tables: Vec<Value> = s
                .tables
                .iter()
                .map(|t| {
                    json!({
                        "name": t.info.name,
                        "kind": t.info.kind,
                        "readable": t.readable,
                        "columns": t.columns.iter().map(|col| json!({
                            "name": col.info.name,
                            "type": col.info.source_type,
                            "proost_type": col.info.arrow_type.as_ref().map(results::type_name).unwrap_or("other"),
                            "nullable": col.info.nullable,
                            "masked": col.mask.map(|m| m.as_str()),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({"name": s.name, "tables": tables})
        })
        .collect();
    Ok(Json(
        json!({"connection": c.name, "kind": c.kind, "schemas": out}),
    ))
}

#[derive(Deserialize)]
pub struct QueryBody {
    sql: String,
    connection: Option<String>,
    limit: Option<usize>,
}

pub async fn query(
    State(state): Shared,
    caller: Caller,
    usage: crate::usage::UsageContext,
    headers: HeaderMap,
    JsonBody(body): JsonBody<QueryBody>,
) -> ApiResult<Response> {
    if body.sql.len() > 1_000_000 {
        return Err(ApiError::bad_request(
            "sql_too_long",
            "the SQL text is longer than 1 MB",
        ));
    }
    let cfg = &state.config;
    let max_rows = body
        .limit
        .unwrap_or(cfg.default_rows)
        .clamp(1, cfg.max_rows);
    caller.access.require("sql", "running SQL")?;
    let mut limits = Limits::new(cfg.query_timeout, max_rows);
    limits.max_bytes = cfg.memory_limit_mb.saturating_mul(1024 * 1024);
    // `Cache-Control: no-cache` asks for a fresh answer (it is still stored for others).
    let bypass = headers
        .get_all(header::CACHE_CONTROL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("no-cache") || v.contains("no-store"));
    let wants_csv = accepts(&headers, "text/csv");
    // Cancels the source's work if the client goes away before the answer is ready.
    let guard = limits.cancel.guard();
    let started = Instant::now();
    let answer: Answer = match &body.connection {
        Some(name) => {
            // Native SQL reaches the source as written, past the governed catalog: only
            // callers with unrestricted access may send it.
            caller.access.require("native_sql", "native SQL")?;
            let record = state
                .store
                .connection_by_name(name)
                .await?
                .filter(|r| caller.access.sees_connection(&r.id))
                .ok_or_else(|| ApiError::not_found(&format!("connection `{name}`")))?;
            if !caller.access.unrestricted_on(&record.id) {
                return Err(ApiError::forbidden(format!(
                    "native SQL goes to the source past masks and row policies, so it needs unrestricted access to `{name}`; query it through the engine instead (leave the connection out)"
                ))
                .with_code("native_sql_not_allowed"));
            }
            // The source checks the statement against its dialect's allow-list itself.
            let source = state.connections.source(&record)?;
            Answer {
                out: source
                    .query(
                        &proost_connect::BoundSql::text(body.sql.as_str()),
                        None,
                        &limits,
                    )
                    .await?,
                sources: Vec::new(),
                cache: "bypass",
                json_prefix: None,
            }
        }
        None => {
            engine_answer(
                &state, &caller, &body.sql, max_rows, &limits, bypass, wants_csv,
            )
            .await?
        }
    };
    guard.disarm();
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    let out = answer.out;
    let rows = out.batches.iter().map(|b| b.num_rows()).sum::<usize>();
    usage.query(
        &state,
        &caller,
        crate::usage::QueryRun {
            sql: &body.sql,
            native: body.connection.as_deref(),
            elapsed_ms: elapsed,
            rows,
            sources: &answer.sources,
            cache: answer.cache,
        },
    );
    // Cache hits are the hot path of dashboards: logged at debug, not per hit at info.
    if answer.cache == "hit" {
        tracing::debug!(user = %caller.user.id, rows, elapsed_ms = elapsed, cache = answer.cache, "query");
    } else {
        tracing::info!(user = %caller.user.id, rows, elapsed_ms = elapsed, native = body.connection.is_some(), cache = answer.cache, "query");
    }
    let mut response = if wants_csv {
        // An export leaves Proost as a file: who took which tables, how many rows.
        let tables: Vec<&str> = answer.sources.iter().map(|s| s.table.as_str()).collect();
        audit(
            &state,
            &caller,
            "query.export",
            body.connection.as_deref(),
            &json!({"format": "csv", "rows": rows, "tables": tables, "native": body.connection.is_some()}),
        )
        .await?;
        csv_response(out)?
    } else if let Some(prefix) = &answer.json_prefix {
        (
            [(header::CONTENT_TYPE, "application/json")],
            results::json_from_prefix(prefix, elapsed, answer.cache),
        )
            .into_response()
    } else {
        let mut v = results::to_json(&out, elapsed)?;
        v["sources"] = serde_json::to_value(&answer.sources).map_err(ApiError::internal)?;
        v["cache"] = json!(answer.cache);
        Json(v).into_response()
    };
    response
        .headers_mut()
        .insert("x-proost-cache", HeaderValue::from_static(answer.cache));
    Ok(response)
}

/// A result and how it was obtained.
struct Answer {
    out: QueryOutput,
    sources: Vec<proost_query::Served>,
    /// `hit`, `stale` (served while being recomputed), `miss` or `bypass`.
    cache: &'static str,
    /// From the cache: the JSON answer, ready but for its per-request fields.
    json_prefix: Option<Vec<u8>>,
}

/// The statement memo key: the text as sent, who asks (their permission fingerprint) and
/// the row limit. Length-prefixed so fields cannot run into each other.
fn memo_key(sql: &str, fingerprint: &str, max_rows: usize) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [sql, fingerprint, &max_rows.to_string()] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The key a result over these connections is sealed with: it needs every connection's
/// data key, so shredding any one of them makes the entry unreadable.
async fn sealing_key(
    state: &AppState,
    connections: &[String],
) -> ApiResult<Option<proost_keys::DataKey>> {
    let mut keys = Vec::with_capacity(connections.len());
    for id in connections {
        match state.connections.data_key_by_id(id).await? {
            Some(k) => keys.push(k),
            None => return Ok(None),
        }
    }
    let refs: Vec<&proost_keys::DataKey> = keys.iter().collect();
    Ok(Some(proost_keys::DataKey::combine(&refs, "result-cache")))
}

fn from_cached(r: proost_cache::CachedResult, cache: &'static str) -> Answer {
    Answer {
        out: QueryOutput {
            schema: r.schema,
            batches: r.batches,
            truncated: r.truncated,
        },
        sources: Vec::new(),
        cache,
        json_prefix: Some(r.extra),
    }
}

/// The engine path through the result cache. A repeated question is answered from the
/// memo without planning when every replica it read still serves the same version; else
/// it is planned, and the cache is asked under the key of its plan, the caller's
/// permission fingerprint and the versions it reads.
async fn engine_answer(
    state: &Arc<AppState>,
    caller: &Caller,
    sql: &str,
    max_rows: usize,
    limits: &Limits,
    bypass: bool,
    wants_batches: bool,
) -> ApiResult<Answer> {
    let fingerprint = caller.access.fingerprint().to_string();
    let memo_key = memo_key(sql, &fingerprint, max_rows);
    if !bypass
        && let Some(m) = state.memo.get(&memo_key)
        && m.epoch == state.replicas.epoch()
        && m.replicas
            .iter()
            .all(|(c, r, v)| state.replicas.serving_version(c, r) == Some(*v))
        && let Some(key) = sealing_key(state, &m.connections).await?
    {
        // A JSON answer comes whole from the entry; only CSV needs the batches decoded.
        let found = if wants_batches {
            state.cache.get(&m.cache_key, &key)
        } else {
            state.cache.get_extra(&m.cache_key, &key)
        };
        match found {
            proost_cache::Lookup::Fresh(r, _) => return Ok(from_cached(r, "hit")),
            proost_cache::Lookup::Stale(r, _) => {
                if state.cache.begin_refresh(&m.cache_key) {
                    refresh(
                        state.clone(),
                        caller.access.clone(),
                        sql.to_string(),
                        m.clone(),
                        key,
                        limits.clone(),
                    );
                }
                return Ok(from_cached(r, "stale"));
            }
            proost_cache::Lookup::Miss => {}
        }
    }
    let epoch = state.replicas.epoch();
    let catalog = CallerCatalog {
        connections: &state.connections,
        store: &state.store,
        replicas: &state.replicas,
        access: caller.access.clone(),
    };
    let planned = state.engine.plan(sql, &catalog, limits).await?;
    let sources = planned.sources.clone();
    let live = sources.iter().any(|s| s.served_from == "live");
    let cacheable =
        !sources.is_empty() && (!live || state.config.cache_live) && !planned.is_explain();
    let run = |planned| execute_for(state, &caller.access, planned, limits);
    if !cacheable {
        let out = run(planned).await?;
        return Ok(Answer {
            out,
            sources,
            cache: "bypass",
            json_prefix: None,
        });
    }
    let versions: Vec<(String, String)> = sources
        .iter()
        .map(|s| {
            let v = s
                .version
                .map(|v| format!("v{v}"))
                .unwrap_or_else(|| "live".into());
            (s.table.clone(), v)
        })
        .collect();
    let cache_key = proost_cache::CacheKey::new(
        &planned.plan_text,
        &fingerprint,
        &versions,
        &format!("rows={max_rows}"),
    );
    let mut connections: Vec<String> = sources.iter().map(|s| s.connection_id.clone()).collect();
    connections.sort();
    connections.dedup();
    let memo = crate::results::MemoEntry {
        cache_key,
        replicas: sources
            .iter()
            .filter_map(|s| Some((s.connection_id.clone(), s.replica_id.clone()?, s.version?)))
            .collect(),
        connections: connections.clone(),
        sources: sources.clone(),
        epoch,
    };
    let Some(key) = sealing_key(state, &connections).await? else {
        let out = run(planned).await?;
        return Ok(Answer {
            out,
            sources,
            cache: "bypass",
            json_prefix: None,
        });
    };
    if !bypass
        && let proost_cache::Lookup::Fresh(r, _) | proost_cache::Lookup::Stale(r, _) =
            state.cache.get(&cache_key, &key)
    {
        state.memo.put(memo_key, memo);
        return Ok(from_cached(r, "hit"));
    }
    let out = run(planned).await?;
    store_result(state, &memo, &key, &out);
    state.memo.put(memo_key, memo);
    Ok(Answer {
        out,
        sources,
        cache: if bypass { "bypass" } else { "miss" },
        json_prefix: None,
    })
}

/// Runs a planned engine query; its failure is told in full only to a caller unrestricted
/// on every connection it read (see [`proost_query::QueryError::withheld`]).
async fn execute_for(
    state: &AppState,
    access: &crate::access::Access,
    planned: proost_query::Planned,
    limits: &Limits,
) -> Result<QueryOutput, proost_query::QueryError> {
    let sources = planned.sources.clone();
    match state.engine.execute(planned, limits).await {
        Ok(out) => Ok(out),
        Err(e) => Err(withhold(access, &sources, e)),
    }
}

/// The error as this caller may see it. The full text goes to the debug log, except when a
/// row policy was evaluated: then even the log gets only the code.
fn withhold(
    access: &crate::access::Access,
    sources: &[proost_query::Served],
    e: proost_query::QueryError,
) -> proost_query::QueryError {
    if sources
        .iter()
        .all(|s| access.unrestricted_on(&s.connection_id))
    {
        return e;
    }
    if sources.iter().any(|s| s.row_policy) {
        tracing::debug!(code = e.code(), "query failed under a row policy");
    } else {
        tracing::debug!(code = e.code(), error = %e, "query failed; details withheld from the caller");
    }
    e.withheld()
}

fn store_result(
    state: &AppState,
    memo: &crate::results::MemoEntry,
    key: &proost_keys::DataKey,
    out: &QueryOutput,
) {
    let mut tags: Vec<String> = memo
        .connections
        .iter()
        .map(|c| format!("conn:{c}"))
        .collect();
    tags.extend(memo.replicas.iter().map(|(_, r, _)| format!("replica:{r}")));
    let extra = match crate::results::json_prefix(out, &memo.sources) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(code = e.code, "result not cached");
            return;
        }
    };
    let cached = proost_cache::CachedResult {
        schema: out.schema.clone(),
        batches: out.batches.clone(),
        truncated: out.truncated,
        extra,
    };
    if let Err(e) = state.cache.put(memo.cache_key, key, &tags, &cached) {
        tracing::warn!(code = e.code(), "result not cached");
    }
}

/// Recomputes a stale cached result in the background (stale-while-revalidate).
fn refresh(
    state: Arc<AppState>,
    access: Arc<crate::access::Access>,
    sql: String,
    memo: crate::results::MemoEntry,
    key: proost_keys::DataKey,
    limits: Limits,
) {
    tokio::spawn(async move {
        let limits = Limits {
            cancel: proost_connect::CancelFlag::default(),
            ..limits
        };
        let catalog = CallerCatalog {
            connections: &state.connections,
            store: &state.store,
            replicas: &state.replicas,
            access,
        };
        let outcome = match state.engine.plan(&sql, &catalog, &limits).await {
            Ok(planned) => execute_for(&state, &catalog.access, planned, &limits).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(out) => store_result(&state, &memo, &key, &out),
            Err(e) => {
                tracing::warn!(code = e.code(), "refreshing a cached result failed");
                state.cache.refresh_failed(&memo.cache_key);
            }
        }
    });
}

fn csv_response(out: QueryOutput) -> ApiResult<Response> {
    let mut chunks: Vec<Result<Vec<u8>, std::io::Error>> = Vec::new();
    if out.batches.is_empty() {
        let header: Vec<String> = out
            .schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        chunks.push(Ok(format!("{}\n", header.join(",")).into_bytes()));
    }
    for (i, batch) in out.batches.iter().enumerate() {
        chunks.push(Ok(results::csv_chunk(batch, i == 0)?));
    }
    let body = Body::from_stream(futures::stream::iter(chunks));
    let mut r = Response::new(body);
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"proost-result.csv\""),
    );
    if out.truncated {
        h.insert("x-proost-truncated", HeaderValue::from_static("true"));
    }
    Ok(r)
}

pub async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such API endpoint")
}
