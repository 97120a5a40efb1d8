//! Operations: metrics, request ids, readiness, JSON logs, and stopping on SIGTERM with a
//! query or a sync under way.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod config;
mod tls;

use crate::common::{ADMIN_EMAIL, ADMIN_PASSWORD, PgDb, TestServer, pg_client, temp_dir};

async fn scrape(s: &TestServer, token: Option<&str>) -> (u16, String) {
    let mut req = reqwest::Client::new().get(format!("{}/metrics", s.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.expect("GET /metrics");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body"))
}

fn parse(text: &str) -> prometheus_parse::Scrape {
    prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_string())))
        .expect("the Prometheus text format parses")
}

/// The number of observations of a histogram whose labels include `labels`.
fn observations(scrape: &prometheus_parse::Scrape, metric: &str, labels: &[(&str, &str)]) -> f64 {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == metric && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .map(|s| match &s.value {
            prometheus_parse::Value::Histogram(buckets) => {
                buckets.iter().map(|b| b.count).fold(0.0, f64::max)
            }
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => *v,
            prometheus_parse::Value::Summary(_) => 0.0,
        })
        .sum()
}

fn has(scrape: &prometheus_parse::Scrape, metric: &str) -> bool {
    scrape.samples.iter().any(|s| s.metric == metric)
}

#[tokio::test]
async fn metrics_are_for_admins_parse_as_prometheus_text_and_move_after_a_query() {
    let s = TestServer::with_admin(true).await;
    let admin = s.token.clone().expect("admin token");
    let (_, viewer) = s.user("vic@example.com", "viewer", json!({})).await;
    assert_eq!(scrape(&s, None).await.0, 401);
    assert_eq!(scrape(&s, Some(&viewer)).await.0, 403);

    let (status, text) = scrape(&s, Some(&admin)).await;
    assert_eq!(status, 200, "{text}");
    let before = parse(&text);
    let sql = "SELECT country, count(*) FROM sample_shop.main.customers GROUP BY 1";
    for _ in 0..2 {
        let (status, body) = s.query(sql, None).await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, body) = s
        .post(
            "/api/v1/session",
            json!({"email": ADMIN_EMAIL, "password": "wrong"}),
        )
        .await;
    assert_eq!(body["error"]["code"], "invalid_credentials");
    let (_, text) = scrape(&s, Some(&admin)).await;
    let after = parse(&text);

    let engine = [("path", "engine")];
    let q = "proost_query_duration_seconds";
    assert!(
        observations(&after, q, &engine) >= observations(&before, q, &engine) + 2.0,
        "{text}"
    );
    assert!(
        observations(&after, "proost_cache_lookups_total", &[])
            >= observations(&before, "proost_cache_lookups_total", &[]) + 2.0,
        "{text}"
    );
    // Requests by route template (never the raw path) and status.
    let route = [
        ("route", "/api/v1/query"),
        ("status", "200"),
        ("method", "POST"),
    ];
    assert!(
        observations(&after, "proost_http_requests_total", &route) >= 2.0,
        "{text}"
    );
    assert!(
        observations(
            &after,
            "proost_http_request_duration_seconds",
            &[("route", "/api/v1/query")]
        ) >= 2.0
    );
    assert!(
        observations(
            &after,
            "proost_login_failures_total",
            &[("method", "password")]
        ) >= 1.0
    );
    for gauge in [
        "proost_cache_size_bytes",
        "proost_cache_entries",
        "proost_app_db_connections",
    ] {
        assert!(has(&after, gauge), "{gauge} missing:\n{text}");
    }
    // Names follow the conventions: the proost_ prefix, base units, _total on counters.
    for line in text.lines().filter(|l| l.starts_with("# TYPE")) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        assert!(parts[2].starts_with("proost_"), "{line}");
        if parts[3] == "counter" {
            assert!(parts[2].ends_with("_total"), "{line}");
        }
    }
}

#[tokio::test]
async fn every_response_carries_a_request_id_the_callers_when_it_is_sane() {
    let s = TestServer::start(false).await;
    let http = reqwest::Client::new();
    let id_of = |r: &reqwest::Response| {
        r.headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .unwrap_or_default()
    };
    let r = http
        .get(format!("{}/api/v1/health", s.base))
        .header("X-Request-Id", "lb-7f3a:42")
        .send()
        .await
        .expect("health");
    assert_eq!(id_of(&r), "lb-7f3a:42");
    for hostile in ["two words", "<script>", &"x".repeat(200)] {
        let r = http
            .get(format!("{}/api/v1/nosuch", s.base))
            .header("X-Request-Id", hostile)
            .send()
            .await
            .expect("request");
        let id = id_of(&r);
        assert!(
            id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "{hostile} -> {id}"
        );
    }
    let r = http
        .get(format!("{}/api/v1/health", s.base))
        .send()
        .await
        .expect("health");
    assert_eq!(id_of(&r).len(), 32);
}

#[tokio::test]
async fn ready_waits_for_the_scheduler_and_ends_with_the_app_database() {
    let dir = temp_dir("proost-ready");
    let mut config = proost_app::Config::with_data_dir(&dir);
    config.demo = false;
    config.backup.interval = None;
    let instance = proost_app::Instance::open(&config).await.expect("opens");
    let r = proost_app::instance::readiness(&instance.app).await;
    assert!(r.app_db && r.migrations && r.keyring, "{r:?}");
    assert!(
        !r.background_tasks && !r.ready,
        "not ready before the scheduler runs: {r:?}"
    );
    instance.spawn_scheduler();
    let started = Instant::now();
    while !proost_app::instance::readiness(&instance.app).await.ready {
        assert!(started.elapsed() < Duration::from_secs(10), "never ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    instance.app.shutdown(Duration::from_secs(5)).await;
    let r = proost_app::instance::readiness(&instance.app).await;
    assert!(!r.ready && !r.app_db, "{r:?}");
    // Released: another instance opens the same data dir at once.
    drop(instance);
    let again = proost_app::Instance::open(&config).await.expect("reopens");
    again.app.shutdown(Duration::from_secs(5)).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_ready_endpoint_answers_with_each_check() {
    let s = TestServer::start(false).await;
    let mut body = Value::Null;
    for _ in 0..100 {
        let r = reqwest::get(format!("{}/api/v1/ready", s.base))
            .await
            .expect("ready");
        let status = r.status().as_u16();
        body = r.json().await.expect("json");
        if status == 200 {
            break;
        }
        assert_eq!(status, 503, "{body}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        body,
        json!({"ready": true, "app_db": true, "migrations": true, "keyring": true, "background_tasks": true})
    );
}

/// `proost serve` as a process, set up, with JSON logs in a file.
struct Served {
    child: Child,
    base: String,
    bearer: String,
    dir: PathBuf,
    log: PathBuf,
}

impl Served {
    async fn start(name: &str) -> Served {
        let dir = temp_dir(name);
        let log = dir.join("stderr.log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_proost"))
            .args(["serve", "--no-demo", "--listen", "127.0.0.1:0"])
            .args(["--log-format", "json", "--shutdown-grace", "2s"])
            .arg("--data-dir")
            .arg(dir.join("data"))
            .env_remove("PROOST_MASTER_KEY")
            .env_remove("PROOST_LOG")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("spawn proost");
        let stdout = child.stdout.take().expect("stdout");
        let (mut base, mut token) = (String::new(), String::new());
        for line in BufReader::new(stdout).lines().take(10) {
            let line = line.expect("line");
            if let Some(rest) = line.split("listening on ").nth(1) {
                base = rest.trim().to_string();
            }
            if let Some(rest) = line.split("token=").nth(1) {
                token = rest.split_whitespace().next().unwrap_or("").to_string();
                break;
            }
        }
        assert!(!base.is_empty() && !token.is_empty(), "no address or token");
        let http = reqwest::Client::new();
        let r = http
            .post(format!("{base}/api/v1/setup"))
            .header("X-Request-Id", "ops-setup-1")
            .json(&json!({"token": token, "email": ADMIN_EMAIL, "name": "Ada", "password": ADMIN_PASSWORD}))
            .send()
            .await
            .expect("setup");
        assert_eq!(r.status().as_u16(), 201);
        let login: Value = http
            .post(format!("{base}/api/v1/session"))
            .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
            .send()
            .await
            .expect("login")
            .json()
            .await
            .expect("login body");
        let bearer = login["token"].as_str().expect("bearer").to_string();
        Served {
            child,
            base,
            bearer,
            dir,
            log,
        }
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = reqwest::Client::new()
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.bearer)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// SIGTERM, then the time the process took to exit and whether it exited cleanly.
    fn terminate(&mut self) -> (Duration, bool) {
        let sent = Instant::now();
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill")
            .success();
        assert!(ok, "SIGTERM not sent");
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return (sent.elapsed(), status.success());
            }
            if sent.elapsed() > Duration::from_secs(30) {
                let _ = self.child.kill();
                panic!(
                    "proost serve did not stop within 30 s of SIGTERM:\n{}",
                    std::fs::read_to_string(&self.log).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn log_lines(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .expect("log")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Seconds PostgreSQL has been running statements that contain `needle` (none: empty).
async fn running_at_source(db: &PgDb, needle: &str) -> Vec<String> {
    let client = pg_client(&db.url).await;
    client
        .query(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database() \
             AND pid <> pg_backend_pid() AND state = 'active' AND position($1 in query) > 0",
            &[&needle],
        )
        .await
        .expect("pg_stat_activity")
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect()
}

async fn wait_until_running(db: &PgDb, needle: &str) {
    let started = Instant::now();
    while running_at_source(db, needle).await.is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{needle} never started"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn proost_cli(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_proost"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("PROOST_MASTER_KEY")
        .output()
        .expect("run proost")
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_during_a_long_query_stops_it_at_the_source_and_exits_cleanly() {
    let db = PgDb::create("").await;
    let mut served = Served::start("proost-term-query").await;
    let (status, body) = served
        .post(
            "/api/v1/connections",
            json!({"name": "pg", "kind": "postgres", "url": db.url}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let base = served.base.clone();
    let bearer = served.bearer.clone();
    let long = tokio::spawn(async move {
        reqwest::Client::new()
            .post(format!("{base}/api/v1/query"))
            .bearer_auth(bearer)
            .header("X-Request-Id", "ops-long-query")
            .json(&json!({"sql": "SELECT count(*) FROM generate_series(1::bigint, 50000000000::bigint)", "connection": "pg"}))
            .send()
            .await
            .map(|r| r.status().as_u16())
    });
    wait_until_running(&db, "generate_series").await;
    let (took, clean) = served.terminate();
    assert!(
        clean,
        "exit status: {}",
        std::fs::read_to_string(&served.log).unwrap_or_default()
    );
    // The grace is 2 s; the rest is closing down.
    assert!(took < Duration::from_secs(12), "stopped after {took:?}");
    let answered = long.await.expect("task");
    assert!(
        answered.as_ref().map_or(true, |s| *s >= 500),
        "{answered:?}"
    );
    // Dropping the request cancelled the statement at the source.
    let started = Instant::now();
    while !running_at_source(&db, "generate_series").await.is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still running at the source"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Released: a CLI command takes the data dir at once, and the record is whole.
    let out = proost_cli(&["audit", "verify"], &served.data());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = proost_cli(&["sync"], &served.data());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The JSON log: one object per line, the request's id on the lines of that request.
    let lines = served.log_lines();
    let of_request = |id: &str| {
        lines
            .iter()
            .filter(|l| l["span"]["id"] == id)
            .cloned()
            .collect::<Vec<_>>()
    };
    let setup = of_request("ops-setup-1");
    assert!(
        setup
            .iter()
            .any(|l| l["fields"]["message"] == "request done"
                && l["fields"]["status"] == 201
                && l["span"]["route"] == "/api/v1/setup"),
        "{setup:?}"
    );
    assert!(!of_request("ops-long-query").is_empty(), "{lines:?}");
    assert!(
        lines.iter().any(|l| l["fields"]["message"] == "stopped"),
        "{lines:?}"
    );
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_during_a_sync_exits_cleanly_and_the_next_sync_publishes() {
    let db = PgDb::create(
        "CREATE TABLE big AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 1500000) g;",
    )
    .await;
    let mut served = Served::start("proost-term-sync").await;
    let (status, body) = served
        .post(
            "/api/v1/connections",
            json!({"name": "pg", "kind": "postgres", "url": db.url}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_str().expect("id").to_string();
    let (status, body) = served
        .post(
            &format!("/api/v1/connections/{id}/replicas"),
            json!({"table": "public.big", "mode": "full"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = served
        .post(&format!("/api/v1/connections/{id}/sync"), json!({}))
        .await;
    assert!(status == 202 || status == 200, "{status} {body}");
    wait_until_running(&db, "COPY").await;
    let (took, clean) = served.terminate();
    assert!(
        clean,
        "exit status: {}",
        std::fs::read_to_string(&served.log).unwrap_or_default()
    );
    assert!(took < Duration::from_secs(15), "stopped after {took:?}");
    // Nothing half-published: the next sync (from the command line) completes the replica.
    let out = proost_cli(&["sync"], &served.data());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("1500000"), "{text}");
    db.drop_db().await;
}
