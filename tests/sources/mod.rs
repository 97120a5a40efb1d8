//! Sources: PostgreSQL, MariaDB and SQLite connections against the real servers —
//! introspection, native and cross-source SQL, type mapping, and clear errors.

use crate::common::{MyDb, PgDb, TestServer, error_code};
use serde_json::{Value, json};

const PG_TYPES: &str = "
CREATE TABLE typed (
  id int PRIMARY KEY, small smallint, big bigint, price numeric(12,2), ratio double precision,
  label text, flag boolean, born date, seen_at timestamptz, naive_at timestamp, doc jsonb,
  blob bytea, code uuid
);
INSERT INTO typed VALUES
 (1, 7, 9007199254740993, 12345.67, 0.5, 'héllo', true, '1990-05-17', '2026-03-01 10:00:00+02', '2026-03-01 10:00:00',
  '{\"a\": [1, 2]}', '\\x00ff10', '6f1c2b1e-7a47-4c2b-9e8a-0d3c1b2a4f5e'),
 (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
";

fn col_types(body: &Value) -> Vec<(String, String)> {
    body["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or_default().to_string(),
                c["type"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn expected_types() -> Vec<(&'static str, &'static str)> {
    vec![
        ("id", "integer"),
        ("small", "integer"),
        ("big", "integer"),
        ("price", "decimal"),
        ("ratio", "float"),
        ("label", "text"),
        ("flag", "boolean"),
        ("born", "date"),
        ("seen_at", "timestamptz"),
        ("naive_at", "timestamp"),
        ("doc", "text"),
        ("blob", "binary"),
    ]
}

fn check_typed_rows(body: &Value, with_uuid: bool) {
    let types = col_types(body);
    for (name, ty) in expected_types() {
        assert!(
            types.iter().any(|(n, t)| n == name && t == ty),
            "{name} should be {ty}: {types:?}"
        );
    }
    let rows = body["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    let r = &rows[0];
    assert_eq!(r[0], json!(1));
    assert_eq!(r[1], json!(7));
    assert_eq!(r[2], json!(9007199254740993i64));
    assert_eq!(r[3], json!("12345.67"));
    assert_eq!(r[4], json!(0.5));
    assert_eq!(r[5], json!("héllo"));
    assert_eq!(r[6], json!(true));
    assert_eq!(r[7], json!("1990-05-17"));
    assert!(
        r[8].as_str()
            .unwrap_or_default()
            .starts_with("2026-03-01T08:00:00"),
        "timestamptz in UTC: {}",
        r[8]
    );
    assert!(
        r[9].as_str()
            .unwrap_or_default()
            .starts_with("2026-03-01T10:00:00")
    );
    let doc: Value = serde_json::from_str(r[10].as_str().unwrap_or("null")).expect("json text");
    assert_eq!(doc, json!({"a": [1, 2]}));
    assert_eq!(r[11], json!("AP8Q")); // base64 of 00 ff 10
    if with_uuid {
        assert_eq!(r[12], json!("6f1c2b1e-7a47-4c2b-9e8a-0d3c1b2a4f5e"));
    }
    assert!(
        rows[1].as_array().expect("row")[1..]
            .iter()
            .all(Value::is_null)
    );
}

#[tokio::test]
async fn postgres_types_map_the_same_natively_and_through_the_engine() {
    let db = PgDb::create(PG_TYPES).await;
    let s = TestServer::with_admin(false).await;
    s.add_connection("pg", "postgres", &db.url).await;
    let (status, native) = s.query("SELECT * FROM typed ORDER BY id", Some("pg")).await;
    assert_eq!(status, 200, "{native}");
    check_typed_rows(&native, true);
    let (status, engine) = s
        .query("SELECT * FROM pg.public.typed ORDER BY id", None)
        .await;
    assert_eq!(status, 200, "{engine}");
    check_typed_rows(&engine, true);
    db.drop_db().await;
}

#[tokio::test]
async fn mariadb_types_map_the_same_natively_and_through_the_engine() {
    let db = MyDb::create(&[
        "CREATE TABLE typed (id int PRIMARY KEY, small smallint, big bigint, price decimal(12,2), ratio double, \
         label varchar(50), flag boolean, born date, seen_at timestamp NULL, naive_at datetime, doc json, `blob` varbinary(10), code char(36))",
        "INSERT INTO typed VALUES (1, 7, 9007199254740993, 12345.67, 0.5, 'héllo', true, '1990-05-17', \
         '2026-03-01 08:00:00', '2026-03-01 10:00:00', '{\"a\": [1, 2]}', X'00ff10', '6f1c2b1e-7a47-4c2b-9e8a-0d3c1b2a4f5e')",
        "INSERT INTO typed (id) VALUES (2)",
    ])
    .await;
    let s = TestServer::with_admin(false).await;
    s.add_connection("my", "mysql", &db.url).await;
    let (status, native) = s.query("SELECT * FROM typed ORDER BY id", Some("my")).await;
    assert_eq!(status, 200, "{native}");
    check_typed_rows(&native, true);
    let (status, engine) = s
        .query(
            &format!("SELECT * FROM my.{}.typed ORDER BY id", db.name),
            None,
        )
        .await;
    assert_eq!(status, 200, "{engine}");
    check_typed_rows(&engine, true);
    db.drop_db().await;
}

#[tokio::test]
async fn introspection_lists_schemas_tables_and_typed_columns() {
    let pg = PgDb::create(crate::common::PG_SHOP).await;
    let my = MyDb::create(crate::common::MY_SHOP).await;
    let s = TestServer::with_admin(true).await;
    let pg_id = s.add_connection("shop_pg", "postgres", &pg.url).await["id"]
        .as_str()
        .expect("id")
        .to_string();
    let my_id = s.add_connection("shop_my", "mysql", &my.url).await["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (_, list) = s.get("/api/v1/connections").await;
    let demo_id = list["connections"]
        .as_array()
        .expect("list")
        .iter()
        .find(|c| c["name"] == "sample_shop")
        .expect("demo connection")["id"]
        .as_str()
        .expect("id")
        .to_string();
    for (id, schema) in [
        (pg_id, "public".to_string()),
        (my_id, my.name.clone()),
        (demo_id, "main".to_string()),
    ] {
        let (status, body) = s.get(&format!("/api/v1/connections/{id}/schema")).await;
        assert_eq!(status, 200, "{body}");
        let schemas = body["schemas"].as_array().expect("schemas");
        let sch = schemas
            .iter()
            .find(|x| x["name"] == schema.as_str())
            .unwrap_or_else(|| panic!("schema {schema} in {body}"));
        let orders = sch["tables"]
            .as_array()
            .expect("tables")
            .iter()
            .find(|t| t["name"] == "orders")
            .expect("orders table");
        let cols: Vec<&str> = orders["columns"]
            .as_array()
            .expect("columns")
            .iter()
            .map(|c| c["name"].as_str().unwrap_or_default())
            .collect();
        for c in ["id", "customer_id", "amount"] {
            assert!(cols.contains(&c), "{cols:?}");
        }
        assert!(
            orders["columns"][0]["type"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
    }
    pg.drop_db().await;
    my.drop_db().await;
}

#[tokio::test]
async fn one_query_joins_postgres_mariadb_and_sqlite() {
    let pg = PgDb::create(crate::common::PG_SHOP).await;
    let my = MyDb::create(crate::common::MY_SHOP).await;
    let s = TestServer::with_admin(true).await;
    s.add_connection("shop_pg", "postgres", &pg.url).await;
    s.add_connection("shop_my", "mysql", &my.url).await;
    let sql = format!(
        "SELECT c.id, c.email, COUNT(o.id) AS n, SUM(o.amount) AS total, MAX(d.first_name) AS demo_name \
         FROM shop_pg.public.customers c \
         JOIN shop_my.{}.orders o ON o.customer_id = c.id \
         JOIN sample_shop.main.customers d ON d.id = c.id \
         WHERE c.id <= 3 GROUP BY c.id, c.email ORDER BY c.id",
        my.name
    );
    let (status, body) = s.query(&sql, None).await;
    assert_eq!(status, 200, "{body}");
    let rows = body["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], json!(1));
    assert_eq!(rows[0][1], json!("c1@example.com"));
    assert_eq!(rows[0][2], json!(10));
    assert!(rows[0][4].is_string());
    // The same numbers straight from PostgreSQL, natively.
    let (status, native) = s
        .query(
            "SELECT COUNT(*) AS n FROM orders WHERE customer_id = 1",
            Some("shop_pg"),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(native["rows"][0][0], json!(10));
    pg.drop_db().await;
    my.drop_db().await;
}

#[tokio::test]
async fn row_limits_truncate_and_say_so() {
    let s = TestServer::with_admin(true).await;
    let (status, body) = s
        .post(
            "/api/v1/query",
            json!({"sql": "SELECT id FROM sample_shop.main.orders ORDER BY id", "limit": 10}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["row_count"], json!(10));
    assert_eq!(body["truncated"], json!(true));
    let (_, body) = s
        .post(
            "/api/v1/query",
            json!({"sql": "SELECT id FROM orders ORDER BY id", "connection": "sample_shop", "limit": 5}),
        )
        .await;
    assert_eq!(body["row_count"], json!(5));
    assert_eq!(body["truncated"], json!(true));
    let (_, body) = s
        .query("SELECT COUNT(*) FROM sample_shop.main.orders", None)
        .await;
    assert_eq!(body["truncated"], json!(false));
    assert!(body["rows"][0][0].as_i64().unwrap_or(0) >= 100_000);
}

#[tokio::test]
async fn csv_download_streams_the_rows() {
    let s = TestServer::with_admin(true).await;
    let res = s
        .client
        .post(format!("{}/api/v1/query", s.base))
        .bearer_auth(s.token.as_deref().unwrap_or(""))
        .header("accept", "text/csv")
        .json(
            &json!({"sql": "SELECT id, email FROM sample_shop.main.customers ORDER BY id LIMIT 3"}),
        )
        .send()
        .await
        .expect("csv");
    assert_eq!(res.status().as_u16(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/csv")
    );
    let text = res.text().await.expect("body");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "id,email");
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[1].starts_with("1,"));
}

#[tokio::test]
async fn an_account_that_can_write_is_flagged_and_a_read_only_one_is_not() {
    let db = PgDb::create(crate::common::PG_SHOP).await;
    let role = crate::common::unique("proost_ro");
    db.client()
        .await
        .batch_execute(&format!(
            "CREATE ROLE {role} LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}; \
             REVOKE CREATE ON SCHEMA public FROM PUBLIC;"
        ))
        .await
        .expect("role");
    let s = TestServer::with_admin(false).await;
    let superuser = s.add_connection("as_postgres", "postgres", &db.url).await;
    let warnings = superuser["warnings"].as_array().expect("warnings");
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap_or_default().contains("superuser")),
        "{superuser}"
    );
    let ro_url = db.url.replacen("postgres@", &format!("{role}@"), 1);
    let ro = s.add_connection("as_readonly", "postgres", &ro_url).await;
    assert_eq!(ro["warnings"], json!([]), "{ro}");
    let my = MyDb::create(crate::common::MY_SHOP).await;
    let root = s.add_connection("as_root", "mysql", &my.url).await;
    assert!(
        !root["warnings"].as_array().expect("warnings").is_empty(),
        "root on MariaDB can write: {root}"
    );
    let _ = db
        .client()
        .await
        .batch_execute(&format!("DROP OWNED BY {role}; DROP ROLE {role}"))
        .await;
    db.drop_db().await;
    my.drop_db().await;
}

#[tokio::test]
async fn bad_connections_get_clear_errors() {
    let s = TestServer::with_admin(false).await;
    let cases: Vec<(Value, u16, &str)> = vec![
        (
            json!({"name": "x", "kind": "oracle", "url": "oracle://h/db"}),
            400,
            "connection_kind_unknown",
        ),
        (
            json!({"name": "x", "kind": "postgres", "url": "not a url"}),
            400,
            "connection_url_invalid",
        ),
        (
            json!({"name": "x", "kind": "postgres", "url": "postgres://postgres@127.0.0.1:1/postgres"}),
            424,
            "source_unreachable",
        ),
        (
            json!({"name": "x", "kind": "postgres", "url": "postgres://postgres@127.0.0.1:5432/db?sslmode=verify-full&sslrootcert=/etc/passwd"}),
            400,
            "connection_option_not_allowed",
        ),
        // A CA file is read only inside <data-dir>/certs: not the master key beside it.
        (
            json!({"name": "x", "kind": "postgres", "url": "postgres://postgres@127.0.0.1:5432/db?sslmode=verify-full&sslrootcert=../master.key"}),
            400,
            "connection_option_not_allowed",
        ),
        (
            json!({"name": "x", "kind": "mysql", "url": "mysql://root@127.0.0.1:3306/test?ssl-mode=VERIFY_IDENTITY&ssl-ca=%2Fproc%2Fself%2Fenviron"}),
            400,
            "connection_option_not_allowed",
        ),
        (
            json!({"name": "x", "kind": "postgres", "url": "postgres://postgres@127.0.0.1:5432/db?sslmode=sometimes"}),
            400,
            "connection_option_invalid",
        ),
        (
            json!({"name": "x", "kind": "mysql", "url": "mysql://nobody_here:wrong@127.0.0.1:3306/test"}),
            424,
            "source_auth_failed",
        ),
        (
            json!({"name": "x", "kind": "sqlite", "url": "sqlite:///etc/passwd"}),
            400,
            "sqlite_path_not_allowed",
        ),
        (
            json!({"name": "x", "kind": "sqlite", "url": format!("sqlite://{}/proost.db", s.data_dir.display())}),
            400,
            "sqlite_path_not_allowed",
        ),
        (
            json!({"name": "Bad Name", "kind": "sqlite", "url": "sqlite:///x"}),
            400,
            "connection_name_invalid",
        ),
        (json!({"name": "x"}), 400, "invalid_body"),
    ];
    for (body, status, code) in cases {
        let (got, resp) = s.post("/api/v1/connections", body.clone()).await;
        assert_eq!(got, status, "{body} -> {resp}");
        assert_eq!(error_code(&resp), code, "{body}");
    }
}

/// TLS through the API against the machine's own servers: PostgreSQL offers TLS with a
/// self-signed certificate (Debian's default), MariaDB offers none. The private servers with
/// a test CA are in proost-connect's `source_tls` tests.
#[tokio::test]
async fn tls_to_sources_through_the_api_encrypts_or_fails_with_source_tls_failed() {
    let s = TestServer::with_admin(false).await;
    let pg = format!("{}/postgres", crate::common::postgres_base());
    let body = s
        .add_connection("pg_tls", "postgres", &format!("{pg}?sslmode=require"))
        .await;
    assert!(
        body["url"]
            .as_str()
            .unwrap_or("")
            .ends_with("?sslmode=require"),
        "the mode is shown back: {body}"
    );
    let (status, out) = s
        .query(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            Some("pg_tls"),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(
        out["rows"][0][0],
        json!(true),
        "the session is encrypted: {out}"
    );
    // The same server is not trusted by the system's roots: verify-full refuses it.
    let (status, resp) = s
        .post(
            "/api/v1/connections",
            json!({"name": "pg_verify", "kind": "postgres", "url": format!("{pg}?sslmode=verify-full")}),
        )
        .await;
    assert_eq!(
        (status, error_code(&resp).as_str()),
        (424, "source_tls_failed"),
        "{resp}"
    );
    // MariaDB here offers no TLS: REQUIRED refuses to go on in plaintext.
    let my = format!("{}/test", crate::common::mysql_base());
    let (status, resp) = s
        .post(
            "/api/v1/connections",
            json!({"name": "my_tls", "kind": "mysql", "url": format!("{my}?ssl-mode=REQUIRED")}),
        )
        .await;
    assert_eq!(
        (status, error_code(&resp).as_str()),
        (424, "source_tls_failed"),
        "{resp}"
    );
}

#[tokio::test]
async fn bad_queries_get_clear_errors() {
    let s = TestServer::with_admin(true).await;
    let cases = [
        ("SELEC 1", None, 400, "sql_parse_error"),
        (
            "SELECT * FROM sample_shop.main.nope",
            None,
            404,
            "table_not_found",
        ),
        (
            "SELECT * FROM nowhere.main.orders",
            None,
            404,
            "table_not_found",
        ),
        (
            "SELECT * FROM nope",
            Some("sample_shop"),
            400,
            "source_query_error",
        ),
        ("SELECT 1", Some("no_such_connection"), 404, "not_found"),
        ("SELECT 1; SELECT 2", None, 400, "multiple_statements"),
        ("", None, 400, "empty_statement"),
    ];
    for (sql, conn, status, code) in cases {
        let (got, body) = s.query(sql, conn).await;
        assert_eq!(got, status, "{sql}: {body}");
        assert_eq!(error_code(&body), code, "{sql}");
    }
}

#[tokio::test]
async fn a_source_that_goes_down_gives_a_clear_error() {
    let db = PgDb::create(crate::common::PG_SHOP).await;
    let s = TestServer::with_admin(false).await;
    s.add_connection("going", "postgres", &db.url).await;
    let (status, _) = s.query("SELECT 1", Some("going")).await;
    assert_eq!(status, 200);
    let name = db.name.clone();
    db.drop_db().await;
    let (status, body) = s.query("SELECT 1", Some("going")).await;
    assert_eq!(status, 424, "{body}");
    assert_eq!(error_code(&body), "source_unreachable");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains(&name)
    );
}

#[tokio::test]
async fn a_slow_query_is_stopped_at_the_timeout_on_every_kind_of_source() {
    let pg = PgDb::create("").await;
    let my = MyDb::create(&[]).await;
    let dir = crate::common::temp_dir("proost-timeout");
    let lite = dir.join("empty.db");
    rusqlite::Connection::open(&lite)
        .and_then(|c| c.execute_batch("CREATE TABLE t (x INTEGER)"))
        .expect("sqlite file");
    let parse = |kind, url: &str| {
        proost_connect::open(
            &proost_connect::ConnectionParams::parse(
                kind,
                url,
                &proost_connect::SourcePolicy::default(),
            )
            .expect("params"),
        )
    };
    let cases = [
        (
            parse(proost_connect::ConnectionKind::Postgres, &pg.url),
            "SELECT count(*) FROM generate_series(1, 100000000000) a",
        ),
        (
            parse(proost_connect::ConnectionKind::Mysql, &my.url),
            "SELECT COUNT(*) FROM information_schema.COLUMNS a, information_schema.COLUMNS b, information_schema.COLUMNS c",
        ),
        (
            crate::common::sqlite_source(&lite),
            "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c",
        ),
    ];
    for (source, sql) in cases {
        let limits = proost_connect::Limits::new(std::time::Duration::from_secs(1), 10);
        let started = std::time::Instant::now();
        let err = source
            .query(&proost_connect::BoundSql::text(sql), None, &limits)
            .await
            .expect_err("must time out");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{sql}: took {:?}",
            started.elapsed()
        );
        assert_eq!(err.code(), "query_timeout", "{sql}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
    pg.drop_db().await;
    my.drop_db().await;
}

#[tokio::test]
async fn a_query_stops_at_the_source_when_the_client_goes_away() {
    let db = PgDb::create("").await;
    let s = TestServer::with_admin(false).await;
    s.add_connection("slow", "postgres", &db.url).await;
    let marker = crate::common::unique("marker");
    let sql = format!("SELECT count(*) AS {marker} FROM generate_series(1, 100000000000) a");
    let sent = s
        .client
        .post(format!("{}/api/v1/query", s.base))
        .bearer_auth(s.token.as_deref().unwrap_or(""))
        .json(&json!({"sql": sql, "connection": "slow"}))
        .timeout(std::time::Duration::from_secs(1))
        .send()
        .await;
    assert!(sent.is_err(), "the client should have given up first");
    // The server's own timeout is 20 s; only cancellation stops the backend sooner.
    let watcher =
        crate::common::pg_client(&format!("{}/postgres", crate::common::postgres_base())).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(8);
    loop {
        let running: i64 = watcher
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()",
                &[&format!("%{marker}%")],
            )
            .await
            .expect("activity")
            .get(0);
        if running == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the source is still running the abandoned query"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    db.drop_db().await;
}

#[tokio::test]
async fn a_scan_larger_than_the_memory_limit_is_stopped_with_a_clear_error() {
    let dir = crate::common::temp_dir("proost-mem");
    let file = dir.join("shop.db");
    std::fs::copy(crate::common::shared_sample(), &file).expect("copy the demo shop");
    let source = crate::common::sqlite_source(&file);
    let mut limits =
        proost_connect::Limits::new(std::time::Duration::from_secs(20), usize::MAX - 1);
    limits.max_bytes = 1024 * 1024;
    let err = source
        .query(
            &proost_connect::BoundSql::text("SELECT * FROM orders"),
            None,
            &limits,
        )
        .await
        .expect_err("120,000 orders do not fit in 1 MiB");
    assert_eq!(err.code(), "memory_limit_exceeded", "{err}");
    limits.max_bytes = 512 * 1024 * 1024;
    let ok = source
        .query(
            &proost_connect::BoundSql::text("SELECT * FROM orders"),
            None,
            &limits,
        )
        .await
        .expect("fits in 512 MiB");
    assert!(ok.batches[0].num_rows() >= 100_000);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A value a spreadsheet would run as a formula (`=HYPERLINK(...)` in a customer's name)
/// leaves Proost as text: every CSV Proost writes defuses it; numbers stay numbers.
#[tokio::test]
async fn csv_exports_defuse_spreadsheet_formulas() {
    let s = TestServer::with_admin(false).await;
    let file = s.data_dir.join("sources").join("formulas.db");
    std::fs::create_dir_all(file.parent().expect("dir")).expect("sources dir");
    rusqlite::Connection::open(&file)
        .and_then(|c| {
            c.execute_batch(
                "CREATE TABLE people (id INTEGER, name TEXT, balance INTEGER);
                 INSERT INTO people VALUES
                   (1, '=HYPERLINK(\"http://evil.example/\",\"open me\")', -5),
                   (2, '+1', 3), (3, '-2', 0), (4, '@SUM(A1)', 1), (5, 'Ada', 7);",
            )
        })
        .expect("sqlite source");
    s.add_connection("lite", "sqlite", &format!("sqlite://{}", file.display()))
        .await;
    let res = s
        .client
        .post(format!("{}/api/v1/query", s.base))
        .bearer_auth(s.token.as_deref().unwrap_or(""))
        .header("accept", "text/csv")
        .json(&json!({"sql": "SELECT id, name, balance FROM lite.main.people ORDER BY id"}))
        .send()
        .await
        .expect("csv");
    assert_eq!(res.status().as_u16(), 200);
    let text = res.text().await.expect("body");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "id,name,balance");
    assert_eq!(
        lines[1],
        "1,\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"open me\"\")\",-5"
    );
    assert_eq!(lines[2], "2,\"'+1\",3");
    assert_eq!(lines[3], "3,\"'-2\",0");
    assert_eq!(lines[4], "4,\"'@SUM(A1)\",1");
    assert_eq!(lines[5], "5,\"Ada\",7");
}
