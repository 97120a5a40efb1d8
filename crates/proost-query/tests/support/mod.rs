//! Real sources for the pushdown tests: a fresh database on the PostgreSQL
//! (127.0.0.1:5432, `postgres`, trust) and MariaDB (127.0.0.1:3306, `root`) servers, or a
//! SQLite file, each behind the `Source` Proost would open for it, and a resolver that
//! serves it to the engine as connection `src`.
#![allow(dead_code)]

mod fuzz;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use mysql_async::prelude::Queryable;
use proost_connect::{ConnectionKind, ConnectionParams, SchemaInfo, Source, SourcePolicy};
use proost_query::{CatalogResolver, QueryError, ResolvedConnection, TablePolicy};

pub fn unique(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    )
}

pub fn postgres_base() -> String {
    std::env::var("PROOST_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

pub fn mysql_base() -> String {
    std::env::var("PROOST_TEST_MYSQL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".into())
}

pub async fn pg_client(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"));
    tokio::spawn(conn);
    client
}

pub async fn my_conn(url: &str) -> mysql_async::Conn {
    let opts = mysql_async::Opts::from_url(url).unwrap_or_else(|e| panic!("{url}: {e}"));
    mysql_async::Conn::new(opts)
        .await
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"))
}

/// One test database and the source Proost opens for it.
pub struct Db {
    pub kind: ConnectionKind,
    pub name: String,
    pub url: String,
    /// The schema its tables are in (`main` for SQLite).
    pub schema: String,
    pub source: Arc<dyn Source>,
    dir: Option<PathBuf>,
}

impl Db {
    pub async fn postgres(setup: &str) -> Db {
        let name = unique("proost_pd");
        pg_client(&format!("{}/postgres", postgres_base()))
            .await
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create database");
        let url = format!("{}/{name}", postgres_base());
        if !setup.is_empty() {
            pg_client(&url)
                .await
                .batch_execute(setup)
                .await
                .expect("set up");
        }
        let source = open(ConnectionKind::Postgres, &url, vec![]);
        Db {
            kind: ConnectionKind::Postgres,
            name,
            url,
            schema: "public".into(),
            source,
            dir: None,
        }
    }

    pub async fn mysql(setup: &[&str]) -> Db {
        Db::mysql_on(&mysql_base(), setup).await
    }

    /// A database on the MariaDB/MySQL server at `base` (`mysql://user@host:port`).
    pub async fn mysql_on(base: &str, setup: &[&str]) -> Db {
        let name = unique("proost_pd");
        let mut conn = my_conn(base).await;
        conn.query_drop(format!(
            "CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
        ))
        .await
        .expect("create database");
        conn.query_drop(format!("USE {name}")).await.expect("use");
        for s in setup {
            conn.query_drop(*s)
                .await
                .unwrap_or_else(|e| panic!("{s}: {e}"));
        }
        let _ = conn.disconnect().await;
        let url = format!("{base}/{name}");
        let source = open(ConnectionKind::Mysql, &url, vec![]);
        Db {
            kind: ConnectionKind::Mysql,
            schema: name.clone(),
            name,
            url,
            source,
            dir: None,
        }
    }

    pub fn sqlite(setup: &str) -> Db {
        let dir = std::env::temp_dir().join(unique("proost-pd"));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("t.db");
        rusqlite::Connection::open(&file)
            .and_then(|c| c.execute_batch(setup))
            .expect("set up");
        let url = format!("sqlite://{}", file.display());
        let source = open(ConnectionKind::Sqlite, &url, vec![dir.clone()]);
        Db {
            kind: ConnectionKind::Sqlite,
            name: file.display().to_string(),
            url,
            schema: "main".into(),
            source,
            dir: Some(dir),
        }
    }

    /// Three-part name of a table of this database in the engine.
    pub fn table(&self, table: &str) -> String {
        format!("src.\"{}\".{table}", self.schema)
    }

    pub async fn drop_db(self) {
        match self.kind {
            ConnectionKind::Postgres => {
                let _ = pg_client(&format!("{}/postgres", postgres_base()))
                    .await
                    .batch_execute(&format!(
                        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                        self.name
                    ))
                    .await;
            }
            ConnectionKind::Mysql => {
                let mut conn = my_conn(&mysql_base()).await;
                let _ = conn
                    .query_drop(format!("DROP DATABASE IF EXISTS {}", self.name))
                    .await;
                let _ = conn.disconnect().await;
            }
            ConnectionKind::Sqlite => {
                if let Some(d) = &self.dir {
                    let _ = std::fs::remove_dir_all(d);
                }
            }
        }
    }
}

fn open(kind: ConnectionKind, url: &str, roots: Vec<PathBuf>) -> Arc<dyn Source> {
    let params = ConnectionParams::parse(
        kind,
        url,
        &SourcePolicy {
            sqlite_roots: roots,
            sqlite_denied: vec![],
            ca_roots: vec![],
        },
    )
    .unwrap_or_else(|e| panic!("{url}: {e}"));
    proost_connect::open(&params)
}

/// Serves one database to the engine as connection `src`, with optional table policies.
pub struct One {
    pub source: Arc<dyn Source>,
    pub kind: ConnectionKind,
    pub schemas: Arc<Vec<SchemaInfo>>,
    pub policies: HashMap<(String, String), TablePolicy>,
}

impl One {
    pub async fn new(db: &Db) -> One {
        One {
            source: db.source.clone(),
            kind: db.kind,
            schemas: Arc::new(db.source.introspect().await.expect("introspect")),
            policies: HashMap::new(),
        }
    }
}

#[async_trait::async_trait]
impl CatalogResolver for One {
    async fn resolve(&self, name: &str) -> Result<Option<ResolvedConnection>, QueryError> {
        if name != "src" {
            return Ok(None);
        }
        Ok(Some(ResolvedConnection {
            id: "c1".into(),
            kind: self.kind,
            source: self.source.clone(),
            schemas: self.schemas.clone(),
            replicas: Default::default(),
            policies: self.policies.clone(),
            mask_key: [7; 32],
        }))
    }
}

/// A MariaDB server of its own, started with a given default `sql_mode` on a free port in
/// a scratch directory, stopped and removed on drop. Anyone may connect as root.
pub struct ScratchMariaDb {
    pub base: String,
    dir: PathBuf,
    child: std::process::Child,
}

impl ScratchMariaDb {
    pub fn start(sql_mode: &str) -> ScratchMariaDb {
        let dir = std::env::temp_dir().join(unique("proost-mariadb"));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let data = dir.join("data");
        let installed = std::process::Command::new("mariadb-install-db")
            .args([
                "--no-defaults",
                "--skip-test-db",
                "--auth-root-authentication-method=normal",
            ])
            .arg(format!("--datadir={}", data.display()))
            .output()
            .expect("mariadb-install-db runs");
        assert!(installed.status.success(), "{installed:?}");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let child = std::process::Command::new("/usr/sbin/mariadbd")
            .arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--socket={}", dir.join("sock").display()))
            .arg(format!("--pid-file={}", dir.join("pid").display()))
            .arg(format!("--log-error={}", dir.join("err").display()))
            .arg(format!("--port={port}"))
            .args([
                "--bind-address=127.0.0.1",
                "--user=root",
                "--skip-grant-tables",
            ])
            .arg("--character-set-server=utf8mb4")
            .arg(format!("--sql-mode={sql_mode}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("mariadbd starts");
        let server = ScratchMariaDb {
            base: format!("mysql://root@127.0.0.1:{port}"),
            dir,
            child,
        };
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return server;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("the scratch MariaDB did not start");
    }
}

impl Drop for ScratchMariaDb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
