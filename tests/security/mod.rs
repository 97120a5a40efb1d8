//! Governance tried from outside, as an analyst and a viewer with ordinary grants, against
//! real PostgreSQL, MariaDB and SQLite: a literal or a user attribute cannot break out of
//! the SQL a source receives, errors name nothing the caller may not see, metadata shows
//! only what grants reach, and EXPLAIN shows only the governed plan.

use crate::common::*;
use reqwest::Method;
use serde_json::{Value, json};

/// A connection of each kind with `people` (granted) and `vault` (not granted, holding the
/// secret an attack would try to read).
struct Source {
    name: &'static str,
    schema: String,
}

/// The databases behind the three connections.
struct Sources {
    pg: PgDb,
    my: MyDb,
    list: Vec<Source>,
}

impl Sources {
    fn iter(&self) -> std::slice::Iter<'_, Source> {
        self.list.iter()
    }
}

const SECRET: &str = "TOPSECRET_zq";

async fn sources(s: &TestServer) -> Sources {
    let pg = PgDb::create(&format!(
        "CREATE TABLE people (id int PRIMARY KEY, name text, owner text, region text);
         INSERT INTO people SELECT g, 'person ' || g, 'owner' || (g % 3), 'EU' FROM generate_series(1, 30) g;
         CREATE TABLE vault (secret text);
         INSERT INTO vault VALUES ('{SECRET}');
         CREATE VIEW boom AS SELECT g AS id, CAST(secret AS int) AS n FROM vault, generate_series(1, 3) g;"
    ))
    .await;
    s.add_connection("pg", "postgres", &pg.url).await;
    let my = MyDb::create(&[
        "CREATE TABLE people (id int PRIMARY KEY, name varchar(100), owner varchar(100), region varchar(10))",
        "INSERT INTO people SELECT seq, CONCAT('person ', seq), CONCAT('owner', seq % 3), 'EU' FROM seq_1_to_30",
        "CREATE TABLE vault (secret varchar(100))",
        &format!("INSERT INTO vault VALUES ('{SECRET}')"),
    ])
    .await;
    s.add_connection("my", "mysql", &my.url).await;
    let file = s.data_dir.join("sources").join("lite.db");
    std::fs::create_dir_all(file.parent().expect("dir")).expect("sources dir");
    rusqlite::Connection::open(&file)
        .and_then(|c| {
            c.execute_batch(&format!(
                "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, owner TEXT, region TEXT);
                 WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 30)
                 INSERT INTO people SELECT n, 'person ' || n, 'owner' || (n % 3), 'EU' FROM g;
                 CREATE TABLE vault (secret TEXT);
                 INSERT INTO vault VALUES ('{SECRET}');"
            ))
        })
        .expect("sqlite source");
    s.add_connection("lite", "sqlite", &format!("sqlite://{}", file.display()))
        .await;
    let list = vec![
        Source {
            name: "pg",
            schema: "public".into(),
        },
        Source {
            name: "my",
            schema: my.name.clone(),
        },
        Source {
            name: "lite",
            schema: "main".into(),
        },
    ];
    Sources { pg, my, list }
}

async fn drop_sources(sources: Sources) {
    sources.pg.drop_db().await;
    sources.my.drop_db().await;
}

async fn query_as(s: &TestServer, token: &str, sql: &str) -> (u16, Value) {
    s.send_as(
        Some(token),
        Method::POST,
        "/api/v1/query",
        Some(json!({"sql": sql})),
    )
    .await
}

fn sql_string(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// Literals that escaped the unparser's quoting on some source: a backslash before a
/// quote, doubled quotes, dollar quotes, comment openers, error-producing subqueries.
const HOSTILE: &[&str] = &[
    "x\\' OR 1=1 -- ",
    "x\\' OR 1=1 #",
    "x\\' || CAST((SELECT secret FROM vault) AS int) || \\'",
    "x\\' OR (SELECT CAST(secret AS int) FROM vault) = 1 -- ",
    "x\\' AND extractvalue(1, concat(0x7e, (SELECT secret FROM vault))) -- ",
    "x\\' UNION SELECT secret FROM vault -- ",
    "\\\\' OR 'a'='a",
    "$$ OR 1=1 $$",
    "x'; SELECT pg_sleep(3); --",
    "x\\",
];

#[tokio::test]
async fn a_literal_cannot_break_out_of_pushed_down_sql_on_any_source() {
    let s = TestServer::with_admin(false).await;
    let srcs = sources(&s).await;
    let (ana_id, ana) = s.user("ana@example.com", "analyst", json!({})).await;
    let group = s.group("analysts", &[&ana_id]).await;
    for src in srcs.iter() {
        s.grant(
            json!({"principal": {"group": group}, "connection": src.name,
                        "schema": src.schema, "table": "people", "level": "query"}),
        )
        .await;
    }
    let tap = proost_connect::tap::start();
    for src in srcs.iter() {
        let people = format!("{}.\"{}\".people", src.name, src.schema);
        for literal in HOSTILE {
            for sql in [
                format!(
                    "SELECT id FROM {people} WHERE name = {}",
                    sql_string(literal)
                ),
                format!(
                    "SELECT id FROM {people} WHERE name IN ('a', {}) OR owner LIKE {}",
                    sql_string(literal),
                    sql_string(literal)
                ),
            ] {
                let (status, body) = query_as(&s, &ana, &sql).await;
                let text = body.to_string();
                assert!(!text.contains(SECRET), "{sql} leaked: {text}");
                assert_eq!(status, 200, "{sql}: {body}");
                assert_eq!(body["rows"], json!([]), "{sql} matched rows: {body}");
            }
        }
    }
    let sent = tap.take();
    assert!(sent.len() >= HOSTILE.len() * 2 * 3, "{}", sent.len());
    for st in &sent {
        // SQLite's fixed escape clause is the only quoted text.
        let text = st.sql.replace(" ESCAPE '\\'", "");
        assert!(
            !text.contains('\''),
            "a value in the text a source ran: {}",
            st.sql
        );
        assert!(!st.sql.contains("vault"), "{}", st.sql);
    }
    drop_sources(srcs).await;
}

/// The data browser (viewers, no SQL) builds filters as expressions: a hostile value reaches
/// each source as a bound parameter, never as text, whatever the operator.
#[tokio::test]
async fn a_browse_filter_value_cannot_break_out_on_any_source() {
    let s = TestServer::with_admin(false).await;
    let srcs = sources(&s).await;
    let (vic_id, vic) = s.user("vic@example.com", "viewer", json!({})).await;
    for src in srcs.iter() {
        s.grant(
            json!({"principal": {"user": vic_id}, "connection": src.name,
                   "schema": src.schema, "table": "people", "level": "query"}),
        )
        .await;
    }
    let tap = proost_connect::tap::start();
    for src in srcs.iter() {
        for literal in HOSTILE {
            for (column, op) in [
                ("name", "eq"),
                ("name", "contains"),
                ("owner", "starts_with"),
                ("region", "ne"),
            ] {
                let body = json!({"connection": src.name, "schema": src.schema, "table": "people",
                                  "filters": [{"column": column, "op": op, "value": literal},
                                              {"column": "name", "op": "eq", "value": literal}]});
                let (status, answer) = s
                    .send_as(
                        Some(&vic),
                        Method::POST,
                        "/api/v1/browse",
                        Some(body.clone()),
                    )
                    .await;
                let text = answer.to_string();
                assert!(!text.contains(SECRET), "{body} leaked: {text}");
                assert_eq!(status, 200, "{body}: {answer}");
                assert_eq!(answer["rows"], json!([]), "{body} matched rows: {answer}");
            }
        }
    }
    let sent = tap.take();
    assert!(sent.len() >= HOSTILE.len() * 4 * 3, "{}", sent.len());
    for st in &sent {
        let text = st.sql.replace(" ESCAPE '\\'", "");
        assert!(
            !text.contains('\''),
            "a value in the text a source ran: {}",
            st.sql
        );
        assert!(!st.sql.contains("vault"), "{}", st.sql);
    }
    drop_sources(srcs).await;
}

#[tokio::test]
async fn a_user_attribute_in_a_row_policy_is_a_value_not_sql() {
    let s = TestServer::with_admin(false).await;
    let srcs = sources(&s).await;
    let (ana_id, ana) = s.user("ana@example.com", "analyst", json!({})).await;
    let group = s.group("owners", &[&ana_id]).await;
    for src in srcs.iter() {
        s.grant(
            json!({"principal": {"group": group}, "connection": src.name,
                        "schema": src.schema, "table": "people", "level": "query"}),
        )
        .await;
        let (status, body) = s
            .post(
                "/api/v1/row-policies",
                json!({"group": group, "connection": src.name, "schema": src.schema,
                       "table": "people", "filter": "owner = {{user.name}}"}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    // Users may set their own name: the attack needs no admin.
    for name in HOSTILE.iter().copied().chain(["owner1"]) {
        let (status, body) = s
            .send_as(
                Some(&ana),
                Method::PATCH,
                &format!("/api/v1/users/{ana_id}"),
                Some(json!({"name": name})),
            )
            .await;
        assert_eq!(status, 200, "rename: {body}");
        for src in srcs.iter() {
            let sql = format!(
                "SELECT count(*) AS n FROM {}.\"{}\".people",
                src.name, src.schema
            );
            // The access memo keeps a user's access up to a second.
            let mut body = Value::Null;
            for _ in 0..30 {
                let (status, b) = query_as(&s, &ana, &sql).await;
                assert_eq!(status, 200, "{name:?} on {}: {b}", src.name);
                body = b;
                let expect = if name == "owner1" { 10 } else { 0 };
                if body["rows"][0][0] == json!(expect) {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            let expect = if name == "owner1" { 10 } else { 0 };
            assert_eq!(
                body["rows"][0][0],
                json!(expect),
                "{name:?} on {} read past the policy: {body}",
                src.name
            );
        }
    }
    drop_sources(srcs).await;
}

#[tokio::test]
async fn errors_name_nothing_the_caller_cannot_see() {
    let s = TestServer::with_admin(false).await;
    let srcs = sources(&s).await;
    let (ana_id, ana) = s.user("ana@example.com", "analyst", json!({})).await;
    let group = s.group("boomers", &[&ana_id]).await;
    s.grant(
        json!({"principal": {"group": group}, "connection": "pg", "schema": "public",
                    "table": "boom", "level": "query"}),
    )
    .await;
    s.grant(
        json!({"principal": {"group": group}, "connection": "pg", "schema": "public",
                    "table": "people", "level": "query"}),
    )
    .await;
    // A policy that casts: on a row it hides, a failing cast means "no row", not an error
    // quoting the row.
    let (status, body) = s
        .post(
            "/api/v1/row-policies",
            json!({"group": group, "connection": "pg", "schema": "public", "table": "people",
                   "filter": "CAST(name AS INT) > 0 OR id < 3"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    // The source's error quotes a value of a table the analyst has no grant on.
    let (status, body) = query_as(&s, &ana, "SELECT n FROM pg.public.boom").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), "source_query_error");
    assert!(!body.to_string().contains(SECRET), "{body}");
    // An admin, unrestricted, gets the source's own words.
    let (status, body) = s.query("SELECT n FROM pg.public.boom", None).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains(SECRET), "{body}");

    // The policy evaluates without failing; the analyst sees rows 1 and 2.
    let (status, body) = query_as(&s, &ana, "SELECT id FROM pg.public.people ORDER BY id").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["rows"], json!([[1], [2]]));

    // The analyst's own failing cast runs on visible rows only, and its message is withheld.
    let (status, body) =
        query_as(&s, &ana, "SELECT CAST(owner AS INT) FROM pg.public.people").await;
    assert!(status >= 400, "{body}");
    let text = body.to_string();
    assert!(!text.contains("owner"), "{text}");
    drop_sources(srcs).await;
}

#[tokio::test]
async fn explain_works_and_shows_only_the_governed_plan() {
    let s = TestServer::with_admin(false).await;
    let srcs = sources(&s).await;
    let (ana_id, ana) = s.user("ana@example.com", "analyst", json!({})).await;
    let group = s.group("eu", &[&ana_id]).await;
    s.grant(
        json!({"principal": {"group": group}, "connection": "pg", "schema": "public",
                    "table": "people", "column": "id", "level": "query"}),
    )
    .await;
    s.grant(
        json!({"principal": {"group": group}, "connection": "pg", "schema": "public",
                    "table": "people", "column": "name", "level": "query"}),
    )
    .await;
    let (status, body) = s
        .post(
            "/api/v1/row-policies",
            json!({"group": group, "connection": "pg", "schema": "public", "table": "people",
                   "filter": "region = 'POLICY_LITERAL_zq' OR owner = 'owner1'"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    for sql in [
        "EXPLAIN SELECT id, name FROM pg.public.people WHERE id > 3",
        "EXPLAIN VERBOSE SELECT count(*) FROM pg.public.people",
    ] {
        let (status, body) = query_as(&s, &ana, sql).await;
        assert_eq!(status, 200, "{sql}: {body}");
        let text = body.to_string();
        assert!(text.contains("GovernedExec"), "{text}");
        for hidden in ["POLICY_LITERAL_zq", "owner1", "region", "vault"] {
            assert!(!text.contains(hidden), "{sql} shows {hidden}: {text}");
        }
        let (status, body) = s.query(sql, None).await;
        assert_eq!(status, 200, "admin {sql}: {body}");
    }
    drop_sources(srcs).await;
}
