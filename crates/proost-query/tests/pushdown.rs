//! Pushdown: a query over a live source asks it only for the columns, rows and count it
//! needs. A recording wrapper around a real SQLite source shows what was asked.

use std::sync::{Arc, Mutex};

use arrow::datatypes::SchemaRef;
use proost_connect::{
    ConnectionKind, ConnectionParams, Limits, QueryOutput, ScanSpec, SchemaInfo, Source,
    SourcePolicy,
};
use proost_query::{CatalogResolver, Engine, QueryError, ResolvedConnection};

struct Recording {
    inner: Arc<dyn Source>,
    sql: Arc<Mutex<Vec<String>>>,
}

#[async_trait::async_trait]
impl Source for Recording {
    fn kind(&self) -> ConnectionKind {
        self.inner.kind()
    }
    async fn write_warnings(&self) -> proost_connect::Result<Vec<String>> {
        self.inner.write_warnings().await
    }
    async fn introspect(&self) -> proost_connect::Result<Vec<SchemaInfo>> {
        self.inner.introspect().await
    }
    fn scan_sql(&self, scan: &ScanSpec<'_>) -> String {
        self.inner.scan_sql(scan)
    }
    async fn query(
        &self,
        sql: &str,
        schema: Option<SchemaRef>,
        limits: &Limits,
    ) -> proost_connect::Result<QueryOutput> {
        self.sql.lock().expect("lock").push(sql.to_string());
        self.inner.query(sql, schema, limits).await
    }
    async fn read_table(
        &self,
        read: &proost_connect::TableRead,
        limits: &Limits,
        outputs: Vec<tokio::sync::mpsc::Sender<arrow::record_batch::RecordBatch>>,
    ) -> proost_connect::Result<u64> {
        self.inner.read_table(read, limits, outputs).await
    }
}

struct One(Arc<dyn Source>);

#[async_trait::async_trait]
impl CatalogResolver for One {
    async fn resolve(&self, name: &str) -> Result<Option<ResolvedConnection>, QueryError> {
        if name != "lite" {
            return Ok(None);
        }
        Ok(Some(ResolvedConnection {
            policies: Default::default(),
            mask_key: [0; 32],
            id: "c1".into(),
            replicas: Default::default(),
            kind: ConnectionKind::Sqlite,
            source: self.0.clone(),
            schemas: Arc::new(self.0.introspect().await?),
        }))
    }
}

fn shop() -> (std::path::PathBuf, Arc<dyn Source>) {
    let dir = std::env::temp_dir().join(format!("proost-pushdown-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("shop.db");
    let _ = std::fs::remove_file(&file);
    let conn = rusqlite::Connection::open(&file).expect("open");
    conn.execute_batch(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, amount REAL, note TEXT);
         WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 1000)
         INSERT INTO orders SELECT n, n % 10, n * 1.5, 'note ' || n FROM g;",
    )
    .expect("fill");
    let params = ConnectionParams::parse(
        ConnectionKind::Sqlite,
        &format!("sqlite://{}", file.display()),
        &SourcePolicy {
            sqlite_roots: vec![dir.clone()],
            sqlite_denied: vec![],
        },
    )
    .expect("params");
    (dir, proost_connect::open(&params))
}

#[tokio::test]
async fn projection_filters_and_limits_reach_the_source() {
    let (dir, inner) = shop();
    let sql = Arc::new(Mutex::new(Vec::new()));
    let source: Arc<dyn Source> = Arc::new(Recording {
        inner,
        sql: sql.clone(),
    });
    let engine = Engine::default();
    let limits = Limits::new(std::time::Duration::from_secs(10), 100);
    let out = engine
        .run(
            "SELECT id, amount FROM lite.main.orders WHERE customer_id = 3 AND amount > 100",
            &One(source.clone()),
            &limits,
        )
        .await
        .expect("query");
    let rows: usize = out.batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, 93); // n % 10 = 3 and n > 66: 73, 83, …, 993
    let asked = sql.lock().expect("lock").clone();
    assert_eq!(asked.len(), 1, "{asked:?}");
    let scan = &asked[0];
    assert!(!scan.contains("note"), "unused column fetched: {scan}");
    assert!(scan.contains("WHERE"), "filter not pushed: {scan}");
    assert!(scan.contains("customer_id"), "{scan}");

    sql.lock().expect("lock").clear();
    let out = engine
        .run(
            "SELECT id FROM lite.main.orders LIMIT 5",
            &One(source),
            &limits,
        )
        .await
        .expect("query");
    assert_eq!(out.batches.iter().map(|b| b.num_rows()).sum::<usize>(), 5);
    let asked = sql.lock().expect("lock").clone();
    assert!(asked[0].contains("LIMIT 5"), "limit not pushed: {asked:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn unknown_connections_are_absent_not_forbidden() {
    let (dir, inner) = shop();
    let err = Engine::default()
        .run(
            "SELECT * FROM secret.main.orders",
            &One(inner),
            &Limits::new(std::time::Duration::from_secs(10), 10),
        )
        .await
        .expect_err("absent");
    assert_eq!(err.code(), "table_not_found");
    let _ = std::fs::remove_dir_all(&dir);
}
