//! MySQL and MariaDB through mysql_async. User SQL only ever goes through prepared statements
//! (the binary protocol, whose COM_STMT_PREPARE admits a single statement): the text protocol
//! negotiates multi-statements, so `SELECT 1; DROP TABLE t` would run both there. Every
//! statement runs inside `START TRANSACTION READ ONLY` with a server-side time limit.

use arrow::datatypes::{DataType, SchemaRef};
use arrow::record_batch::RecordBatch;
use mysql_async::consts::{ColumnFlags, ColumnType};
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, OptsBuilder, Params, Row, Value};
use tokio::sync::mpsc::Sender;

use crate::cells::{self, Cell};
use crate::params::{ConnectionKind, MySqlParams};
use crate::read::{BatchBuilder, Val};
use crate::{
    BoundSql, ColumnInfo, Comparisons, ConnectError, CursorValue, Dialect, Limits, QueryOutput,
    Result, ScanSpec, SchemaInfo, Source, SqlValue, TableRead,
};

/// `sql_mode` flags that change how the server reads the text of a statement: with them a
/// string could end where the statement guard (which reads MySQL's default way) does not
/// see it end. Every session drops them, and is refused if they are still set.
const TEXT_MODES: &[&str] = &["NO_BACKSLASH_ESCAPES", "ANSI_QUOTES", "ANSI"];

/// The session's `sql_mode` without [`TEXT_MODES`].
fn plain_text_mode(mode: &str) -> String {
    mode.split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty() && !TEXT_MODES.iter().any(|t| m.eq_ignore_ascii_case(t)))
        .collect::<Vec<_>>()
        .join(",")
}

/// A connection set up as every statement assumes: read-only, UTC, plain string syntax.
struct Session {
    conn: Conn,
    mariadb: bool,
}

/// The `binary` character set: string columns that hold bytes, not text.
const BINARY_CHARSET: u16 = 63;

pub(crate) struct MySqlSource {
    params: MySqlParams,
}

impl MySqlSource {
    pub(crate) fn new(params: MySqlParams) -> Self {
        MySqlSource { params }
    }

    async fn connect(&self) -> Result<Session> {
        let p = &self.params;
        // No local-infile handler is installed, so `LOAD DATA LOCAL` cannot read our files.
        let opts = OptsBuilder::default()
            .ip_or_hostname(p.host.clone())
            .tcp_port(p.port)
            .user(Some(p.user.clone()))
            .pass(p.password.clone())
            .db_name(p.database.clone())
            .prefer_socket(false)
            .stmt_cache_size(0)
            // With TLS options set the driver refuses a server that does not offer TLS.
            .ssl_opts(p.tls.mysql_opts()?);
        let mut conn = tokio::time::timeout(std::time::Duration::from_secs(10), Conn::new(opts))
            .await
            .map_err(|_| ConnectError::Unreachable("connecting timed out after 10 s".into()))?
            .map_err(connect_error)?;
        conn.query_drop("SET SESSION TRANSACTION READ ONLY")
            .await
            .map_err(query_error)?;
        let (mode, version): (String, String) = conn
            .query_first("SELECT @@SESSION.sql_mode, VERSION()")
            .await
            .map_err(query_error)?
            .unwrap_or_default();
        conn.exec_drop(
            "SET SESSION time_zone = '+00:00', sql_mode = ?",
            (plain_text_mode(&mode),),
        )
        .await
        .map_err(query_error)?;
        let now: Option<String> = conn
            .query_first("SELECT @@SESSION.sql_mode")
            .await
            .map_err(query_error)?;
        let now = now.unwrap_or_default();
        if plain_text_mode(&now) != now {
            return Err(ConnectError::Internal(format!(
                "the server kept sql_mode {now}, which changes how statements are read; Proost does not run statements under it"
            )));
        }
        Ok(Session {
            conn,
            mariadb: version.contains("MariaDB"),
        })
    }

    /// Sets the server-side time limit of the session's statements to the query's limit.
    async fn limit_time(&self, session: &mut Session, limits: &Limits) -> Result<()> {
        let conn = &mut session.conn;
        if session.mariadb {
            conn.exec_drop(
                "SET SESSION max_statement_time = ?",
                (limits.timeout.as_secs_f64().max(0.001),),
            )
            .await
        } else {
            conn.exec_drop(
                "SET SESSION max_execution_time = ?",
                (limits.timeout.as_millis().clamp(1, u128::from(u32::MAX)) as u64,),
            )
            .await
        }
        .map_err(query_error)
    }
}

/// A bound value as MySQL's binary protocol carries it. Timestamps are DATETIME values,
/// read in the session's UTC time zone.
fn mysql_value(v: &SqlValue) -> Result<Value> {
    use chrono::{Datelike, Timelike};
    Ok(match v {
        SqlValue::Bool(b) => Value::Int(i64::from(*b)),
        SqlValue::Int(i) => Value::Int(*i),
        SqlValue::UInt(u) => Value::UInt(*u),
        SqlValue::Float(f) => Value::Double(*f),
        SqlValue::Text(s) => Value::Bytes(s.as_bytes().to_vec()),
        // Wrapped in CAST(? AS DECIMAL(p,s)) by the statement writer.
        SqlValue::Decimal { .. } => Value::Bytes(
            v.to_text()
                .ok_or_else(|| ConnectError::Internal("a decimal without text".into()))?
                .into_bytes(),
        ),
        SqlValue::Timestamp { micros, .. } => {
            let t = chrono::DateTime::from_timestamp_micros(*micros)
                .map(|t| t.naive_utc())
                .filter(|t| (0..=9999).contains(&t.year()))
                .ok_or_else(|| {
                    ConnectError::Query(format!("the timestamp {micros} µs is out of range"))
                })?;
            Value::Date(
                t.year() as u16,
                t.month() as u8,
                t.day() as u8,
                t.hour() as u8,
                t.minute() as u8,
                t.second() as u8,
                t.nanosecond() / 1000,
            )
        }
        SqlValue::Date(days) => {
            let d = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
                .and_then(|e| e.checked_add_signed(chrono::TimeDelta::days(i64::from(*days))))
                .filter(|d| (0..=9999).contains(&d.year()))
                .ok_or_else(|| ConnectError::Query(format!("the date {days} is out of range")))?;
            Value::Date(d.year() as u16, d.month() as u8, d.day() as u8, 0, 0, 0, 0)
        }
    })
}

fn mysql_params(params: &[SqlValue]) -> Result<Params> {
    if params.is_empty() {
        return Ok(Params::Empty);
    }
    Ok(Params::Positional(
        params.iter().map(mysql_value).collect::<Result<_>>()?,
    ))
}

struct KillQueryOnDrop(Option<(MySqlParams, u32)>);

impl Drop for KillQueryOnDrop {
    fn drop(&mut self) {
        if let Some((params, id)) = self.0.take() {
            crate::spawn_cleanup(async move {
                if let Ok(Session { mut conn, .. }) = MySqlSource::new(params).connect().await {
                    let _ = conn.exec_drop("KILL QUERY ?", (id,)).await;
                    let _ = conn.disconnect().await;
                }
            });
        }
    }
}

fn connect_error(e: mysql_async::Error) -> ConnectError {
    match e {
        mysql_async::Error::Driver(mysql_async::DriverError::NoClientSslFlagFromServer) => {
            ConnectError::Tls("the server does not offer TLS".into())
        }
        mysql_async::Error::Io(mysql_async::IoError::Tls(t)) => ConnectError::Tls(t.to_string()),
        mysql_async::Error::Io(mysql_async::IoError::Io(io))
            if io
                .get_ref()
                .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some()) =>
        {
            ConnectError::Tls(io.to_string())
        }
        mysql_async::Error::Server(s) if matches!(s.code, 1044 | 1045 | 1698) => {
            ConnectError::AuthFailed(s.message)
        }
        mysql_async::Error::Server(s) => ConnectError::Unreachable(s.message),
        other => ConnectError::Unreachable(other.to_string()),
    }
}

/// Errors of a user statement: the server-side time limits we set report as timeouts
/// (MariaDB 1969 ER_STATEMENT_TIMEOUT, MySQL 3024 ER_QUERY_TIMEOUT).
fn statement_error(e: mysql_async::Error, timeout: std::time::Duration) -> ConnectError {
    match e {
        mysql_async::Error::Server(s) if matches!(s.code, 1969 | 3024) => {
            ConnectError::Timeout(timeout)
        }
        other => query_error(other),
    }
}

fn query_error(e: mysql_async::Error) -> ConnectError {
    match e {
        mysql_async::Error::Server(s) => ConnectError::Query(s.message),
        other => ConnectError::Unreachable(other.to_string()),
    }
}

fn arrow_type_of(col: &mysql_async::Column) -> Option<DataType> {
    let unsigned = col.flags().contains(ColumnFlags::UNSIGNED_FLAG);
    let binary = col.character_set() == BINARY_CHARSET;
    Some(match col.column_type() {
        ColumnType::MYSQL_TYPE_TINY if col.column_length() == 1 && !unsigned => DataType::Boolean,
        ColumnType::MYSQL_TYPE_TINY if unsigned => DataType::Int16,
        ColumnType::MYSQL_TYPE_TINY => DataType::Int8,
        ColumnType::MYSQL_TYPE_SHORT if unsigned => DataType::Int32,
        ColumnType::MYSQL_TYPE_SHORT | ColumnType::MYSQL_TYPE_YEAR => DataType::Int16,
        ColumnType::MYSQL_TYPE_LONG | ColumnType::MYSQL_TYPE_INT24 if unsigned => DataType::Int64,
        ColumnType::MYSQL_TYPE_LONG | ColumnType::MYSQL_TYPE_INT24 => DataType::Int32,
        ColumnType::MYSQL_TYPE_LONGLONG if unsigned => DataType::UInt64,
        ColumnType::MYSQL_TYPE_LONGLONG => DataType::Int64,
        ColumnType::MYSQL_TYPE_FLOAT => DataType::Float32,
        ColumnType::MYSQL_TYPE_DOUBLE => DataType::Float64,
        ColumnType::MYSQL_TYPE_DECIMAL | ColumnType::MYSQL_TYPE_NEWDECIMAL => {
            DataType::Decimal128(38, col.decimals().min(38) as i8)
        }
        ColumnType::MYSQL_TYPE_DATE | ColumnType::MYSQL_TYPE_NEWDATE => DataType::Date32,
        ColumnType::MYSQL_TYPE_TIMESTAMP | ColumnType::MYSQL_TYPE_TIMESTAMP2 => {
            cells::timestamp_utc()
        }
        ColumnType::MYSQL_TYPE_DATETIME | ColumnType::MYSQL_TYPE_DATETIME2 => {
            cells::timestamp_naive()
        }
        ColumnType::MYSQL_TYPE_NULL => DataType::Null,
        ColumnType::MYSQL_TYPE_VARCHAR
        | ColumnType::MYSQL_TYPE_VAR_STRING
        | ColumnType::MYSQL_TYPE_STRING
        | ColumnType::MYSQL_TYPE_TINY_BLOB
        | ColumnType::MYSQL_TYPE_MEDIUM_BLOB
        | ColumnType::MYSQL_TYPE_LONG_BLOB
        | ColumnType::MYSQL_TYPE_BLOB
            if binary =>
        {
            DataType::Binary
        }
        _ => DataType::Utf8,
    })
}

/// The Arrow type of a column as `information_schema.COLUMNS` describes it.
fn arrow_type_of_declared(
    data_type: &str,
    column_type: &str,
    p: Option<u64>,
    s: Option<u64>,
) -> (DataType, bool) {
    let unsigned = column_type.contains("unsigned");
    let ty = match data_type {
        "tinyint" if column_type.starts_with("tinyint(1)") && !unsigned => DataType::Boolean,
        "tinyint" if unsigned => DataType::Int16,
        "tinyint" => DataType::Int8,
        "smallint" if unsigned => DataType::Int32,
        "smallint" | "year" => DataType::Int16,
        "mediumint" | "int" | "integer" if unsigned => DataType::Int64,
        "mediumint" | "int" | "integer" => DataType::Int32,
        "bigint" if unsigned => DataType::UInt64,
        "bigint" => DataType::Int64,
        "float" => DataType::Float32,
        "double" | "real" => DataType::Float64,
        "decimal" | "numeric" => DataType::Decimal128(
            p.unwrap_or(38).clamp(1, 38) as u8,
            s.unwrap_or(0).min(38) as i8,
        ),
        "date" => DataType::Date32,
        "datetime" => cells::timestamp_naive(),
        "timestamp" => cells::timestamp_utc(),
        "binary" | "varbinary" | "tinyblob" | "blob" | "mediumblob" | "longblob" => {
            DataType::Binary
        }
        "char" | "varchar" | "tinytext" | "text" | "mediumtext" | "longtext" | "enum" | "set"
        | "json" => DataType::Utf8,
        // time, bit, geometry, …: read as text.
        _ => return (DataType::Utf8, true),
    };
    (ty, false)
}

/// Filters MySQL evaluates at least as loosely as the engine: integers, decimals (through a
/// cast to the column's own type), doubles, dates and times in every comparison; text by
/// `=` and `LIKE` only, since a case- or accent-insensitive collation orders differently
/// but matches a superset. Not: FLOAT (single precision compared as double), flags
/// (`tinyint(1)` may hold 2), JSON, SET, binary strings.
fn comparisons(data_type: &str, arrow: &DataType, read_as_text: bool) -> Comparisons {
    if read_as_text {
        return Comparisons::None;
    }
    match arrow {
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt64
        | DataType::Float64
        | DataType::Date32
        | DataType::Timestamp(_, _) => Comparisons::Ordered,
        DataType::Decimal128(_, s) if *s <= 30 => Comparisons::Ordered,
        DataType::Utf8
            if matches!(
                data_type,
                "char" | "varchar" | "tinytext" | "text" | "mediumtext" | "longtext" | "enum"
            ) =>
        {
            Comparisons::Matching
        }
        _ => Comparisons::None,
    }
}

fn cell(v: &Value, col: &mysql_async::Column) -> Cell {
    match v {
        Value::NULL => Cell::Null,
        Value::Int(i) => Cell::Int(*i),
        Value::UInt(u) => Cell::UInt(*u),
        Value::Float(f) => Cell::Float((*f).into()),
        Value::Double(f) => Cell::Float(*f),
        Value::Bytes(b) => match col.column_type() {
            ColumnType::MYSQL_TYPE_DECIMAL | ColumnType::MYSQL_TYPE_NEWDECIMAL => {
                Cell::Decimal(String::from_utf8_lossy(b).into_owned())
            }
            _ if col.character_set() == BINARY_CHARSET => Cell::Bytes(b.clone()),
            _ => match String::from_utf8(b.clone()) {
                Ok(s) => Cell::Text(s),
                Err(e) => Cell::Bytes(e.into_bytes()),
            },
        },
        Value::Date(..) => match date_val(v, col) {
            Val::Date(d) => Cell::Date(d),
            Val::Timestamp(t) => Cell::Timestamp(t),
            _ => Cell::Null,
        },
        Value::Time(..) => Cell::Text(time_text(v)),
    }
}

/// A DATE, DATETIME or TIMESTAMP value: days for dates, else µs since the epoch (the
/// session's time zone is UTC).
fn date_val(v: &Value, col: &mysql_async::Column) -> Val<'static> {
    let Value::Date(y, m, d, hh, mm, ss, us) = v else {
        return Val::Null;
    };
    let days = cells::days_from_civil((*y).into(), (*m).into(), (*d).into()).unwrap_or(0);
    match col.column_type() {
        ColumnType::MYSQL_TYPE_DATE | ColumnType::MYSQL_TYPE_NEWDATE => Val::Date(days),
        _ => Val::Timestamp(
            days as i64 * 86_400_000_000
                + ((*hh as i64 * 60 + *mm as i64) * 60 + *ss as i64) * 1_000_000
                + *us as i64,
        ),
    }
}

/// A TIME value (a duration, possibly negative or over 24 h) as `[-]HH:MM:SS[.ffffff]`.
fn time_text(v: &Value) -> String {
    let Value::Time(neg, d, h, m, s, us) = v else {
        return String::new();
    };
    format!(
        "{}{:02}:{:02}:{:02}{}",
        if *neg { "-" } else { "" },
        *d as u64 * 24 + *h as u64,
        m,
        s,
        if *us > 0 {
            format!(".{us:06}")
        } else {
            String::new()
        }
    )
}

/// Appends one value of a streamed row, mapped as [`cell`] maps it, without allocating.
fn append_value(
    batch: &mut BatchBuilder,
    i: usize,
    v: &Value,
    col: &mysql_async::Column,
) -> Result<()> {
    let val = match v {
        Value::NULL => Val::Null,
        Value::Int(x) => Val::Int(*x),
        Value::UInt(x) => Val::UInt(*x),
        Value::Float(f) => Val::Float((*f).into()),
        Value::Double(f) => Val::Float(*f),
        Value::Bytes(b) => match col.column_type() {
            ColumnType::MYSQL_TYPE_DECIMAL | ColumnType::MYSQL_TYPE_NEWDECIMAL => {
                Val::DecimalText(std::str::from_utf8(b).map_err(|_| {
                    ConnectError::Query(format!(
                        "column `{}`: a DECIMAL value is not text",
                        col.name_str()
                    ))
                })?)
            }
            _ if col.character_set() == BINARY_CHARSET => Val::Bytes(b),
            _ => match std::str::from_utf8(b) {
                Ok(s) => Val::Text(s),
                Err(_) => Val::Bytes(b),
            },
        },
        Value::Date(..) => date_val(v, col),
        Value::Time(..) => {
            let s = time_text(v);
            return batch.append(i, Val::Text(&s));
        }
    };
    batch.append(i, val)
}

/// The cursor's value as a bound parameter: quotes and backslashes mean nothing in it,
/// whatever `sql_mode` says.
fn cursor_value(v: &CursorValue) -> SqlValue {
    match v {
        CursorValue::Int(i) => SqlValue::Int(*i),
        CursorValue::Text(s) => SqlValue::Text(s.clone()),
        CursorValue::Timestamp(us) => SqlValue::Timestamp {
            micros: *us,
            utc: false,
        },
        CursorValue::Date(d) => SqlValue::Date(*d),
    }
}

/// Foreign keys of the connection's database, one row per column pair in the key's order.
/// Constant statements (this one and the next): nothing is formatted into them.
const FOREIGN_KEYS_OF_DATABASE: &str = "SELECT TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, \
            REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME \
     FROM information_schema.KEY_COLUMN_USAGE \
     WHERE REFERENCED_TABLE_NAME IS NOT NULL AND TABLE_SCHEMA = DATABASE() \
     ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION";

/// Foreign keys of every database the account sees (a connection without a database).
const FOREIGN_KEYS_OF_ALL: &str = "SELECT TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, \
            REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME \
     FROM information_schema.KEY_COLUMN_USAGE \
     WHERE REFERENCED_TABLE_NAME IS NOT NULL \
       AND TABLE_SCHEMA NOT IN ('mysql','information_schema','performance_schema','sys') \
     ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION";

fn opt_string(row: &Row, i: usize) -> Option<String> {
    match row.as_ref(i) {
        Some(Value::Bytes(b)) => Some(String::from_utf8_lossy(b).into_owned()),
        Some(Value::Int(v)) => Some(v.to_string()),
        Some(Value::UInt(v)) => Some(v.to_string()),
        _ => None,
    }
}

fn opt_u64(row: &Row, i: usize) -> Option<u64> {
    match row.as_ref(i) {
        Some(Value::Int(v)) => u64::try_from(*v).ok(),
        Some(Value::UInt(v)) => Some(*v),
        Some(Value::Bytes(b)) => std::str::from_utf8(b).ok()?.parse().ok(),
        _ => None,
    }
}

#[async_trait::async_trait]
impl Source for MySqlSource {
    fn kind(&self) -> ConnectionKind {
        ConnectionKind::Mysql
    }

    async fn write_warnings(&self) -> Result<Vec<String>> {
        let mut conn = self.connect().await?.conn;
        let grants: Vec<Row> = conn.query("SHOW GRANTS").await.map_err(query_error)?;
        let _ = conn.disconnect().await;
        let user = &self.params.user;
        let mut warnings = Vec::new();
        for g in grants {
            let Some(line) = opt_string(&g, 0) else {
                continue;
            };
            let upper = line.to_uppercase();
            let privileges = upper
                .strip_prefix("GRANT ")
                .and_then(|rest| rest.split(" ON ").next())
                .unwrap_or("");
            let writes = [
                "ALL PRIVILEGES",
                "INSERT",
                "UPDATE",
                "DELETE",
                "CREATE",
                "DROP",
                "ALTER",
                "FILE",
                "SUPER",
                "INDEX",
                "EXECUTE",
            ];
            let found: Vec<&str> = writes
                .iter()
                .copied()
                .filter(|w| privileges.split(',').any(|p| p.trim().starts_with(w)))
                .collect();
            if !found.is_empty() {
                let on = upper
                    .split(" ON ")
                    .nth(1)
                    .and_then(|r| r.split(" TO ").next())
                    .unwrap_or("?")
                    .to_string();
                warnings.push(format!(
                    "the account `{user}` has {} on {}; grant it SELECT only",
                    found.join(", "),
                    on.to_lowercase()
                ));
            }
        }
        Ok(warnings)
    }

    async fn introspect(&self) -> Result<Vec<SchemaInfo>> {
        let mut conn = self.connect().await?.conn;
        let filter = match &self.params.database {
            Some(_) => "c.TABLE_SCHEMA = DATABASE()",
            None => {
                "c.TABLE_SCHEMA NOT IN ('mysql','information_schema','performance_schema','sys')"
            }
        };
        let sql = format!(
            "SELECT c.TABLE_SCHEMA, c.TABLE_NAME, t.TABLE_TYPE, c.COLUMN_NAME, c.DATA_TYPE, \
                    c.COLUMN_TYPE, c.NUMERIC_PRECISION, c.NUMERIC_SCALE, c.IS_NULLABLE \
             FROM information_schema.COLUMNS c \
             JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME \
             WHERE {filter} ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION"
        );
        let rows: Vec<Row> = conn.query(sql).await.map_err(query_error)?;
        let key_rows: Vec<Row> = conn
            .query(match &self.params.database {
                Some(_) => FOREIGN_KEYS_OF_DATABASE,
                None => FOREIGN_KEYS_OF_ALL,
            })
            .await
            .map_err(query_error)?;
        let _ = conn.disconnect().await;
        let mut schemas: Vec<SchemaInfo> = Vec::new();
        for r in rows {
            let (Some(schema), Some(table), Some(column)) =
                (opt_string(&r, 0), opt_string(&r, 1), opt_string(&r, 3))
            else {
                continue;
            };
            let table_type = opt_string(&r, 2).unwrap_or_default();
            let data_type = opt_string(&r, 4).unwrap_or_default().to_lowercase();
            let column_type = opt_string(&r, 5).unwrap_or_default().to_lowercase();
            let (arrow_type, read_as_text) =
                arrow_type_of_declared(&data_type, &column_type, opt_u64(&r, 6), opt_u64(&r, 7));
            let column = ColumnInfo {
                name: column,
                comparisons: comparisons(&data_type, &arrow_type, read_as_text),
                source_type: column_type,
                arrow_type: Some(arrow_type),
                read_as_text,
                nullable: opt_string(&r, 8).as_deref() == Some("YES"),
            };
            crate::add_column(
                &mut schemas,
                &schema,
                &table,
                table_type.contains("VIEW"),
                column,
            );
        }
        let keys = key_rows
            .iter()
            .filter_map(|r| {
                Some(crate::KeyColumn {
                    schema: opt_string(r, 0)?,
                    table: opt_string(r, 1)?,
                    constraint: opt_string(r, 2)?,
                    column: opt_string(r, 3)?,
                    ref_schema: opt_string(r, 4)?,
                    ref_table: opt_string(r, 5)?,
                    ref_column: opt_string(r, 6)?,
                })
            })
            .collect();
        crate::attach_foreign_keys(&mut schemas, keys);
        Ok(schemas)
    }

    fn scan_sql(&self, scan: &ScanSpec<'_>) -> BoundSql {
        scan.to_bound(Dialect::MySql, "CHAR")
    }

    async fn query(
        &self,
        statement: &BoundSql,
        schema: Option<SchemaRef>,
        limits: &Limits,
    ) -> Result<QueryOutput> {
        let sql = statement.sql.as_str();
        proost_readonly::check(sql, Dialect::MySql)?;
        let params = mysql_params(&statement.params)?;
        let mut session = self.connect().await?;
        self.limit_time(&mut session, limits).await?;
        crate::tap::record(sql, &statement.params);
        let mut conn = session.conn;
        // If this future is dropped (the HTTP client went away), stop the statement on the
        // server too, from a second connection.
        let mut on_drop = KillQueryOnDrop(Some((self.params.clone(), conn.id())));
        let stmt_err = |e| statement_error(e, limits.timeout);
        let run = async {
            conn.query_drop("START TRANSACTION READ ONLY")
                .await
                .map_err(stmt_err)?;
            let mut result = conn.exec_iter(sql, params).await.map_err(stmt_err)?;
            let columns = result.columns().unwrap_or_else(|| Vec::new().into());
            let mut rows = cells::Collected::new(limits);
            let mut truncated = false;
            while let Some(row) = result.next().await.map_err(stmt_err)? {
                if limits.cancel.is_cancelled() {
                    return Err(ConnectError::Cancelled);
                }
                if rows.len() == limits.max_rows {
                    truncated = true;
                    break;
                }
                rows.push(
                    columns
                        .iter()
                        .enumerate()
                        .map(|(i, c)| row.as_ref(i).map(|v| cell(v, c)).unwrap_or(Cell::Null))
                        .collect(),
                )?;
            }
            // Unread rows are drained before the connection is reused or closed.
            result.drop_result().await.map_err(stmt_err)?;
            conn.query_drop("ROLLBACK").await.map_err(stmt_err)?;
            Ok::<_, ConnectError>((columns, rows.rows, truncated))
        };
        let outcome = crate::within(limits, run).await;
        if outcome.is_ok() {
            on_drop.0 = None;
        }
        let (columns, rows, truncated) = outcome?;
        let _ = conn.disconnect().await;
        let names: Vec<String> = columns.iter().map(|c| c.name_str().into_owned()).collect();
        let types: Vec<Option<DataType>> = columns.iter().map(arrow_type_of).collect();
        crate::output(schema, &names, &types, &rows, truncated)
    }

    /// One streaming statement (rows are read from the socket as batches fill, never all
    /// at once) inside `START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY`. No
    /// partitions: MySQL cannot share a snapshot between connections, so partitions would
    /// not be one consistent copy.
    async fn read_table(
        &self,
        read: &TableRead,
        limits: &Limits,
        outputs: Vec<Sender<RecordBatch>>,
    ) -> Result<u64> {
        let out = crate::read::single_output(read, outputs)?;
        let statement = crate::read::select_sql(
            read,
            read.schema.as_deref(),
            Dialect::MySql,
            "CHAR",
            &[],
            |w| {
                if let Some((col, Some(after))) = &read.cursor {
                    w.push(" WHERE ");
                    w.ident(col);
                    w.push(" > ");
                    w.value(cursor_value(after));
                }
            },
        );
        proost_readonly::check(&statement.sql, Dialect::MySql)?;
        let params = mysql_params(&statement.params)?;
        let sql = statement.sql.as_str();
        let mut session = self.connect().await?;
        self.limit_time(&mut session, limits).await?;
        crate::tap::record(sql, &statement.params);
        let mut conn = session.conn;
        // An error, a timeout or a dropped receiver stops the statement on the server too.
        let mut on_drop = KillQueryOnDrop(Some((self.params.clone(), conn.id())));
        let stmt_err = |e| statement_error(e, limits.timeout);
        let run = async {
            conn.query_drop("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
                .await
                .map_err(stmt_err)?;
            let mut result = conn.exec_iter(sql, params).await.map_err(stmt_err)?;
            let columns = result.columns().unwrap_or_else(|| Vec::new().into());
            if columns.len() != read.columns.len() {
                return Err(ConnectError::Internal(format!(
                    "`{}` returned {} columns, {} expected",
                    read.table,
                    columns.len(),
                    read.columns.len()
                )));
            }
            let mut batch = BatchBuilder::new(read.arrow_schema.clone(), read.batch_rows)?;
            let mut total = 0u64;
            while let Some(row) = result.next().await.map_err(stmt_err)? {
                for (i, col) in columns.iter().enumerate() {
                    append_value(&mut batch, i, row.as_ref(i).unwrap_or(&Value::NULL), col)?;
                }
                total += 1;
                if batch.is_full()
                    && let Some(b) = batch.take()?
                {
                    crate::read::send(&out, b, limits).await?;
                }
            }
            if let Some(b) = batch.take()? {
                crate::read::send(&out, b, limits).await?;
            }
            conn.query_drop("ROLLBACK").await.map_err(stmt_err)?;
            Ok::<_, ConnectError>(total)
        };
        let outcome = crate::within(limits, run).await;
        if outcome.is_ok() {
            on_drop.0 = None;
        }
        let total = outcome?;
        let _ = conn.disconnect().await;
        Ok(total)
    }
}
