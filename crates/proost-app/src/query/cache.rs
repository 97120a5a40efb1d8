//! The result cache on the engine path: a repeated question is answered from the
//! statement memo without planning while every replica it read still serves the same
//! version; else it is planned, and the cache is asked under the key of its plan, the
//! caller's permission fingerprint and the versions it reads. Results are sealed with a key
//! that needs every connection's data key they read.

use std::sync::Arc;

use proost_connect::{Limits, QueryOutput};

use super::Answer;
use super::catalog::CallerCatalog;
use crate::{Actor, App, Result};

/// What the engine is asked to plan: SQL (with values bound to its placeholders) or a
/// builder spec. Owned, so a stale answer can be recomputed in the background.
#[derive(Debug, Clone)]
pub enum Work {
    Sql {
        sql: String,
        values: Vec<datafusion_scalar::ScalarValue>,
    },
    Builder {
        spec: Arc<proost_query::builder::Spec>,
        params: Arc<serde_json::Map<String, serde_json::Value>>,
        bases: Arc<proost_query::builder::Bases>,
    },
}

/// `ScalarValue` without naming DataFusion in this crate's manifest.
pub mod datafusion_scalar {
    pub use proost_query::builder::ScalarValue;
}

impl Work {
    /// The text the statement memo keys on; a builder spec is always planned (cheap, and its
    /// saved sources may have changed).
    fn memo_text(&self) -> Option<String> {
        match self {
            Work::Sql { sql, values } if values.is_empty() => Some(sql.clone()),
            Work::Sql { sql, values } => Some(format!("{sql}\u{0}{values:?}")),
            Work::Builder { .. } => None,
        }
    }

    async fn plan(
        &self,
        app: &App,
        catalog: &CallerCatalog<'_>,
        limits: &Limits,
    ) -> Result<proost_query::Planned, proost_query::QueryError> {
        match self {
            Work::Sql { sql, values } => {
                app.engine
                    .plan_bound(sql, values.clone(), catalog, limits)
                    .await
            }
            Work::Builder {
                spec,
                params,
                bases,
            } => {
                app.engine
                    .plan_builder(spec, params, bases, catalog, limits)
                    .await
            }
        }
    }
}

/// What a planned question resolved to, remembered so a repeat skips planning: the cache
/// key, the replica versions it read and the connections whose keys seal its result.
#[derive(Debug, Clone)]
pub struct MemoEntry {
    pub cache_key: proost_cache::CacheKey,
    /// (connection id, replica id, version) of every replica read.
    pub replicas: Vec<(String, String, u64)>,
    pub connections: Vec<String>,
    pub sources: Vec<proost_query::Served>,
    /// The replica epoch the plan was made in: any replica added, removed or going stale
    /// since voids it.
    pub epoch: u64,
}

/// Bounded statement memo; dropped whole when full (it is only a shortcut).
#[derive(Default)]
pub struct Memo(std::sync::Mutex<std::collections::HashMap<String, MemoEntry>>);

const MEMO_MAX: usize = 10_000;

impl Memo {
    pub fn get(&self, key: &str) -> Option<MemoEntry> {
        self.0.lock().ok()?.get(key).cloned()
    }

    pub fn put(&self, key: String, entry: MemoEntry) {
        if let Ok(mut m) = self.0.lock() {
            if m.len() >= MEMO_MAX {
                m.clear();
            }
            m.insert(key, entry);
        }
    }
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
async fn sealing_key(app: &App, connections: &[String]) -> Result<Option<proost_keys::DataKey>> {
    let mut keys = Vec::with_capacity(connections.len());
    for id in connections {
        match app.connections.data_key_by_id(id).await? {
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
        elapsed_ms: 0.0,
        rows: 0,
    }
}

/// The engine path through the result cache. A repeated question is answered from the
/// memo without planning when every replica it read still serves the same version; else
/// it is planned, and the cache is asked under the key of its plan, the caller's
/// permission fingerprint and the versions it reads.
pub(crate) async fn engine_answer(
    app: &Arc<App>,
    actor: &Actor,
    work: &Work,
    max_rows: usize,
    limits: &Limits,
    bypass: bool,
    wants_batches: bool,
) -> Result<Answer> {
    let fingerprint = actor.access.fingerprint().to_string();
    let memo_key = work
        .memo_text()
        .map(|text| memo_key(&text, &fingerprint, max_rows));
    if !bypass
        && let Some(memo_key) = &memo_key
        && let Some(m) = app.memo.get(memo_key)
        && m.epoch == app.replicas.epoch()
        && m.replicas
            .iter()
            .all(|(c, r, v)| app.replicas.serving_version(c, r) == Some(*v))
        && let Some(key) = sealing_key(app, &m.connections).await?
    {
        // A JSON answer comes whole from the entry; only CSV needs the batches decoded.
        let found = if wants_batches {
            app.cache.get(&m.cache_key, &key)
        } else {
            app.cache.get_extra(&m.cache_key, &key)
        };
        match found {
            proost_cache::Lookup::Fresh(r, _) => return Ok(from_cached(r, "hit")),
            proost_cache::Lookup::Stale(r, _) => {
                if app.cache.begin_refresh(&m.cache_key) {
                    refresh(
                        app.clone(),
                        actor.access.clone(),
                        work.clone(),
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
    let epoch = app.replicas.epoch();
    let catalog = CallerCatalog {
        connections: &app.connections,
        store: &app.store,
        replicas: &app.replicas,
        access: actor.access.clone(),
    };
    let planned = work.plan(app, &catalog, limits).await?;
    let sources = planned.sources.clone();
    let live = sources.iter().any(|s| s.served_from == "live");
    let cacheable =
        !sources.is_empty() && (!live || app.config.cache_live) && !planned.is_explain();
    let run = |planned| execute_for(app, &actor.access, planned, limits);
    if !cacheable {
        let out = run(planned).await?;
        return Ok(Answer {
            out,
            sources,
            cache: "bypass",
            json_prefix: None,
            elapsed_ms: 0.0,
            rows: 0,
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
    let memo = MemoEntry {
        cache_key,
        replicas: sources
            .iter()
            .filter_map(|s| Some((s.connection_id.clone(), s.replica_id.clone()?, s.version?)))
            .collect(),
        connections: connections.clone(),
        sources: sources.clone(),
        epoch,
    };
    let Some(key) = sealing_key(app, &connections).await? else {
        let out = run(planned).await?;
        return Ok(Answer {
            out,
            sources,
            cache: "bypass",
            json_prefix: None,
            elapsed_ms: 0.0,
            rows: 0,
        });
    };
    if !bypass
        && let proost_cache::Lookup::Fresh(r, _) | proost_cache::Lookup::Stale(r, _) =
            app.cache.get(&cache_key, &key)
    {
        if let Some(memo_key) = memo_key {
            app.memo.put(memo_key, memo);
        }
        return Ok(from_cached(r, "hit"));
    }
    let out = run(planned).await?;
    store_result(app, &memo, &key, &out);
    if let Some(memo_key) = memo_key {
        app.memo.put(memo_key, memo);
    }
    Ok(Answer {
        out,
        sources,
        cache: if bypass { "bypass" } else { "miss" },
        json_prefix: None,
        elapsed_ms: 0.0,
        rows: 0,
    })
}

/// Runs a planned engine query; its failure is told in full only to a caller unrestricted
/// on every connection it read (see [`proost_query::QueryError::withheld`]).
pub(super) async fn execute_for(
    app: &App,
    access: &crate::access::Access,
    planned: proost_query::Planned,
    limits: &Limits,
) -> Result<QueryOutput, proost_query::QueryError> {
    let sources = planned.sources.clone();
    match app.engine.execute(planned, limits).await {
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

fn store_result(app: &App, memo: &MemoEntry, key: &proost_keys::DataKey, out: &QueryOutput) {
    let mut tags: Vec<String> = memo
        .connections
        .iter()
        .map(|c| format!("conn:{c}"))
        .collect();
    tags.extend(memo.replicas.iter().map(|(_, r, _)| format!("replica:{r}")));
    let extra = match super::json::json_prefix(out, &memo.sources) {
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
    if let Err(e) = app.cache.put(memo.cache_key, key, &tags, &cached) {
        tracing::warn!(code = e.code(), "result not cached");
    }
}

/// Recomputes a stale cached result in the background (stale-while-revalidate).
fn refresh(
    app: Arc<App>,
    access: Arc<crate::access::Access>,
    work: Work,
    memo: MemoEntry,
    key: proost_keys::DataKey,
    limits: Limits,
) {
    let background = app.clone();
    background.background.spawn(async move {
        let limits = Limits {
            cancel: proost_connect::CancelFlag::default(),
            ..limits
        };
        let catalog = CallerCatalog {
            connections: &app.connections,
            store: &app.store,
            replicas: &app.replicas,
            access,
        };
        let outcome = match work.plan(&app, &catalog, &limits).await {
            Ok(planned) => execute_for(&app, &catalog.access, planned, &limits).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(out) => store_result(&app, &memo, &key, &out),
            Err(e) => {
                tracing::warn!(code = e.code(), "refreshing a cached result failed");
                app.cache.refresh_failed(&memo.cache_key);
            }
        }
    });
}
