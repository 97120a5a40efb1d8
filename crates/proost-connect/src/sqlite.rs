//! SQLite through rusqlite, three locks deep: the file is opened with
//! `SQLITE_OPEN_READ_ONLY` (and without `SQLITE_OPEN_URI`, so a `file:…?vfs=` name is just a
//! path), `PRAGMA query_only` is on, and an authorizer admits only reads and plain
//! functions: no ATTACH (which would open other files), no PRAGMA, no transaction control,
//! no `load_extension`. A progress handler enforces the time limit and cancellation.

use std::time::Instant;

use arrow::datatypes::{DataType, SchemaRef};
use arrow::record_batch::RecordBatch;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, OpenFlags};
use tokio::sync::mpsc::Sender;

use crate::bound::SqlWriter;
use crate::cells::{self, Cell};
use crate::params::{ConnectionKind, SqliteParams};
use crate::read::{BatchBuilder, Val};
use crate::{
    BoundSql, ColumnInfo, Comparisons, ConnectError, CursorValue, Dialect, Limits, QueryOutput,
    Result, ScanSpec, SchemaInfo, Source, SqlValue, TableInfo, TableRead,
};

pub(crate) struct SqliteSource {
    params: SqliteParams,
}

impl SqliteSource {
    pub(crate) fn new(params: SqliteParams) -> Self {
        SqliteSource { params }
    }
}

fn open(params: &SqliteParams) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        &params.path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| ConnectError::Unreachable(format!("{}: {e}", params.path.display())))?;
    conn.pragma_update(None, "query_only", true)
        .map_err(|e| ConnectError::Unreachable(e.to_string()))?;
    Ok(conn)
}

/// Functions that touch files or the process, even inside a SELECT.
const DENIED_FUNCTIONS: &[&str] = &[
    "load_extension",
    "readfile",
    "writefile",
    "edit",
    "fts3_tokenizer",
];

fn authorize(ctx: AuthContext<'_>) -> Authorization {
    match ctx.action {
        AuthAction::Select | AuthAction::Read { .. } | AuthAction::Recursive => {
            Authorization::Allow
        }
        AuthAction::Function { function_name }
            if !DENIED_FUNCTIONS
                .iter()
                .any(|d| d.eq_ignore_ascii_case(function_name)) =>
        {
            Authorization::Allow
        }
        _ => Authorization::Deny,
    }
}

fn query_error(e: rusqlite::Error) -> ConnectError {
    match e {
        rusqlite::Error::SqliteFailure(f, Some(msg))
            if f.code == rusqlite::ErrorCode::AuthorizationForStatementDenied =>
        {
            ConnectError::Refused(proost_readonly::Refusal {
                code: "statement_not_allowed",
                message: format!("SQLite refused the statement: {msg}"),
            })
        }
        rusqlite::Error::SqliteFailure(_, Some(msg)) => ConnectError::Query(msg),
        rusqlite::Error::MultipleStatement => ConnectError::Refused(proost_readonly::Refusal {
            code: "multiple_statements",
            message: "only a single statement is allowed".into(),
        }),
        other => ConnectError::Query(other.to_string()),
    }
}

/// SQLite's column affinity rules (https://sqlite.org/datatype3.html §3.1), mapped to Arrow.
fn affinity(decl: &str) -> Option<DataType> {
    let d = decl.to_ascii_uppercase();
    if d.contains("INT") {
        Some(DataType::Int64)
    } else if d.contains("CHAR")
        || d.contains("CLOB")
        || d.contains("TEXT")
        // NUMERIC affinity by the rules, but JSON documents and UUIDs are text in practice.
        || d.contains("JSON")
        || d.contains("UUID")
    {
        Some(DataType::Utf8)
    } else if d.contains("BLOB") || d.is_empty() {
        None
    } else if d.contains("REAL") || d.contains("FLOA") || d.contains("DOUB") {
        Some(DataType::Float64)
    } else if d.contains("BOOL") {
        Some(DataType::Boolean)
    } else if d.contains("DATE") || d.contains("TIME") {
        // Stored as text in practice; shown as it is stored.
        Some(DataType::Utf8)
    } else {
        Some(DataType::Float64)
    }
}

/// Filters SQLite evaluates as the engine does: numbers (an integer and a real compare by
/// value, as in the engine), and text by `=` and `IN`. Not `LIKE`: SQLite reads a value
/// only up to a NUL character there, so `'a\0b' LIKE 'a_b'` fails where the engine matches
/// (found by the pushdown fuzz). Flags are numbers SQLite compares as numbers, not booleans.
fn comparisons(arrow: Option<&DataType>) -> Comparisons {
    match arrow {
        Some(DataType::Int64 | DataType::Float64) => Comparisons::Ordered,
        Some(DataType::Utf8) => Comparisons::Equality,
        _ => Comparisons::None,
    }
}

fn cell(v: ValueRef<'_>) -> Cell {
    match v {
        ValueRef::Null => Cell::Null,
        ValueRef::Integer(i) => Cell::Int(i),
        ValueRef::Real(f) => Cell::Float(f),
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(s) => Cell::Text(s.to_string()),
            Err(_) => Cell::Bytes(t.to_vec()),
        },
        ValueRef::Blob(b) => Cell::Bytes(b.to_vec()),
    }
}

/// A bound value as SQLite stores it. Exact decimals and dates are never pushed to SQLite
/// (its columns hold them as text or floats), so they have no binding.
fn sqlite_value(v: &SqlValue) -> Result<Value> {
    Ok(match v {
        SqlValue::Bool(b) => Value::Integer(i64::from(*b)),
        SqlValue::Int(i) => Value::Integer(*i),
        SqlValue::UInt(u) => Value::Integer(i64::try_from(*u).unwrap_or(i64::MAX)),
        SqlValue::Float(f) => Value::Real(*f),
        SqlValue::Text(t) => Value::Text(t.clone()),
        SqlValue::Decimal { .. } | SqlValue::Date(_) | SqlValue::Timestamp { .. } => {
            return Err(ConnectError::Internal(
                "a decimal, date or timestamp value cannot be bound for SQLite".into(),
            ));
        }
    })
}

fn run(
    params: &SqliteParams,
    statement: &BoundSql,
    schema: Option<SchemaRef>,
    limits: &Limits,
) -> Result<QueryOutput> {
    let sql = statement.sql.as_str();
    let bound: Vec<Value> = statement
        .params
        .iter()
        .map(sqlite_value)
        .collect::<Result<_>>()?;
    let conn = open(params)?;
    conn.authorizer(Some(authorize))
        .map_err(|e| ConnectError::Internal(e.to_string()))?;
    let deadline = Instant::now() + limits.timeout;
    let cancel = limits.cancel.clone();
    conn.progress_handler(
        4_000,
        Some(move || Instant::now() > deadline || cancel.is_cancelled()),
    )
    .map_err(|e| ConnectError::Internal(e.to_string()))?;
    // An interrupt from the progress handler means our deadline or a cancellation.
    let stmt_err = |e| {
        if Instant::now() > deadline {
            ConnectError::Timeout(limits.timeout)
        } else if limits.cancel.is_cancelled() {
            ConnectError::Cancelled
        } else {
            query_error(e)
        }
    };
    let mut stmt = conn.prepare(sql).map_err(stmt_err)?;
    if !stmt.readonly() {
        return Err(ConnectError::Refused(proost_readonly::Refusal {
            code: "statement_not_allowed",
            message: "SQLite reports that this statement writes; only reads are allowed".into(),
        }));
    }
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let decl: Vec<Option<DataType>> = stmt
        .columns()
        .iter()
        .map(|c| c.decl_type().and_then(affinity))
        .collect();
    let ncols = names.len();
    let mut rows_out = cells::Collected::new(limits);
    let mut truncated = false;
    let mut rows = stmt
        .query(rusqlite::params_from_iter(bound.iter()))
        .map_err(stmt_err)?;
    loop {
        let next = rows.next().map_err(stmt_err)?;
        let Some(row) = next else { break };
        if rows_out.len() == limits.max_rows {
            truncated = true;
            break;
        }
        let mut out = Vec::with_capacity(ncols);
        for i in 0..ncols {
            out.push(row.get_ref(i).map(cell).map_err(stmt_err)?);
        }
        rows_out.push(out)?;
    }
    let rows_out = rows_out.rows;
    crate::output(schema, &names, &decl, &rows_out, truncated)
}

/// Writes the cursor's condition, its value bound. SQLite has no date types: a timestamp
/// or date cursor on a numeric column compares Unix seconds; on any other column it compares
/// ISO-8601 text in UTC (`YYYY-MM-DD HH:MM:SS.ffffff`, a `T` separator read as a space),
/// which orders exactly like the instants it names as long as the column stores UTC.
fn cursor_condition(
    w: &mut SqlWriter,
    read: &TableRead,
    col: &str,
    after: &CursorValue,
) -> Result<()> {
    let numeric = matches!(
        crate::read::column_type(read, col)?,
        DataType::Int64 | DataType::Int32 | DataType::Float64
    );
    w.push(" WHERE ");
    match after {
        CursorValue::Int(i) => {
            w.ident(col);
            w.push(" > ");
            w.value(SqlValue::Int(*i));
        }
        CursorValue::Text(t) => {
            w.ident(col);
            w.push(" > ");
            w.value(SqlValue::Text(t.clone()));
        }
        CursorValue::Timestamp(us) if numeric => {
            w.ident(col);
            w.push(" > ");
            w.value(SqlValue::Float(*us as f64 / 1e6));
        }
        CursorValue::Timestamp(us) => {
            w.push("replace(");
            w.ident(col);
            w.push(", 'T', ' ') > ");
            w.value(SqlValue::Text(crate::bound::timestamp_text(*us)?));
        }
        CursorValue::Date(d) if numeric => {
            w.ident(col);
            w.push(" >= ");
            w.value(SqlValue::Int((i64::from(*d) + 1) * 86_400));
        }
        CursorValue::Date(d) => {
            w.push("substr(");
            w.ident(col);
            w.push(", 1, 10) > ");
            w.value(SqlValue::Text(crate::bound::date_text(*d)?));
        }
    }
    Ok(())
}

/// Appends one value, coerced into the column's type as [`cell`] values are.
fn append_value(batch: &mut BatchBuilder, i: usize, v: ValueRef<'_>) -> Result<()> {
    batch.append(
        i,
        match v {
            ValueRef::Null => Val::Null,
            ValueRef::Integer(x) => Val::Int(x),
            ValueRef::Real(f) => Val::Float(f),
            ValueRef::Text(t) => match std::str::from_utf8(t) {
                Ok(s) => Val::Text(s),
                Err(_) => Val::Bytes(t),
            },
            ValueRef::Blob(b) => Val::Bytes(b),
        },
    )
}

/// The replication read, on a blocking thread: one `BEGIN`, so every row comes from one
/// snapshot (WAL mode) or under one shared lock (rollback journal).
fn read_table(
    params: &SqliteParams,
    read: &TableRead,
    statement: &BoundSql,
    limits: &Limits,
    out: &Sender<RecordBatch>,
) -> Result<u64> {
    let sql = statement.sql.as_str();
    let bind: Vec<Value> = statement
        .params
        .iter()
        .map(sqlite_value)
        .collect::<Result<_>>()?;
    let conn = open(params)?;
    // Before the authorizer, which refuses transaction control to every statement.
    conn.execute_batch("BEGIN")
        .map_err(|e| ConnectError::Query(e.to_string()))?;
    conn.authorizer(Some(authorize))
        .map_err(|e| ConnectError::Internal(e.to_string()))?;
    let deadline = Instant::now() + limits.timeout;
    let cancel = limits.cancel.clone();
    conn.progress_handler(
        4_000,
        Some(move || Instant::now() > deadline || cancel.is_cancelled()),
    )
    .map_err(|e| ConnectError::Internal(e.to_string()))?;
    let stopped = || {
        if Instant::now() > deadline {
            Some(ConnectError::Timeout(limits.timeout))
        } else if limits.cancel.is_cancelled() {
            Some(ConnectError::Cancelled)
        } else {
            None
        }
    };
    let stmt_err = |e| stopped().unwrap_or_else(|| query_error(e));
    let mut stmt = conn.prepare(sql).map_err(stmt_err)?;
    if !stmt.readonly() {
        return Err(ConnectError::Refused(proost_readonly::Refusal {
            code: "statement_not_allowed",
            message: "SQLite reports that this statement writes; only reads are allowed".into(),
        }));
    }
    if stmt.column_count() != read.columns.len() {
        return Err(ConnectError::Internal(format!(
            "`{}` returned {} columns, {} expected",
            read.table,
            stmt.column_count(),
            read.columns.len()
        )));
    }
    let ncols = read.columns.len();
    let mut rows = stmt
        .query(rusqlite::params_from_iter(bind.iter()))
        .map_err(stmt_err)?;
    let mut batch = BatchBuilder::new(read.arrow_schema.clone(), read.batch_rows)?;
    let mut total = 0u64;
    while let Some(row) = rows.next().map_err(stmt_err)? {
        for i in 0..ncols {
            append_value(&mut batch, i, row.get_ref(i).map_err(stmt_err)?)?;
        }
        total += 1;
        if batch.is_full()
            && let Some(b) = batch.take()?
        {
            if let Some(e) = stopped() {
                return Err(e);
            }
            crate::read::blocking_send(out, b, limits)?;
        }
    }
    if let Some(b) = batch.take()? {
        crate::read::blocking_send(out, b, limits)?;
    }
    Ok(total)
}

fn introspect(params: &SqliteParams) -> Result<Vec<SchemaInfo>> {
    let conn = open(params)?;
    let mut tables_stmt = conn
        .prepare(
            "SELECT name, type FROM sqlite_schema WHERE type IN ('table','view') \
             AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .map_err(query_error)?;
    let tables: Vec<(String, String)> = tables_stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(query_error)?
        .collect::<std::result::Result<_, _>>()
        .map_err(query_error)?;
    let mut cols_stmt = conn
        .prepare("SELECT name, type, \"notnull\" FROM pragma_table_info(?1) ORDER BY cid")
        .map_err(query_error)?;
    let mut out = Vec::new();
    for (name, kind) in tables {
        let columns = cols_stmt
            .query_map([&name], |r| {
                let decl: String = r.get(1)?;
                let arrow = affinity(&decl);
                Ok(ColumnInfo {
                    name: r.get(0)?,
                    comparisons: comparisons(arrow.as_ref()),
                    source_type: if decl.is_empty() { "any".into() } else { decl },
                    read_as_text: arrow.is_none(),
                    arrow_type: Some(arrow.unwrap_or(DataType::Utf8)),
                    nullable: r.get::<_, i64>(2)? == 0,
                })
            })
            .map_err(query_error)?
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(query_error)?;
        out.push(TableInfo {
            name,
            kind,
            columns,
            foreign_keys: Vec::new(),
        });
    }
    let keys = foreign_keys(&conn, &out)?;
    let mut schemas = vec![SchemaInfo {
        name: "main".into(),
        tables: out,
    }];
    crate::attach_foreign_keys(&mut schemas, keys);
    Ok(schemas)
}

/// The foreign keys of every table, one row per column pair in the key's order. A key
/// written without columns (`REFERENCES customers`) references the primary key, whose
/// columns are read in key order. Names are matched as SQLite matches them (ASCII
/// case-insensitively) and reported as the tables declare them. Both statements are
/// constant; the table name is a bound parameter of the table-valued pragma.
fn foreign_keys(conn: &Connection, tables: &[TableInfo]) -> Result<Vec<crate::KeyColumn>> {
    let mut keys_stmt = conn
        .prepare(
            "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
        )
        .map_err(query_error)?;
    let mut pk_stmt = conn
        .prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")
        .map_err(query_error)?;
    let column_of = |t: &TableInfo, name: &str| {
        t.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
            .map(|c| c.name.clone())
    };
    let mut out = Vec::new();
    for table in tables.iter().filter(|t| t.kind == "table") {
        type Row = (i64, String, String, Option<String>);
        let rows: Vec<Row> = keys_stmt
            .query_map([&table.name], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .map_err(query_error)?
            .collect::<std::result::Result<_, _>>()
            .map_err(query_error)?;
        // (key id, referenced table as written, [(column, referenced column)]).
        type Pairs = Vec<(String, Option<String>)>;
        let mut keys: Vec<(i64, String, Pairs)> = Vec::new();
        for (id, ref_table, from, to) in rows {
            match keys.last_mut() {
                Some((k, _, pairs)) if *k == id => pairs.push((from, to)),
                _ => keys.push((id, ref_table, vec![(from, to)])),
            }
        }
        for (id, ref_table, pairs) in keys {
            let Some(target) = tables
                .iter()
                .find(|t| t.name.eq_ignore_ascii_case(&ref_table))
            else {
                continue;
            };
            let primary: Vec<String> = if pairs.iter().any(|(_, to)| to.is_none()) {
                pk_stmt
                    .query_map([&target.name], |r| r.get(0))
                    .map_err(query_error)?
                    .collect::<std::result::Result<_, _>>()
                    .map_err(query_error)?
            } else {
                Vec::new()
            };
            let resolved: Option<Vec<(String, String)>> = pairs
                .into_iter()
                .enumerate()
                .map(|(i, (from, to))| {
                    let to = to.or_else(|| primary.get(i).cloned())?;
                    Some((column_of(table, &from)?, column_of(target, &to)?))
                })
                .collect();
            // A key whose columns cannot all be named is not reported at all.
            for (column, ref_column) in resolved.into_iter().flatten() {
                out.push(crate::KeyColumn {
                    schema: "main".into(),
                    table: table.name.clone(),
                    constraint: id.to_string(),
                    column,
                    ref_schema: "main".into(),
                    ref_table: target.name.clone(),
                    ref_column,
                });
            }
        }
    }
    Ok(out)
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ConnectError::Internal(format!("the SQLite worker failed: {e}")))?
}

#[async_trait::async_trait]
impl Source for SqliteSource {
    fn kind(&self) -> ConnectionKind {
        ConnectionKind::Sqlite
    }

    async fn write_warnings(&self) -> Result<Vec<String>> {
        let params = self.params.clone();
        // Opening proves the file is a readable database; the handle is read-only by
        // construction, so there is nothing to warn about.
        blocking(move || open(&params).map(|_| Vec::new())).await
    }

    async fn introspect(&self) -> Result<Vec<SchemaInfo>> {
        let params = self.params.clone();
        blocking(move || introspect(&params)).await
    }

    fn scan_sql(&self, scan: &ScanSpec<'_>) -> BoundSql {
        let main_less = ScanSpec {
            schema: None,
            table: scan.table,
            columns: scan.columns.clone(),
            filters: scan.filters.clone(),
            limit: scan.limit,
            random_order: scan.random_order,
        };
        main_less.to_bound(Dialect::Sqlite, "TEXT")
    }

    async fn query(
        &self,
        statement: &BoundSql,
        schema: Option<SchemaRef>,
        limits: &Limits,
    ) -> Result<QueryOutput> {
        proost_readonly::check(&statement.sql, Dialect::Sqlite)?;
        crate::tap::record(&statement.sql, &statement.params);
        let params = self.params.clone();
        let sql = statement.clone();
        let l = limits.clone();
        let timeout = limits.timeout;
        // The blocking task stops on its own through the progress handler (and reports
        // the timeout itself); the grace period only bounds our wait.
        let guard = limits.cancel.guard();
        let result = tokio::time::timeout(
            timeout + std::time::Duration::from_millis(500),
            blocking(move || run(&params, &sql, schema, &l)),
        )
        .await
        .unwrap_or(Err(ConnectError::Timeout(timeout)));
        guard.disarm();
        result
    }

    async fn read_table(
        &self,
        read: &TableRead,
        limits: &Limits,
        outputs: Vec<Sender<RecordBatch>>,
    ) -> Result<u64> {
        let out = crate::read::single_output(read, outputs)?;
        let mut cursor_error = None;
        // SQLite names its one schema `main`; the SQL never needs it.
        let sql = crate::read::select_sql(read, None, Dialect::Sqlite, "TEXT", &[], |w| {
            if let Some((col, Some(after))) = &read.cursor
                && let Err(e) = cursor_condition(w, read, col, after)
            {
                cursor_error = Some(e);
            }
        });
        if let Some(e) = cursor_error {
            return Err(e);
        }
        proost_readonly::check(&sql.sql, Dialect::Sqlite)?;
        crate::tap::record(&sql.sql, &sql.params);
        let params = self.params.clone();
        let (read, l) = (read.clone(), limits.clone());
        let timeout = limits.timeout;
        // As in `query`: the worker stops itself through the progress handler; a dropped
        // future cancels it, and the grace period only bounds our wait.
        let guard = limits.cancel.guard();
        let result = tokio::time::timeout(
            timeout + std::time::Duration::from_millis(500),
            blocking(move || read_table(&params, &read, &sql, &l, &out)),
        )
        .await
        .unwrap_or(Err(ConnectError::Timeout(timeout)));
        guard.disarm();
        result
    }
}
