//! First run and access: the setup token, login, sessions, and what the API never reveals.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

use crate::common::{ADMIN_EMAIL, ADMIN_PASSWORD, TestServer, error_code};
use serde_json::json;

#[tokio::test]
async fn the_binary_prints_a_setup_link_and_keeps_its_key_private() {
    // As the README runs it: the default relative data dir, the demo included.
    let cwd = crate::common::temp_dir("proost-bin");
    let dir = cwd.join("proost-data");
    let mut child = Command::new(env!("CARGO_BIN_EXE_proost"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(&cwd)
        .env_remove("PROOST_MASTER_KEY")
        .env_remove("PROOST_DATA_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn proost");
    let stdout = child.stdout.take().expect("stdout");
    let mut link = None;
    for line in BufReader::new(stdout).lines().take(10) {
        let line = line.expect("line");
        if let Some(i) = line.find("/setup?token=") {
            link = Some(
                line[i..]
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_string(),
            );
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let link = link.expect("a setup link on the console");
    let token = link.trim_start_matches("/setup?token=");
    assert!(token.len() >= 40, "token too short: {token}");
    let mode = std::fs::metadata(dir.join("master.key"))
        .expect("key file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let db = std::fs::read(dir.join("proost.db")).expect("app db");
    assert!(
        !db.windows(token.len()).any(|w| w == token.as_bytes()),
        "the setup token is stored in plaintext"
    );
    assert!(dir.join("sources").join("sample_shop.db").is_file());
    let _ = std::fs::remove_dir_all(&cwd);
}

#[tokio::test]
async fn the_setup_token_works_once() {
    let s = TestServer::start(false).await;
    let token = s.setup_token.clone().expect("token");
    let body =
        json!({"token": token, "email": ADMIN_EMAIL, "name": "Ada", "password": ADMIN_PASSWORD});
    let (status, first) = s.post("/api/v1/setup", body.clone()).await;
    assert_eq!(status, 201, "{first}");
    let (status, again) = s.post("/api/v1/setup", body).await;
    assert_eq!(status, 403);
    assert_eq!(error_code(&again), "setup_token_invalid");
    let (status, other) = s
        .post(
            "/api/v1/setup",
            json!({"token": "guess", "email": "eve@example.com", "name": "Eve", "password": "long enough password"}),
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(error_code(&other), "setup_token_invalid");
}

#[tokio::test]
async fn a_wrong_setup_token_creates_nobody() {
    let s = TestServer::start(false).await;
    let (status, body) = s
        .post(
            "/api/v1/setup",
            json!({"token": "not-the-token", "email": "eve@example.com", "name": "Eve", "password": "long enough password"}),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, _) = s
        .post(
            "/api/v1/session",
            json!({"email": "eve@example.com", "password": "long enough password"}),
        )
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_restart_before_setup_issues_a_new_token_and_voids_the_old_one() {
    let dir = crate::common::temp_dir("proost-restart");
    let first = TestServer::start_in(&dir, false).await;
    let old = first.setup_token.clone().expect("token");
    first.stop().await;
    let second = TestServer::start_in(&dir, false).await;
    let new = second.setup_token.clone().expect("token");
    assert_ne!(old, new);
    let (status, _) = second
        .post(
            "/api/v1/setup",
            json!({"token": old, "email": ADMIN_EMAIL, "name": "Ada", "password": ADMIN_PASSWORD}),
        )
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn weak_setup_input_is_refused_with_clear_codes() {
    let s = TestServer::start(false).await;
    let token = s.setup_token.clone().expect("token");
    for (body, code) in [
        (
            json!({"token": token, "email": "a@example.com", "name": "A", "password": "short"}),
            "password_too_short",
        ),
        (
            json!({"token": token, "email": "not-an-email", "name": "A", "password": ADMIN_PASSWORD}),
            "email_invalid",
        ),
        (
            json!({"token": token, "email": "a@example.com", "name": "", "password": ADMIN_PASSWORD}),
            "name_invalid",
        ),
        (json!({"token": token}), "invalid_body"),
    ] {
        let (status, resp) = s.post("/api/v1/setup", body).await;
        assert_eq!(status, 400, "{resp}");
        assert_eq!(error_code(&resp), code);
    }
    let (status, resp) = s
        .send(
            s.client
                .post(format!("{}/api/v1/setup", s.base))
                .header("content-type", "application/json")
                .body("{not json"),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(error_code(&resp), "invalid_body");
}

#[tokio::test]
async fn logins_are_throttled_after_repeated_failures() {
    let s = TestServer::with_admin(false).await;
    for _ in 0..5 {
        let (status, body) = s
            .post(
                "/api/v1/session",
                json!({"email": ADMIN_EMAIL, "password": "wrong password!!"}),
            )
            .await;
        assert_eq!(status, 401);
        assert_eq!(error_code(&body), "invalid_credentials");
    }
    // Even the right password is refused while the account is locked.
    let (status, body) = s
        .post(
            "/api/v1/session",
            json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
        )
        .await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(error_code(&body), "too_many_login_attempts");
}

#[tokio::test]
async fn logged_out_callers_cannot_query_or_list() {
    let mut s = TestServer::with_admin(true).await;
    let (status, _) = s.query("SELECT 1", None).await;
    assert_eq!(status, 200);
    let (status, _) = s.delete("/api/v1/session").await;
    assert_eq!(status, 204);
    // The old bearer token is dead after logout.
    let (status, body) = s.query("SELECT 1", None).await;
    assert_eq!(status, 401);
    assert_eq!(error_code(&body), "unauthenticated");
    s.token = None;
    for path in ["/api/v1/connections", "/api/v1/session"] {
        let (status, body) = s.get(path).await;
        assert_eq!(status, 401, "{path}: {body}");
    }
    let (status, _) = s.query("SELECT 1", Some("sample_shop")).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn cookie_sessions_need_the_csrf_token_for_changes() {
    let s = TestServer::with_admin(true).await;
    // A cookie-only client (the token from login is held by the cookie jar).
    let (status, body) = s
        .send(
            s.client
                .post(format!("{}/api/v1/session", s.base))
                .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})),
        )
        .await;
    assert_eq!(status, 200);
    let csrf = body["csrf_token"].as_str().expect("csrf").to_string();
    let url = format!("{}/api/v1/query", s.base);
    let res = s
        .client
        .post(&url)
        .json(&json!({"sql": "SELECT 1"}))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status().as_u16(), 403);
    let res = s
        .client
        .post(&url)
        .header("x-csrf-token", &csrf)
        .json(&json!({"sql": "SELECT 1"}))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status().as_u16(), 200);
}

#[tokio::test]
async fn the_session_cookie_is_secure_httponly_and_samesite() {
    let s = TestServer::with_admin(false).await;
    let res = s
        .client
        .post(format!("{}/api/v1/session", s.base))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .expect("login");
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("set-cookie")
        .to_string();
    for attr in ["HttpOnly", "Secure", "SameSite=Strict"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
}

#[tokio::test]
async fn no_endpoint_returns_a_credential() {
    let s = TestServer::with_admin(true).await;
    let secret = "pw-7f3a9c-very-secret";
    let db = crate::common::PgDb::create("CREATE TABLE t (id int);").await;
    // A PostgreSQL role with a password, so the URL carries a real credential.
    let role = crate::common::unique("proost_cred");
    db.client()
        .await
        .batch_execute(&format!(
            "CREATE ROLE {role} LOGIN PASSWORD '{secret}'; GRANT SELECT ON t TO {role};"
        ))
        .await
        .expect("role");
    let url = format!("postgres://{role}:{secret}@127.0.0.1:5432/{}", db.name);
    let created = s.add_connection("credtest", "postgres", &url).await;
    let id = created["id"].as_str().expect("id").to_string();
    let mut bodies = vec![created.to_string()];
    for path in [
        "/api/v1/connections".to_string(),
        format!("/api/v1/connections/{id}"),
        format!("/api/v1/connections/{id}/schema"),
        "/api/v1/session".to_string(),
        "/api/v1/openapi.json".to_string(),
    ] {
        let (status, body) = s.get(&path).await;
        assert_eq!(status, 200, "{path}");
        bodies.push(body.to_string());
    }
    for page in ["/connections", &format!("/connections/{id}"), "/sql"] {
        let html = s
            .client
            .get(format!("{}{page}", s.base))
            .bearer_auth(s.token.as_deref().unwrap_or(""))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        bodies.push(html);
    }
    for b in &bodies {
        assert!(!b.contains(secret), "a credential leaked: {b}");
        assert!(!b.contains(&s.setup_token.clone().unwrap_or_default()));
        assert!(!b.contains("argon2"), "a password hash leaked: {b}");
    }
    // Nor is it in the app database in plaintext.
    let mut raw = Vec::new();
    for f in ["proost.db", "proost.db-wal"] {
        raw.extend(std::fs::read(s.data_dir.join(f)).unwrap_or_default());
    }
    assert!(!raw.windows(secret.len()).any(|w| w == secret.as_bytes()));
    let (status, _) = s.delete(&format!("/api/v1/connections/{id}")).await;
    assert_eq!(status, 204);
    let _ = db
        .client()
        .await
        .batch_execute(&format!("DROP OWNED BY {role}; DROP ROLE {role}"))
        .await;
    db.drop_db().await;
}

#[tokio::test]
async fn health_and_openapi_are_served() {
    let s = TestServer::start(false).await;
    let (status, _) = s.get("/api/v1/health").await;
    assert_eq!(status, 200);
    let (status, doc) = s.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    let paths = doc["paths"].as_object().expect("paths");
    for p in [
        "/health",
        "/setup",
        "/session",
        "/connections",
        "/connections/{id}",
        "/connections/{id}/schema",
        "/connections/{id}/replicas",
        "/connections/{id}/replicas/{replica}",
        "/connections/{id}/sync",
        "/query",
        "/audit",
        "/users",
        "/users/{id}",
        "/groups",
        "/groups/{id}/members",
        "/grants",
        "/grants/{id}",
        "/row-policies",
        "/sessions",
        "/tokens",
    ] {
        assert!(paths.contains_key(p), "openapi lacks {p}");
    }
    let (status, body) = s.get("/api/v1/nope").await;
    assert_eq!(status, 404);
    assert_eq!(error_code(&body), "not_found");
}

#[tokio::test]
async fn a_source_password_never_reaches_the_log() {
    let secret = "pw-4c1d-never-logged";
    let db = crate::common::PgDb::create("CREATE TABLE t (id int);").await;
    let role = crate::common::unique("proost_log");
    db.client()
        .await
        .batch_execute(&format!(
            "CREATE ROLE {role} LOGIN PASSWORD '{secret}'; GRANT SELECT ON t TO {role};"
        ))
        .await
        .expect("role");
    let dir = crate::common::temp_dir("proost-log");
    let log = dir.join("stderr.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_proost"))
        .args([
            "serve",
            "--no-demo",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
        ])
        .arg(dir.join("data"))
        .env("PROOST_LOG", "trace")
        .env_remove("PROOST_MASTER_KEY")
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
    assert!(
        !base.is_empty() && !token.is_empty(),
        "no address or token printed"
    );
    let http = reqwest::Client::new();
    let post = |path: &str, body: serde_json::Value, bearer: Option<&str>| {
        let mut rb = http.post(format!("{base}/api/v1{path}")).json(&body);
        if let Some(b) = bearer {
            rb = rb.bearer_auth(b);
        }
        rb.send()
    };
    let r = post(
        "/setup",
        json!({"token": token, "email": ADMIN_EMAIL, "name": "Ada", "password": ADMIN_PASSWORD}),
        None,
    )
    .await
    .expect("setup");
    assert_eq!(r.status().as_u16(), 201);
    let login: serde_json::Value = post(
        "/session",
        json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
        None,
    )
    .await
    .expect("login")
    .json()
    .await
    .expect("login body");
    let bearer = login["token"].as_str().expect("bearer").to_string();
    let url = format!("postgres://{role}:{secret}@127.0.0.1:5432/{}", db.name);
    let r = post(
        "/connections",
        json!({"name": "logged", "kind": "postgres", "url": url}),
        Some(&bearer),
    )
    .await
    .expect("add connection");
    assert_eq!(r.status().as_u16(), 201);
    // A failing login too: error paths are where secrets tend to leak.
    // Loopback uses trust auth here, so an unknown role is what fails.
    let wrong = format!(
        "postgres://{role}_nobody:{secret}@127.0.0.1:5432/{}",
        db.name
    );
    let r = post(
        "/connections",
        json!({"name": "wrong", "kind": "postgres", "url": wrong}),
        Some(&bearer),
    )
    .await
    .expect("add connection");
    assert_eq!(r.status().as_u16(), 424);
    let r = post(
        "/query",
        json!({"sql": "SELECT * FROM t", "connection": "logged"}),
        Some(&bearer),
    )
    .await
    .expect("query");
    assert_eq!(r.status().as_u16(), 200);
    let _ = child.kill();
    let _ = child.wait();
    let logged = std::fs::read_to_string(&log).expect("read log");
    assert!(logged.len() > 100, "the trace log is suspiciously empty");
    for needle in [secret, &token, ADMIN_PASSWORD, &bearer] {
        assert!(
            !logged.contains(needle),
            "a secret reached the log: {needle}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = db
        .client()
        .await
        .batch_execute(&format!("DROP OWNED BY {role}; DROP ROLE {role}"))
        .await;
    db.drop_db().await;
}
