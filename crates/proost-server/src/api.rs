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
    if name.trim().is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            "name_invalid",
            "the name must be 1 to 200 printable characters",
        ));
    }
    if password.chars().count() < MIN_PASSWORD || password.len() > 1024 {
        return Err(ApiError::bad_request(
            "password_too_short",
            format!("the password needs at least {MIN_PASSWORD} characters"),
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
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": user.id, "email": user.email, "name": user.name, "role": "admin"})),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct LoginBody {
    email: String,
    password: String,
}

pub async fn login(
    State(state): Shared,
    req_parts: axum::http::Extensions,
    JsonBody(body): JsonBody<LoginBody>,
) -> ApiResult<Response> {
    let ip = client_ip(&req_parts);
    if let Err(retry) = state.login_limiter.check(&body.email, &ip) {
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
    let found = state.store.user_for_login(body.email.trim()).await?;
    let user = match found {
        Some((user, Some(hash)))
            if user.active && secrets::verify_password(&body.password, &hash) =>
        {
            user
        }
        other => {
            if other.is_none() {
                // Same work as a real check, so timing does not tell which emails exist.
                secrets::verify_password(&body.password, secrets::decoy_hash());
            }
            state.login_limiter.failed(&body.email, &ip);
            tracing::info!(%ip, "failed login");
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "wrong email or password",
            ));
        }
    };
    state.login_limiter.succeeded(&body.email);
    let token = secrets::new_token();
    let csrf = secrets::new_token();
    let ttl = state.config.session_ttl;
    let expires = chrono::Utc::now()
        + chrono::Duration::from_std(ttl).unwrap_or_else(|_| chrono::Duration::hours(12));
    state
        .store
        .create_session(&user.id, &secrets::token_hash(&token), &csrf, expires)
        .await?;
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={}",
        ttl.as_secs()
    );
    let mut response = Json(json!({
        "token": token,
        "csrf_token": csrf,
        "expires_at": expires.to_rfc3339(),
        "user": {"id": user.id, "email": user.email, "name": user.name, "role": user.role.as_str()},
    }))
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

pub async fn logout(State(state): Shared, caller: Caller) -> ApiResult<Response> {
    state.store.delete_session(&caller.token_hash).await?;
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
    Json(json!({
        "id": caller.user.id, "email": caller.user.email, "name": caller.user.name,
        "role": caller.user.role.as_str(), "csrf_token": caller.csrf_token,
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
    })
}

pub async fn list_connections(State(state): Shared, _caller: Caller) -> ApiResult<Json<Value>> {
    let all = state.store.connections().await?;
    Ok(Json(json!({
        "connections": all.iter().map(|c| connection_json(&state, c)).collect::<Vec<_>>()
    })))
}

#[derive(Deserialize)]
pub struct NewConnection {
    name: String,
    kind: String,
    url: String,
}

pub async fn create_connection(
    State(state): Shared,
    caller: Caller,
    JsonBody(body): JsonBody<NewConnection>,
) -> ApiResult<Response> {
    caller.require_admin()?;
    let record = state
        .connections
        .create(
            &body.name,
            &body.kind,
            &body.url,
            Some(&caller.user.id),
            false,
        )
        .await?;
    tracing::info!(connection = %record.id, kind = %record.kind, by = %caller.user.id, "connection added");
    Ok((StatusCode::CREATED, Json(connection_json(&state, &record))).into_response())
}

async fn find(state: &AppState, id: &str) -> ApiResult<ConnectionRecord> {
    state
        .store
        .connection(id)
        .await?
        .ok_or_else(|| ApiError::not_found("connection"))
}

pub async fn get_connection(
    State(state): Shared,
    _caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let c = find(&state, &id).await?;
    Ok(Json(connection_json(&state, &c)))
}

pub async fn delete_connection(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require_admin()?;
    if !state.store.delete_connection(&id).await? {
        return Err(ApiError::not_found("connection"));
    }
    state.connections.forget(&id).await;
    tracing::info!(connection = %id, by = %caller.user.id, "connection deleted");
    Ok(StatusCode::NO_CONTENT)
}

pub async fn connection_schema(
    State(state): Shared,
    _caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let c = find(&state, &id).await?;
    let schemas = state.connections.schemas(&c).await?;
    let out: Vec<Value> = schemas
        .iter()
        .map(|s| {
            json!({
                "name": s.name,
                "tables": s.tables.iter().map(|t| json!({
                    "name": t.name,
                    "kind": t.kind,
                    "columns": t.columns.iter().map(|col| json!({
                        "name": col.name,
                        "type": col.source_type,
                        "proost_type": col.arrow_type.as_ref().map(results::type_name).unwrap_or("other"),
                        "nullable": col.nullable,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
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
    let mut limits = Limits::new(cfg.query_timeout, max_rows);
    limits.max_bytes = cfg.memory_limit_mb.saturating_mul(1024 * 1024);
    // Cancels the source's work if the client goes away before the answer is ready.
    let guard = limits.cancel.guard();
    let started = Instant::now();
    let out: QueryOutput = match &body.connection {
        Some(name) => {
            // Native SQL reaches the source as written, past the governed catalog: only
            // callers with unrestricted access may send it.
            caller.require_admin()?;
            let record = state
                .store
                .connection_by_name(name)
                .await?
                .ok_or_else(|| ApiError::not_found(&format!("connection `{name}`")))?;
            // The source checks the statement against its dialect's allow-list itself.
            let source = state.connections.source(&record)?;
            source.query(&body.sql, None, &limits).await?
        }
        None => {
            let catalog = CallerCatalog {
                connections: &state.connections,
                store: &state.store,
            };
            state.engine.run(&body.sql, &catalog, &limits).await?
        }
    };
    guard.disarm();
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(user = %caller.user.id, rows = out.batches.iter().map(|b| b.num_rows()).sum::<usize>(), elapsed_ms = elapsed, native = body.connection.is_some(), "query");
    let wants_csv = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/csv"));
    if wants_csv {
        return csv_response(out);
    }
    Ok(Json(results::to_json(&out, elapsed)?).into_response())
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
