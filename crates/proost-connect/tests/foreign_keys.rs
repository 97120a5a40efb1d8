//! Introspection reads foreign keys on the real PostgreSQL (127.0.0.1:5432, `postgres`,
//! trust) and MariaDB (127.0.0.1:3306, `root`) servers and on SQLite files: single and
//! composite keys, each pair in the key's order, keys across schemas, and SQLite keys written
//! without columns (the primary key) or in another case than the tables declare.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use mysql_async::prelude::Queryable;
use proost_connect::{
    ConnectionKind, ConnectionParams, ForeignKey, SchemaInfo, Source, SourcePolicy,
};

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

fn key(columns: &[&str], ref_schema: &str, ref_table: &str, ref_columns: &[&str]) -> ForeignKey {
    ForeignKey {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ref_schema: ref_schema.into(),
        ref_table: ref_table.into(),
        ref_columns: ref_columns.iter().map(|c| c.to_string()).collect(),
    }
}

fn keys_of(schemas: &[SchemaInfo], schema: &str, table: &str) -> Vec<ForeignKey> {
    schemas
        .iter()
        .find(|s| s.name == schema)
        .and_then(|s| s.tables.iter().find(|t| t.name == table))
        .unwrap_or_else(|| panic!("no table {schema}.{table} in {schemas:?}"))
        .foreign_keys
        .clone()
}

/// What every source must report for the shop of regions, stores and visits in `schema`.
fn assert_shop_keys(schemas: &[SchemaInfo], schema: &str) {
    assert_eq!(keys_of(schemas, schema, "regions"), vec![]);
    assert_eq!(
        keys_of(schemas, schema, "stores"),
        vec![key(&["region"], schema, "regions", &["code"])]
    );
    // Composite, in the key's order (not the columns' names' order).
    assert_eq!(
        keys_of(schemas, schema, "visits"),
        vec![key(
            &["shop", "area"],
            schema,
            "stores",
            &["store_no", "region"]
        )]
    );
    // Two keys to the same table are two keys.
    let mut transfers = keys_of(schemas, schema, "transfers");
    transfers.sort_by(|a, b| a.columns.cmp(&b.columns));
    assert_eq!(
        transfers,
        vec![
            key(&["from_region"], schema, "regions", &["code"]),
            key(&["to_region"], schema, "regions", &["code"]),
        ]
    );
    // A view has none.
    assert_eq!(keys_of(schemas, schema, "store_cities"), vec![]);
}

#[tokio::test]
async fn postgres_introspection_reads_single_composite_and_cross_schema_foreign_keys() {
    let name = unique("proost_fk");
    let admin = pg_client("postgres").await;
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create database");
    pg_client(&name)
        .await
        .batch_execute(
            "CREATE TABLE regions (code text PRIMARY KEY, name text);
             CREATE TABLE stores (store_no int, region text REFERENCES regions(code), city text,
                                  PRIMARY KEY (store_no, region));
             CREATE TABLE visits (id int PRIMARY KEY, shop int, area text, n int,
                                  FOREIGN KEY (shop, area) REFERENCES stores (store_no, region));
             CREATE TABLE transfers (id int PRIMARY KEY, from_region text REFERENCES regions(code),
                                     to_region text REFERENCES regions(code));
             CREATE VIEW store_cities AS SELECT city FROM stores;
             CREATE SCHEMA crm;
             CREATE TABLE crm.accounts (id int PRIMARY KEY, home text REFERENCES public.regions(code));",
        )
        .await
        .expect("set up database");
    let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
    let params = ConnectionParams::parse(ConnectionKind::Postgres, &url, &SourcePolicy::default())
        .expect("params");
    let source: Arc<dyn Source> = proost_connect::open(&params);
    let schemas = source.introspect().await;
    let _ = admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await;
    let schemas = schemas.expect("introspect");
    assert_shop_keys(&schemas, "public");
    assert_eq!(
        keys_of(&schemas, "crm", "accounts"),
        vec![key(&["home"], "public", "regions", &["code"])]
    );
}

#[tokio::test]
async fn mariadb_introspection_reads_single_and_composite_foreign_keys() {
    let name = unique("proost_fk");
    let mut conn = my_conn(None).await;
    conn.query_drop(format!("CREATE DATABASE {name}"))
        .await
        .expect("create database");
    conn.query_drop(format!("USE {name}")).await.expect("use");
    for s in [
        "CREATE TABLE regions (code varchar(10) PRIMARY KEY, name varchar(50))",
        "CREATE TABLE stores (store_no int, region varchar(10), city varchar(50), \
         PRIMARY KEY (store_no, region), FOREIGN KEY (region) REFERENCES regions(code))",
        "CREATE TABLE visits (id int PRIMARY KEY, shop int, area varchar(10), n int, \
         FOREIGN KEY (shop, area) REFERENCES stores (store_no, region))",
        "CREATE TABLE transfers (id int PRIMARY KEY, from_region varchar(10), to_region varchar(10), \
         FOREIGN KEY (from_region) REFERENCES regions(code), FOREIGN KEY (to_region) REFERENCES regions(code))",
        "CREATE VIEW store_cities AS SELECT city FROM stores",
    ] {
        conn.query_drop(s)
            .await
            .unwrap_or_else(|e| panic!("{s}: {e}"));
    }
    let url = format!("mysql://root@127.0.0.1:3306/{name}");
    let params = ConnectionParams::parse(ConnectionKind::Mysql, &url, &SourcePolicy::default())
        .expect("params");
    let schemas = proost_connect::open(&params).introspect().await;
    let _ = conn
        .query_drop(format!("DROP DATABASE IF EXISTS {name}"))
        .await;
    let _ = conn.disconnect().await;
    assert_shop_keys(&schemas.expect("introspect"), &name);
}

#[tokio::test]
async fn sqlite_introspection_reads_foreign_keys_written_without_columns_or_in_another_case() {
    let dir = std::env::temp_dir().join(unique("proost_fk"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let dir = dir.canonicalize().expect("canonical temp dir");
    let path = dir.join("source.db");
    rusqlite::Connection::open(&path)
        .and_then(|c| {
            c.execute_batch(
                "CREATE TABLE regions (code TEXT PRIMARY KEY, name TEXT);
                 CREATE TABLE stores (store_no INTEGER, region TEXT REFERENCES Regions(CODE), city TEXT,
                                      PRIMARY KEY (store_no, region));
                 CREATE TABLE visits (id INTEGER PRIMARY KEY, shop INTEGER, area TEXT, n INTEGER,
                                      FOREIGN KEY (SHOP, area) REFERENCES stores);
                 CREATE TABLE transfers (id INTEGER PRIMARY KEY, from_region TEXT REFERENCES regions(code),
                                         to_region TEXT REFERENCES regions(code));
                 CREATE TABLE orphans (id INTEGER PRIMARY KEY, gone TEXT REFERENCES nowhere(id));
                 CREATE VIEW store_cities AS SELECT city FROM stores;",
            )
        })
        .expect("set up SQLite file");
    let policy = SourcePolicy {
        sqlite_roots: vec![dir.clone()],
        sqlite_denied: Vec::new(),
        ca_roots: Vec::new(),
    };
    let url = format!("sqlite://{}", path.display());
    let params = ConnectionParams::parse(ConnectionKind::Sqlite, &url, &policy).expect("params");
    let schemas = proost_connect::open(&params).introspect().await;
    let _ = std::fs::remove_dir_all(&dir);
    let schemas = schemas.expect("introspect");
    assert_shop_keys(&schemas, "main");
    // A key to a table that does not exist is not reported.
    assert_eq!(keys_of(&schemas, "main", "orphans"), vec![]);
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
