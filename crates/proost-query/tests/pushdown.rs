//! Pushdown: a query over a live source asks it only for the columns, rows and count it
//! needs, and every value of that request (the caller's literals, a row policy's
//! attributes, the limit) travels as a bound parameter, never in the SQL text, on
//! PostgreSQL, MariaDB and SQLite alike. `proost_connect::tap` records what each source
//! received. The differential fuzz of `fuzz.rs` checks pushdown never changes a result.

mod support;

use std::time::Duration;

use arrow::array::{Array, AsArray};
use proost_connect::tap::Sent;
use proost_connect::{Limits, SqlValue};
use proost_query::{ColumnRule, Engine, MaskKind, PolicyValue, RowFilter, TablePolicy};
use support::{Db, One};

fn limits() -> Limits {
    Limits::new(Duration::from_secs(30), 10_000)
}

fn rows(out: &proost_connect::QueryOutput) -> usize {
    out.batches.iter().map(|b| b.num_rows()).sum()
}

/// The SQL text holds no value: no quoted string but SQLite's fixed `ESCAPE '\'`, and no
/// number but placeholders and the DECIMAL(p,s) of MySQL's parameter casts.
fn assert_no_value_in_text(sent: &Sent) {
    // Quoted identifiers (database names hold digits) are names, not values.
    let mut text = String::new();
    let mut quote = None;
    for c in sent.sql.replace(" ESCAPE '\\'", "").chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '`' => quote = Some(c),
            None => text.push(c),
        }
    }
    for p in (1..=sent.params.len()).rev() {
        text = text
            .replace(&format!("${p}"), "")
            .replace(&format!("?{p}"), "");
    }
    while let Some(at) = text.find("DECIMAL(") {
        let end = text[at..].find(')').map_or(text.len(), |e| at + e + 1);
        text.replace_range(at..end, "");
    }
    assert!(!text.contains('\''), "a quoted value in: {}", sent.sql);
    assert!(
        !text.chars().any(|c| c.is_ascii_digit()),
        "a number in: {}",
        sent.sql
    );
}

const SHOP_PG: &str = "
CREATE TABLE people (id int PRIMARY KEY, name text, amount numeric(10,2), born date);
INSERT INTO people SELECT g, 'person ' || g, g * 1.5, DATE '1990-01-01' + g FROM generate_series(1, 40) g;
INSERT INTO people VALUES (41, 'O''Brien \\ back', 7.25, NULL);
CREATE TABLE vault (secret text);
INSERT INTO vault VALUES ('TOPSECRET_zq');
CREATE VIEW boom AS SELECT id, CAST(secret AS int) AS n FROM vault, generate_series(1, 3) id;";

const SHOP_MY: &[&str] = &[
    "CREATE TABLE people (id int PRIMARY KEY, name varchar(100), amount decimal(10,2), born date)",
    "INSERT INTO people SELECT seq, CONCAT('person ', seq), seq * 1.5, DATE '1990-01-01' + INTERVAL seq DAY FROM seq_1_to_40",
    "INSERT INTO people VALUES (41, 'O''Brien \\\\ back', 7.25, NULL)",
    "CREATE TABLE vault (secret varchar(100))",
    "INSERT INTO vault VALUES ('TOPSECRET_zq')",
];

const SHOP_LITE: &str = "
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, amount REAL, born TEXT);
WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 40)
INSERT INTO people SELECT n, 'person ' || n, n * 1.5, date('1990-01-01', '+' || n || ' days') FROM g;
INSERT INTO people VALUES (41, 'O''Brien \\ back', 7.25, NULL);
CREATE TABLE vault (secret TEXT);
INSERT INTO vault VALUES ('TOPSECRET_zq');";

/// String values that broke out of the rendered SQL of earlier versions somewhere: a
/// backslash before a quote, doubled quotes, dollar quotes, comment openers, NUL and other
/// control bytes, look-alikes of quotes, a very long value.
fn hostile_strings() -> Vec<String> {
    let mut v: Vec<String> = [
        "x\\' OR 1=1 -- ",
        "x\\' OR (SELECT secret FROM vault) = 'TOPSECRET_zq' #",
        "\\' || (SELECT CAST(secret AS int) FROM vault) || \\'",
        "a\\",
        "\\\\' OR 'a'='a",
        "'' OR ''='",
        "$$ OR 1=1 $$",
        "$t$ OR 1=1 $t$",
        "x'; SELECT pg_sleep(5); --",
        "/* x */ OR 1=1",
        "# comment\n OR 1=1",
        "ctrl\u{1}\u{7}\t\r\nend",
        "nul\u{0}byte",
        "ʼ OR ʼ1ʼ=ʼ1",
        "＇ OR ＇1＇=＇1",
        "O'Brien \\ back",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push(format!("{}' OR 1=1 --", "long".repeat(2000)));
    v
}

fn sql_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

async fn each_source(check: impl AsyncFn(&Db)) {
    let pg = Db::postgres(SHOP_PG).await;
    check(&pg).await;
    pg.drop_db().await;
    let my = Db::mysql(SHOP_MY).await;
    check(&my).await;
    my.drop_db().await;
    let lite = Db::sqlite(SHOP_LITE);
    check(&lite).await;
    lite.drop_db().await;
}

#[tokio::test]
async fn no_value_of_a_query_reaches_the_text_a_source_runs() {
    each_source(async |db: &Db| {
        let one = One::new(db).await;
        let engine = Engine::default();
        let people = db.table("people");
        let mut cases: Vec<(String, usize, Option<SqlValue>)> = hostile_strings()
            .into_iter()
            .map(|s| {
                let expect = usize::from(s == "O'Brien \\ back");
                (
                    format!("SELECT id FROM {people} WHERE name = {}", sql_string(&s)),
                    expect,
                    (!s.contains('\0')).then(|| SqlValue::Text(s.clone())),
                )
            })
            .collect();
        cases.extend([
            (
                format!("SELECT id FROM {people} WHERE name IN ('person 3', 'x\\'' OR 1=1 --')"),
                1,
                Some(SqlValue::Text("person 3".into())),
            ),
            (
                format!("SELECT id FROM {people} WHERE name LIKE 'person 1%'"),
                11,
                // SQLite's LIKE is not pushed (it stops at NUL characters).
                (db.kind != proost_connect::ConnectionKind::Sqlite)
                    .then(|| SqlValue::Text("person 1%".into())),
            ),
            (
                format!("SELECT id FROM {people} WHERE id BETWEEN 5 AND 9"),
                5,
                Some(SqlValue::Int(5)),
            ),
            (
                format!("SELECT id FROM {people} WHERE id > 38"),
                3,
                Some(SqlValue::Int(38)),
            ),
        ]);
        for (sql, expected, param) in cases {
            let tap = proost_connect::tap::start();
            let out = engine
                .run(&sql, &one, &limits())
                .await
                .unwrap_or_else(|e| panic!("{:?}: {sql}: {e}", db.kind));
            assert_eq!(rows(&out), expected, "{:?}: {sql}", db.kind);
            let sent = tap.take();
            assert_eq!(sent.len(), 1, "one statement per query: {sent:?}");
            assert_no_value_in_text(&sent[0]);
            if let Some(p) = param {
                assert!(
                    sent[0].params.contains(&p),
                    "{:?}: {sql}: the filter was not pushed down: {sent:?}",
                    db.kind
                );
            }
        }
    })
    .await;
}

#[tokio::test]
async fn a_source_error_is_withheld_from_a_governed_caller() {
    let db = Db::postgres(SHOP_PG).await;
    let mut one = One::new(&db).await;
    let engine = Engine::default();
    let err = engine
        .run("SELECT n FROM src.public.boom", &one, &limits())
        .await
        .expect_err("the view fails at the source");
    // Unrestricted callers see the source's words, which quote the hidden value …
    assert!(err.to_string().contains("TOPSECRET_zq"), "{err}");
    // … everyone else a stable code and a fixed sentence.
    let withheld = err.withheld();
    assert_eq!(withheld.code(), "source_query_error");
    assert!(!withheld.to_string().contains("TOPSECRET"), "{withheld}");

    // A policy whose cast fails on a row the caller may not see hides that row instead of
    // failing with its value.
    one.policies.insert(
        ("public".into(), "people".into()),
        TablePolicy {
            readable: true,
            columns: vec![
                ("id".into(), ColumnRule::Show),
                ("name".into(), ColumnRule::Show),
            ],
            row_filters: vec![RowFilter {
                sql: "CAST(name AS INT) > $1 OR id < $2".into(),
                values: vec![PolicyValue::Int(0), PolicyValue::Int(3)],
            }],
        },
    );
    let out = engine
        .run("SELECT id FROM src.public.people", &one, &limits())
        .await
        .expect("no row's value can make the policy fail");
    assert_eq!(rows(&out), 2);
    db.drop_db().await;
}

#[tokio::test]
async fn attributes_in_row_policies_are_values_never_sql() {
    each_source(async |db: &Db| {
        let mut one = One::new(db).await;
        let engine = Engine::default();
        for attribute in hostile_strings()
            .into_iter()
            .chain(["person 7".to_string()])
        {
            one.policies.insert(
                (db.schema.clone(), "people".into()),
                TablePolicy {
                    readable: true,
                    columns: vec![
                        ("id".into(), ColumnRule::Show),
                        ("name".into(), ColumnRule::Show),
                    ],
                    row_filters: vec![RowFilter {
                        sql: "name = $1".into(),
                        values: vec![PolicyValue::Text(attribute.clone())],
                    }],
                },
            );
            let tap = proost_connect::tap::start();
            let out = engine
                .run(
                    &format!("SELECT id, name FROM {}", db.table("people")),
                    &one,
                    &limits(),
                )
                .await
                .unwrap_or_else(|e| panic!("{:?}: {attribute:?}: {e}", db.kind));
            let expected = usize::from(attribute == "person 7" || attribute == "O'Brien \\ back");
            assert_eq!(rows(&out), expected, "{:?}: {attribute:?}", db.kind);
            for sent in tap.take() {
                assert_no_value_in_text(&sent);
            }
        }
    })
    .await;
}

#[tokio::test]
async fn explain_shows_the_governed_plan_and_nothing_under_it() {
    let db = Db::postgres(SHOP_PG).await;
    let mut one = One::new(&db).await;
    one.policies.insert(
        ("public".into(), "people".into()),
        TablePolicy {
            readable: true,
            // `born` is hidden, `name` masked, rows filtered by a policy literal.
            columns: vec![
                ("id".into(), ColumnRule::Show),
                ("name".into(), ColumnRule::Mask(MaskKind::Redact)),
                ("amount".into(), ColumnRule::Show),
            ],
            row_filters: vec![RowFilter {
                sql: "amount < $1 AND name <> 'POLICY_LITERAL_zq'".into(),
                values: vec![PolicyValue::Text("31.5".into())],
            }],
        },
    );
    let engine = Engine::default();
    for sql in [
        "EXPLAIN SELECT id, name FROM src.public.people WHERE id > 3",
        "EXPLAIN VERBOSE SELECT count(*) FROM src.public.people p JOIN src.public.vault v ON true",
    ] {
        let tap = proost_connect::tap::start();
        let out = engine
            .run(sql, &one, &limits())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        assert!(tap.take().is_empty(), "EXPLAIN read a source");
        let text: String = out
            .batches
            .iter()
            .flat_map(|b| {
                let plan = b.column(1).as_string::<i32>().clone();
                (0..plan.len())
                    .map(|i| plan.value(i).to_string())
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            text.contains("GovernedExec: table=src.public.people"),
            "{text}"
        );
        for hidden in ["POLICY_LITERAL_zq", "31.5", "born", "mask_", "$1"] {
            assert!(!text.contains(hidden), "{sql} shows {hidden}:\n{text}");
        }
    }
    db.drop_db().await;
}

#[tokio::test]
async fn projection_and_limit_reach_the_source() {
    let db = Db::sqlite(SHOP_LITE);
    let one = One::new(&db).await;
    let engine = Engine::default();
    let tap = proost_connect::tap::start();
    let out = engine
        .run(
            "SELECT id FROM src.main.people WHERE amount > 30 AND name LIKE 'person%'",
            &one,
            &limits(),
        )
        .await
        .expect("query");
    assert_eq!(rows(&out), 20);
    let sent = tap.take();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(
        !sent[0].sql.contains("born"),
        "unused column fetched: {sent:?}"
    );
    assert!(sent[0].sql.contains("WHERE"), "filter not pushed: {sent:?}");
    let out = engine
        .run("SELECT id FROM src.main.people LIMIT 5", &one, &limits())
        .await
        .expect("query");
    assert_eq!(rows(&out), 5);
    let sent = tap.take();
    assert!(
        sent[0].sql.contains("LIMIT ?"),
        "limit not pushed: {sent:?}"
    );
    assert_eq!(sent[0].params, vec![SqlValue::UInt(5)]);
    db.drop_db().await;
}

#[tokio::test]
async fn unknown_connections_are_absent_not_forbidden() {
    let db = Db::sqlite(SHOP_LITE);
    let err = Engine::default()
        .run(
            "SELECT * FROM secret.main.people",
            &One::new(&db).await,
            &limits(),
        )
        .await
        .expect_err("absent");
    assert_eq!(err.code(), "table_not_found");
    db.drop_db().await;
}
