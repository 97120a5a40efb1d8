//! Read-only in depth: every statement of the attack corpora is refused through the API,
//! against the real PostgreSQL, MariaDB and SQLite, and each database is byte-for-byte (or
//! checksum-for-checksum) unchanged afterwards.

use crate::common::{MyDb, PgDb, TestServer};
use proost_readonly::{Dialect, allowed_corpus, attack_corpus};

async fn pg_checksum(db: &PgDb) -> String {
    let client = db.client().await;
    let sql = "SELECT concat_ws(' / ',
        (SELECT md5(string_agg(table_schema || '.' || table_name || ':' || table_type, '|' ORDER BY 1))
           FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')),
        (SELECT md5(coalesce(string_agg(c::text, '|' ORDER BY c::text), '')) FROM customers c),
        (SELECT md5(coalesce(string_agg(o::text, '|' ORDER BY o::text), '')) FROM orders o),
        (SELECT md5(coalesce(string_agg(p::text, '|' ORDER BY p::text), '')) FROM products p),
        (SELECT last_value::text || is_called::text FROM orders_id_seq),
        (SELECT last_value::text || is_called::text FROM s),
        (SELECT count(*)::text FROM pg_roles),
        (SELECT count(*)::text FROM pg_extension),
        (SELECT count(*)::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'),
        (SELECT count(*)::text FROM pg_largeobject_metadata),
        (SELECT string_agg(setting, ',') FROM pg_settings WHERE name = 'default_transaction_read_only'))";
    client
        .query_one(sql, &[])
        .await
        .expect("checksum")
        .get::<_, String>(0)
}

async fn my_checksum(db: &MyDb) -> String {
    use mysql_async::prelude::Queryable;
    let mut conn = db.conn().await;
    let sums: Vec<(String, Option<i64>)> = conn
        .query("CHECKSUM TABLE customers, orders, products EXTENDED")
        .await
        .expect("checksum");
    let tables: Option<String> = conn
        .query_first(
            "SELECT GROUP_CONCAT(CONCAT(TABLE_NAME, ':', TABLE_TYPE) ORDER BY TABLE_NAME) \
             FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
        )
        .await
        .expect("tables");
    let routines: Option<i64> = conn
        .query_first(
            "SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()",
        )
        .await
        .expect("routines");
    let users: Option<i64> = conn
        .query_first("SELECT COUNT(*) FROM mysql.user")
        .await
        .expect("users");
    let ro: Option<i64> = conn
        .query_first("SELECT @@GLOBAL.read_only")
        .await
        .expect("read_only");
    let _ = conn.disconnect().await;
    format!("{sums:?} {tables:?} {routines:?} {users:?} {ro:?}")
}

/// The shop on all three kinds of source, connected as `shop_pg`, `shop_my`, `shop_lite`.
async fn three_shops() -> (PgDb, MyDb, TestServer, std::path::PathBuf) {
    let pg = PgDb::create(&pg_setup()).await;
    let my = MyDb::create(crate::common::MY_SHOP).await;
    let s = TestServer::with_admin(false).await;
    let file = s.data_dir.join("sources").join("shop.db");
    sqlite_shop(&file);
    s.add_connection("shop_pg", "postgres", &pg.url).await;
    s.add_connection("shop_my", "mysql", &my.url).await;
    s.add_connection(
        "shop_lite",
        "sqlite",
        &format!("sqlite://{}", file.display()),
    )
    .await;
    (pg, my, s, file)
}

/// Sends every attack natively and returns the ones that were not refused.
async fn refused_all(s: &TestServer, connection: Option<&str>, corpus: &[&str]) -> Vec<String> {
    let mut slipped = Vec::new();
    for sql in corpus {
        let (status, body) = s.query(sql, connection).await;
        // A refusal is a client error with our error shape; never a success, never a 500.
        let refused = (400..500).contains(&status)
            && body["error"]["code"]
                .as_str()
                .is_some_and(|c| !c.is_empty());
        if !refused {
            slipped.push(format!("[{status}] {sql}\n   -> {body}"));
        }
    }
    slipped
}

async fn accepted_all(s: &TestServer, connection: &str, corpus: &[&str]) -> Vec<String> {
    let mut refused = Vec::new();
    for sql in corpus {
        let (status, body) = s.query(sql, Some(connection)).await;
        if status != 200 {
            refused.push(format!("[{status}] {sql}\n   -> {body}"));
        }
    }
    refused
}

fn pg_setup() -> String {
    format!(
        "{}\nCREATE SEQUENCE orders_id_seq; CREATE SEQUENCE s;",
        crate::common::PG_SHOP
    )
}

#[tokio::test]
async fn every_postgres_attack_is_refused_and_the_database_is_unchanged() {
    let corpus = attack_corpus(Dialect::Postgres);
    assert!(corpus.len() >= 60, "corpus too small: {}", corpus.len());
    let db = PgDb::create(&pg_setup()).await;
    let s = TestServer::with_admin(false).await;
    s.add_connection("shop", "postgres", &db.url).await;
    let before = pg_checksum(&db).await;
    let slipped = refused_all(&s, Some("shop"), &corpus).await;
    assert!(slipped.is_empty(), "not refused:\n{}", slipped.join("\n"));
    assert_eq!(pg_checksum(&db).await, before);
    db.drop_db().await;
}

#[tokio::test]
async fn every_mariadb_attack_is_refused_and_the_database_is_unchanged() {
    let corpus = attack_corpus(Dialect::MySql);
    assert!(corpus.len() >= 60, "corpus too small: {}", corpus.len());
    let db = MyDb::create(crate::common::MY_SHOP).await;
    let s = TestServer::with_admin(false).await;
    s.add_connection("shop", "mysql", &db.url).await;
    let before = my_checksum(&db).await;
    let slipped = refused_all(&s, Some("shop"), &corpus).await;
    assert!(slipped.is_empty(), "not refused:\n{}", slipped.join("\n"));
    assert_eq!(my_checksum(&db).await, before);
    db.drop_db().await;
}

fn sqlite_shop(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).expect("create sqlite");
    conn.execute_batch(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);
         CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
         CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, product_id INTEGER, amount REAL, ordered_at TEXT);
         WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 50)
           INSERT INTO customers SELECT n, 'Customer ' || n, 'c' || n || '@example.com' FROM g;
         WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 10)
           INSERT INTO products SELECT n, 'Product ' || n FROM g;
         WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 500)
           INSERT INTO orders SELECT n, 1 + n % 50, 1 + n % 10, (n * 7 % 1000) / 10.0, datetime('2026-01-01', '+' || n || ' hours') FROM g;",
    )
    .expect("fill sqlite");
}

fn dir_listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|it| {
            it.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[tokio::test]
async fn every_sqlite_attack_is_refused_and_the_file_is_unchanged() {
    let corpus = attack_corpus(Dialect::Sqlite);
    assert!(corpus.len() >= 60, "corpus too small: {}", corpus.len());
    let s = TestServer::with_admin(false).await;
    let sources = s.data_dir.join("sources");
    let file = sources.join("shop.db");
    sqlite_shop(&file);
    s.add_connection("shop", "sqlite", &format!("sqlite://{}", file.display()))
        .await;
    let before = std::fs::read(&file).expect("read");
    let listing = dir_listing(&sources);
    let slipped = refused_all(&s, Some("shop"), &corpus).await;
    assert!(slipped.is_empty(), "not refused:\n{}", slipped.join("\n"));
    assert!(
        std::fs::read(&file).expect("read") == before,
        "the SQLite file changed"
    );
    assert_eq!(
        dir_listing(&sources),
        listing,
        "files appeared beside the source"
    );
}

#[tokio::test]
async fn every_engine_attack_is_refused_and_no_source_changes() {
    let corpus = attack_corpus(Dialect::Engine);
    assert!(corpus.len() >= 30, "corpus too small: {}", corpus.len());
    let (pg, my, s, file) = three_shops().await;
    let (pg_before, my_before, lite_before) = (
        pg_checksum(&pg).await,
        my_checksum(&my).await,
        std::fs::read(&file).expect("read"),
    );
    // The corpus names bare tables; qualified variants aim at the real sources too.
    let mut statements: Vec<String> = corpus.iter().map(|s| s.to_string()).collect();
    for conn in [
        "shop_pg.public",
        &format!("shop_my.{}", my.name),
        "shop_lite.main",
    ] {
        for sql in [
            format!("INSERT INTO {conn}.customers VALUES (999, 'x', 'y')"),
            format!("DELETE FROM {conn}.orders"),
            format!("UPDATE {conn}.customers SET email = NULL"),
            format!("DROP TABLE {conn}.orders"),
            format!("CREATE TABLE {conn}.stolen AS SELECT * FROM {conn}.customers"),
            format!("COPY (SELECT * FROM {conn}.customers) TO '/tmp/proost-leak.csv'"),
            format!("SELECT * FROM {conn}.customers; DELETE FROM {conn}.orders"),
        ] {
            statements.push(sql);
        }
    }
    let refs: Vec<&str> = statements.iter().map(String::as_str).collect();
    let slipped = refused_all(&s, None, &refs).await;
    assert!(slipped.is_empty(), "not refused:\n{}", slipped.join("\n"));
    assert!(!std::path::Path::new("/tmp/proost-leak.csv").exists());
    assert_eq!(pg_checksum(&pg).await, pg_before);
    assert_eq!(my_checksum(&my).await, my_before);
    assert!(std::fs::read(&file).expect("read") == lite_before);
    pg.drop_db().await;
    my.drop_db().await;
}

#[tokio::test]
async fn ordinary_reads_pass_on_every_source() {
    let (pg, my, s, _file) = three_shops().await;
    let mut failures = accepted_all(&s, "shop_pg", &allowed_corpus(Dialect::Postgres)).await;
    failures.extend(accepted_all(&s, "shop_my", &allowed_corpus(Dialect::MySql)).await);
    failures.extend(accepted_all(&s, "shop_lite", &allowed_corpus(Dialect::Sqlite)).await);
    assert!(failures.is_empty(), "refused:\n{}", failures.join("\n"));
    pg.drop_db().await;
    my.drop_db().await;
}

#[tokio::test]
async fn a_sqlite_source_cannot_attach_or_load_extensions_even_past_the_parser() {
    // Straight to the source, skipping the API's parse check: the authorizer and the
    // read-only handle must hold on their own.
    let dir = crate::common::temp_dir("proost-lite");
    let file = dir.join("shop.db");
    sqlite_shop(&file);
    let source = crate::common::sqlite_source(&file);
    let limits = proost_connect::Limits::new(std::time::Duration::from_secs(5), 10);
    let r = source
        .query(
            &proost_connect::BoundSql::text("SELECT load_extension('/tmp/evil.so')"),
            None,
            &limits,
        )
        .await;
    assert!(r.is_err(), "load_extension must fail");
    let _ = std::fs::remove_dir_all(&dir);
}
