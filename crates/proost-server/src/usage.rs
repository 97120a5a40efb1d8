//! Usage analytics: what the privacy notice calls Usage Data and Analytics Data — pages
//! visited, queries run (timing, rows, where they were answered from), connections added.
//!
//! Recording never slows a request: handlers hand an event to a bounded channel and a
//! background task writes batches; when the channel is full the event is dropped and
//! counted. Nothing optional is recorded for a browser that sends `DNT: 1` or
//! `Sec-GPC: 1`. A statement is kept only as a fingerprint with every literal replaced by
//! `?` (literals are where personal data hides: `WHERE email = 'ada@example.com'`); result
//! values are never recorded. Nothing is sent to a vendor.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, SecondsFormat, Utc};
use proost_store::{Store, UsageEvent, UsageFilter, UsageSweep};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlparser::ast::{Value as SqlValue, ValueWithSpan, VisitMut, VisitorMut};
use sqlparser::dialect::{Dialect, GenericDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use tokio::sync::{mpsc, oneshot};

use crate::AppState;
use crate::auth::{Caller, session_of};
use crate::error::{ApiError, ApiResult};

/// Events waiting for the writer; past this, new ones are dropped (and counted).
const QUEUE: usize = 4096;
/// Events written per transaction at most.
const BATCH: usize = 256;
/// Statements longer than this are recorded without a fingerprint (parsing them would
/// cost the writer more than the event is worth).
const MAX_FINGERPRINT_INPUT: usize = 64 * 1024;
/// Characters of a fingerprint kept (its hash covers all of it).
const MAX_STATEMENT: usize = 2000;

enum Message {
    Event(Box<Pending>),
    /// Answered once everything sent before it is written.
    Flush(oneshot::Sender<()>),
}

/// An event as a request hands it over: cheap to build; the writer does the rest.
struct Pending {
    event: UsageEvent,
    /// The statement as sent. Held in memory only until it is fingerprinted.
    sql: Option<String>,
    connection_ids: Vec<String>,
    /// Native SQL: the connection it was sent to, by name.
    native: Option<String>,
}

/// The recorder held in the app state.
pub struct Usage {
    tx: mpsc::Sender<Message>,
    dropped: AtomicU64,
}

impl Usage {
    /// Starts the background writer; it ends when the recorder is dropped.
    pub fn start(store: Store) -> Usage {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(write(store, rx));
        Usage {
            tx,
            dropped: AtomicU64::new(0),
        }
    }

    /// False when the browser asked not to be tracked (`DNT: 1` or `Sec-GPC: 1`): then no
    /// optional analytics are recorded for the request.
    pub fn optional_allowed(headers: &HeaderMap) -> bool {
        let says_one = |name: &str| {
            headers
                .get_all(name)
                .iter()
                .any(|v| v.to_str().is_ok_and(|s| s.trim() == "1"))
        };
        !(says_one("dnt") || says_one("sec-gpc"))
    }

    fn send(&self, p: Pending) {
        if self.tx.try_send(Message::Event(Box::new(p))).is_err() {
            let n = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            if n.is_power_of_two() {
                tracing::warn!(dropped = n, "usage events dropped: the writer is behind");
            }
        }
    }

    /// Waits until every event sent so far is in the app database.
    pub async fn flush(&self) {
        let (ack, done) = oneshot::channel();
        if self.tx.send(Message::Flush(ack)).await.is_ok() {
            let _ = done.await;
        }
    }

    /// Events dropped because the writer was behind.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// What a request tells the recorder about itself: whether optional analytics are allowed,
/// the client address and the path.
pub struct UsageContext {
    allowed: bool,
    ip: Option<String>,
    path: String,
}

impl UsageContext {
    fn of(headers: &HeaderMap, extensions: &axum::http::Extensions, path: &str) -> Self {
        UsageContext {
            allowed: Usage::optional_allowed(headers),
            ip: extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string()),
            path: path.to_string(),
        }
    }

    fn event(&self, user: Option<&str>, kind: &str) -> UsageEvent {
        UsageEvent {
            at: now(),
            user_id: user.map(str::to_string),
            kind: kind.to_string(),
            path: Some(self.path.clone()),
            ip: self.ip.clone(),
            ..UsageEvent::default()
        }
    }

    /// A query answered: timing, rows, where it was answered from.
    pub fn query(&self, state: &AppState, caller: &Caller, run: QueryRun<'_>) {
        if !self.allowed {
            return;
        }
        let mut event = self.event(Some(&caller.user.id), "query");
        event.path = None;
        event.elapsed_ms = Some(run.elapsed_ms);
        event.rows = i64::try_from(run.rows).ok();
        event.served_from = if run.sources.is_empty() && run.cache != "bypass" {
            // A cached answer: the tables behind it are not looked at again.
            vec!["cache".into()]
        } else if run.native.is_some() {
            vec!["native".into()]
        } else {
            let mut s: Vec<String> = run
                .sources
                .iter()
                .map(|s| s.served_from.to_string())
                .collect();
            s.sort();
            s.dedup();
            s
        };
        event.cache = Some(run.cache.to_string());
        event.target = Some(
            if run.native.is_some() {
                "native"
            } else {
                "engine"
            }
            .into(),
        );
        let mut connection_ids: Vec<String> = run
            .sources
            .iter()
            .map(|s| s.connection_id.clone())
            .collect();
        connection_ids.sort();
        connection_ids.dedup();
        let sql = (run.sql.len() <= MAX_FINGERPRINT_INPUT).then(|| run.sql.to_string());
        state.usage.send(Pending {
            event,
            sql,
            connection_ids,
            native: run.native.map(str::to_string),
        });
    }

    /// A connection was added (its kind, never its address).
    pub fn connection_added(&self, state: &AppState, caller: &Caller, kind: &str) {
        self.record(state, caller, "connection_added", &[kind]);
    }

    /// Any other use worth counting (`field_added`, ...), with the kinds of source it
    /// touched. Never pass a name or a value someone typed.
    pub fn record(&self, state: &AppState, caller: &Caller, kind: &str, connection_kinds: &[&str]) {
        if !self.allowed {
            return;
        }
        let mut event = self.event(Some(&caller.user.id), kind);
        event.connection_kinds = connection_kinds.iter().map(|k| k.to_string()).collect();
        state.usage.send(Pending {
            event,
            sql: None,
            connection_ids: Vec::new(),
            native: None,
        });
    }
}

impl FromRequestParts<Arc<AppState>> for UsageContext {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &Arc<AppState>,
    ) -> Result<Self, Infallible> {
        Ok(UsageContext::of(
            &parts.headers,
            &parts.extensions,
            parts.uri.path(),
        ))
    }
}

/// A query as the query handler saw it.
pub struct QueryRun<'a> {
    pub sql: &'a str,
    /// The connection name for native SQL.
    pub native: Option<&'a str>,
    pub elapsed_ms: f64,
    pub rows: usize,
    pub sources: &'a [proost_query::Served],
    pub cache: &'static str,
}

/// Records a visit to a web page: a layer over the UI routes, so every page (and every
/// page added later) is counted the same way without a call in each handler. Only
/// successful HTML answers to signed-in users; the query string is not kept.
pub async fn record_page(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let seen = (req.method() == Method::GET && !req.uri().path().starts_with("/assets/"))
        .then(|| {
            let ctx = UsageContext::of(req.headers(), req.extensions(), req.uri().path());
            ctx.allowed.then(|| (ctx, req.headers().clone()))
        })
        .flatten();
    let response = next.run(req).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if let Some((ctx, headers)) = seen
        && response.status() == StatusCode::OK
        && html
        && let Some((session, _, _)) = session_of(&state, &headers).await
    {
        state.usage.send(Pending {
            event: ctx.event(Some(&session.user.id), "page"),
            sql: None,
            connection_ids: Vec::new(),
            native: None,
        });
    }
    response
}

/// The statement with every literal replaced by `?`, as the dialect of `kind` prints it;
/// `None` when it does not parse.
pub fn fingerprint(sql: &str, kind: Option<&str>) -> Option<String> {
    struct Literals;
    impl VisitorMut for Literals {
        type Break = ();
        fn pre_visit_value(&mut self, value: &mut ValueWithSpan) -> ControlFlow<()> {
            value.value = SqlValue::Placeholder("?".into());
            ControlFlow::Continue(())
        }
    }
    let dialect: Box<dyn Dialect> = match kind {
        Some("postgres") => Box::new(PostgreSqlDialect {}),
        Some("mysql") => Box::new(MySqlDialect {}),
        Some("sqlite") => Box::new(SQLiteDialect {}),
        _ => Box::new(GenericDialect {}),
    };
    let mut statements = sqlparser::parser::Parser::parse_sql(dialect.as_ref(), sql).ok()?;
    for s in &mut statements {
        let _ = s.visit(&mut Literals);
    }
    Some(
        statements
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// The background writer: resolves connection kinds, fingerprints statements and writes
/// batches until the recorder is dropped.
async fn write(store: Store, mut rx: mpsc::Receiver<Message>) {
    let mut kinds: HashMap<String, String> = HashMap::new();
    while let Some(first) = rx.recv().await {
        let mut batch = Vec::new();
        let mut acks = Vec::new();
        let mut next = Some(first);
        while let Some(m) = next {
            match m {
                Message::Event(p) => batch.push(complete(&store, &mut kinds, *p).await),
                Message::Flush(ack) => acks.push(ack),
            }
            if batch.len() >= BATCH {
                break;
            }
            next = rx.try_recv().ok();
        }
        if !batch.is_empty()
            && let Err(e) = store.insert_usage(&batch).await
        {
            tracing::warn!(error = %e, events = batch.len(), "usage events not written");
        }
        for ack in acks {
            let _ = ack.send(());
        }
    }
}

async fn complete(store: &Store, kinds: &mut HashMap<String, String>, p: Pending) -> UsageEvent {
    let mut event = p.event;
    if kinds.len() > 10_000 {
        kinds.clear();
    }
    for id in &p.connection_ids {
        if !kinds.contains_key(id)
            && let Ok(Some(c)) = store.connection(id).await
        {
            kinds.insert(id.clone(), c.kind);
        }
        if let Some(k) = kinds.get(id) {
            event.connection_kinds.push(k.clone());
        }
    }
    let mut dialect = None;
    if let Some(name) = &p.native
        && let Ok(Some(c)) = store.connection_by_name(name).await
    {
        event.connection_kinds.push(c.kind.clone());
        dialect = Some(c.kind);
    }
    event.connection_kinds.sort();
    event.connection_kinds.dedup();
    if let Some(sql) = p.sql
        && let Some(fp) = fingerprint(&sql, dialect.as_deref())
    {
        event.statement_hash = Some(hex::encode(Sha256::digest(fp.as_bytes())));
        event.statement = Some(match fp.char_indices().nth(MAX_STATEMENT) {
            Some((cut, _)) => format!("{}…", &fp[..cut]),
            None => fp,
        });
    }
    event
}

/// One retention sweep; an audit entry records any sweep that removed or cut anything.
pub async fn sweep(state: &AppState, actor: Option<&str>) -> ApiResult<UsageSweep> {
    let cfg = &state.config;
    let done = state
        .store
        .usage_sweep(cfg.usage_retention_days, cfg.usage_ip_days)
        .await?;
    if !done.is_empty() {
        state
            .store
            .audit(
                actor,
                "usage.retention",
                None,
                &json!({
                    "retention_days": cfg.usage_retention_days,
                    "ip_days": cfg.usage_ip_days,
                    "events_deleted": done.events_deleted,
                    "days_folded": done.days_folded,
                    "ips_truncated": done.ips_truncated,
                }),
            )
            .await?;
        // Deleted rows and full addresses must not linger in the write-ahead log.
        state.store.checkpoint().await?;
    }
    Ok(done)
}

/// Sweeps at start and then hourly, for as long as the server lives.
pub fn spawn_retention(state: Weak<AppState>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let Some(state) = state.upgrade() else { break };
            match sweep(&state, None).await {
                Ok(done) if !done.is_empty() => {
                    tracing::info!(
                        events_deleted = done.events_deleted,
                        ips_truncated = done.ips_truncated,
                        "usage retention sweep"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(code = e.code, "usage retention sweep failed"),
            }
        }
    });
}

#[derive(Deserialize, Default)]
pub struct UsageParams {
    pub from: Option<String>,
    pub to: Option<String>,
    pub user: Option<String>,
    pub kind: Option<String>,
    pub limit: Option<i64>,
}

/// A date (`2026-12-01`) or an RFC 3339 time. A date as `to` includes that whole day.
fn bound(name: &str, v: Option<&str>, end: bool) -> ApiResult<Option<String>> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        let d = if end { d.succ_opt().unwrap_or(d) } else { d };
        return Ok(Some(format!("{d}T00:00:00.000Z")));
    }
    chrono::DateTime::parse_from_rfc3339(v)
        .map(|t| {
            Some(
                t.with_timezone(&Utc)
                    .to_rfc3339_opts(SecondsFormat::Millis, true),
            )
        })
        .map_err(|_| {
            ApiError::bad_request(
                "invalid_parameter",
                format!("`{name}` must be a date (2026-12-01) or an RFC 3339 time"),
            )
        })
}

/// Turns query parameters into a store filter; `user` may be an id or an email address.
pub async fn filter(state: &AppState, p: &UsageParams) -> ApiResult<UsageFilter> {
    let user = p.user.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let user_id = match user {
        Some(u) if u.contains('@') => Some(
            state
                .store
                .user_for_login(u)
                .await?
                .map(|(user, _)| user.id)
                // Unknown email: a filter that matches nothing, not everything.
                .unwrap_or_else(|| u.to_string()),
        ),
        other => other.map(str::to_string),
    };
    let kind = p.kind.as_deref().map(str::trim).filter(|k| !k.is_empty());
    if kind.is_some_and(|k| k.len() > 40) {
        return Err(ApiError::bad_request(
            "invalid_parameter",
            "`kind` is at most 40 characters",
        ));
    }
    Ok(UsageFilter {
        from: bound("from", p.from.as_deref(), false)?,
        to: bound("to", p.to.as_deref(), true)?,
        user_id,
        kind: kind.map(str::to_string),
        limit: p.limit.unwrap_or(200).clamp(1, 10_000),
    })
}

/// The summary beside the events: top questions, slowest queries, active users.
pub async fn summary(state: &AppState, f: &UsageFilter) -> ApiResult<Value> {
    let top = UsageFilter {
        limit: 10,
        ..f.clone()
    };
    let store = &state.store;
    Ok(json!({
        "top_questions": store.usage_top_statements(&top).await?,
        "slowest": store.usage_slowest(&top).await?,
        "active_users": store.usage_active_users(&UsageFilter { limit: 50, ..f.clone() }).await?,
        "active_per_day": store.usage_active_days(&UsageFilter { limit: 31, ..f.clone() }).await?,
    }))
}

/// `GET /api/v1/usage` (admin): events newest first, and a summary. `Accept:
/// application/x-ndjson` exports the events as JSON lines.
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    headers: HeaderMap,
    Query(params): Query<UsageParams>,
) -> ApiResult<Response> {
    caller.require_admin()?;
    // What this admin just did is part of the answer.
    state.usage.flush().await;
    let f = filter(&state, &params).await?;
    let events = state.store.usage_events(&f).await?;
    if crate::api::accepts(&headers, crate::api::NDJSON) {
        return crate::api::json_lines(&events);
    }
    Ok(Json(json!({
        "events": events,
        "summary": summary(&state, &f).await?,
        "dropped": state.usage.dropped(),
    }))
    .into_response())
}

/// `POST /api/v1/usage/sweep` (admin): runs the retention sweep now.
pub async fn sweep_now(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> ApiResult<Json<UsageSweep>> {
    caller.require_admin()?;
    state.usage.flush().await;
    Ok(Json(sweep(&state, Some(&caller.user.id)).await?))
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn fingerprints_keep_no_literal() {
        let fp = fingerprint(
            "SELECT name, 42 FROM shop.main.customers WHERE email = 'ada@example.com' AND born > DATE '1990-01-01' LIMIT 5",
            None,
        )
        .expect("parses");
        assert!(!fp.contains("ada@example.com"), "{fp}");
        assert!(!fp.contains("1990"), "{fp}");
        assert!(!fp.contains("42"), "{fp}");
        assert!(fp.contains("shop.main.customers"), "{fp}");
        let my = fingerprint("SELECT * FROM t WHERE n = \"Grace\"", Some("mysql")).expect("parses");
        assert!(!my.contains("Grace"), "{my}");
    }

    #[test]
    fn an_unparsable_statement_has_no_fingerprint() {
        assert_eq!(fingerprint("SELECT FROM WHERE 'x", None), None);
    }
}
