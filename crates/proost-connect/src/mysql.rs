//! MySQL and MariaDB through mysql_async. User SQL only ever goes through prepared statements
//! (the binary protocol, whose COM_STMT_PREPARE admits a single statement): the text protocol
//! negotiates multi-statements, so `SELECT 1; DROP TABLE t` would run both there. Every
//! statement runs inside `START TRANSACTION READ ONLY` with a server-side time limit.

use arrow::datatypes::{DataType, SchemaRef};
use mysql_async::consts::{ColumnFlags, ColumnType};
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, OptsBuilder, Row, Value};

use crate::cells::{self, Cell};
use crate::params::{ConnectionKind, MySqlParams};
use crate::{
    ColumnInfo, ConnectError, Dialect, Limits, QueryOutput, Result, ScanSpec, SchemaInfo, Source,
};

/// The `binary` character set: string columns that hold bytes, not text.
const BINARY_CHARSET: u16 = 63;

pub(crate) struct MySqlSource {
    params: MySqlParams,
}

impl MySqlSource {
    pub(crate) fn new(params: MySqlParams) -> Self {
        MySqlSource { params }
    }

    async fn connect(&self) -> Result<Conn> {
        let p = &self.params;
        // No local-infile handler is installed, so `LOAD DATA LOCAL` cannot read our files.
        let opts = OptsBuilder::default()
            .ip_or_hostname(p.host.clone())
            .tcp_port(p.port)
            .user(Some(p.user.clone()))
            .pass(p.password.clone())
            .db_name(p.database.clone())
            .prefer_socket(false)
            .stmt_cache_size(0);
        let mut conn = tokio::time::timeout(std::time::Duration::from_secs(10), Conn::new(opts))
            .await
            .map_err(|_| ConnectError::Unreachable("connecting timed out after 10 s".into()))?
            .map_err(connect_error)?;
        conn.query_drop("SET SESSION TRANSACTION READ ONLY")
            .await
            .map_err(query_error)?;
        conn.query_drop("SET SESSION time_zone = '+00:00'")
            .await
            .map_err(query_error)?;
        Ok(conn)
    }
}

struct KillQueryOnDrop(Option<(MySqlParams, u32)>);

impl Drop for KillQueryOnDrop {
    fn drop(&mut self) {
        if let (Some((params, id)), Ok(handle)) =
            (self.0.take(), tokio::runtime::Handle::try_current())
        {
            handle.spawn(async move {
                if let Ok(mut conn) = MySqlSource::new(params).connect().await {
                    let _ = conn.query_drop(format!("KILL QUERY {id}")).await;
                    let _ = conn.disconnect().await;
                }
            });
        }
    }
}

fn connect_error(e: mysql_async::Error) -> ConnectError {
    match e {
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
        Value::Date(y, m, d, hh, mm, ss, us) => {
            let days = cells::days_from_civil((*y).into(), (*m).into(), (*d).into()).unwrap_or(0);
            match col.column_type() {
                ColumnType::MYSQL_TYPE_DATE | ColumnType::MYSQL_TYPE_NEWDATE => Cell::Date(days),
                _ => Cell::Timestamp(
                    days as i64 * 86_400_000_000
                        + ((*hh as i64 * 60 + *mm as i64) * 60 + *ss as i64) * 1_000_000
                        + *us as i64,
                ),
            }
        }
        Value::Time(neg, d, h, m, s, us) => Cell::Text(format!(
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
        )),
    }
}

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
        let mut conn = self.connect().await?;
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
        let mut conn = self.connect().await?;
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
        Ok(schemas)
    }

    fn scan_sql(&self, scan: &ScanSpec<'_>) -> String {
        scan.to_sql('`', "CHAR", true)
    }

    async fn query(
        &self,
        sql: &str,
        schema: Option<SchemaRef>,
        limits: &Limits,
    ) -> Result<QueryOutput> {
        proost_readonly::check(sql, Dialect::MySql)?;
        let mut conn = self.connect().await?;
        let version: Option<String> = conn
            .query_first("SELECT VERSION()")
            .await
            .map_err(query_error)?;
        let limit_stmt = if version.unwrap_or_default().contains("MariaDB") {
            format!(
                "SET SESSION max_statement_time = {:.3}",
                limits.timeout.as_secs_f64().max(0.001)
            )
        } else {
            format!(
                "SET SESSION max_execution_time = {}",
                limits.timeout.as_millis().max(1)
            )
        };
        conn.query_drop(limit_stmt).await.map_err(query_error)?;
        // If this future is dropped (the HTTP client went away), stop the statement on the
        // server too, from a second connection.
        let mut on_drop = KillQueryOnDrop(Some((self.params.clone(), conn.id())));
        let stmt_err = |e| statement_error(e, limits.timeout);
        let run = async {
            conn.query_drop("START TRANSACTION READ ONLY")
                .await
                .map_err(stmt_err)?;
            let mut result = conn.exec_iter(sql, ()).await.map_err(stmt_err)?;
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
}
