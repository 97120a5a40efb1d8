#![forbid(unsafe_code)]
//! Connect: the sources Proost reads from (PostgreSQL, MySQL/MariaDB, SQLite).
//!
//! Each kind turns typed, validated [`ConnectionParams`] into a [`Source`] that can check
//! its account's privileges, introspect schemas, run one read-only statement returning
//! Arrow batches, and stream whole tables (or the rows after a cursor) from one snapshot for
//! replication. This is the only crate a new connector touches.
//!
//! Read-only is enforced here in depth: every statement passes the parse-level allow-list of
//! `proost-readonly`, runs inside a read-only transaction (or a read-only SQLite handle with an
//! authorizer), through a single-statement protocol, under a timeout and a row limit.
//! What this crate does not do: decide *who* may query (that is the governed catalog's job).

mod bound;
mod cells;
mod mysql;
mod params;
mod postgres;
mod read;
mod sqlite;
pub mod tap;
mod tls;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use serde::{Deserialize, Serialize};

pub use bound::{BoundSql, CompareOp, Comparisons, Predicate, SqlValue, quote_identifier};
pub use params::{
    ConnectionKind, ConnectionParams, MySqlParams, PostgresParams, SourcePolicy, SqliteParams,
};
pub use proost_readonly::Dialect;
pub use tls::{CaBundle, SourceTls, TlsMode};

/// What went wrong talking to a source. `code()` is the stable code shown to API clients.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ConnectError {
    /// The connection's definition is unacceptable (bad URL, option not allowed, path outside
    /// the allowed roots). The message names the part to fix.
    #[error("{message}")]
    Invalid { code: &'static str, message: String },
    /// The statement was refused before it reached the source.
    #[error(transparent)]
    Refused(#[from] proost_readonly::Refusal),
    #[error("the source could not be reached: {0}")]
    Unreachable(String),
    #[error("the source refused the credentials: {0}")]
    AuthFailed(String),
    /// TLS was asked for and could not be set up: the server does not offer it, or its
    /// certificate is not trusted or not for this host. Never retried in plaintext.
    #[error("TLS to the source failed: {0}")]
    Tls(String),
    /// The source ran the statement and reported an error (unknown table, syntax, …).
    #[error("the source reported: {0}")]
    Query(String),
    #[error("the query ran longer than the {0:?} limit and was cancelled")]
    Timeout(Duration),
    #[error("the query was cancelled")]
    Cancelled,
    #[error(
        "the query needs more than the {0} MiB memory limit; add filters, aggregate, or lower the limit"
    )]
    MemoryLimit(usize),
    #[error("{0}")]
    Internal(String),
}

impl ConnectError {
    pub fn code(&self) -> &'static str {
        match self {
            ConnectError::Invalid { code, .. } => code,
            ConnectError::Refused(r) => r.code,
            ConnectError::Unreachable(_) => "source_unreachable",
            ConnectError::AuthFailed(_) => "source_auth_failed",
            ConnectError::Tls(_) => "source_tls_failed",
            ConnectError::Query(_) => "source_query_error",
            ConnectError::Timeout(_) => "query_timeout",
            ConnectError::Cancelled => "query_cancelled",
            ConnectError::MemoryLimit(_) => "memory_limit_exceeded",
            ConnectError::Internal(_) => "internal_error",
        }
    }

    pub(crate) fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        ConnectError::Invalid {
            code,
            message: message.into(),
        }
    }
}

pub type Result<T, E = ConnectError> = std::result::Result<T, E>;

/// Bounds every statement a source runs.
#[derive(Debug, Clone)]
pub struct Limits {
    pub timeout: Duration,
    /// Rows returned at most; one more is read to know whether the result was truncated.
    pub max_rows: usize,
    /// Bytes the rows read from the source may take before the query is stopped.
    pub max_bytes: usize,
    /// Set when the client went away; sources poll it and stop.
    pub cancel: CancelFlag,
}

impl Limits {
    pub fn new(timeout: Duration, max_rows: usize) -> Self {
        Limits {
            timeout,
            max_rows,
            max_bytes: 1024 * 1024 * 1024,
            cancel: CancelFlag::default(),
        }
    }
}

/// Shared flag set when the request that started a query is gone.
#[derive(Debug, Clone, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

impl CancelFlag {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
    /// A guard that cancels when dropped: hold it for as long as the result is wanted.
    pub fn guard(&self) -> CancelOnDrop {
        CancelOnDrop(self.clone())
    }
}

pub struct CancelOnDrop(CancelFlag);

impl CancelOnDrop {
    /// The work finished normally; dropping the guard must not cancel anything.
    pub fn disarm(self) {
        std::mem::forget(self);
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Rows a statement returned, as Arrow.
#[derive(Debug, Clone)]
pub struct QueryOutput {
    pub schema: SchemaRef,
    pub batches: Vec<RecordBatch>,
    pub truncated: bool,
}

/// A schema (PostgreSQL schema, MySQL database, SQLite `main`) and its tables.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SchemaInfo {
    pub name: String,
    pub tables: Vec<TableInfo>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TableInfo {
    pub name: String,
    /// `table` or `view`.
    pub kind: String,
    pub columns: Vec<ColumnInfo>,
    /// The table's foreign keys to tables of the same catalog the account can see. Absent
    /// from metadata stored before keys were read, which still reads (as no key).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
}

/// A foreign key: `columns` of the table holding it reference `ref_columns` of
/// `ref_schema.ref_table`, pair by pair in order (composite keys keep the key's order).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Hash)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub ref_schema: String,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ColumnInfo {
    pub name: String,
    /// The type as the source declares it (`numeric(12,2)`, `varchar(255)`, …).
    pub source_type: String,
    /// The Arrow type Proost reads it as.
    #[serde(skip)]
    pub arrow_type: Option<arrow::datatypes::DataType>,
    /// The driver cannot decode this type natively; scans cast it to text.
    #[serde(skip)]
    pub read_as_text: bool,
    pub nullable: bool,
    /// Which filters the source may evaluate on this column (its introspection decides).
    #[serde(skip)]
    pub comparisons: Comparisons,
}

/// What a table scan asks of a source: pushed-down projection, filters and limit.
pub struct ScanSpec<'a> {
    /// `None` for sources without schemas in their SQL (SQLite's `main`).
    pub schema: Option<&'a str>,
    pub table: &'a str,
    pub columns: Vec<&'a ColumnInfo>,
    /// ANDed; each admitted by its column ([`ColumnInfo::pushed_op`]).
    pub filters: Vec<Predicate>,
    pub limit: Option<usize>,
    /// Rows in random order (the sample of a classification scan).
    pub random_order: bool,
}

impl ScanSpec<'_> {
    /// Renders the scan as one SELECT in `dialect`: identifiers quoted, every value (filter
    /// operands, the limit) a bound parameter. Columns the driver cannot decode are cast to
    /// `text_type`.
    pub(crate) fn to_bound(&self, dialect: Dialect, text_type: &str) -> BoundSql {
        let mut w = bound::SqlWriter::new(dialect);
        self.write_select(&mut w, text_type);
        for (i, f) in self.filters.iter().enumerate() {
            w.push(if i == 0 { " WHERE " } else { " AND " });
            w.push("(");
            w.predicate(f);
            w.push(")");
        }
        if self.random_order {
            w.push(match dialect {
                Dialect::MySql => " ORDER BY RAND()",
                _ => " ORDER BY random()",
            });
        }
        if let Some(n) = self.limit {
            w.push(" LIMIT ");
            w.value(SqlValue::UInt(n as u64));
        }
        w.finish()
    }

    /// `SELECT columns FROM table`, without filters.
    pub(crate) fn write_select(&self, w: &mut bound::SqlWriter, text_type: &str) {
        w.push("SELECT ");
        if self.columns.is_empty() {
            w.push("1");
        }
        for (i, c) in self.columns.iter().enumerate() {
            if i > 0 {
                w.push(", ");
            }
            if c.read_as_text {
                w.push("CAST(");
                w.ident(&c.name);
                w.push(&format!(" AS {text_type}) AS "));
            }
            w.ident(&c.name);
        }
        w.push(" FROM ");
        if let Some(s) = self.schema {
            w.ident(s);
            w.push(".");
        }
        w.ident(self.table);
    }
}

/// Appends a column to the inventory, opening its schema and table when they change.
/// Catalog queries return columns ordered by schema, table and position.
pub(crate) fn add_column(
    schemas: &mut Vec<SchemaInfo>,
    schema: &str,
    table: &str,
    is_view: bool,
    column: ColumnInfo,
) {
    if schemas.last().is_none_or(|s| s.name != schema) {
        schemas.push(SchemaInfo {
            name: schema.to_string(),
            tables: Vec::new(),
        });
    }
    let Some(s) = schemas.last_mut() else { return };
    if s.tables.last().is_none_or(|t| t.name != table) {
        s.tables.push(TableInfo {
            name: table.to_string(),
            kind: if is_view { "view" } else { "table" }.to_string(),
            columns: Vec::new(),
            foreign_keys: Vec::new(),
        });
    }
    if let Some(t) = s.tables.last_mut() {
        t.columns.push(column);
    }
}

/// One column pair of a foreign key as a catalog query returns it. Rows arrive ordered by
/// schema, table, constraint and position, so a key's pairs are consecutive and in order.
pub(crate) struct KeyColumn {
    pub schema: String,
    pub table: String,
    /// Tells the table's keys apart (constraint name or number).
    pub constraint: String,
    pub column: String,
    pub ref_schema: String,
    pub ref_table: String,
    pub ref_column: String,
}

/// Gives each table its foreign keys. A key is kept only when its table, the table it
/// references and every column on both sides are in the introspected catalog (a key to a
/// table the account cannot see is not reported); a key listed twice is kept once.
pub(crate) fn attach_foreign_keys(schemas: &mut [SchemaInfo], rows: Vec<KeyColumn>) {
    let mut keys: Vec<(String, String, String, ForeignKey)> = Vec::new();
    for r in rows {
        match keys.last_mut() {
            Some((s, t, c, key))
                if *s == r.schema
                    && *t == r.table
                    && *c == r.constraint
                    && key.ref_schema == r.ref_schema
                    && key.ref_table == r.ref_table =>
            {
                key.columns.push(r.column);
                key.ref_columns.push(r.ref_column);
            }
            _ => keys.push((
                r.schema,
                r.table,
                r.constraint,
                ForeignKey {
                    columns: vec![r.column],
                    ref_schema: r.ref_schema,
                    ref_table: r.ref_table,
                    ref_columns: vec![r.ref_column],
                },
            )),
        }
    }
    let has_columns = |schemas: &[SchemaInfo], schema: &str, table: &str, cols: &[String]| {
        schemas
            .iter()
            .find(|s| s.name == schema)
            .and_then(|s| s.tables.iter().find(|t| t.name == table))
            .is_some_and(|t| {
                cols.iter()
                    .all(|c| t.columns.iter().any(|col| &col.name == c))
            })
    };
    for (schema, table, _, key) in keys {
        if key.columns.is_empty()
            || key.columns.len() != key.ref_columns.len()
            || !has_columns(schemas, &schema, &table, &key.columns)
            || !has_columns(schemas, &key.ref_schema, &key.ref_table, &key.ref_columns)
        {
            continue;
        }
        let Some(t) = schemas
            .iter_mut()
            .find(|s| s.name == schema)
            .and_then(|s| s.tables.iter_mut().find(|t| t.name == table))
        else {
            continue;
        };
        if !t.foreign_keys.contains(&key) {
            t.foreign_keys.push(key);
        }
    }
}

/// Turns collected rows into the result: into the scan's promised schema when given, else
/// with the source's own column types (`None` = inferred from the values).
pub(crate) fn output(
    schema: Option<SchemaRef>,
    names: &[String],
    types: &[Option<arrow::datatypes::DataType>],
    rows: &[Vec<cells::Cell>],
    truncated: bool,
) -> Result<QueryOutput> {
    let (schema, batch) = match schema {
        Some(schema) => {
            let batch = cells::build_batch_for(&schema, rows)?;
            (schema, batch)
        }
        None => cells::build_batch(names, types, rows)?,
    };
    Ok(QueryOutput {
        schema,
        batches: vec![batch],
        truncated,
    })
}

/// The last cursor value an incremental replica has seen; only rows strictly after it are
/// read next time. Rendered by each source as a literal of its own dialect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CursorValue {
    Int(i64),
    /// Microseconds since the epoch (UTC for zoned columns).
    Timestamp(i64),
    /// Days since 1970-01-01.
    Date(i32),
    Text(String),
}

/// A whole-table read for replication: every row (or every row after the cursor), in
/// batches of the table's Arrow schema, from one consistent snapshot.
#[derive(Debug, Clone)]
pub struct TableRead {
    /// `None` for sources without schemas in their SQL (SQLite's `main`).
    pub schema: Option<String>,
    pub table: String,
    /// The columns to read, as introspected (types decide how each is read).
    pub columns: Vec<ColumnInfo>,
    /// The schema every batch has: one field per column, in order.
    pub arrow_schema: SchemaRef,
    /// Incremental reads: only rows whose `column` is greater than `after` (all when `None`).
    pub cursor: Option<(String, Option<CursorValue>)>,
    /// Rows per batch.
    pub batch_rows: usize,
    /// Range-partitioned parallel reads on this integer column, where the source supports
    /// them; all partitions see the same snapshot.
    pub partition_on: Option<String>,
}

/// One connected database, read-only.
#[async_trait::async_trait]
pub trait Source: Send + Sync {
    fn kind(&self) -> ConnectionKind;

    /// Connects and reports what the account could change, in words an admin can act on.
    /// An empty list means the account looks read-only.
    async fn write_warnings(&self) -> Result<Vec<String>>;

    /// Schemas, tables and columns the account can see.
    async fn introspect(&self) -> Result<Vec<SchemaInfo>>;

    /// The statement that reads a table scan from this source, its values bound.
    fn scan_sql(&self, scan: &ScanSpec<'_>) -> BoundSql;

    /// Runs one read-only statement in the source's dialect, its parameters bound through
    /// the driver. When `schema` is given the result is read into exactly those columns and
    /// types (used for table scans).
    async fn query(
        &self,
        statement: &BoundSql,
        schema: Option<SchemaRef>,
        limits: &Limits,
    ) -> Result<QueryOutput>;

    /// Streams a table for replication into `outputs`: partition `i` sends its batches to
    /// `outputs[i]`. A source that cannot partition (or a table without `partition_on`)
    /// uses `outputs[0]` only and drops the rest. Memory stays bounded by the channels'
    /// capacity: a slow receiver slows the read. Returns the rows read.
    ///
    /// Every batch has exactly `read.arrow_schema` and `read.batch_rows` rows (the last of
    /// each partition fewer). The whole read is one read-only snapshot. `limits.timeout`
    /// bounds the whole read and `limits.cancel` stops it between batches; a dropped
    /// receiver stops it too, and the source stops its statement. `limits.max_rows` and
    /// `limits.max_bytes` do not apply: this is a whole-table copy, and its memory is
    /// bounded by batch size × channel capacity instead.
    async fn read_table(
        &self,
        read: &TableRead,
        limits: &Limits,
        outputs: Vec<tokio::sync::mpsc::Sender<RecordBatch>>,
    ) -> Result<u64>;
}

/// Builds the source for a connection.
pub fn open(params: &ConnectionParams) -> Arc<dyn Source> {
    match params {
        ConnectionParams::Postgres(p) => Arc::new(postgres::PostgresSource::new(p.clone())),
        ConnectionParams::Mysql(p) => Arc::new(mysql::MySqlSource::new(p.clone())),
        ConnectionParams::Sqlite(p) => Arc::new(sqlite::SqliteSource::new(p.clone())),
    }
}

/// Runs `fut` under the query's timeout, mapping expiry to [`ConnectError::Timeout`].
/// Cancel requests sent from `Drop` (a dropped query stops at its source) still under way.
static CLEANUPS: AtomicUsize = AtomicUsize::new(0);

/// Spawns the cancel request of a dropped statement, counted so a stopping process can
/// wait for it ([`cleanups_settled`]) instead of leaving the statement running.
pub(crate) fn spawn_cleanup(work: impl std::future::Future<Output = ()> + Send + 'static) {
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        CLEANUPS.fetch_add(1, Ordering::SeqCst);
        handle.spawn(async move {
            work.await;
            CLEANUPS.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

/// Waits (at most `max`) until the cancel requests of dropped statements have been sent.
pub async fn cleanups_settled(max: Duration) {
    let until = tokio::time::Instant::now() + max;
    while CLEANUPS.load(Ordering::SeqCst) > 0 && tokio::time::Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub(crate) async fn within<T>(
    limits: &Limits,
    fut: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    match tokio::time::timeout(limits.timeout, fut).await {
        Ok(r) => r,
        Err(_) => Err(ConnectError::Timeout(limits.timeout)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str) -> ColumnInfo {
        ColumnInfo {
            name: name.into(),
            source_type: "int".into(),
            arrow_type: None,
            read_as_text: false,
            nullable: true,
            comparisons: Comparisons::None,
        }
    }

    fn pair(
        table: &str,
        constraint: &str,
        column: &str,
        ref_table: &str,
        ref_column: &str,
    ) -> KeyColumn {
        KeyColumn {
            schema: "s".into(),
            table: table.into(),
            constraint: constraint.into(),
            column: column.into(),
            ref_schema: "s".into(),
            ref_table: ref_table.into(),
            ref_column: ref_column.into(),
        }
    }

    #[test]
    fn metadata_stored_before_foreign_keys_still_reads_and_tables_without_keys_write_as_before() {
        let old = r#"{"name":"t","kind":"table","columns":[{"name":"id","source_type":"int","nullable":false}]}"#;
        let table: TableInfo = serde_json::from_str(old).expect("old metadata reads");
        assert!(table.foreign_keys.is_empty());
        let written = serde_json::to_string(&table).expect("writes");
        assert!(!written.contains("foreign_keys"), "{written}");
    }

    #[test]
    fn keys_are_grouped_in_order_and_kept_only_when_both_sides_are_known() {
        let mut schemas = vec![SchemaInfo {
            name: "s".into(),
            tables: ["a", "b"]
                .iter()
                .map(|t| TableInfo {
                    name: t.to_string(),
                    kind: "table".into(),
                    columns: vec![column("x"), column("y"), column("z")],
                    foreign_keys: Vec::new(),
                })
                .collect(),
        }];
        attach_foreign_keys(
            &mut schemas,
            vec![
                // Composite, listed in the key's order.
                pair("a", "k1", "y", "b", "z"),
                pair("a", "k1", "x", "b", "y"),
                // The same key again (a duplicate constraint).
                pair("a", "k2", "y", "b", "z"),
                pair("a", "k2", "x", "b", "y"),
                // To a table the account cannot see, and from a column it cannot see.
                pair("a", "k3", "x", "hidden", "id"),
                pair("b", "k4", "secret", "a", "x"),
                pair("b", "k5", "x", "a", "x"),
            ],
        );
        let keys = |t: usize| schemas[0].tables[t].foreign_keys.clone();
        assert_eq!(
            keys(0),
            vec![ForeignKey {
                columns: vec!["y".into(), "x".into()],
                ref_schema: "s".into(),
                ref_table: "b".into(),
                ref_columns: vec!["z".into(), "y".into()],
            }]
        );
        assert_eq!(
            keys(1),
            vec![ForeignKey {
                columns: vec!["x".into()],
                ref_schema: "s".into(),
                ref_table: "a".into(),
                ref_columns: vec!["x".into()],
            }]
        );
    }
}
