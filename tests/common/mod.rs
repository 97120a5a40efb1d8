//! Shared test support: a real Proost server on a random port with its own data dir, and
//! fresh databases on the real PostgreSQL and MariaDB servers.
#![allow(dead_code)]

pub mod tpch;

use std::path::{Path, PathBuf};

use proost_server::{Config, Instance};
use serde_json::{Value, json};

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "correct horse battery staple";
pub const USER_PASSWORD: &str = "a long enough user passphrase";

pub fn unique(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

/// Every file below `dir` (none when it does not exist).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

pub fn temp_dir(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(unique(prefix));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The demo database takes seconds to generate in a debug build; tests share one copy,
/// made once per machine and renamed into place so concurrent test processes never see
/// half of it.
pub fn shared_sample() -> PathBuf {
    // Keyed by this test binary's build, so a changed generator is never served stale.
    let built = std::env::current_exe()
        .and_then(|p| p.metadata())
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let shared = std::env::temp_dir().join(format!("proost-test-sample-{built}.db"));
    if !shared.exists() {
        let own = std::env::temp_dir()
            .join(unique("proost-sample"))
            .join("s.db");
        proost_sample::ensure_sample_shop(&own, proost_sample::SampleSize::DEMO)
            .expect("generate sample shop");
        let _ = std::fs::rename(&own, &shared);
        let _ = std::fs::remove_dir_all(own.parent().unwrap_or(&own));
        // Samples of earlier builds are dead weight once a day old.
        if let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) {
            for e in entries.flatten() {
                let old = e
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age.as_secs() > 86_400);
                if old
                    && e.file_name()
                        .to_string_lossy()
                        .starts_with("proost-test-sample-")
                {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }
    shared
}

pub struct TestServer {
    pub base: String,
    pub data_dir: PathBuf,
    pub client: reqwest::Client,
    pub token: Option<String>,
    pub setup_token: Option<String>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    app: std::sync::Arc<proost_app::App>,
    keep_dir: bool,
}

impl TestServer {
    pub async fn start(demo: bool) -> TestServer {
        let data_dir = temp_dir("proost-data");
        Self::start_in(&data_dir, demo).await
    }

    pub async fn start_in(data_dir: &Path, demo: bool) -> TestServer {
        Self::start_with(data_dir, demo, |_| {}).await
    }

    /// Starts with settings changed by `tune`; scheduled syncs run as under `proost serve`.
    pub async fn start_with(
        data_dir: &Path,
        demo: bool,
        tune: impl FnOnce(&mut Config),
    ) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        Self::start_on(listener, data_dir, demo, tune).await
    }

    /// Like [`start_with`](Self::start_with) on a listener bound beforehand, for settings
    /// that must name the server's own address (an OIDC callback URL).
    pub async fn start_on(
        listener: tokio::net::TcpListener,
        data_dir: &Path,
        demo: bool,
        tune: impl FnOnce(&mut Config),
    ) -> TestServer {
        if demo {
            let sources = data_dir.join("sources");
            std::fs::create_dir_all(&sources).expect("sources dir");
            let target = sources.join("sample_shop.db");
            if !target.exists() {
                std::fs::copy(shared_sample(), &target).expect("copy sample");
            }
        }
        let mut config = Config::with_data_dir(data_dir);
        config.demo = demo;
        config.query_timeout = std::time::Duration::from_secs(20);
        // Backups run only where a test asks for them: a start-up backup in every test
        // server would add audit entries other tests count.
        config.backup.interval = None;
        tune(&mut config);
        let instance = Instance::open(&config).await.expect("instance opens");
        instance.spawn_scheduler();
        // The scheduler's start-up retention sweep writes to the app database at once. Tests
        // that write to it directly (rusqlite, on this same runtime thread) would block the
        // thread the sweep needs to finish: wait for it first.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while matches!(instance.app.store.last_retention_sweep().await, Ok(None))
            && std::time::Instant::now() < deadline
        {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let router = instance.router();
        let app = instance.app.clone();
        let task = tokio::spawn(async move {
            let _ = proost_server::serve(listener, router, async {
                let _ = rx.await;
            })
            .await;
        });
        TestServer {
            base: format!("http://{addr}"),
            data_dir: data_dir.to_path_buf(),
            client: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .expect("client"),
            token: None,
            setup_token: instance.setup_token.clone(),
            shutdown: Some(tx),
            task: Some(task),
            app,
            keep_dir: false,
        }
    }

    /// Stops the server, waits until it let go of its data dir, and keeps the dir.
    pub async fn stop(mut self) -> PathBuf {
        self.client = reqwest::Client::new();
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(10), task).await;
        }
        // As `proost serve` does on SIGTERM: background work ends, the app database is
        // closed and the data dir released, so the next process finds them free.
        self.app.shutdown(std::time::Duration::from_secs(10)).await;
        self.keep_dir = true;
        self.data_dir.clone()
    }

    /// A server with the first admin created and logged in (bearer token).
    pub async fn with_admin(demo: bool) -> TestServer {
        Self::with_admin_using(demo, |_| {}).await
    }

    /// Like [`with_admin`](Self::with_admin), with settings changed by `tune`.
    pub async fn with_admin_using(demo: bool, tune: impl FnOnce(&mut Config)) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        Self::with_admin_on(listener, demo, tune).await
    }

    /// Like [`with_admin_using`](Self::with_admin_using) on a listener bound beforehand.
    pub async fn with_admin_on(
        listener: tokio::net::TcpListener,
        demo: bool,
        tune: impl FnOnce(&mut Config),
    ) -> TestServer {
        let data_dir = temp_dir("proost-data");
        let mut s = Self::start_on(listener, &data_dir, demo, tune).await;
        let token = s
            .setup_token
            .clone()
            .expect("fresh instance has a setup token");
        let (status, body) = s
            .post(
                "/api/v1/setup",
                json!({"token": token, "email": ADMIN_EMAIL, "name": "Ada Admin", "password": ADMIN_PASSWORD}),
            )
            .await;
        assert_eq!(status, 201, "setup: {body}");
        s.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        s
    }

    pub async fn login(&mut self, email: &str, password: &str) {
        let (status, body) = self
            .post(
                "/api/v1/session",
                json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(status, 200, "login: {body}");
        self.token = Some(body["token"].as_str().expect("token").to_string());
    }

    fn auth(&self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        }
    }

    pub async fn send(&self, rb: reqwest::RequestBuilder) -> (u16, Value) {
        status_and_body(self.auth(rb)).await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send(self.client.get(format!("{}{path}", self.base)))
            .await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(self.client.post(format!("{}{path}", self.base)).json(&body))
            .await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(
            self.client
                .patch(format!("{}{path}", self.base))
                .json(&body),
        )
        .await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.send(self.client.delete(format!("{}{path}", self.base)))
            .await
    }

    /// Runs SQL; `connection` makes it native.
    pub async fn query(&self, sql: &str, connection: Option<&str>) -> (u16, Value) {
        let mut body = json!({"sql": sql});
        if let Some(c) = connection {
            body["connection"] = json!(c);
        }
        self.post("/api/v1/query", body).await
    }

    /// Sends a request as someone else: `token` is their bearer token (`None`: anonymous).
    pub async fn send_as(
        &self,
        token: Option<&str>,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let client = reqwest::Client::new();
        let mut rb = client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        status_and_body(rb).await
    }

    /// Logs in with a fresh client and returns the bearer token.
    pub async fn token_for(&self, email: &str, password: &str) -> String {
        let (status, body) = self
            .send_as(
                None,
                reqwest::Method::POST,
                "/api/v1/session",
                Some(json!({"email": email, "password": password})),
            )
            .await;
        assert_eq!(status, 200, "login {email}: {body}");
        body["token"].as_str().expect("token").to_string()
    }

    /// Creates a user (as the admin) with [`USER_PASSWORD`] and logs them in:
    /// returns (id, bearer token).
    pub async fn user(&self, email: &str, role: &str, attributes: Value) -> (String, String) {
        let (status, body) = self
            .post(
                "/api/v1/users",
                json!({"email": email, "name": email.split('@').next().unwrap_or(email),
                       "password": USER_PASSWORD, "role": role, "attributes": attributes}),
            )
            .await;
        assert_eq!(status, 201, "create user {email}: {body}");
        let id = body["id"].as_str().expect("id").to_string();
        (id, self.token_for(email, USER_PASSWORD).await)
    }

    /// Creates a group (as the admin) with these members; returns its id.
    pub async fn group(&self, name: &str, members: &[&str]) -> String {
        let (status, body) = self.post("/api/v1/groups", json!({"name": name})).await;
        assert_eq!(status, 201, "create group {name}: {body}");
        let id = body["id"].as_str().expect("id").to_string();
        for m in members {
            let (status, body) = self
                .post(&format!("/api/v1/groups/{id}/members"), json!({"user": m}))
                .await;
            assert_eq!(status, 201, "add member: {body}");
        }
        id
    }

    /// Grants (as the admin); returns the grant's id.
    pub async fn grant(&self, grant: Value) -> String {
        let (status, body) = self.post("/api/v1/grants", grant.clone()).await;
        assert_eq!(status, 201, "grant {grant}: {body}");
        body["id"].as_str().expect("id").to_string()
    }

    /// Defines a replica of a table of connection `conn` (201 expected).
    pub async fn add_replica(&self, conn: &str, body: Value) -> Value {
        let (status, r) = self
            .post(&format!("/api/v1/connections/{conn}/replicas"), body)
            .await;
        assert_eq!(status, 201, "{r}");
        r
    }

    /// Syncs the replicas of connection `conn` and waits; the per-table results.
    pub async fn sync(&self, conn: &str) -> Vec<Value> {
        let (status, body) = self
            .post(
                &format!("/api/v1/connections/{conn}/sync?wait=true"),
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["results"].as_array().expect("results").clone()
    }

    pub async fn add_connection(&self, name: &str, kind: &str, url: &str) -> Value {
        let (status, body) = self
            .post(
                "/api/v1/connections",
                json!({"name": name, "kind": kind, "url": url}),
            )
            .await;
        assert_eq!(status, 201, "add connection {name}: {body}");
        body
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if !self.keep_dir {
            let _ = std::fs::remove_dir_all(&self.data_dir);
        }
    }
}

/// Sends a request; the status and the body as JSON (a string when it is not JSON).
async fn status_and_body(rb: reqwest::RequestBuilder) -> (u16, Value) {
    let res = rb.send().await.expect("request");
    let status = res.status().as_u16();
    let text = res.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}

/// Asserts the stable error shape and returns its code.
pub fn error_code(body: &Value) -> String {
    let code = body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error body: {body}"));
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "error without a message: {body}"
    );
    code.to_string()
}

pub fn postgres_base() -> String {
    std::env::var("PROOST_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

pub fn mysql_base() -> String {
    std::env::var("PROOST_TEST_MYSQL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".into())
}

/// A fresh PostgreSQL database, dropped when the test is done.
pub struct PgDb {
    pub name: String,
    pub url: String,
    admin_url: String,
}

impl PgDb {
    pub async fn create(sql_setup: &str) -> PgDb {
        let name = unique("proost_t");
        let admin_url = format!("{}/postgres", postgres_base());
        let admin = pg_client(&admin_url).await;
        admin
            .batch_execute(&format!("CREATE DATABASE {}", pg_ident(&name)))
            .await
            .expect("create database");
        let url = format!("{}/{name}", postgres_base());
        if !sql_setup.is_empty() {
            pg_client(&url)
                .await
                .batch_execute(sql_setup)
                .await
                .expect("set up database");
        }
        PgDb {
            name,
            url,
            admin_url,
        }
    }

    pub async fn client(&self) -> tokio_postgres::Client {
        pg_client(&self.url).await
    }

    pub async fn drop_db(self) {
        let admin = pg_client(&self.admin_url).await;
        let _ = admin
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                pg_ident(&self.name)
            ))
            .await;
    }
}

/// A database name in SQL text: only identifiers are formatted in, through the one
/// quoting function of their dialect.
fn pg_ident(name: &str) -> String {
    proost_readonly::quote_identifier(proost_readonly::Dialect::Postgres, name)
}

fn my_ident(name: &str) -> String {
    proost_readonly::quote_identifier(proost_readonly::Dialect::MySql, name)
}

pub async fn pg_client(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"));
    tokio::spawn(async move {
        let _ = conn.await;
    });
    client
}

/// A fresh MariaDB/MySQL database, dropped when the test is done.
pub struct MyDb {
    pub name: String,
    pub url: String,
}

impl MyDb {
    pub async fn create(statements: &[&str]) -> MyDb {
        use mysql_async::prelude::Queryable;
        let name = unique("proost_t");
        let mut conn = my_conn(&mysql_base()).await;
        conn.query_drop(format!("CREATE DATABASE {}", my_ident(&name)))
            .await
            .expect("create database");
        conn.query_drop(format!("USE {}", my_ident(&name)))
            .await
            .expect("use");
        for s in statements {
            conn.query_drop(*s)
                .await
                .unwrap_or_else(|e| panic!("{s}: {e}"));
        }
        let _ = conn.disconnect().await;
        MyDb {
            url: format!("{}/{name}", mysql_base()),
            name,
        }
    }

    pub async fn conn(&self) -> mysql_async::Conn {
        my_conn(&self.url).await
    }

    pub async fn drop_db(self) {
        use mysql_async::prelude::Queryable;
        let mut conn = my_conn(&mysql_base()).await;
        let _ = conn
            .query_drop(format!("DROP DATABASE IF EXISTS {}", my_ident(&self.name)))
            .await;
        let _ = conn.disconnect().await;
    }
}

pub async fn my_conn(url: &str) -> mysql_async::Conn {
    let opts = mysql_async::Opts::from_url(url).unwrap_or_else(|e| panic!("{url}: {e}"));
    mysql_async::Conn::new(opts)
        .await
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"))
}

/// The shop tables the read-only corpora refer to.
pub const PG_SHOP: &str = "
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text);
CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers(id), product_id int REFERENCES products(id), amount numeric(12,2), ordered_at timestamptz);
INSERT INTO customers SELECT g, 'Customer ' || g, 'c' || g || '@example.com' FROM generate_series(1, 50) g;
INSERT INTO products SELECT g, 'Product ' || g FROM generate_series(1, 10) g;
INSERT INTO orders SELECT g, 1 + g % 50, 1 + g % 10, (g * 7 % 1000) / 10.0, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 hour' FROM generate_series(1, 500) g;
";

pub const MY_SHOP: &[&str] = &[
    "CREATE TABLE customers (id int PRIMARY KEY, name varchar(100) NOT NULL, email varchar(200))",
    "CREATE TABLE products (id int PRIMARY KEY, name varchar(100) NOT NULL)",
    "CREATE TABLE orders (id int PRIMARY KEY, customer_id int, product_id int, amount decimal(12,2), ordered_at datetime)",
    "INSERT INTO customers SELECT seq, CONCAT('Customer ', seq), CONCAT('c', seq, '@example.com') FROM seq_1_to_50",
    "INSERT INTO products SELECT seq, CONCAT('Product ', seq) FROM seq_1_to_10",
    "INSERT INTO orders SELECT seq, 1 + seq % 50, 1 + seq % 10, (seq * 7 % 1000) / 10.0, TIMESTAMP('2026-01-01') + INTERVAL seq HOUR FROM seq_1_to_500",
];

/// A SQLite source opened straight through `proost-connect`, past the API, with the file's
/// directory as the only allowed root.
pub fn sqlite_source(file: &Path) -> std::sync::Arc<dyn proost_connect::Source> {
    let params = proost_connect::ConnectionParams::parse(
        proost_connect::ConnectionKind::Sqlite,
        &format!("sqlite://{}", file.display()),
        &proost_connect::SourcePolicy {
            sqlite_roots: vec![file.parent().expect("a directory").to_path_buf()],
            sqlite_denied: vec![],
            ca_roots: vec![],
        },
    )
    .expect("sqlite params");
    proost_connect::open(&params)
}
