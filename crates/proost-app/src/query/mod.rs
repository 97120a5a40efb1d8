//! Queries: SQL over the caller's governed catalog (the engine path, through the result
//! cache) or, for callers unrestricted on a connection, in the source's own dialect.

pub mod cache;
pub mod catalog;
pub mod csv;
pub mod history;
pub mod json;
pub mod running;

use std::sync::Arc;
use std::time::Instant;

use proost_connect::{BoundSql, Limits, QueryOutput};
use serde::Deserialize;
use utoipa::ToSchema;

pub use cache::{Memo, MemoEntry, Work};
pub use catalog::CallerCatalog;

use crate::{Actor, App, Error, Result};

/// `POST /api/v1/query`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct QueryRequest {
    pub sql: String,
    /// Native SQL: the connection's name, in its own dialect. Absent: the engine, over
    /// `connection.schema.table`.
    pub connection: Option<String>,
    /// Rows to return at most (default `--default-rows`, capped at `--max-rows`).
    pub limit: Option<usize>,
    /// A name the client chose for this run (1–64 letters, digits, `-`, `_`), so it can
    /// cancel it with `POST /api/v1/query/{query_id}/cancel`.
    pub query_id: Option<String>,
}

/// `POST /api/v1/browse`: a table's rows without SQL, for anyone who may read the table
/// (viewers too).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrowseRequest {
    pub connection: String,
    pub schema: String,
    pub table: String,
    /// `[{"column", "op", "value"}]`, ANDed; `op` is `eq`, `ne`, `lt`, `le`, `gt`, `ge`,
    /// `contains`, `starts_with`, `is_null` or `not_null`.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub filters: Vec<proost_query::browse::Condition>,
    /// `[{"column", "desc"}]`.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub sort: Vec<proost_query::browse::SortKey>,
    /// Rows to return at most (default 200, capped at `--max-rows`).
    pub limit: Option<usize>,
}

/// Reads one table as the caller may see it (grants, masks, row policies), filtered and
/// ordered without SQL text.
pub async fn browse(app: &Arc<App>, actor: &Actor, req: &BrowseRequest) -> Result<Answer> {
    let cfg = &app.config;
    let max_rows = req.limit.unwrap_or(200).clamp(1, cfg.max_rows);
    let mut limits = Limits::new(cfg.query_timeout, max_rows);
    limits.max_bytes = cfg.memory_limit_mb.saturating_mul(1024 * 1024);
    let guard = limits.cancel.guard();
    let started = Instant::now();
    let catalog = CallerCatalog {
        connections: &app.connections,
        store: &app.store,
        replicas: &app.replicas,
        access: actor.access.clone(),
    };
    let planned = app
        .engine
        .plan_table(
            [&req.connection, &req.schema, &req.table],
            &req.filters,
            &req.sort,
            &catalog,
            &limits,
        )
        .await?;
    let sources = planned.sources.clone();
    let out = cache::execute_for(app, &actor.access, planned, &limits).await?;
    guard.disarm();
    let rows = out.batches.iter().map(|b| b.num_rows()).sum();
    Ok(Answer {
        out,
        sources,
        cache: "bypass",
        json_prefix: None,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        rows,
    })
}

/// How the front wants the answer.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueryOptions {
    /// Compute afresh (the result is still stored for others).
    pub bypass_cache: bool,
    /// The rows are needed as Arrow batches (CSV), not only as cached JSON.
    pub wants_batches: bool,
}

/// A result and how it was obtained.
pub struct Answer {
    pub out: QueryOutput,
    pub sources: Vec<proost_query::Served>,
    /// `hit`, `stale` (served while being recomputed), `miss` or `bypass`.
    pub cache: &'static str,
    /// From the cache: the JSON answer, ready but for its per-request fields.
    pub json_prefix: Option<Vec<u8>>,
    pub elapsed_ms: f64,
    pub rows: usize,
}

/// Runs one statement for the actor. Dropping the future (the client went away) cancels
/// the work at the source too; so does a cancel by the query's id.
pub async fn run(
    app: &Arc<App>,
    actor: &Actor,
    req: &QueryRequest,
    opts: QueryOptions,
) -> Result<Answer> {
    let started = Instant::now();
    let answer = run_named(app, actor, req, opts).await;
    let path = if req.connection.is_some() {
        "native"
    } else {
        "engine"
    };
    observe(path, &answer, started, req);
    let run = match &answer {
        Ok(a) => (Some(a.rows), served_from(a, req), None),
        Err(e) => (None, "none".to_string(), Some(e.code)),
    };
    history::record(
        app,
        actor,
        history::Run {
            connection: req.connection.as_deref(),
            sql: &req.sql,
            elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
            rows: run.0,
            served_from: run.1,
            error_code: run.2,
        },
    )
    .await;
    answer
}

/// Runs planned work (a saved question's SQL with bound values, or a builder spec) on the
/// engine path for the actor, through the result cache. Unlike [`run`], it needs no `sql`
/// capability: what the work may read is still only what the actor's grants allow.
pub async fn run_work(
    app: &Arc<App>,
    actor: &Actor,
    work: &Work,
    limit: Option<usize>,
    opts: QueryOptions,
) -> Result<Answer> {
    let cfg = &app.config;
    let max_rows = limit.unwrap_or(cfg.default_rows).clamp(1, cfg.max_rows);
    let mut limits = Limits::new(cfg.query_timeout, max_rows);
    limits.max_bytes = cfg.memory_limit_mb.saturating_mul(1024 * 1024);
    let guard = limits.cancel.guard();
    let started = Instant::now();
    let answer = unless_stopping(
        app,
        cache::engine_answer(
            app,
            actor,
            work,
            max_rows,
            &limits,
            opts.bypass_cache,
            opts.wants_batches,
        ),
    )
    .await;
    guard.disarm();
    let mut answer = answer.inspect_err(|e| crate::metrics::query_failed("engine", e.code))?;
    answer.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    answer.rows = answer.out.batches.iter().map(|b| b.num_rows()).sum();
    crate::metrics::cache_lookup(answer.cache);
    crate::metrics::query_done(
        "engine",
        work_served_from(&answer),
        answer.elapsed_ms / 1000.0,
    );
    Ok(answer)
}

/// Ends a query when the instance stops: dropping it cancels the statement at the source
/// while the process can still send the cancel request.
async fn unless_stopping<T>(
    app: &App,
    work: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    let stopped = app.background.stopped();
    tokio::select! {
        answer = work => answer,
        () = stopped => Err(Error::new(
            crate::Kind::Busy,
            "shutting_down",
            "Proost is stopping; run the query again once it is back",
        )),
    }
}

/// Metrics of a query run through [`run`].
fn observe(path: &'static str, answer: &Result<Answer>, started: Instant, req: &QueryRequest) {
    match answer {
        Ok(a) => {
            if path == "engine" {
                crate::metrics::cache_lookup(a.cache);
            }
            crate::metrics::query_done(path, &served_from(a, req), started.elapsed().as_secs_f64());
        }
        Err(e) => crate::metrics::query_failed(path, e.code),
    }
}

fn work_served_from(a: &Answer) -> &'static str {
    if a.cache == "hit" || a.cache == "stale" {
        return "cache";
    }
    let replica = a.sources.iter().any(|s| s.served_from == "replica");
    let live = a.sources.iter().any(|s| s.served_from == "live");
    match (replica, live) {
        (true, true) => "replica+live",
        (true, false) => "replica",
        (false, true) => "live",
        (false, false) => "engine",
    }
}

/// A table not found by the name written (`customers`): the tables of that name the caller
/// may see, as they are written (`sample_shop.main.customers`).
async fn suggest_table(app: &App, actor: &Actor, mut e: Error) -> Error {
    let Some(name) = e.message.split(['\'', '`']).nth(1).map(str::to_string) else {
        return e;
    };
    // DataFusion names an unqualified table by its default catalog and schema.
    let name = name
        .strip_prefix("datafusion.public.")
        .map(str::to_string)
        .unwrap_or(name);
    let last = name.rsplit('.').next().unwrap_or(&name).to_lowercase();
    let Ok(trees) = crate::connections::visible_trees(app, actor).await else {
        return e;
    };
    let mut hits = Vec::new();
    for t in &trees {
        for s in t.schemas.iter().flatten() {
            for tb in s.tables.iter().filter(|tb| tb.name.to_lowercase() == last) {
                hits.push(format!("{}.{}.{}", t.record.name, s.name, tb.name));
            }
        }
    }
    if hits.is_empty() || hits.iter().any(|h| h.eq_ignore_ascii_case(&name)) {
        return e;
    }
    hits.truncate(3);
    e.message = format!(
        "there is no table `{name}`: tables are named connection.schema.table. Did you mean {}?",
        hits.join(" or ")
    );
    e
}

/// Where an answer came from, in a word or two (`replica+live`, `cache`, `native`).
fn served_from(a: &Answer, req: &QueryRequest) -> String {
    if req.connection.is_some() {
        return "native".into();
    }
    if a.cache == "hit" || a.cache == "stale" {
        return "cache".into();
    }
    let mut from: Vec<&str> = a.sources.iter().map(|s| s.served_from).collect();
    from.sort_unstable();
    from.dedup();
    if from.is_empty() {
        "engine".into()
    } else {
        from.join("+")
    }
}

async fn run_named(
    app: &Arc<App>,
    actor: &Actor,
    req: &QueryRequest,
    opts: QueryOptions,
) -> Result<Answer> {
    let Some(id) = &req.query_id else {
        return unless_stopping(app, run_unnamed(app, actor, req, opts)).await;
    };
    let registration = app.running.register(actor, id)?;
    {
        let query = unless_stopping(app, run_unnamed(app, actor, req, opts));
        tokio::select! {
            answer = query => return answer,
            () = registration.stop.notified() => {}
        }
    }
    // The query's future is dropped here, which sends the source a cancel request in the
    // background; "cancelled" is answered once that request went out (or after a bound), so
    // the caller never sees it while the statement still runs there.
    proost_connect::cleanups_settled(CANCEL_SETTLE).await;
    tracing::info!(user = %actor.user.id, "query cancelled by its caller");
    Err(Error::new(
        crate::Kind::Conflict,
        "query_cancelled",
        "the query was cancelled",
    ))
}

/// How long a cancelled query's answer waits for its cancel request to reach the source.
const CANCEL_SETTLE: std::time::Duration = std::time::Duration::from_secs(3);

async fn run_unnamed(
    app: &Arc<App>,
    actor: &Actor,
    req: &QueryRequest,
    opts: QueryOptions,
) -> Result<Answer> {
    if req.sql.len() > 1_000_000 {
        return Err(Error::bad_request(
            "sql_too_long",
            "the SQL text is longer than 1 MB",
        ));
    }
    let cfg = &app.config;
    let max_rows = req.limit.unwrap_or(cfg.default_rows).clamp(1, cfg.max_rows);
    actor.access.require("sql", "running SQL")?;
    let mut limits = Limits::new(cfg.query_timeout, max_rows);
    limits.max_bytes = cfg.memory_limit_mb.saturating_mul(1024 * 1024);
    let guard = limits.cancel.guard();
    let started = Instant::now();
    let mut answer = match &req.connection {
        Some(name) => native(app, actor, name, &req.sql, &limits).await?,
        None => match cache::engine_answer(
            app,
            actor,
            &Work::Sql {
                sql: req.sql.clone(),
                values: Vec::new(),
            },
            max_rows,
            &limits,
            opts.bypass_cache,
            opts.wants_batches,
        )
        .await
        {
            Err(e) if e.code == "table_not_found" => return Err(suggest_table(app, actor, e).await),
            other => other?,
        },
    };
    guard.disarm();
    answer.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    answer.rows = answer.out.batches.iter().map(|b| b.num_rows()).sum();
    // Cache hits are the hot path of dashboards: logged at debug, not per hit at info.
    if answer.cache == "hit" {
        tracing::debug!(user = %actor.user.id, rows = answer.rows, elapsed_ms = answer.elapsed_ms, cache = answer.cache, "query");
    } else {
        tracing::info!(user = %actor.user.id, rows = answer.rows, elapsed_ms = answer.elapsed_ms, native = req.connection.is_some(), cache = answer.cache, "query");
    }
    Ok(answer)
}

/// Native SQL reaches the source as written, past the governed catalog: only callers with
/// unrestricted access may send it. The source checks the statement against its
/// dialect's allow-list itself.
async fn native(
    app: &App,
    actor: &Actor,
    name: &str,
    sql: &str,
    limits: &Limits,
) -> Result<Answer> {
    actor.access.require("native_sql", "native SQL")?;
    let record = app
        .store
        .connection_by_name(name)
        .await?
        .filter(|r| actor.access.sees_connection(&r.id))
        .ok_or_else(|| Error::not_found(&format!("connection `{name}`")))?;
    if !actor.access.unrestricted_on(&record.id) {
        return Err(Error::forbidden(format!(
            "native SQL goes to the source past masks and row policies, so it needs unrestricted access to `{name}`; query it through the engine instead (leave the connection out)"
        ))
        .with_code("native_sql_not_allowed"));
    }
    let source = app.connections.source(&record)?;
    Ok(Answer {
        out: source.query(&BoundSql::text(sql), None, limits).await?,
        sources: Vec::new(),
        cache: "bypass",
        json_prefix: None,
        elapsed_ms: 0.0,
        rows: 0,
    })
}
