//! PostgreSQL through tokio-postgres. User SQL goes through the extended protocol (one
//! `Parse` message admits one statement) inside `BEGIN READ ONLY`, with the session itself
//! started as `default_transaction_read_only=on`, and `statement_timeout` set to the query's
//! limit so the server stops working when we stop waiting.

use std::sync::Arc;
use std::time::Duration;

use arrow::datatypes::{DataType, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use futures::StreamExt;
use tokio::sync::mpsc::Sender;
use tokio_postgres::binary_copy::BinaryCopyOutStream;
use tokio_postgres::config::SslMode;
use tokio_postgres::types::{FromSql, Kind, Type};
use tokio_postgres::{Client, NoTls, Row};

use crate::bound::SqlWriter;
use crate::cells::{self, Cell};
use crate::params::{ConnectionKind, PostgresParams};
use crate::read::{BatchBuilder, Val};
use crate::tls::TlsMode;
use crate::tls::postgres::MakeRustls;
use crate::{
    BoundSql, ColumnInfo, Comparisons, ConnectError, CursorValue, Dialect, Limits, QueryOutput,
    Result, ScanSpec, SchemaInfo, Source, SqlValue, TableRead,
};

pub(crate) struct PostgresSource {
    params: PostgresParams,
    /// The TLS client, built on first use (loading system roots reads files).
    tls: std::sync::OnceLock<Option<MakeRustls>>,
}

impl PostgresSource {
    pub(crate) fn new(params: PostgresParams) -> Self {
        PostgresSource {
            params,
            tls: std::sync::OnceLock::new(),
        }
    }

    fn tls(&self) -> Result<Option<MakeRustls>> {
        if let Some(made) = self.tls.get() {
            return Ok(made.clone());
        }
        let made = self.params.tls.client_config()?.map(MakeRustls);
        let _ = self.tls.set(made.clone());
        Ok(made)
    }

    fn canceller(&self, client: &Client) -> Canceller {
        Canceller {
            token: client.cancel_token(),
            tls: self.tls.get().cloned().flatten(),
        }
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
            // The statement guard reads strings as PostgreSQL does with
            // standard_conforming_strings on; every session is told so, and checked.
            .options("-c default_transaction_read_only=on -c standard_conforming_strings=on");
        if let Some(pw) = &p.password {
            cfg.password(pw);
        }
        // tokio-postgres speaks TLS first and never retries without it in `require`.
        cfg.ssl_mode(match p.tls.mode {
            TlsMode::Disable => SslMode::Disable,
            TlsMode::Prefer => SslMode::Prefer,
            TlsMode::Require | TlsMode::VerifyCa | TlsMode::VerifyFull => SslMode::Require,
        });
        let client = match self.tls()? {
            None => {
                let (client, connection) = cfg.connect(NoTls).await.map_err(connect_error)?;
                tokio::spawn(async move {
                    let _ = connection.await;
                });
                client
            }
            Some(tls) => {
                let (client, connection) = cfg.connect(tls).await.map_err(connect_error)?;
                tokio::spawn(async move {
                    let _ = connection.await;
                });
                client
            }
        };
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
    // tokio-postgres has no public error kinds; its TLS errors read as below.
    let text = e.to_string();
    if text.starts_with("error performing TLS handshake") {
        let cause = std::error::Error::source(&e).map_or(text, |c| c.to_string());
        return ConnectError::Tls(cause);
    }
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

/// Foreign keys, one row per column pair, in the key's order (`conkey` and `confkey`
/// unnested side by side). Keys a partitioned table's partitions inherit are left out: the
/// parent's key says it once. A constant statement: nothing is formatted into it.
const FOREIGN_KEYS: &str = "SELECT n.nspname::text, c.relname::text, con.conname::text, a.attname::text, \
            rn.nspname::text, rc.relname::text, ra.attname::text \
     FROM pg_catalog.pg_constraint con \
     JOIN pg_catalog.pg_class c ON c.oid = con.conrelid \
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
     JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid \
     JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace \
     CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, ref_attnum, pos) \
     JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
     JOIN pg_catalog.pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.ref_attnum \
     WHERE con.contype = 'f' AND con.conparentid = 0 \
       AND n.nspname NOT IN ('pg_catalog','information_schema') \
       AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' \
     ORDER BY 1, 2, 3, k.pos";

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

/// A parameter sent in PostgreSQL's text format, whatever type the server inferred for its
/// placeholder: the server reads it with that type's input function, as it would a literal,
/// but it arrives as a protocol field and can never end a string early.
#[derive(Debug)]
struct TextParam(String);

impl tokio_postgres::types::ToSql for TextParam {
    fn to_sql(
        &self,
        _ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<tokio_postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>>
    {
        out.extend_from_slice(self.0.as_bytes());
        Ok(tokio_postgres::types::IsNull::No)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    fn encode_format(&self, _ty: &Type) -> tokio_postgres::types::Format {
        tokio_postgres::types::Format::Text
    }

    tokio_postgres::types::to_sql_checked!();
}

fn text_params(params: &[SqlValue]) -> Result<Vec<TextParam>> {
    params
        .iter()
        .map(|p| match p.to_text() {
            Some(t) if !t.contains('\0') => Ok(TextParam(t)),
            _ => Err(ConnectError::Internal(
                "a value cannot be sent to PostgreSQL as a parameter".into(),
            )),
        })
        .collect()
}

/// Sets the transaction's statement timeout and reads back how the session reads strings,
/// in one round trip; a session that would read backslashes as escapes is refused.
async fn prepare_transaction(
    client: &impl tokio_postgres::GenericClient,
    timeout: Duration,
) -> Result<()> {
    let ms = timeout.as_millis().clamp(1, i32::MAX as u128);
    let row = client
        .query_one(
            "SELECT set_config('statement_timeout', $1, true), \
             current_setting('standard_conforming_strings')",
            &[&TextParam(ms.to_string())],
        )
        .await
        .map_err(|e| statement_error(e, timeout))?;
    let conforming: String = row.try_get(1).map_err(query_error)?;
    if conforming != "on" {
        return Err(ConnectError::Internal(
            "the session reads backslashes in strings as escapes (standard_conforming_strings \
             is off); Proost runs no statement under it"
                .into(),
        ));
    }
    Ok(())
}

/// Values of a COPY statement, which takes no parameters: each is set as a setting local to
/// the transaction through a bound `set_config`, and the statement reads it back with
/// `current_setting(name)` cast to the column's type.
async fn set_local(client: &Client, name: &str, value: &str, timeout: Duration) -> Result<()> {
    client
        .query_one(
            "SELECT set_config($1, $2, true)",
            &[&TextParam(name.to_string()), &TextParam(value.to_string())],
        )
        .await
        .map_err(|e| statement_error(e, timeout))?;
    Ok(())
}

/// `current_setting('proost.<name>')` cast to `pg_type` (a fixed type name of ours).
fn setting(w: &mut SqlWriter, name: &str, pg_type: &str) {
    w.push(&format!(
        "CAST(current_setting('proost.{name}') AS {pg_type})"
    ));
}

/// Filters PostgreSQL evaluates as the engine does: numbers, dates, times and flags in
/// every comparison; `text`, `varchar` and `name` by `=` and `LIKE` (ordering would follow
/// the database's collation, not the engine's byte order). Not: `char(n)` (read through a
/// cast), JSON, UUIDs (a malformed literal would fail instead of matching nothing), enums
/// and every type read as text.
fn comparisons(udt: &str) -> Comparisons {
    match udt {
        "bool" | "int2" | "int4" | "int8" | "float4" | "float8" | "numeric" | "date"
        | "timestamp" | "timestamptz" => Comparisons::Ordered,
        "text" | "varchar" | "name" => Comparisons::Matching,
        _ => Comparisons::None,
    }
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
        // The server's own text: `json` keeps its input as written, `jsonb` is normalised by
        // the server. Replicas (binary COPY) read the same text.
        Type::JSON => {
            get::<Raw>(row, i)?.map(|Raw(b)| Cell::Text(String::from_utf8_lossy(&b).into_owned()))
        }
        Type::JSONB => get::<Raw>(row, i)?.map(|Raw(b)| {
            Cell::Text(String::from_utf8_lossy(b.get(1..).unwrap_or_default()).into_owned())
        }),
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
                comparisons: comparisons(&udt),
                source_type,
                // char(n) is read through text, which drops the blank padding PostgreSQL
                // itself ignores in comparisons (`r_name = 'ASIA'` must match in the engine).
                read_as_text: udt == "bpchar"
                    || (!matches!(udt.as_str(), "numeric")
                        && Type::from_oid(oid_of(&udt))
                            .and_then(|t| arrow_type_of(&t))
                            .is_none()),
                arrow_type: Some(arrow_type),
                nullable: nullable == "YES",
            };
            crate::add_column(&mut schemas, &schema, &table, table_type == "VIEW", column);
        }
        let keys = self.catalog_rows(&mut client, FOREIGN_KEYS).await?;
        let keys = keys
            .iter()
            .map(|r| {
                Ok(crate::KeyColumn {
                    schema: r.try_get(0).map_err(query_error)?,
                    table: r.try_get(1).map_err(query_error)?,
                    constraint: r.try_get(2).map_err(query_error)?,
                    column: r.try_get(3).map_err(query_error)?,
                    ref_schema: r.try_get(4).map_err(query_error)?,
                    ref_table: r.try_get(5).map_err(query_error)?,
                    ref_column: r.try_get(6).map_err(query_error)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        crate::attach_foreign_keys(&mut schemas, keys);
        Ok(schemas)
    }

    fn scan_sql(&self, scan: &ScanSpec<'_>) -> BoundSql {
        scan.to_bound(Dialect::Postgres, "text")
    }

    async fn query(
        &self,
        statement: &BoundSql,
        schema: Option<SchemaRef>,
        limits: &Limits,
    ) -> Result<QueryOutput> {
        let sql = statement.sql.as_str();
        proost_readonly::check(sql, Dialect::Postgres)?;
        let params = text_params(&statement.params)?;
        let mut client = self.connect().await?;
        let cancel = self.canceller(&client);
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
            prepare_transaction(&txn, limits.timeout).await?;
            crate::tap::record(sql, &statement.params);
            let stmt = txn.prepare(sql).await.map_err(stmt_err)?;
            let types: Vec<Type> = stmt.columns().iter().map(|c| c.type_().clone()).collect();
            let names: Vec<String> = stmt
                .columns()
                .iter()
                .map(|c| c.name().to_string())
                .collect();
            let stream = txn
                .query_raw(
                    &stmt,
                    params
                        .iter()
                        .map(|p| p as &dyn tokio_postgres::types::ToSql),
                )
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
                cancel.cancel().await;
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

    async fn read_table(
        &self,
        read: &TableRead,
        limits: &Limits,
        outputs: Vec<Sender<RecordBatch>>,
    ) -> Result<u64> {
        crate::read::validate(read)?;
        if outputs.is_empty() {
            return Err(ConnectError::Internal(
                "a table read needs at least one output".into(),
            ));
        }
        crate::within(limits, self.copy_table(read, limits, outputs)).await
    }
}

impl PostgresSource {
    /// The replication read: `COPY (SELECT …) TO STDOUT (FORMAT binary)` inside
    /// `REPEATABLE READ READ ONLY`, decoded straight into Arrow builders. With a partition
    /// column and several outputs, the first connection exports its snapshot and every other
    /// connection imports it before any partition starts, so all partitions read the same
    /// rows a single read would. COPY takes no parameters, so the cursor and the partition
    /// bounds are transaction-local settings the statement reads (see [`set_local`]).
    async fn copy_table(
        &self,
        read: &TableRead,
        limits: &Limits,
        outputs: Vec<Sender<RecordBatch>>,
    ) -> Result<u64> {
        let stmt_err = |e| statement_error(e, limits.timeout);
        let first = self.connect().await?;
        // Armed until the read ends well: a timeout, an error or a dropped receiver must not
        // leave the backend streaming a COPY nobody reads.
        let mut first_guard = CancelQueryOnDrop(Some(self.canceller(&first)));
        first
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(stmt_err)?;
        prepare_transaction(&first, limits.timeout).await?;

        let schema = read.schema.as_deref();
        let cursor = match &read.cursor {
            Some((col, Some(after))) => {
                let ty = crate::read::column_type(read, col)?;
                let (text, pg_type) = cursor_setting(after, ty)?;
                Some((col.clone(), pg_type, text))
            }
            _ => None,
        };
        if let Some((_, _, text)) = &cursor {
            set_local(&first, "proost.cursor", text, limits.timeout).await?;
        }
        let cursor_cond = cursor.as_ref().map(|(c, t, _)| (c.as_str(), *t));

        // Learn the output types: binary COPY needs them, and they decide the decoding.
        // Types the decoder does not know are read as text when text is the target.
        let mut as_text = vec![false; read.columns.len()];
        let (types, wires) = loop {
            let sql =
                crate::read::select_sql(read, schema, Dialect::Postgres, "text", &as_text, |w| {
                    where_clause(w, cursor_cond, None)
                });
            proost_readonly::check(&sql.sql, Dialect::Postgres)?;
            let stmt = first.prepare(&sql.sql).await.map_err(stmt_err)?;
            let types: Vec<Type> = stmt.columns().iter().map(|c| c.type_().clone()).collect();
            if types.len() != read.columns.len() {
                return Err(ConnectError::Internal(format!(
                    "`{}` returned {} columns, {} expected",
                    read.table,
                    types.len(),
                    read.columns.len()
                )));
            }
            let mut wires = Vec::with_capacity(types.len());
            let mut recast = false;
            for (i, (ty, field)) in types.iter().zip(read.arrow_schema.fields()).enumerate() {
                match Wire::of(ty, field.data_type()) {
                    Some(w) => wires.push(w),
                    None if field.data_type() == &DataType::Utf8 && !as_text[i] => {
                        as_text[i] = true;
                        recast = true;
                    }
                    None => {
                        return Err(ConnectError::Query(format!(
                            "column `{}` has type `{}`, which Proost cannot read as {}",
                            field.name(),
                            ty.name(),
                            field.data_type()
                        )));
                    }
                }
            }
            if !recast {
                break (Arc::new(types), Arc::new(wires));
            }
        };

        let plan = self
            .partition_plan(&first, read, cursor_cond, outputs.len(), limits.timeout)
            .await?;
        let mut clients = vec![(first, first_guard.0.take())];
        let parts: Vec<Option<Part>> = match &plan {
            Some((snapshot, parts)) => {
                // Every other partition joins the exported snapshot before any partition
                // reads; the exporting transaction stays open until its own partition ends.
                let joins = (1..parts.len()).map(|_| async {
                    let client = self.connect().await?;
                    let guard = self.canceller(&client);
                    client
                        .batch_execute(&format!(
                            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; \
                             SET TRANSACTION SNAPSHOT '{snapshot}'"
                        ))
                        .await
                        .map_err(stmt_err)?;
                    prepare_transaction(&client, limits.timeout).await?;
                    if let Some((_, _, text)) = &cursor {
                        set_local(&client, "proost.cursor", text, limits.timeout).await?;
                    }
                    Ok::<_, ConnectError>((client, Some(guard)))
                });
                clients.extend(futures::future::try_join_all(joins).await?);
                parts.iter().cloned().map(Some).collect()
            }
            None => vec![None],
        };
        for ((client, _), part) in clients.iter().zip(&parts) {
            if let Some(part) = part {
                set_local(client, "proost.lo", &part.lo.to_string(), limits.timeout).await?;
                set_local(client, "proost.hi", &part.hi.to_string(), limits.timeout).await?;
            }
        }

        let read = Arc::new(read.clone());
        let partition_on = read.partition_on.clone();
        let mut tasks = tokio::task::JoinSet::new();
        for ((part, (client, token)), out) in parts.into_iter().zip(clients).zip(outputs) {
            let sql =
                crate::read::select_sql(&read, schema, Dialect::Postgres, "text", &as_text, |w| {
                    where_clause(
                        w,
                        cursor_cond,
                        part.as_ref()
                            .zip(partition_on.as_deref())
                            .map(|(p, c)| (c, p)),
                    )
                });
            proost_readonly::check(&sql.sql, Dialect::Postgres)?;
            crate::tap::record(&sql.sql, &sql.params);
            let copy = format!("COPY ({}) TO STDOUT (FORMAT binary)", sql.sql);
            let (read, types, wires, limits) =
                (read.clone(), types.clone(), wires.clone(), limits.clone());
            tasks.spawn(async move {
                let mut guard = CancelQueryOnDrop(token);
                let rows =
                    copy_partition(&client, &copy, &types, &wires, &read, &out, &limits).await?;
                guard.0 = None;
                let _ = client.batch_execute("ROLLBACK").await;
                Ok::<_, ConnectError>(rows)
            });
        }
        // Dropping the set (an error, a timeout) aborts the other partitions, whose guards
        // then cancel their statements.
        let mut total = 0u64;
        while let Some(done) = tasks.join_next().await {
            total +=
                done.map_err(|e| ConnectError::Internal(format!("a read task failed: {e}")))??;
        }
        Ok(total)
    }

    /// When the read is partitioned: exports the snapshot of `first`'s transaction and splits
    /// the partition column's range into `parts` ranges (NULLs go to the first).
    async fn partition_plan(
        &self,
        first: &Client,
        read: &TableRead,
        cursor: Option<(&str, &str)>,
        parts: usize,
        timeout: Duration,
    ) -> Result<Option<(String, Vec<Part>)>> {
        let Some(col) = read.partition_on.as_deref() else {
            return Ok(None);
        };
        if parts < 2 {
            return Ok(None);
        }
        let ty = crate::read::column_type(read, col)?;
        if !matches!(ty, DataType::Int16 | DataType::Int32 | DataType::Int64) {
            tracing::debug!(
                column = col,
                "not an integer column; reading in one partition"
            );
            return Ok(None);
        }
        let query_err = |e| statement_error(e, timeout);
        let snapshot: String = first
            .query_one("SELECT pg_export_snapshot()", &[])
            .await
            .map_err(query_err)?
            .try_get(0)
            .map_err(query_err)?;
        // SET TRANSACTION SNAPSHOT takes no parameter; the server's id is spliced in only
        // in the shape the server makes (hex groups and digits).
        if snapshot.is_empty() || !snapshot.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(ConnectError::Internal(
                "the server exported a snapshot id of an unexpected shape".into(),
            ));
        }
        let mut w = SqlWriter::new(Dialect::Postgres);
        w.push("SELECT CAST(min(");
        w.ident(col);
        w.push(") AS int8), CAST(max(");
        w.ident(col);
        w.push(") AS int8) FROM ");
        if let Some(s) = &read.schema {
            w.ident(s);
            w.push(".");
        }
        w.ident(&read.table);
        where_clause(&mut w, cursor, None);
        let sql = w.finish();
        proost_readonly::check(&sql.sql, Dialect::Postgres)?;
        let row = first.query_one(&sql.sql, &[]).await.map_err(query_err)?;
        let (Some(lo), Some(hi)) = (
            row.try_get::<_, Option<i64>>(0).map_err(query_err)?,
            row.try_get::<_, Option<i64>>(1).map_err(query_err)?,
        ) else {
            return Ok(None);
        };
        Ok(Some((snapshot, partition_ranges(lo, hi, parts))))
    }
}

/// One partition of a parallel read: `lo <= column < hi` (`<= hi` for the last), and the
/// NULLs for the first.
#[derive(Debug, Clone, PartialEq)]
struct Part {
    lo: i64,
    hi: i64,
    first: bool,
    last: bool,
}

/// `parts` ranges covering `[lo, hi]` evenly.
fn partition_ranges(lo: i64, hi: i64, parts: usize) -> Vec<Part> {
    let span = i128::from(hi) - i128::from(lo) + 1;
    let n = parts as i128;
    let bound = |k: i128| (i128::from(lo) + span * k / n) as i64;
    (0..n)
        .map(|k| Part {
            lo: bound(k),
            hi: if k == n - 1 { hi } else { bound(k + 1) },
            first: k == 0,
            last: k == n - 1,
        })
        .collect()
}

/// The WHERE clause of a replication read: after the cursor (`proost.cursor`), within a
/// partition (`proost.lo`, `proost.hi`); nothing when neither applies.
fn where_clause(w: &mut SqlWriter, cursor: Option<(&str, &str)>, part: Option<(&str, &Part)>) {
    let mut first = true;
    let mut and = |w: &mut SqlWriter| {
        w.push(if first { " WHERE " } else { " AND " });
        first = false;
    };
    if let Some((col, pg_type)) = cursor {
        and(w);
        w.ident(col);
        w.push(" > ");
        setting(w, "cursor", pg_type);
    }
    if let Some((col, part)) = part {
        and(w);
        w.push("((");
        w.ident(col);
        w.push(" >= ");
        setting(w, "lo", "int8");
        w.push(" AND ");
        w.ident(col);
        w.push(if part.last { " <= " } else { " < " });
        setting(w, "hi", "int8");
        w.push(")");
        if part.first {
            w.push(" OR ");
            w.ident(col);
            w.push(" IS NULL");
        }
        w.push(")");
    }
}

/// The cursor's value as the text of a setting, and the type it is read back as.
fn cursor_setting(v: &CursorValue, ty: &DataType) -> Result<(String, &'static str)> {
    Ok(match v {
        CursorValue::Int(i) => (i.to_string(), "int8"),
        CursorValue::Timestamp(us) => {
            let t = crate::bound::timestamp_text(*us)?;
            match ty {
                DataType::Timestamp(_, Some(_)) => (format!("{t}+00"), "timestamptz"),
                _ => (t, "timestamp"),
            }
        }
        CursorValue::Date(d) => (crate::bound::date_text(*d)?, "date"),
        CursorValue::Text(s) => {
            if s.contains('\0') {
                return Err(ConnectError::Query(
                    "the cursor value contains a NUL character".into(),
                ));
            }
            (s.clone(), "text")
        }
    })
}

/// Streams one COPY into batches for `out`.
async fn copy_partition(
    client: &Client,
    copy: &str,
    types: &[Type],
    wires: &[Wire],
    read: &TableRead,
    out: &Sender<RecordBatch>,
    limits: &Limits,
) -> Result<u64> {
    let stmt_err = |e| statement_error(e, limits.timeout);
    let stream = client.copy_out(copy).await.map_err(stmt_err)?;
    let rows = BinaryCopyOutStream::new(stream, types);
    let mut rows = std::pin::pin!(rows);
    let mut batch = BatchBuilder::new(read.arrow_schema.clone(), read.batch_rows)?;
    let mut total = 0u64;
    while let Some(row) = rows.next().await {
        let row = row.map_err(stmt_err)?;
        for (i, wire) in wires.iter().enumerate() {
            let raw = row
                .try_get::<Option<RawRef<'_>>>(i)
                .map_err(|e| ConnectError::Query(format!("reading column {}: {e}", i + 1)))?;
            append_wire(&mut batch, i, *wire, raw.map(|r| r.0))
                .map_err(|e| name_column(e, read, i))?;
        }
        total += 1;
        if batch.is_full()
            && let Some(b) = batch.take()?
        {
            crate::read::send(out, b, limits).await?;
        }
    }
    if let Some(b) = batch.take()? {
        crate::read::send(out, b, limits).await?;
    }
    Ok(total)
}

fn name_column(e: ConnectError, read: &TableRead, i: usize) -> ConnectError {
    match e {
        ConnectError::Query(m) if m.starts_with("column `") => ConnectError::Query(m),
        ConnectError::Query(m) => ConnectError::Query(format!(
            "column `{}`: {m}",
            read.columns.get(i).map_or("?", |c| c.name.as_str())
        )),
        other => other,
    }
}

/// A value's bytes as they came in binary COPY, borrowed.
struct RawRef<'a>(&'a [u8]);

impl<'a> FromSql<'a> for RawRef<'a> {
    fn from_sql(
        _: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(RawRef(raw))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

/// How a column arrives in binary COPY (the wire formats of `src/backend/utils/adt/*send`).
#[derive(Debug, Clone, Copy)]
enum Wire {
    Bool,
    Int2,
    Int4,
    Int8,
    Oid,
    Float4,
    Float8,
    /// Decoded straight into the target's scale.
    Numeric(i8),
    Text,
    Jsonb,
    Uuid,
    Bytea,
    Date,
    Timestamp,
    Time,
}

/// 2000-01-01, PostgreSQL's epoch, in days and µs after 1970-01-01.
const PG_EPOCH_DAYS: i32 = 10_957;
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

impl Wire {
    fn of(ty: &Type, target: &DataType) -> Option<Wire> {
        Some(match *ty {
            Type::BOOL => Wire::Bool,
            Type::INT2 => Wire::Int2,
            Type::INT4 => Wire::Int4,
            Type::INT8 => Wire::Int8,
            Type::OID => Wire::Oid,
            Type::FLOAT4 => Wire::Float4,
            Type::FLOAT8 => Wire::Float8,
            Type::NUMERIC => match target {
                DataType::Decimal128(_, s) => Wire::Numeric(*s),
                _ => return None,
            },
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN | Type::JSON => {
                Wire::Text
            }
            Type::JSONB => Wire::Jsonb,
            Type::UUID => Wire::Uuid,
            Type::BYTEA => Wire::Bytea,
            Type::DATE => Wire::Date,
            Type::TIMESTAMP | Type::TIMESTAMPTZ => Wire::Timestamp,
            Type::TIME => Wire::Time,
            _ if matches!(ty.kind(), Kind::Enum(_)) => Wire::Text,
            _ => return None,
        })
    }
}

fn fixed<const N: usize>(raw: &[u8]) -> Result<[u8; N]> {
    raw.try_into().map_err(|_| {
        ConnectError::Query(format!(
            "a value of {} bytes arrived where {N} were expected",
            raw.len()
        ))
    })
}

#[inline]
fn append_wire(batch: &mut BatchBuilder, i: usize, wire: Wire, raw: Option<&[u8]>) -> Result<()> {
    let Some(raw) = raw else {
        return batch.append(i, Val::Null);
    };
    fn text(b: &[u8]) -> Result<&str> {
        std::str::from_utf8(b)
            .map_err(|_| ConnectError::Query("a text value is not valid UTF-8".into()))
    }
    let v = match wire {
        Wire::Bool => Val::Bool(raw.first().is_some_and(|b| *b != 0)),
        Wire::Int2 => Val::Int(i16::from_be_bytes(fixed(raw)?).into()),
        Wire::Int4 => Val::Int(i32::from_be_bytes(fixed(raw)?).into()),
        Wire::Int8 => Val::Int(i64::from_be_bytes(fixed(raw)?)),
        Wire::Oid => Val::Int(u32::from_be_bytes(fixed(raw)?).into()),
        Wire::Float4 => Val::Float(f32::from_be_bytes(fixed(raw)?).into()),
        Wire::Float8 => Val::Float(f64::from_be_bytes(fixed(raw)?)),
        Wire::Numeric(scale) => Val::Scaled(numeric_scaled(raw, scale)?),
        Wire::Text => Val::Text(text(raw)?),
        // jsonb's binary form is a version byte (1) and the text.
        Wire::Jsonb => match raw.split_first() {
            Some((1, rest)) => Val::Text(text(rest)?),
            _ => return Err(ConnectError::Query("unknown jsonb format version".into())),
        },
        Wire::Uuid => {
            let s = format_uuid(raw);
            return batch.append(i, Val::Text(&s));
        }
        Wire::Bytea => Val::Bytes(raw),
        // ±infinity (i32/i64 MIN and MAX) keep their extreme values rather than overflow.
        Wire::Date => {
            let d = i32::from_be_bytes(fixed(raw)?);
            Val::Date(match d {
                i32::MIN | i32::MAX => d,
                d => d.saturating_add(PG_EPOCH_DAYS),
            })
        }
        Wire::Timestamp => {
            let t = i64::from_be_bytes(fixed(raw)?);
            Val::Timestamp(match t {
                i64::MIN | i64::MAX => t,
                t => t.saturating_add(PG_EPOCH_MICROS),
            })
        }
        Wire::Time => Val::Time(i64::from_be_bytes(fixed(raw)?)),
    };
    batch.append(i, v)
}

/// A binary NUMERIC as an unscaled integer at `scale`, rounding half away from zero like
/// `cells::parse_decimal`. The wire form is `ndigits, weight, sign, dscale` (i16 each) and
/// `ndigits` base-10000 digits; the value is Σ digit[i] × 10000^(weight − i).
fn numeric_scaled(raw: &[u8], scale: i8) -> Result<i128> {
    let word = |i: usize| {
        raw.get(2 * i..2 * i + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| ConnectError::Query("a NUMERIC value is truncated".into()))
    };
    let ndigits = usize::from(word(0)?);
    let weight = i32::from(word(1)? as i16);
    let sign = word(2)?;
    let negative = match sign {
        0x0000 => false,
        0x4000 => true,
        _ => {
            return Err(ConnectError::Query(
                "NaN and ±Infinity cannot be stored in a decimal column".into(),
            ));
        }
    };
    let too_big = || {
        ConnectError::Query(format!(
            "a NUMERIC value has more digits than a decimal with scale {scale} holds"
        ))
    };
    let scale = i32::from(scale.max(0));
    let mut acc: i128 = 0;
    let mut round_up = false;
    for i in 0..ndigits {
        let d = i128::from(word(4 + i)?);
        // The power of ten this base-10000 digit's units stand for, once scaled.
        let k = 4 * (weight - i as i32) + scale;
        if k >= 0 {
            let unit = 10i128.checked_pow(k as u32).ok_or_else(too_big)?;
            acc = d
                .checked_mul(unit)
                .and_then(|x| acc.checked_add(x))
                .ok_or_else(too_big)?;
        } else {
            if k > -4 {
                let div = 10i128.pow((-k) as u32);
                acc = acc.checked_add(d / div).ok_or_else(too_big)?;
                round_up = (d % div) / (div / 10) >= 5;
            } else if k == -4 {
                round_up = d / 1000 >= 5;
            }
            break;
        }
    }
    if round_up {
        acc = acc.checked_add(1).ok_or_else(too_big)?;
    }
    Ok(if negative { -acc } else { acc })
}

/// Asks the server to stop a statement, over TLS when the session used it (a server that
/// requires TLS refuses a plaintext cancel request).
#[derive(Clone)]
struct Canceller {
    token: tokio_postgres::CancelToken,
    tls: Option<MakeRustls>,
}

impl Canceller {
    async fn cancel(self) {
        let _ = match self.tls {
            None => self.token.cancel_query(NoTls).await,
            Some(tls) => self.token.cancel_query(tls).await,
        };
    }
}

struct CancelQueryOnDrop(Option<Canceller>);

impl Drop for CancelQueryOnDrop {
    fn drop(&mut self) {
        if let Some(cancel) = self.0.take() {
            crate::spawn_cleanup(cancel.cancel());
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
