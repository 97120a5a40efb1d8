//! Differential fuzzing of pushdown: generated filters, with literals built to break out of
//! SQL text (quotes, doubled quotes, backslashes before quotes and at the end, dollar
//! quotes, comment openers, NUL and control bytes, look-alikes of quotes, long strings) and
//! values at the edges of every type, run against real PostgreSQL, MariaDB (with and
//! without NO_BACKSLASH_ESCAPES) and SQLite. With pushdown, a query must return exactly the
//! rows DataFusion returns filtering the same table in memory, each source must receive one
//! statement per query, and that statement's text must hold no value.
//!
//! `PROOST_FUZZ_CASES` sets the cases per source (default 200, as `scripts/test` runs them);
//! a long run: `PROOST_FUZZ_CASES=20000 cargo nextest run -p proost-query fuzz`.
//! A failing case is shrunk by proptest and printed with its seed.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use arrow::array::{Array, AsArray};
use arrow::datatypes::Int64Type;
use datafusion::datasource::MemTable;
use datafusion::prelude::SessionContext;
use mysql_async::prelude::Queryable;
use proost_connect::Limits;
use proost_query::Engine;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use super::{Db, One};

fn cases() -> u32 {
    std::env::var("PROOST_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

/// Pieces strings are made of: each has broken some SQL renderer somewhere.
const PIECES: &[&str] = &[
    "'", "''", "\\", "\\'", "\\\\", "$$", "$q$", "--", "#", "/*", "*/", ";", "%", "_", "\0",
    "\u{1}", "\t", "\n", "\r", "ʼ", "＇", "‘", "’", "\"", "`", " OR 1=1", "a", "A", "é", "É", "ß",
    "K", "ſ", "x", " ", "0", "é", "😀", "NULL", "SELECT",
];

/// Text values of the table: the pieces alone and joined, so literals built from the same
/// pieces sometimes match.
fn text_values() -> Vec<String> {
    let mut v: Vec<String> = PIECES.iter().map(|s| s.to_string()).collect();
    v.extend(
        [
            "a'b",
            "a\\'b",
            "a\\",
            "O'Brien",
            "o'brien",
            "x ",
            "x",
            "X",
            "abc%",
            "a_c",
            "",
            "\\'' OR 1=1 --",
            "$$x$$",
            "Straße",
            "STRASSE",
            "e\u{301}",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    v.push("long".repeat(500));
    v
}

/// One row of the fuzzed table.
#[derive(Debug, Clone)]
struct Row {
    id: i32,
    txt: Option<String>,
    num: Option<i64>,
    flt: Option<f64>,
    dec: Option<String>,
    d: Option<String>,
    ts: Option<String>,
}

fn table_rows() -> Vec<Row> {
    let texts = text_values();
    let nums = [
        0,
        1,
        -1,
        42,
        i64::MAX,
        i64::MIN,
        1_000_000_007,
        -99,
        7,
        2_147_483_648,
    ];
    let floats = [
        0.0,
        -0.0,
        1.5,
        -1.5,
        1e300,
        -1e-300,
        0.1,
        3.0,
        123_456.789,
        f64::MIN_POSITIVE,
    ];
    let decs = [
        "0.000",
        "1.500",
        "-1.500",
        "123456789.123",
        "-0.001",
        "42.000",
        "7.125",
    ];
    let dates = [
        "2024-02-29",
        "1970-01-01",
        "1999-12-31",
        "2038-01-19",
        "0001-01-01",
        "9999-12-31",
    ];
    let stamps = [
        "2024-02-29 12:34:56.123456",
        "1970-01-01 00:00:00",
        "1999-12-31 23:59:59.999999",
        "2038-01-19 03:14:07",
    ];
    (0..texts.len() + 10)
        .map(|i| Row {
            id: i as i32 + 1,
            txt: (i % 11 != 10).then(|| texts[i % texts.len()].clone()),
            num: (i % 13 != 12).then(|| nums[i % nums.len()]),
            flt: (i % 7 != 6).then(|| floats[i % floats.len()]),
            dec: (i % 9 != 8).then(|| decs[i % decs.len()].to_string()),
            d: (i % 8 != 7).then(|| dates[i % dates.len()].to_string()),
            ts: (i % 6 != 5).then(|| stamps[i % stamps.len()].to_string()),
        })
        .collect()
}

/// The same table on each source, filled through bound parameters. Text that a source
/// cannot store (NUL for PostgreSQL) is left out there.
async fn fill(db: &Db) {
    let rows = table_rows();
    match db.kind {
        proost_connect::ConnectionKind::Postgres => {
            let c = super::pg_client(&db.url).await;
            c.batch_execute(
                "CREATE TABLE t (id int PRIMARY KEY, txt text, num bigint, flt double precision, \
                 amt numeric(12,3), d date, ts timestamp)",
            )
            .await
            .expect("create");
            for r in &rows {
                c.execute(
                    "INSERT INTO t VALUES ($1, $2, $3, $4, CAST($5::text AS numeric), CAST($6::text AS date), CAST($7::text AS timestamp))",
                    &[
                        &r.id,
                        &r.txt.as_ref().filter(|t| !t.contains('\0')),
                        &r.num,
                        &r.flt,
                        &r.dec,
                        &r.d,
                        &r.ts,
                    ],
                )
                .await
                .unwrap_or_else(|e| panic!("{r:?}: {e}"));
            }
        }
        proost_connect::ConnectionKind::Mysql => {
            let mut c = super::my_conn(&db.url).await;
            c.query_drop(
                "CREATE TABLE t (id int PRIMARY KEY, txt varchar(2100), num bigint, flt double, \
                 amt decimal(12,3), d date, ts datetime(6))",
            )
            .await
            .expect("create");
            for r in &rows {
                c.exec_drop(
                    "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        r.id,
                        r.txt.clone(),
                        r.num,
                        r.flt,
                        r.dec.clone(),
                        r.d.clone(),
                        r.ts.clone(),
                    ),
                )
                .await
                .unwrap_or_else(|e| panic!("{r:?}: {e}"));
            }
            let _ = c.disconnect().await;
        }
        proost_connect::ConnectionKind::Sqlite => {
            let c = rusqlite::Connection::open(&db.name).expect("open");
            c.execute_batch(
                "CREATE TABLE t (id INTEGER PRIMARY KEY, txt TEXT, num INTEGER, flt REAL, \
                 amt REAL, d DATE, ts DATETIME)",
            )
            .expect("create");
            for r in &rows {
                c.execute(
                    "INSERT INTO t VALUES (?1, ?2, ?3, ?4, CAST(?5 AS REAL), ?6, ?7)",
                    rusqlite::params![r.id, r.txt, r.num, r.flt, r.dec, r.d, r.ts],
                )
                .unwrap_or_else(|e| panic!("{r:?}: {e}"));
            }
        }
    }
}

/// A filter over the table, as engine SQL.
#[derive(Debug, Clone)]
enum Filter {
    Cmp(&'static str, &'static str, String),
    Like(bool, String),
    In(&'static str, bool, Vec<String>),
    Between(&'static str, bool, String, String),
    IsNull(&'static str, bool),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
}

impl Filter {
    fn sql(&self) -> String {
        match self {
            Filter::Cmp(c, op, v) => format!("{c} {op} {v}"),
            Filter::Like(neg, p) => {
                format!("txt {}LIKE {}", if *neg { "NOT " } else { "" }, quote(p))
            }
            Filter::In(c, neg, vs) => {
                format!(
                    "{c} {}IN ({})",
                    if *neg { "NOT " } else { "" },
                    vs.join(", ")
                )
            }
            Filter::Between(c, neg, a, b) => {
                format!("{c} {}BETWEEN {a} AND {b}", if *neg { "NOT " } else { "" })
            }
            Filter::IsNull(c, neg) => {
                format!("{c} IS {}NULL", if *neg { "NOT " } else { "" })
            }
            Filter::And(a, b) => format!("({}) AND ({})", a.sql(), b.sql()),
            Filter::Or(a, b) => format!("({}) OR ({})", a.sql(), b.sql()),
            Filter::Not(a) => format!("NOT ({})", a.sql()),
        }
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn text_literal() -> impl Strategy<Value = String> {
    let values = text_values();
    prop_oneof![
        proptest::sample::select(values),
        proptest::collection::vec(proptest::sample::select(PIECES.to_vec()), 0..8)
            .prop_map(|p| p.concat()),
        "[ -~]{0,12}",
        (1usize..3000).prop_map(|n| format!("{}\\'", "z".repeat(n))),
    ]
}

/// A column and a literal of its type, as engine SQL.
fn operand() -> impl Strategy<Value = (&'static str, String)> {
    prop_oneof![
        text_literal().prop_map(|s| ("txt", quote(&s))),
        prop_oneof![
            any::<i64>(),
            -3i64..50,
            Just(i64::MAX),
            Just(i64::MIN),
            Just(2_147_483_648)
        ]
        .prop_map(|n| ("num", n.to_string())),
        prop_oneof![
            Just(0.0f64),
            Just(-0.0),
            Just(1.5),
            Just(0.1),
            Just(1e300),
            Just(-1e-300),
            Just(f64::MIN_POSITIVE),
            -1e6f64..1e6,
        ]
        .prop_map(|f| ("flt", format!("CAST({f:e} AS DOUBLE)"))),
        (-2_000_000i64..2_000_000, 0u32..4).prop_map(|(n, k)| {
            let v = n as f64 / 10f64.powi(k as i32);
            ("amt", format!("CAST('{v}' AS DECIMAL(12,3))"))
        }),
        (0i32..3_000_000).prop_map(|n| {
            let d = chrono::NaiveDate::from_num_days_from_ce_opt(n).unwrap_or_default();
            ("d", format!("DATE '{}'", d.format("%Y-%m-%d")))
        }),
        (0i64..2_200_000_000, 0u32..1_000_000).prop_map(|(s, us)| {
            let t = chrono::DateTime::from_timestamp(s, us * 1000)
                .unwrap_or_default()
                .naive_utc();
            (
                "ts",
                format!("CAST('{}' AS TIMESTAMP)", t.format("%Y-%m-%d %H:%M:%S%.6f")),
            )
        }),
    ]
}

fn filter() -> impl Strategy<Value = Filter> {
    let leaf = prop_oneof![
        (
            operand(),
            proptest::sample::select(vec!["=", "<>", "<", "<=", ">", ">="])
        )
            .prop_map(|((c, v), op)| Filter::Cmp(c, op, v)),
        (any::<bool>(), text_literal()).prop_map(|(n, p)| Filter::Like(n, p)),
        (proptest::collection::vec(operand(), 1..4), any::<bool>()).prop_map(|(ops, neg)| {
            let col = ops[0].0;
            let vs = ops
                .iter()
                .filter(|(c, _)| *c == col)
                .map(|(_, v)| v.clone())
                .collect();
            Filter::In(col, neg, vs)
        }),
        (operand(), operand(), any::<bool>()).prop_map(|((c, a), (c2, b), neg)| {
            if c == c2 {
                Filter::Between(c, neg, a, b)
            } else {
                Filter::Between(c, neg, a.clone(), a)
            }
        }),
        (
            proptest::sample::select(vec!["txt", "num", "flt", "amt", "d", "ts"]),
            any::<bool>()
        )
            .prop_map(|(c, n)| Filter::IsNull(c, n)),
    ];
    leaf.prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Filter::And(a.into(), b.into())),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Filter::Or(a.into(), b.into())),
            inner.prop_map(|a| Filter::Not(a.into())),
        ]
    })
}

fn ids(out: &proost_connect::QueryOutput) -> BTreeSet<i64> {
    out.batches
        .iter()
        .flat_map(|b| {
            let a = arrow::compute::cast(b.column(0), &arrow::datatypes::DataType::Int64)
                .expect("ids are integers");
            let a = a.as_primitive::<Int64Type>().clone();
            (0..a.len())
                .filter(|i| a.is_valid(*i))
                .map(|i| a.value(i))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// What DataFusion alone returns for `filter` over the rows the source holds.
async fn expected(reference: &SessionContext, filter: &Filter) -> Option<BTreeSet<i64>> {
    let sql = format!("SELECT id FROM t WHERE {}", filter.sql());
    let run = async { reference.sql(&sql).await?.collect().await };
    let batches = match run.await {
        Ok(b) => b,
        Err(e) => {
            if std::env::var_os("PROOST_FUZZ_DEBUG").is_some() {
                eprintln!("not a valid engine filter: {sql}: {e}");
            }
            return None;
        }
    };
    let Some(schema) = batches.first().map(|b| b.schema()) else {
        return Some(BTreeSet::new());
    };
    Some(ids(&proost_connect::QueryOutput {
        schema,
        batches,
        truncated: false,
    }))
}

async fn fuzz(db: &Db) {
    fill(db).await;
    let one = One::new(db).await;
    let engine = Engine::default();
    let limits = Limits::new(Duration::from_secs(60), 1_000_000);
    let table = db.table("t");
    // The reference: the whole table as the engine reads it, filtered in memory.
    let all = engine
        .run(&format!("SELECT * FROM {table}"), &one, &limits)
        .await
        .expect("read the whole table");
    let reference = SessionContext::new();
    let mem = MemTable::try_new(all.schema.clone(), vec![all.batches.clone()]).expect("memtable");
    reference
        .register_table("t", Arc::new(mem))
        .expect("register");
    let rt = tokio::runtime::Handle::current();
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let kind = db.kind;
    let compared = std::sync::atomic::AtomicU32::new(0);
    let pushed = std::sync::atomic::AtomicU32::new(0);
    let result = tokio::task::block_in_place(|| {
        runner.run(&filter(), |f| {
            rt.block_on(async {
                let Some(want) = expected(&reference, &f).await else {
                    // Not valid for the engine itself: nothing to compare.
                    return Ok(());
                };
                let tap = proost_connect::tap::start();
                let sql = format!("SELECT id FROM {table} WHERE {}", f.sql());
                let got = engine.run(&sql, &one, &limits).await.map_err(|e| {
                    TestCaseError::fail(format!("{kind:?}: {sql}: pushdown failed: {e}"))
                })?;
                prop_assert_eq!(ids(&got), want, "{:?}: {}", kind, sql);
                let sent = tap.take();
                compared.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if sent.iter().any(|s| !s.params.is_empty()) {
                    pushed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                // None when the planner proved no row can match.
                prop_assert!(
                    sent.len() <= 1,
                    "{:?}: one statement per query: {:?}",
                    kind,
                    sent
                );
                for s in &sent {
                    prop_assert!(
                        !s.sql.replace(" ESCAPE '\\'", "").contains('\''),
                        "{:?}: a quoted value in {}",
                        kind,
                        s.sql
                    );
                }
                Ok(())
            })
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (compared, pushed) = (compared.into_inner(), pushed.into_inner());
    eprintln!(
        "{kind:?}: {compared} of {} cases compared, {pushed} with filters pushed down",
        cases()
    );
    // Most generated filters are valid SQL for the engine, and most of those push down.
    assert!(
        compared * 2 >= cases(),
        "only {compared} cases were valid filters"
    );
    assert!(
        pushed * 5 >= compared,
        "only {pushed} of {compared} pushed down"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzz_postgres_pushdown_matches_the_engine() {
    let db = Db::postgres("").await;
    fuzz(&db).await;
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzz_sqlite_pushdown_matches_the_engine() {
    let db = Db::sqlite("");
    fuzz(&db).await;
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzz_mariadb_pushdown_matches_the_engine() {
    let db = Db::mysql(&[]).await;
    fuzz(&db).await;
    db.drop_db().await;
}

/// A server whose default `sql_mode` reads backslashes literally and double quotes as
/// identifiers (a throwaway MariaDB, so no other test sees that mode): Proost's sessions
/// set their own mode, so nothing changes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzz_mariadb_with_no_backslash_escapes_matches_the_engine() {
    let server = super::ScratchMariaDb::start("NO_BACKSLASH_ESCAPES,ANSI_QUOTES");
    let db = Db::mysql_on(&server.base, &[]).await;
    fuzz(&db).await;
}
