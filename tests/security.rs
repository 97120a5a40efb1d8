//! Governance tried from outside, as an analyst and a viewer with ordinary grants, against
//! real PostgreSQL, MariaDB and SQLite: a literal or a user attribute cannot break out of
//! the SQL a source receives, errors name nothing the caller may not see, metadata shows
//! only what grants reach, and EXPLAIN shows only the governed plan.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

/// A source of each kind with `people` (granted) and `vault` (not granted, holding the
/// secret an attack would try to read).
struct Source {
    name: &'static str,
    schema: String,
    cleanup: Option<Box<dyn FnOnce() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>>>,
}

const SECRET: &str = "TOPSECRET_zq";

async fn sources(s: &TestServer) -> Vec<Source> {
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
    let my_name = my.name.clone();
    vec![
        Source {
            name: "pg",
            schema: "public".into(),
            cleanup: Some(Box::new(move || Box::pin(pg.drop_db()))),
        },
        Source {
            name: "my",
            schema: my_name,
            cleanup: Some(Box::new(move || Box::pin(my.drop_db()))),
        },
        Source {
            name: "lite",
            schema: "main".into(),
            cleanup: None,
        },
    ]
}

async fn drop_sources(sources: Vec<Source>) {
    for mut s in sources {
        if let Some(c) = s.cleanup.take() {
            c().await;
        }
    }
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
    for src in &srcs {
        s.grant(json!({"principal": {"group": group}, "connection": src.name,
                        "schema": src.schema, "table": "people", "level": "query"}))
            .await;
    }
    let tap = proost_connect::tap::start();
    for src in &srcs {
        let people = format!("{}.\"{}\".people", src.name, src.schema);
        for literal in HOSTILE {
            for sql in [
                format!("SELECT id FROM {people} WHERE name = {}", sql_string(literal)),
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
        assert!(!text.contains('\''), "a value in the text a source ran: {}", st.sql);
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
    for src in &srcs {
        s.grant(json!({"principal": {"group": group}, "connection": src.name,
                        "schema": src.schema, "table": "people", "level": "query"}))
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
        for src in &srcs {
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
    s.grant(json!({"principal": {"group": group}, "connection": "pg", "schema": "public",
                    "table": "boom", "level": "query"}))
        .await;
    s.grant(json!({"principal": {"group": group}, "connection": "pg", "schema": "public",
                    "table": "people", "level": "query"}))
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
    let (status, body) = s
        .query("SELECT n FROM pg.public.boom", None)
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains(SECRET), "{body}");

    // The policy evaluates without failing; the analyst sees rows 1 and 2.
    let (status, body) = query_as(&s, &ana, "SELECT id FROM pg.public.people ORDER BY id").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["rows"], json!([[1], [2]]));

    // The analyst's own failing cast runs on visible rows only, and its message is withheld.
    let (status, body) = query_as(
        &s,
        &ana,
        "SELECT CAST(owner AS INT) FROM pg.public.people",
    )
    .await;
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
    s.grant(json!({"principal": {"group": group}, "connection": "pg", "schema": "public",
                    "table": "people", "column": "id", "level": "query"}))
        .await;
    s.grant(json!({"principal": {"group": group}, "connection": "pg", "schema": "public",
                    "table": "people", "column": "name", "level": "query"}))
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

/// Every JSON endpoint and every page an analyst and a viewer can reach, rendered and
/// searched for the names of a schema, a table and a column no grant of theirs reaches.
#[tokio::test]
async fn hidden_names_never_appear_on_any_page_or_endpoint() {
    let db = PgDb::create(
        "CREATE TABLE shared_tbl (id int, visible_col text, secret_col_zq text);
         INSERT INTO shared_tbl VALUES (1, 'v', 's');
         CREATE TABLE hidden_tbl_zq (x int);
         CREATE SCHEMA hidden_schema_zq;
         CREATE TABLE hidden_schema_zq.t (y int);",
    )
    .await;
    let s = TestServer::with_admin(false).await;
    let conn = s.add_connection("crm", "postgres", &db.url).await;
    let id = conn["id"].as_str().expect("id").to_string();
    // The account is a superuser: its privilege warnings name every table.
    assert!(
        conn["warnings"].to_string().contains("hidden"),
        "warnings: {conn}"
    );
    for (schema, table, column) in [
        ("public", "shared_tbl", "secret_col_zq"),
        ("public", "hidden_tbl_zq", "x"),
        ("hidden_schema_zq", "t", "y"),
        ("public", "shared_tbl", "visible_col"),
    ] {
        let (status, body) = s
            .send(
                s.client
                    .put(format!("{}/api/v1/connections/{id}/classifications", s.base))
                    .json(&json!({"schema": schema, "table": table, "column": column,
                                  "categories": ["name"], "status": "confirmed"})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (ana_id, ana) = s.user("ana@example.com", "analyst", json!({})).await;
    let (vera_id, vera) = s.user("vera@example.com", "viewer", json!({})).await;
    let group = s.group("readers", &[&ana_id, &vera_id]).await;
    for column in ["id", "visible_col"] {
        s.grant(json!({"principal": {"group": group}, "connection": "crm", "schema": "public",
                        "table": "shared_tbl", "column": column, "level": "query"}))
            .await;
    }
    let hidden = ["hidden_tbl_zq", "hidden_schema_zq", "secret_col_zq"];
    let json_paths = [
        "/api/v1/session".to_string(),
        "/api/v1/connections".into(),
        format!("/api/v1/connections/{id}"),
        format!("/api/v1/connections/{id}/schema"),
        format!("/api/v1/connections/{id}/classifications"),
        format!("/api/v1/connections/{id}/replicas"),
        "/api/v1/sessions".into(),
        "/api/v1/audit".into(),
        "/api/v1/users".into(),
        "/api/v1/groups".into(),
        "/api/v1/roles".into(),
        "/api/v1/grants".into(),
        "/api/v1/row-policies".into(),
        "/api/v1/usage".into(),
        "/api/v1/instance".into(),
        "/api/v1/inventory".into(),
        "/api/v1/sso".into(),
    ];
    let pages = [
        "/".to_string(),
        "/sql".into(),
        "/connections".into(),
        format!("/connections/{id}"),
        "/account".into(),
        "/admin/people".into(),
        "/admin/audit".into(),
        "/admin/inventory".into(),
        "/admin/usage".into(),
    ];
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for (who, token) in [("analyst", &ana), ("viewer", &vera)] {
        let mut seen = String::new();
        for path in json_paths.iter().chain(pages.iter()) {
            let res = client
                .get(format!("{}{path}", s.base))
                .bearer_auth(token)
                .send()
                .await
                .expect("request");
            let status = res.status().as_u16();
            let text = res.text().await.expect("body");
            assert!(status < 500, "{who} {path}: {status} {text}");
            for h in hidden {
                assert!(!text.contains(h), "{who} {path} names {h}: {text}");
            }
            seen.push_str(&text);
        }
        // Not vacuous: what the grants reach is shown.
        assert!(seen.contains("shared_tbl") && seen.contains("visible_col"), "{who}");
        assert!(seen.contains("2 columns"), "{who}: the column count counts what is granted");
        // Planning errors list only the columns the caller sees.
        if who == "analyst" {
            let (_, body) = query_as(&s, token, "SELECT nope FROM crm.public.shared_tbl").await;
            let text = body.to_string();
            assert!(text.contains("visible_col") || !text.contains("secret"), "{text}");
            assert!(!text.contains("secret_col_zq"), "{text}");
            let (_, body) = query_as(&s, token, "SELECT * FROM crm.hidden_schema_zq.t").await;
            assert_eq!(error_code(&body), "table_not_found", "{body}");
        }
    }
    // The admin still sees all of it, warnings included.
    let (_, page) = s.get(&format!("/api/v1/connections/{id}/schema")).await;
    assert!(page.to_string().contains("hidden_schema_zq"));
    db.drop_db().await;
}
