//! `Source::read_table`, the whole-table read replication is built on, against the real
//! PostgreSQL (127.0.0.1:5432, `postgres`, trust) and MariaDB (127.0.0.1:3306, `root`)
//! servers and SQLite files: every type arrives as a live query would show it, big tables
//! stream in bounded batches, cursors and partitions read what they promise, a reader that
//! goes away stops the source, and the read stays read-only.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use arrow::array::{Array, Int32Array, Int64Array};
use arrow::compute::concat_batches;
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use mysql_async::prelude::Queryable;
use proost_connect::{
    ConnectError, ConnectionKind, ConnectionParams, CursorValue, Limits, ScanSpec, Source,
    SourcePolicy, TableRead,
};
use tokio::sync::mpsc;

fn unique(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

fn limits() -> Limits {
    Limits::new(Duration::from_secs(300), 10_000_000)
}

async fn pg_client(db: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(
        &format!("host=127.0.0.1 port=5432 user=postgres dbname={db}"),
        tokio_postgres::NoTls,
    )
    .await
    .expect("connect to PostgreSQL");
    tokio::spawn(conn);
    client
}

struct PgDb {
    name: String,
}

impl PgDb {
    async fn create(setup: &str) -> PgDb {
        let name = unique("proost_rt");
        pg_client("postgres")
            .await
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create database");
        pg_client(&name)
            .await
            .batch_execute(setup)
            .await
            .expect("set up database");
        PgDb { name }
    }

    fn source(&self) -> Arc<dyn Source> {
        let url = format!("postgres://postgres@127.0.0.1:5432/{}", self.name);
        let params =
            ConnectionParams::parse(ConnectionKind::Postgres, &url, &SourcePolicy::default())
                .expect("params");
        proost_connect::open(&params)
    }

    async fn client(&self) -> tokio_postgres::Client {
        pg_client(&self.name).await
    }

    async fn drop_db(self) {
        let _ = pg_client("postgres")
            .await
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .await;
    }
}

async fn my_conn(db: Option<&str>) -> mysql_async::Conn {
    let opts = mysql_async::OptsBuilder::default()
        .ip_or_hostname("127.0.0.1")
        .tcp_port(3306)
        .user(Some("root"))
        .db_name(db)
        .prefer_socket(false);
    mysql_async::Conn::new(opts)
        .await
        .expect("connect to MariaDB")
}

struct MyDb {
    name: String,
}

impl MyDb {
    async fn create(statements: &[&str]) -> MyDb {
        let name = unique("proost_rt");
        let mut conn = my_conn(None).await;
        conn.query_drop(format!("CREATE DATABASE {name}"))
            .await
            .expect("create database");
        conn.query_drop(format!("USE {name}")).await.expect("use");
        for s in statements {
            conn.query_drop(*s)
                .await
                .unwrap_or_else(|e| panic!("{s}: {e}"));
        }
        let _ = conn.disconnect().await;
        MyDb { name }
    }

    fn source(&self) -> Arc<dyn Source> {
        let url = format!("mysql://root@127.0.0.1:3306/{}", self.name);
        let params = ConnectionParams::parse(ConnectionKind::Mysql, &url, &SourcePolicy::default())
            .expect("params");
        proost_connect::open(&params)
    }

    async fn drop_db(self) {
        let mut conn = my_conn(None).await;
        let _ = conn
            .query_drop(format!("DROP DATABASE IF EXISTS {}", self.name))
            .await;
        let _ = conn.disconnect().await;
    }
}

struct SqliteDb {
    dir: PathBuf,
    path: PathBuf,
}

impl SqliteDb {
    fn create(setup: &str) -> SqliteDb {
        let dir = std::env::temp_dir().join(unique("proost_rt"));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let dir = dir.canonicalize().expect("canonical temp dir");
        let path = dir.join("source.db");
        let conn = rusqlite::Connection::open(&path).expect("create SQLite file");
        conn.execute_batch(setup).expect("set up SQLite file");
        SqliteDb { dir, path }
    }

    fn source(&self) -> Arc<dyn Source> {
        let policy = SourcePolicy {
            sqlite_roots: vec![self.dir.clone()],
            sqlite_denied: Vec::new(),
            ca_roots: Vec::new(),
        };
        let url = format!("sqlite://{}", self.path.display());
        let params =
            ConnectionParams::parse(ConnectionKind::Sqlite, &url, &policy).expect("params");
        proost_connect::open(&params)
    }
}

impl Drop for SqliteDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The read of `table` as replication would ask for it: introspected columns, their Arrow
/// types (text when the source gives none).
async fn table_read(source: &dyn Source, schema: Option<&str>, table: &str) -> TableRead {
    let schemas = source.introspect().await.expect("introspect");
    let info = schemas
        .iter()
        .filter(|s| schema.is_none_or(|n| s.name == n))
        .flat_map(|s| &s.tables)
        .find(|t| t.name == table)
        .unwrap_or_else(|| panic!("no table {table} in {schemas:?}"));
    let fields: Vec<Field> = info
        .columns
        .iter()
        .map(|c| {
            Field::new(
                &c.name,
                c.arrow_type.clone().unwrap_or(DataType::Utf8),
                true,
            )
        })
        .collect();
    TableRead {
        schema: schema.map(String::from),
        table: table.to_string(),
        columns: info.columns.clone(),
        arrow_schema: Arc::new(Schema::new(fields)),
        cursor: None,
        batch_rows: 1024,
        partition_on: None,
    }
}

/// Runs the read with `outputs` channels of `capacity`, each drained by its own task.
async fn read_all(
    source: &dyn Source,
    read: &TableRead,
    outputs: usize,
    capacity: usize,
) -> (Result<u64, ConnectError>, Vec<Vec<RecordBatch>>) {
    let mut senders = Vec::new();
    let mut drains = Vec::new();
    for _ in 0..outputs {
        let (tx, mut rx) = mpsc::channel::<RecordBatch>(capacity);
        senders.push(tx);
        drains.push(tokio::spawn(async move {
            let mut got = Vec::new();
            while let Some(b) = rx.recv().await {
                got.push(b);
            }
            got
        }));
    }
    let result = source.read_table(read, &limits(), senders).await;
    let mut batches = Vec::new();
    for d in drains {
        batches.push(d.await.expect("drain"));
    }
    (result, batches)
}

fn concat(read: &TableRead, batches: &[RecordBatch]) -> RecordBatch {
    concat_batches(&read.arrow_schema, batches).expect("concat")
}

/// What a live scan of the same columns returns, through `Source::query`.
async fn queried(source: &dyn Source, read: &TableRead) -> RecordBatch {
    let sql = source.scan_sql(&ScanSpec {
        schema: read.schema.as_deref(),
        table: &read.table,
        columns: read.columns.iter().collect(),
        filters: Vec::new(),
        limit: None,
        random_order: false,
    });
    let out = source
        .query(&sql, Some(read.arrow_schema.clone()), &limits())
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", sql.sql));
    concat(read, &out.batches)
}

async fn assert_reads_as_query_shows(source: &dyn Source, read: &TableRead, rows: usize) {
    let (result, batches) = read_all(source, read, 1, 4).await;
    assert_eq!(result.expect("read_table"), rows as u64);
    let got = concat(read, &batches[0]);
    let want = queried(source, read).await;
    assert_eq!(got.num_rows(), rows);
    for (i, f) in read.arrow_schema.fields().iter().enumerate() {
        assert_eq!(
            got.column(i).as_ref(),
            want.column(i).as_ref(),
            "column `{}` ({})",
            f.name(),
            f.data_type()
        );
    }
    assert_eq!(got, want);
}

fn ints(batches: &[RecordBatch], col: usize) -> Vec<Option<i64>> {
    let mut out = Vec::new();
    for b in batches {
        let c = b.column(col);
        if let Some(a) = c.as_any().downcast_ref::<Int64Array>() {
            out.extend(a.iter());
        } else if let Some(a) = c.as_any().downcast_ref::<Int32Array>() {
            out.extend(a.iter().map(|v| v.map(i64::from)));
        } else {
            panic!("column {col} is {}", c.data_type());
        }
    }
    out
}

fn sorted_ids(batches: &[RecordBatch]) -> Vec<i64> {
    let mut ids: Vec<i64> = ints(batches, 0).into_iter().flatten().collect();
    ids.sort_unstable();
    ids
}

const PG_TYPES: &str = "
    CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
    CREATE TABLE t (
        id int4, b bool, i2 int2, i8 int8, f4 float4, f8 float8,
        n numeric(12,2), nu numeric, tx text, vc varchar(20), ch char(5),
        js json, jb jsonb, u uuid, by bytea, d date, ts timestamp, tz timestamptz,
        tm time, m mood, iv interval, ip inet
    );
    INSERT INTO t VALUES
      (1, true, -32768, 9223372036854775807, 1.5, -2.25e300,
       1234567890.12, 123.4567890123, 'héllo ''quoted''', 'v', 'ab',
       '{\"a\": [1, 2]}', '{\"b\": null}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\x00ff10',
       '2024-02-29', '2024-02-29 13:45:01.123456', '2024-02-29 13:45:01.654321+02', '23:59:59.999999',
       'happy', '1 day 02:03:04', '10.0.0.1/8'),
      (2, false, 0, -1, 0, 0, -0.01, -99999999.9999999999, '', '', '', 'null', '[]',
       '00000000-0000-0000-0000-000000000000', '\\x', '1969-12-31', '1900-01-01 00:00:00',
       '1970-01-01 00:00:00+00', '00:00:00', 'sad', '-1 mon', '::1'),
      (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL);
";

#[tokio::test]
async fn every_postgres_type_reads_as_a_query_would_show_it() {
    let db = PgDb::create(PG_TYPES).await;
    let source = db.source();
    let read = table_read(source.as_ref(), Some("public"), "t").await;
    assert_reads_as_query_shows(source.as_ref(), &read, 3).await;
    db.drop_db().await;
}

#[tokio::test]
async fn every_mysql_type_reads_as_a_query_would_show_it() {
    let db = MyDb::create(&[
        "CREATE TABLE t (
            id int, flag tinyint(1), ti tinyint, tu tinyint unsigned, si smallint,
            su smallint unsigned, mi mediumint, iu int unsigned, bi bigint, bu bigint unsigned,
            f float, d double, dc decimal(12,2), ch char(3), vc varchar(20), tx text, js json,
            e enum('a','b'), bn binary(4), vb varbinary(10), bl blob, dt date,
            dtm datetime(6), tsp timestamp(6) NULL, tm time(6), y year)",
        "INSERT INTO t VALUES
            (1, 1, -128, 255, -32768, 65535, -8388608, 4294967295, -9223372036854775808,
             18446744073709551615, 1.5, -2.25e300, 1234567890.12, 'abc', 'it''s \\\\ here',
             'héllo', '{\"a\": [1, 2]}', 'b', 'ab', 'x\\0y', 0x00ff, '2024-02-29',
             '2024-02-29 13:45:01.123456', '2024-02-29 13:45:01.654321', '-838:59:58.5',
             2024),
            (2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.01, '', '', '', '[]', 'a', '', '', '',
             '1969-12-31', '1000-01-01 00:00:00', '1970-01-01 00:00:01', '00:00:00', 1901),
            (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    ])
    .await;
    let source = db.source();
    let read = table_read(source.as_ref(), Some(&db.name), "t").await;
    assert_reads_as_query_shows(source.as_ref(), &read, 3).await;
    db.drop_db().await;
}

#[tokio::test]
async fn every_sqlite_type_reads_as_a_query_would_show_it() {
    let db = SqliteDb::create(
        "CREATE TABLE t (id INTEGER, r REAL, tx TEXT, bl BLOB, n NUMERIC, b BOOLEAN,
                         dt DATETIME, vc VARCHAR(10), anything);
         INSERT INTO t VALUES
           (1, 1.5, 'héllo ''q''', x'00ff', 12.5, 1, '2024-02-29 13:45:01', 'v', 42),
           (2, 3, '', x'', 7, 0, '2024-02-29T13:45:01.5Z', '', 'text'),
           (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, x'01');",
    );
    let source = db.source();
    let read = table_read(source.as_ref(), None, "t").await;
    assert_reads_as_query_shows(source.as_ref(), &read, 3).await;
}

/// Columns declared JSON or UUID hold text (NUMERIC affinity by SQLite's rules); a value
/// that fits no declared type fails the read without the value in the message: it may be
/// personal data of a column the caller only sees masked.
#[tokio::test]
async fn sqlite_json_columns_read_as_text_and_misfits_do_not_leak_values() {
    let db = SqliteDb::create(
        r#"CREATE TABLE t (id INTEGER, doc JSON, u UUID, amount DECIMAL(10,2));
         INSERT INTO t VALUES (1, '[0.12,-0.05]', '0b0c7a4e-2f7e-4a55-9d8b-0f4a1c1d2e3f', 9.5),
                              (2, '{"a": 1}', NULL, NULL);"#,
    );
    let source = db.source();
    let read = table_read(source.as_ref(), None, "t").await;
    assert_eq!(read.arrow_schema.field(1).data_type(), &DataType::Utf8);
    assert_eq!(read.arrow_schema.field(2).data_type(), &DataType::Utf8);
    assert_reads_as_query_shows(source.as_ref(), &read, 2).await;

    let bad = SqliteDb::create(
        "CREATE TABLE t (id INTEGER, amount DECIMAL(10,2));
         INSERT INTO t VALUES (1, 'secret-canary-4711');",
    );
    let source = bad.source();
    let read = table_read(source.as_ref(), None, "t").await;
    let sql = source.scan_sql(&ScanSpec {
        schema: None,
        table: "t",
        columns: read.columns.iter().collect(),
        filters: Vec::new(),
        limit: None,
        random_order: false,
    });
    let err = source
        .query(&sql, Some(read.arrow_schema.clone()), &limits())
        .await
        .expect_err("text in a DECIMAL column does not fit Float64");
    assert_eq!(err.code(), "source_query_error");
    assert!(!err.to_string().contains("canary"), "{err}");
    assert!(err.to_string().contains("amount"), "{err}");
}

/// 200k rows through batches of 5 000 and channels of 2: every batch but the last full,
/// all of the read's schema, every row once.
async fn assert_streams_in_batches(source: &dyn Source, mut read: TableRead) {
    read.batch_rows = 5_000;
    let (result, batches) = read_all(source, &read, 1, 2).await;
    assert_eq!(result.expect("read_table"), 200_000);
    let batches = &batches[0];
    assert_eq!(batches.len(), 40);
    for b in batches {
        assert_eq!(b.schema(), read.arrow_schema);
        assert_eq!(b.num_rows(), 5_000);
    }
    assert_eq!(sorted_ids(batches), (1..=200_000).collect::<Vec<i64>>());
}

#[tokio::test]
async fn a_large_table_streams_in_batches_of_the_promised_size() {
    let pg = PgDb::create(
        "CREATE TABLE big AS SELECT g::int8 AS id, md5(g::text) AS payload, g * 0.5 AS half
         FROM generate_series(1, 200000) g",
    )
    .await;
    let source = pg.source();
    let read = table_read(source.as_ref(), Some("public"), "big").await;
    assert_streams_in_batches(source.as_ref(), read).await;
    pg.drop_db().await;

    let my = MyDb::create(&[
        "CREATE TABLE big (id bigint, payload varchar(40))",
        "INSERT INTO big SELECT seq, md5(seq) FROM seq_1_to_200000",
    ])
    .await;
    let source = my.source();
    let read = table_read(source.as_ref(), Some(&my.name), "big").await;
    assert_streams_in_batches(source.as_ref(), read).await;
    my.drop_db().await;

    let lite = SqliteDb::create(
        "CREATE TABLE big (id INTEGER, payload TEXT);
         WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 200000)
         INSERT INTO big SELECT n, hex(randomblob(8)) FROM g;",
    );
    let source = lite.source();
    let read = table_read(source.as_ref(), None, "big").await;
    assert_streams_in_batches(source.as_ref(), read).await;
}

async fn ids_after(
    source: &dyn Source,
    read: &TableRead,
    column: &str,
    after: CursorValue,
) -> Vec<i64> {
    let mut read = read.clone();
    read.cursor = Some((column.to_string(), Some(after)));
    let (result, batches) = read_all(source, &read, 1, 4).await;
    let n = result.unwrap_or_else(|e| panic!("cursor on {column}: {e}"));
    let ids = sorted_ids(&batches[0]);
    assert_eq!(n as usize, ids.len());
    ids
}

/// 2024-01-02 00:00:00 UTC in µs.
const JAN_2: i64 = 1_704_153_600_000_000;

#[tokio::test]
async fn an_incremental_read_returns_only_rows_after_the_cursor() {
    let pg = PgDb::create(
        "CREATE TABLE ev (id int8, at timestamptz, local timestamp, day date, code text);
         INSERT INTO ev VALUES
           (1, '2024-01-01 10:00+00', '2024-01-01 10:00', '2024-01-01', 'a'),
           (2, '2024-01-02 00:00+00', '2024-01-02 00:00', '2024-01-02', 'it''s'),
           (3, '2024-01-02 00:00:00.000001+00', '2024-01-02 00:00:00.000001', '2024-01-03', 'it''t'),
           (4, '2024-01-03 09:00+00', '2024-01-03 09:00', '2024-01-04', 'z\\');",
    )
    .await;
    let source = pg.source();
    let read = table_read(source.as_ref(), Some("public"), "ev").await;
    let s = source.as_ref();
    assert_eq!(
        ids_after(s, &read, "id", CursorValue::Int(2)).await,
        vec![3, 4]
    );
    assert_eq!(
        ids_after(s, &read, "at", CursorValue::Timestamp(JAN_2)).await,
        vec![3, 4]
    );
    assert_eq!(
        ids_after(s, &read, "local", CursorValue::Timestamp(JAN_2)).await,
        vec![3, 4]
    );
    assert_eq!(
        ids_after(s, &read, "day", CursorValue::Date(19_724)).await,
        vec![3, 4]
    );
    assert_eq!(
        ids_after(s, &read, "code", CursorValue::Text("it's".into())).await,
        vec![3, 4]
    );
    assert_eq!(
        ids_after(s, &read, "code", CursorValue::Text("z".into())).await,
        vec![4]
    );
    let mut all = read.clone();
    all.cursor = Some(("id".into(), None));
    let (result, _) = read_all(s, &all, 1, 4).await;
    assert_eq!(result.expect("no cursor value reads all"), 4);
    pg.drop_db().await;

    let my = MyDb::create(&[
        "CREATE TABLE ev (id bigint, at timestamp(6) NULL, local datetime(6), day date, code varchar(10))",
        "SET time_zone = '+00:00'",
        "INSERT INTO ev VALUES
           (1, '2024-01-01 10:00', '2024-01-01 10:00', '2024-01-01', 'a'),
           (2, '2024-01-02 00:00', '2024-01-02 00:00', '2024-01-02', 'it''s'),
           (3, '2024-01-02 00:00:00.000001', '2024-01-02 00:00:00.000001', '2024-01-03', 'it''t'),
           (4, '2024-01-03 09:00', '2024-01-03 09:00', '2024-01-04', 'z\\\\')",
    ])
    .await;
    let source = my.source();
    let read = table_read(source.as_ref(), Some(&my.name), "ev").await;
    let s = source.as_ref();
    assert_eq!(
        ids_after(s, &read, "id", CursorValue::Int(2)).await,
        vec![3, 4]
    );
    assert_eq!(
        ids_after(s, &read, "local", CursorValue::Timestamp(JAN_2)).await,
        vec![3, 4]
    );
    assert_eq!(
        ids_after(s, &read, "day", CursorValue::Date(19_724)).await,
        vec![3, 4]
    );
    assert_eq!(
        ids_after(s, &read, "code", CursorValue::Text("it's".into())).await,
        vec![3, 4]
    );
    assert_eq!(
        ids_after(s, &read, "code", CursorValue::Text("z\\".into())).await,
        Vec::<i64>::new()
    );
    my.drop_db().await;

    let lite = SqliteDb::create(
        "CREATE TABLE ev (id INTEGER, at DATETIME, epoch INTEGER, day DATE);
         INSERT INTO ev VALUES
           (1, '2024-01-01 10:00:00', 1704103200, '2024-01-01'),
           (2, '2024-01-02 00:00:00', 1704153600, '2024-01-02'),
           (3, '2024-01-02T00:00:00.000001', 1704153601, '2024-01-03 08:00'),
           (4, '2024-01-03 09:00:00.5', 1704272400, '2024-01-04');",
    );
    let source = lite.source();
    let read = table_read(source.as_ref(), None, "ev").await;
    let s = source.as_ref();
    assert_eq!(
        ids_after(s, &read, "id", CursorValue::Int(2)).await,
        vec![3, 4]
    );
    assert_eq!(
        ids_after(s, &read, "at", CursorValue::Timestamp(JAN_2)).await,
        vec![3, 4]
    );
    assert_eq!(
        ids_after(s, &read, "epoch", CursorValue::Timestamp(JAN_2)).await,
        vec![3, 4]
    );
    assert_eq!(
        ids_after(s, &read, "day", CursorValue::Date(19_724)).await,
        vec![3, 4]
    );
    assert_eq!(
        ids_after(
            s,
            &read,
            "at",
            CursorValue::Text("2024-01-02 00:00:00".into())
        )
        .await,
        vec![3, 4]
    );
}

/// Text cursors built to end a string early, on every source: the read neither fails nor
/// returns rows before the cursor, and no statement's text holds the cursor (it is a bound
/// parameter, or on PostgreSQL's COPY a setting set through one).
#[tokio::test]
async fn a_cursor_value_never_enters_the_text_a_source_runs() {
    let hostile = [
        "\u{10FFFF}' OR '1'='1",
        "\u{10FFFF}\\' OR 1=1 -- ",
        "\u{10FFFF}$$ OR 1=1 $$",
        "\u{10FFFF}'; SELECT pg_sleep(3); --",
        "\u{10FFFF}\\",
    ];
    let pg = PgDb::create(
        "CREATE TABLE ev (id int8, code text);
         INSERT INTO ev SELECT g, 'code ' || g FROM generate_series(1, 1000) g;",
    )
    .await;
    let my = MyDb::create(&[
        "CREATE TABLE ev (id bigint, code varchar(100)) CHARACTER SET utf8mb4",
        "INSERT INTO ev SELECT seq, CONCAT('code ', seq) FROM seq_1_to_1000",
    ])
    .await;
    let lite = SqliteDb::create(
        "CREATE TABLE ev (id INTEGER, code TEXT);
         WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 1000)
         INSERT INTO ev SELECT n, 'code ' || n FROM g;",
    );
    let sources = [
        (pg.source(), Some("public".to_string())),
        (my.source(), Some(my.name.clone())),
        (lite.source(), None),
    ];
    for (source, schema) in &sources {
        let read = table_read(source.as_ref(), schema.as_deref(), "ev").await;
        for cursor in hostile {
            let tap = proost_connect::tap::start();
            let ids = ids_after(
                source.as_ref(),
                &read,
                "code",
                CursorValue::Text(cursor.to_string()),
            )
            .await;
            assert!(
                ids.is_empty(),
                "{:?}: {cursor:?} read {ids:?}",
                source.kind()
            );
            for sent in tap.take() {
                // Proost's own setting names are the only quoted text.
                let text = ["'proost.cursor'", "'proost.lo'", "'proost.hi'"]
                    .iter()
                    .fold(sent.sql.clone(), |t, name| t.replace(name, ""));
                assert!(!text.contains("OR"), "{}", sent.sql);
                assert!(!text.contains('\''), "{}", sent.sql);
            }
        }
        // A cursor and partitions together (PostgreSQL reads each partition on its own
        // connection, each with the cursor set).
        let mut parted = read.clone();
        parted.partition_on = Some("id".into());
        parted.cursor = Some(("id".into(), Some(CursorValue::Int(990))));
        let (result, batches) = read_all(source.as_ref(), &parted, 3, 4).await;
        assert_eq!(result.expect("partitioned read after a cursor"), 10);
        let mut ids: Vec<i64> = batches.iter().flat_map(|b| sorted_ids(b)).collect();
        ids.sort();
        assert_eq!(ids, (991..=1000).collect::<Vec<_>>());
    }
    pg.drop_db().await;
    my.drop_db().await;
}

#[tokio::test]
async fn partitions_read_every_row_once_from_one_snapshot() {
    let db = PgDb::create(
        "CREATE TABLE p (id int4, v text);
         INSERT INTO p SELECT g, 'row ' || g FROM generate_series(1, 100000) g;
         INSERT INTO p VALUES (NULL, 'no id'), (NULL, 'no id either');",
    )
    .await;
    let source = db.source();
    let mut read = table_read(source.as_ref(), Some("public"), "p").await;
    read.partition_on = Some("id".into());
    read.batch_rows = 1_000;

    // Both partitions stall on full channels once they have started; rows committed then
    // (in both halves of the range) must not appear: the read is one snapshot.
    let (tx0, mut rx0) = mpsc::channel::<RecordBatch>(1);
    let (tx1, mut rx1) = mpsc::channel::<RecordBatch>(1);
    let read_task = {
        let (source, read) = (source.clone(), read.clone());
        tokio::spawn(async move { source.read_table(&read, &limits(), vec![tx0, tx1]).await })
    };
    let first0 = rx0.recv().await.expect("partition 0 starts");
    let first1 = rx1.recv().await.expect("partition 1 starts");
    let writer = db.client().await;
    writer
        .batch_execute(
            "INSERT INTO p VALUES (5, 'late'), (99999, 'late'), (200000, 'late'), (NULL, 'late')",
        )
        .await
        .expect("insert while reading");
    let (mut part0, mut part1) = (vec![first0], vec![first1]);
    loop {
        tokio::select! {
            Some(b) = rx0.recv() => part0.push(b),
            Some(b) = rx1.recv() => part1.push(b),
            else => break,
        }
    }
    let n = read_task.await.expect("join").expect("partitioned read");
    assert_eq!(n, 100_002);

    let ids0 = ints(&part0, 0);
    let ids1 = ints(&part1, 0);
    assert!(
        ids0.iter().all(|v| v.is_none_or(|v| v < 50_001)),
        "partition 0 holds the low half"
    );
    assert!(
        ids1.iter().all(|v| v.is_some_and(|v| v >= 50_001)),
        "partition 1 the high half"
    );
    assert_eq!(
        ids0.iter().filter(|v| v.is_none()).count(),
        2,
        "NULLs go to partition 0"
    );
    let mut all: Vec<i64> = ids0.into_iter().chain(ids1).flatten().collect();
    all.sort_unstable();
    assert_eq!(
        all,
        (1..=100_000).collect::<Vec<i64>>(),
        "every row once, no late rows"
    );
    db.drop_db().await;
}

#[tokio::test]
async fn a_dropped_receiver_stops_the_read_as_cancelled() {
    let pg = PgDb::create(
        "CREATE TABLE big AS SELECT g AS id, repeat('x', 200) AS pad FROM generate_series(1, 300000) g",
    )
    .await;
    let lite = SqliteDb::create(
        "CREATE TABLE big (id INTEGER, pad TEXT);
         WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 100000)
         INSERT INTO big SELECT n, 'x' FROM g;",
    );
    let my = MyDb::create(&[
        "CREATE TABLE big (id bigint, pad varchar(200))",
        "INSERT INTO big SELECT seq, repeat('x', 200) FROM seq_1_to_200000",
    ])
    .await;
    let sources = [
        (pg.source(), Some("public".to_string())),
        (my.source(), Some(my.name.clone())),
        (lite.source(), None),
    ];
    for (source, schema) in sources {
        let mut read = table_read(source.as_ref(), schema.as_deref(), "big").await;
        read.batch_rows = 1_000;
        let (tx, mut rx) = mpsc::channel::<RecordBatch>(1);
        let reader = {
            let (source, read) = (source.clone(), read.clone());
            tokio::spawn(async move { source.read_table(&read, &limits(), vec![tx]).await })
        };
        rx.recv().await.expect("a first batch");
        drop(rx);
        let result = tokio::time::timeout(Duration::from_secs(30), reader)
            .await
            .expect("the read stops")
            .expect("join");
        assert!(
            matches!(result, Err(ConnectError::Cancelled)),
            "{:?}: {result:?}",
            source.kind()
        );
    }

    // The backend is not left streaming a COPY nobody reads.
    let client = pg_client("postgres").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let running: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'COPY%' AND state = 'active'",
                &[&pg.name],
            )
            .await
            .expect("pg_stat_activity")
            .get(0);
        if running == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "a COPY still runs after the reader left"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    pg.drop_db().await;
    my.drop_db().await;
}

#[tokio::test]
async fn odd_table_names_read_like_any_other() {
    let pg = PgDb::create(
        "CREATE SCHEMA \"sch\"\"ema\";
         CREATE TABLE \"sch\"\"ema\".\"we\"\"ird ta'ble;--\" (\"co\"\"l\" int8, \"a b\" text);
         INSERT INTO \"sch\"\"ema\".\"we\"\"ird ta'ble;--\" VALUES (1, 'x'), (2, 'y');",
    )
    .await;
    let source = pg.source();
    let mut read = table_read(source.as_ref(), Some("sch\"ema"), "we\"ird ta'ble;--").await;
    read.cursor = Some(("co\"l".into(), Some(CursorValue::Int(1))));
    read.partition_on = Some("co\"l".into());
    let (result, batches) = read_all(source.as_ref(), &read, 2, 2).await;
    assert_eq!(result.expect("odd names"), 1);
    assert_eq!(sorted_ids(&batches.concat()), vec![2]);
    pg.drop_db().await;

    let my = MyDb::create(&[
        "CREATE TABLE `we``ird ta'ble;--` (`co``l` bigint, `a b` text)",
        "INSERT INTO `we``ird ta'ble;--` VALUES (1, 'x'), (2, 'y')",
    ])
    .await;
    let source = my.source();
    let mut read = table_read(source.as_ref(), Some(&my.name), "we`ird ta'ble;--").await;
    read.cursor = Some(("co`l".into(), Some(CursorValue::Int(1))));
    let (result, batches) = read_all(source.as_ref(), &read, 1, 2).await;
    assert_eq!(result.expect("odd names"), 1);
    assert_eq!(sorted_ids(&batches[0]), vec![2]);
    my.drop_db().await;

    let lite = SqliteDb::create(
        "CREATE TABLE \"we\"\"ird ta'ble;--\" (\"co\"\"l\" INTEGER, \"a b\" TEXT);
         INSERT INTO \"we\"\"ird ta'ble;--\" VALUES (1, 'x'), (2, 'y');",
    );
    let source = lite.source();
    let mut read = table_read(source.as_ref(), None, "we\"ird ta'ble;--").await;
    read.cursor = Some(("co\"l".into(), Some(CursorValue::Int(1))));
    let (result, batches) = read_all(source.as_ref(), &read, 1, 2).await;
    assert_eq!(result.expect("odd names"), 1);
    assert_eq!(sorted_ids(&batches[0]), vec![2]);
}

#[tokio::test]
async fn a_read_cannot_write_to_the_source() {
    // A view whose rows come from a function that writes: the read-only transaction
    // refuses the write, and the source is unchanged.
    let pg = PgDb::create(
        "CREATE TABLE audit (n int);
         CREATE FUNCTION sneaky() RETURNS int LANGUAGE plpgsql AS
           $$ BEGIN INSERT INTO audit VALUES (1); RETURN 1; END $$;
         CREATE VIEW v AS SELECT sneaky() AS x;",
    )
    .await;
    let source = pg.source();
    let read = table_read(source.as_ref(), Some("public"), "v").await;
    let (result, _) = read_all(source.as_ref(), &read, 1, 2).await;
    assert!(matches!(result, Err(ConnectError::Query(_))), "{result:?}");
    let audit: i64 = pg
        .client()
        .await
        .query_one("SELECT count(*) FROM audit", &[])
        .await
        .expect("count")
        .get(0);
    assert_eq!(audit, 0);

    // The generated SELECT still passes the statement check: a name that carries an
    // executable comment is refused before anything reaches the server.
    let mut odd = read.clone();
    odd.table = "v /*+ Set(statement_timeout 0) */".into();
    let (result, _) = read_all(source.as_ref(), &odd, 1, 2).await;
    assert!(
        matches!(result, Err(ConnectError::Refused(_))),
        "{result:?}"
    );
    pg.drop_db().await;

    let my = MyDb::create(&[
        "CREATE TABLE audit (n int)",
        "CREATE FUNCTION sneaky() RETURNS int MODIFIES SQL DATA BEGIN INSERT INTO audit VALUES (1); RETURN 1; END",
        "CREATE VIEW v AS SELECT sneaky() AS x",
    ])
    .await;
    let source = my.source();
    // MariaDB cannot even list this view's columns in a read-only session (opening it
    // prepares the function's write), so the read is described by hand.
    let mut read = table_read(source.as_ref(), Some(&my.name), "audit").await;
    read.table = "v".into();
    read.columns[0].name = "x".into();
    read.arrow_schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Int32, true)]));
    let (result, _) = read_all(source.as_ref(), &read, 1, 2).await;
    assert!(matches!(result, Err(ConnectError::Query(_))), "{result:?}");
    let mut conn = my_conn(Some(&my.name)).await;
    let audit: Option<i64> = conn
        .query_first("SELECT count(*) FROM audit")
        .await
        .expect("count");
    assert_eq!(audit, Some(0));
    let _ = conn.disconnect().await;
    my.drop_db().await;
}

#[tokio::test]
async fn postgres_decimals_keep_every_digit_their_column_declares() {
    let db = PgDb::create(
        "CREATE TABLE d (id int4, wide numeric(38,0), money numeric(5,2), free numeric);
         INSERT INTO d VALUES
           (1, 12345678901234567890123456789012345678, 999.99, 0.123456789012345),
           (2, -12345678901234567890123456789012345678, -999.99, 0.00000000005),
           (3, 0, 0, -0.00000000005),
           (4, 10000000000000000000000000000000000000, 0.01, 1e27);
         CREATE TABLE nan (id int4, free numeric);
         INSERT INTO nan VALUES (1, 'NaN');",
    )
    .await;
    let source = db.source();
    let read = table_read(source.as_ref(), Some("public"), "d").await;
    let (result, batches) = read_all(source.as_ref(), &read, 1, 2).await;
    assert_eq!(result.expect("decimals"), 4);
    let got = concat(&read, &batches[0]);
    let col = |i: usize| {
        got.column(i)
            .as_any()
            .downcast_ref::<arrow::array::Decimal128Array>()
            .expect("decimal")
            .iter()
            .collect::<Vec<_>>()
    };
    let wide: i128 = 12_345_678_901_234_567_890_123_456_789_012_345_678;
    assert_eq!(
        col(1),
        vec![Some(wide), Some(-wide), Some(0), Some(10i128.pow(37))]
    );
    assert_eq!(col(2), vec![Some(99_999), Some(-99_999), Some(0), Some(1)]);
    // Unconstrained numeric is read at scale 10, rounding half away from zero.
    assert_eq!(
        col(3),
        vec![Some(1_234_567_890), Some(1), Some(-1), Some(10i128.pow(37))]
    );

    let read = table_read(source.as_ref(), Some("public"), "nan").await;
    let (result, _) = read_all(source.as_ref(), &read, 1, 2).await;
    match result {
        Err(ConnectError::Query(m)) => assert!(m.contains("`free`") && m.contains("NaN"), "{m}"),
        other => panic!("NaN in a decimal column: {other:?}"),
    }
    db.drop_db().await;
}
