//! Usage analytics: what the privacy notice calls Usage Data and Analytics Data — pages
//! visited, queries run (timing, rows, where they were answered from), connections added.
//!
//! Recording never slows a request: handlers hand an event to a bounded channel and a
//! background task writes batches; when the channel is full the event is dropped and
//! counted. Nothing optional is recorded for a browser that sends `DNT: 1` or
//! `Sec-GPC: 1`. A statement is kept only as a fingerprint with every literal replaced by
//! `?` (literals are where personal data hides: `WHERE email = 'ada@example.com'`); result
//! values are never recorded. Nothing is sent to a vendor. Nothing at all is recorded for a
//! user who turned `usage_analytics` off in their preferences (an in-memory set, loaded
//! when the writer starts and changed with the preference).

mod report;

pub use report::*;

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use chrono::{SecondsFormat, Utc};
use proost_store::{Store, UsageEvent};
use sha2::{Digest, Sha256};
use sqlparser::ast::{Value as SqlValue, ValueWithSpan, VisitMut, VisitorMut};
use sqlparser::dialect::{Dialect, GenericDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use tokio::sync::{mpsc, oneshot};

use crate::{Actor, App};

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
    /// Users who turned usage analytics off: nothing is recorded for them.
    opted_out: OptedOut,
}

type OptedOut = Arc<RwLock<HashSet<String>>>;

fn is_opted_out(set: &OptedOut, user: Option<&str>) -> bool {
    user.is_some_and(|u| set.read().is_ok_and(|s| s.contains(u)))
}

impl Usage {
    /// Starts the background writer; it ends when the recorder is dropped.
    pub fn start(store: Store) -> Usage {
        let (tx, rx) = mpsc::channel(QUEUE);
        let opted_out = OptedOut::default();
        tokio::spawn(write(store, rx, opted_out.clone()));
        Usage {
            tx,
            dropped: AtomicU64::new(0),
            opted_out,
        }
    }

    /// Stops (or resumes) recording for a user, at once.
    pub fn set_opted_out(&self, user: &str, out: bool) {
        if let Ok(mut set) = self.opted_out.write() {
            if out {
                set.insert(user.to_string());
            } else {
                set.remove(user);
            }
        }
    }

    fn send(&self, p: Pending) {
        if is_opted_out(&self.opted_out, p.event.user_id.as_deref()) {
            return;
        }
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

/// What a request tells the recorder about itself: whether optional analytics are allowed
/// (not when the browser sent `DNT: 1` or `Sec-GPC: 1`), the client address and the path.
#[derive(Debug, Clone)]
pub struct Visit {
    pub allowed: bool,
    pub ip: Option<String>,
    pub path: String,
}

impl Visit {
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

    /// A web page was seen by a signed-in user.
    pub fn page(&self, app: &App, user: &str) {
        if !self.allowed {
            return;
        }
        app.usage.send(Pending {
            event: self.event(Some(user), "page"),
            sql: None,
            connection_ids: Vec::new(),
            native: None,
        });
    }

    /// A query answered: timing, rows, where it was answered from.
    pub fn query(&self, app: &App, actor: &Actor, run: QueryRun<'_>) {
        if !self.allowed {
            return;
        }
        let mut event = self.event(Some(&actor.user.id), "query");
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
        app.usage.send(Pending {
            event,
            sql,
            connection_ids,
            native: run.native.map(str::to_string),
        });
    }

    /// A connection was added (its kind, never its address).
    pub fn connection_added(&self, app: &App, actor: &Actor, kind: &str) {
        self.record(app, actor, "connection_added", &[kind]);
    }

    /// Any other use worth counting (`field_added`, ...), with the kinds of source it
    /// touched. Never pass a name or a value someone typed.
    pub fn record(&self, app: &App, actor: &Actor, kind: &str, connection_kinds: &[&str]) {
        if !self.allowed {
            return;
        }
        let mut event = self.event(Some(&actor.user.id), kind);
        event.connection_kinds = connection_kinds.iter().map(|k| k.to_string()).collect();
        app.usage.send(Pending {
            event,
            sql: None,
            connection_ids: Vec::new(),
            native: None,
        });
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
async fn write(store: Store, mut rx: mpsc::Receiver<Message>, opted_out: OptedOut) {
    let mut kinds: HashMap<String, String> = HashMap::new();
    match store.usage_opted_out().await {
        Ok(users) => {
            if let Ok(mut set) = opted_out.write() {
                set.extend(users);
            }
        }
        Err(e) => tracing::warn!(error = %e, "usage opt-outs not loaded"),
    }
    while let Some(first) = rx.recv().await {
        let mut batch = Vec::new();
        let mut acks = Vec::new();
        let mut next = Some(first);
        while let Some(m) = next {
            match m {
                // Also here: events sent before the opt-outs were loaded, or just before one.
                Message::Event(p) if is_opted_out(&opted_out, p.event.user_id.as_deref()) => {}
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
