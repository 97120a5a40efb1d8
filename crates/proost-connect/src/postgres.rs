//! PostgreSQL through tokio-postgres. User SQL goes through the extended protocol (one
//! `Parse` message admits one statement) inside `BEGIN READ ONLY`, with the session itself
//! started as `default_transaction_read_only=on`, and `statement_timeout` set to the query's
//! limit so the server stops working when we stop waiting.

use std::time::Duration;

use arrow::datatypes::{DataType, SchemaRef, TimeUnit};
use futures::StreamExt;
use tokio_postgres::types::{FromSql, Type};
use tokio_postgres::{Client, NoTls, Row};

use crate::cells::{self, Cell};
use crate::params::{ConnectionKind, PostgresParams};
use crate::{
    ColumnInfo, ConnectError, Dialect, Limits, QueryOutput, Result, ScanSpec, SchemaInfo, Source,
};

pub(crate) struct PostgresSource {
    params: PostgresParams,
}

impl PostgresSource {
    pub(crate) fn new(params: PostgresParams) -> Self {
        PostgresSource { params }
    }

    async fn connect(&self) -> Result<Client> {
        let p = &self.params;
        let mut cfg = tokio_postgres::Config::new();
        cfg.host(&p.host)
            .port(p.port)
            .user(&p.user)
            .dbname(&p.database)
            .application_name("proost")
            .connect_timeout(Duration::from_secs(10))
            .options("-c default_transaction_read_only=on");
        if let Some(pw) = &p.password {
            cfg.password(pw);
        }
        let (client, connection) = cfg.connect(NoTls).await.map_err(connect_error)?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(client)
    }

    /// Runs our own catalog queries (never user text) inside a read-only transaction.
    async fn catalog_rows(&self, client: &mut Client, sql: &str) -> Result<Vec<Row>> {
        let txn = client
            .build_transaction()
            .read_only(true)
            .start()
            .await
            .map_err(query_error)?;
        let rows = txn.query(sql, &[]).await.map_err(query_error)?;
        txn.rollback().await.map_err(query_error)?;
        Ok(rows)
    }
}

fn connect_error(e: tokio_postgres::Error) -> ConnectError {
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        if code.starts_with("28") {
            return ConnectError::AuthFailed(db.message().to_string());
        }
        return ConnectError::Unreachable(db.message().to_string());
    }
    ConnectError::Unreachable(e.to_string())
}

fn query_error(e: tokio_postgres::Error) -> ConnectError {
    match e.as_db_error() {
        Some(db) => ConnectError::Query(db.message().to_string()),
        None => ConnectError::Unreachable(e.to_string()),
    }
}

/// Errors of a user statement. 57014 (query_canceled) there means our own
/// `statement_timeout`, which is set to the query's time limit.
fn statement_error(e: tokio_postgres::Error, timeout: std::time::Duration) -> ConnectError {
    match e.as_db_error() {
        Some(db) if db.code().code() == "57014" => ConnectError::Timeout(timeout),
        _ => query_error(e),
    }
}

/// How a PostgreSQL type is read, and as which Arrow type. `None`: not supported directly;
/// scans read it as text.
fn arrow_type_of(ty: &Type) -> Option<DataType> {
    Some(match *ty {
        Type::BOOL => DataType::Boolean,
        Type::INT2 => DataType::Int16,
        Type::INT4 => DataType::Int32,
        Type::INT8 => DataType::Int64,
        Type::OID => DataType::Int64,
        Type::FLOAT4 => DataType::Float32,
        Type::FLOAT8 => DataType::Float64,
        Type::NUMERIC => DataType::Decimal128(38, 10),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => DataType::Utf8,
        Type::JSON | Type::JSONB | Type::UUID => DataType::Utf8,
        Type::BYTEA => DataType::Binary,
        Type::DATE => DataType::Date32,
        Type::TIMESTAMP => cells::timestamp_naive(),
        Type::TIMESTAMPTZ => cells::timestamp_utc(),
        Type::TIME => DataType::Time64(TimeUnit::Microsecond),
        _ => return None,
    })
}

/// Accepts any value as raw bytes; used for enums (text on the wire) and UUIDs.
struct Raw(Vec<u8>);

impl<'a> FromSql<'a> for Raw {
    fn from_sql(
        _: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(raw.to_vec()))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

fn cell(row: &Row, i: usize, ty: &Type) -> Result<Cell> {
    fn get<'a, T: FromSql<'a>>(row: &'a Row, i: usize) -> Result<Option<T>> {
        row.try_get::<_, Option<T>>(i)
            .map_err(|e| ConnectError::Query(format!("reading column {}: {e}", i + 1)))
    }
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    Ok(match *ty {
        Type::BOOL => get::<bool>(row, i)?.map(Cell::Bool),
        Type::INT2 => get::<i16>(row, i)?.map(|v| Cell::Int(v.into())),
        Type::INT4 => get::<i32>(row, i)?.map(|v| Cell::Int(v.into())),
        Type::INT8 => get::<i64>(row, i)?.map(Cell::Int),
        Type::OID => get::<u32>(row, i)?.map(|v| Cell::Int(v.into())),
        Type::FLOAT4 => get::<f32>(row, i)?.map(|v| Cell::Float(v.into())),
        Type::FLOAT8 => get::<f64>(row, i)?.map(Cell::Float),
        Type::NUMERIC => get::<rust_decimal::Decimal>(row, i)?.map(|d| Cell::Decimal(d.to_string())),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
            get::<String>(row, i)?.map(Cell::Text)
        }
        Type::JSON | Type::JSONB => {
            get::<serde_json::Value>(row, i)?.map(|v| Cell::Text(v.to_string()))
        }
        Type::UUID => get::<Raw>(row, i)?.map(|Raw(b)| Cell::Text(format_uuid(&b))),
        Type::BYTEA => get::<Vec<u8>>(row, i)?.map(Cell::Bytes),
        Type::DATE => get::<chrono::NaiveDate>(row, i)?.map(|d| {
            Cell::Date((d - epoch.date()).num_days() as i32)
        }),
        Type::TIMESTAMP => get::<chrono::NaiveDateTime>(row, i)?
            .map(|t| Cell::Timestamp(t.and_utc().timestamp_micros())),
        Type::TIMESTAMPTZ => get::<chrono::DateTime<chrono::Utc>>(row, i)?
            .map(|t| Cell::Timestamp(t.timestamp_micros())),
        Type::TIME => get::<chrono::NaiveTime>(row, i)?.map(|t| {
            Cell::Time((t - chrono::NaiveTime::MIN).num_microseconds().unwrap_or(0))
        }),
        _ if matches!(ty.kind(), tokio_postgres::types::Kind::Enum(_)) => {
            get::<Raw>(row, i)?.map(|Raw(b)| Cell::Text(String::from_utf8_lossy(&b).into_owned()))
        }
        _ => {
            return Err(ConnectError::Query(format!(
                "column {} has type `{}`, which Proost cannot read yet; cast it in the query, e.g. `col::text`",
                i + 1,
                ty.name()
            )));
        }
    }
    .unwrap_or(Cell::Null))
}

fn format_uuid(b: &[u8]) -> String {
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    if h.len() != 32 {
        return h;
    }
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn decimal_scale(rows: &[Vec<Cell>], col: usize) -> i8 {
    rows.iter()
        .filter_map(|r| match &r[col] {
            Cell::Decimal(s) => s.split_once('.').map(|(_, f)| f.len()),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .min(20) as i8
}

#[async_trait::async_trait]
impl Source for PostgresSource {
    fn kind(&self) -> ConnectionKind {
        ConnectionKind::Postgres
    }

    async fn write_warnings(&self) -> Result<Vec<String>> {
        let mut client = self.connect().await?;
        let user = &self.params.user;
        let mut warnings = Vec::new();
        let role = self
            .catalog_rows(
                &mut client,
                "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = current_user",
            )
            .await?;
        if let Some(r) = role.first() {
            if r.get::<_, bool>(0) {
                warnings.push(format!(
                    "the account `{user}` is a superuser: it can write to every table and read server files; connect with an account granted SELECT only"
                ));
            }
            if r.get::<_, bool>(1) || r.get::<_, bool>(2) {
                warnings.push(format!(
                    "the account `{user}` can create roles or databases; connect with an account granted SELECT only"
                ));
            }
        }
        let writable = self
            .catalog_rows(
                &mut client,
                "SELECT n.nspname || '.' || c.relname FROM pg_class c \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE c.relkind IN ('r','p','v','m','f') \
                 AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg_toast%' \
                 AND (has_table_privilege(c.oid,'INSERT') OR has_table_privilege(c.oid,'UPDATE') \
                   OR has_table_privilege(c.oid,'DELETE') OR has_table_privilege(c.oid,'TRUNCATE')) \
                 ORDER BY 1 LIMIT 6",
            )
            .await?;
        if !writable.is_empty() {
            let names: Vec<String> = writable.iter().take(5).map(|r| r.get(0)).collect();
            warnings.push(format!(
                "the account `{user}` can write to {}{}; grant it SELECT only",
                names.join(", "),
                if writable.len() > 5 { " and more" } else { "" }
            ));
        }
        let create = self
            .catalog_rows(
                &mut client,
                "SELECT n.nspname FROM pg_namespace n WHERE n.nspname NOT IN ('pg_catalog','information_schema') \
                 AND n.nspname NOT LIKE 'pg_%' AND has_schema_privilege(n.oid, 'CREATE') ORDER BY 1 LIMIT 5",
            )
            .await?;
        if !create.is_empty() {
            let names: Vec<String> = create.iter().map(|r| r.get(0)).collect();
            warnings.push(format!(
                "the account `{user}` can create objects in schema {}; revoke CREATE",
                names.join(", ")
            ));
        }
        Ok(warnings)
    }

    async fn introspect(&self) -> Result<Vec<SchemaInfo>> {
        let mut client = self.connect().await?;
        let rows = self
            .catalog_rows(
                &mut client,
                "SELECT c.table_schema::text, c.table_name::text, t.table_type::text, c.column_name::text, \
                        c.data_type::text, c.udt_name::text, c.numeric_precision::int4, c.numeric_scale::int4, \
                        c.character_maximum_length::int4, c.is_nullable::text \
                 FROM information_schema.columns c \
                 JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
                 WHERE c.table_schema NOT IN ('pg_catalog','information_schema') \
                   AND c.table_schema NOT LIKE 'pg_toast%' AND c.table_schema NOT LIKE 'pg_temp%' \
                 ORDER BY 1, 2, c.ordinal_position",
            )
            .await?;
        let mut schemas: Vec<SchemaInfo> = Vec::new();
        for r in rows {
            let schema: String = r.get(0);
            let table: String = r.get(1);
            let table_type: String = r.get(2);
            let data_type: String = r.get(4);
            let udt: String = r.get(5);
            let precision: Option<i32> = r.get(6);
            let scale: Option<i32> = r.get(7);
            let char_len: Option<i32> = r.get(8);
            let nullable: String = r.get(9);
            let (source_type, arrow_type) = match udt.as_str() {
                "numeric" => match (precision, scale) {
                    (Some(p), Some(s)) => (
                        format!("numeric({p},{s})"),
                        DataType::Decimal128(p.clamp(1, 38) as u8, s.clamp(0, 38) as i8),
                    ),
                    _ => ("numeric".to_string(), DataType::Decimal128(38, 10)),
                },
                _ => {
                    let shown = match char_len {
                        Some(n) => format!("{data_type}({n})"),
                        None if data_type == "USER-DEFINED" => udt.clone(),
                        None => data_type.clone(),
                    };
                    let ty = Type::from_oid(oid_of(&udt))
                        .and_then(|t| arrow_type_of(&t))
                        .unwrap_or(DataType::Utf8);
                    (shown, ty)
                }
            };
            let column = ColumnInfo {
                name: r.get(3),
                source_type,
                read_as_text: !matches!(udt.as_str(), "numeric")
                    && Type::from_oid(oid_of(&udt))
                        .and_then(|t| arrow_type_of(&t))
                        .is_none(),
                arrow_type: Some(arrow_type),
                nullable: nullable == "YES",
            };
            crate::add_column(&mut schemas, &schema, &table, table_type == "VIEW", column);
        }
        Ok(schemas)
    }

    fn scan_sql(&self, scan: &ScanSpec<'_>) -> String {
        scan.to_sql('"', "text", true)
    }

    async fn query(
        &self,
        sql: &str,
        schema: Option<SchemaRef>,
        limits: &Limits,
    ) -> Result<QueryOutput> {
        proost_readonly::check(sql, Dialect::Postgres)?;
        let mut client = self.connect().await?;
        let cancel = client.cancel_token();
        // If this future is dropped (the HTTP client went away), tell the server to stop
        // too: closing the socket alone leaves the backend running until it next writes.
        let mut on_drop = CancelQueryOnDrop(Some(cancel.clone()));
        let stmt_err = |e| statement_error(e, limits.timeout);
        let run = async {
            let txn = client
                .build_transaction()
                .read_only(true)
                .start()
                .await
                .map_err(stmt_err)?;
            let ms = limits.timeout.as_millis().max(1);
            txn.batch_execute(&format!("SET LOCAL statement_timeout = {ms}"))
                .await
                .map_err(stmt_err)?;
            let stmt = txn.prepare(sql).await.map_err(stmt_err)?;
            let types: Vec<Type> = stmt.columns().iter().map(|c| c.type_().clone()).collect();
            let names: Vec<String> = stmt
                .columns()
                .iter()
                .map(|c| c.name().to_string())
                .collect();
            let stream = txn
                .query_raw(&stmt, std::iter::empty::<i32>())
                .await
                .map_err(stmt_err)?;
            // Boxed so it can be dropped (ending the portal) before the rollback.
            let mut stream = Box::pin(stream);
            let mut rows = cells::Collected::new(limits);
            let mut truncated = false;
            while let Some(row) = stream.next().await {
                if limits.cancel.is_cancelled() {
                    return Err(ConnectError::Cancelled);
                }
                let row = row.map_err(stmt_err)?;
                if rows.len() == limits.max_rows {
                    truncated = true;
                    break;
                }
                rows.push(
                    types
                        .iter()
                        .enumerate()
                        .map(|(i, t)| cell(&row, i, t))
                        .collect::<Result<_>>()?,
                )?;
            }
            drop(stream);
            let _ = txn.rollback().await;
            Ok::<_, ConnectError>((names, types, rows.rows, truncated))
        };
        let outcome = crate::within(limits, run).await;
        on_drop.0 = None;
        let (names, types, rows, truncated) = match outcome {
            Err(e @ ConnectError::Timeout(_)) => {
                let _ = cancel.cancel_query(NoTls).await;
                return Err(e);
            }
            other => other?,
        };
        let types: Vec<Option<DataType>> = types
            .iter()
            .enumerate()
            .map(|(i, t)| match *t {
                Type::NUMERIC => Some(DataType::Decimal128(38, decimal_scale(&rows, i))),
                _ => arrow_type_of(t),
            })
            .collect();
        crate::output(schema, &names, &types, &rows, truncated)
    }
}

struct CancelQueryOnDrop(Option<tokio_postgres::CancelToken>);

impl Drop for CancelQueryOnDrop {
    fn drop(&mut self) {
        if let (Some(token), Ok(handle)) = (self.0.take(), tokio::runtime::Handle::try_current()) {
            handle.spawn(async move {
                let _ = token.cancel_query(NoTls).await;
            });
        }
    }
}

fn oid_of(udt: &str) -> u32 {
    match udt {
        "bool" => Type::BOOL.oid(),
        "int2" => Type::INT2.oid(),
        "int4" => Type::INT4.oid(),
        "int8" => Type::INT8.oid(),
        "float4" => Type::FLOAT4.oid(),
        "float8" => Type::FLOAT8.oid(),
        "text" => Type::TEXT.oid(),
        "varchar" => Type::VARCHAR.oid(),
        "bpchar" => Type::BPCHAR.oid(),
        "name" => Type::NAME.oid(),
        "json" => Type::JSON.oid(),
        "jsonb" => Type::JSONB.oid(),
        "uuid" => Type::UUID.oid(),
        "bytea" => Type::BYTEA.oid(),
        "date" => Type::DATE.oid(),
        "timestamp" => Type::TIMESTAMP.oid(),
        "timestamptz" => Type::TIMESTAMPTZ.oid(),
        "time" => Type::TIME.oid(),
        _ => 0,
    }
}
