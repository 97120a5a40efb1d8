//! Usage analytics: queries and page visits are recorded with their timing and sources,
//! never a literal or a result value; `DNT: 1` and `Sec-GPC: 1` browsers are not recorded;
//! old events are folded into daily counts and old addresses cut to their network; only
//! admins read any of it.

use std::path::Path;

use crate::common::{TestServer, USER_PASSWORD, error_code};
use serde_json::{Value, json};

async fn usage(s: &TestServer, query: &str) -> Value {
    let (status, body) = s.get(&format!("/api/v1/usage{query}")).await;
    assert_eq!(status, 200, "usage: {body}");
    body
}

fn events(body: &Value) -> Vec<Value> {
    body["events"].as_array().expect("events").clone()
}

fn app_db(s: &TestServer) -> rusqlite::Connection {
    let db = rusqlite::Connection::open(s.data_dir.join("proost.db")).expect("open app db");
    db.busy_timeout(std::time::Duration::from_secs(10))
        .expect("busy timeout");
    db
}

/// Every byte of the app database, its write-ahead log included.
fn app_db_bytes(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for name in ["proost.db", "proost.db-wal"] {
        if let Ok(b) = std::fs::read(dir.join(name)) {
            all.extend(b);
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

async fn my_id(s: &TestServer) -> String {
    let (_, me) = s.get("/api/v1/session").await;
    me["id"].as_str().expect("id").to_string()
}

#[tokio::test]
async fn a_query_is_recorded_with_timing_rows_and_sources_but_no_literal_or_result_value() {
    let s = TestServer::with_admin(true).await;
    let admin = my_id(&s).await;
    let (status, engine) = s
        .query(
            "SELECT id, email FROM sample_shop.main.customers WHERE email <> 'zq-marker-5521@example.org' ORDER BY id LIMIT 3",
            None,
        )
        .await;
    assert_eq!(status, 200, "{engine}");
    let result_email = engine["rows"][0][1].as_str().expect("an email").to_string();
    let (status, native) = s
        .query(
            "SELECT email FROM customers WHERE last_name <> 'Markerson7731' ORDER BY id DESC LIMIT 2",
            Some("sample_shop"),
        )
        .await;
    assert_eq!(status, 200, "{native}");
    let result_email2 = native["rows"][0][0].as_str().expect("an email").to_string();

    let body = usage(&s, "?kind=query").await;
    let list = events(&body);
    assert_eq!(list.len(), 2, "{body}");
    let (native_ev, engine_ev) = (&list[0], &list[1]);

    assert_eq!(engine_ev["user_id"], admin.as_str());
    assert_eq!(engine_ev["target"], "engine");
    assert_eq!(engine_ev["rows"], 3);
    assert!(engine_ev["elapsed_ms"].as_f64().is_some_and(|ms| ms > 0.0));
    assert_eq!(engine_ev["served_from"], json!(["live"]));
    assert_eq!(engine_ev["connection_kinds"], json!(["sqlite"]));
    assert_eq!(engine_ev["cache"], "bypass");
    assert_eq!(engine_ev["ip"], "127.0.0.1");
    let statement = engine_ev["statement"].as_str().expect("a fingerprint");
    assert!(
        statement.contains("sample_shop.main.customers") && statement.contains("email <> ?"),
        "{statement}"
    );
    assert!(
        engine_ev["statement_hash"]
            .as_str()
            .is_some_and(|h| h.len() == 64)
    );

    assert_eq!(native_ev["target"], "native");
    assert_eq!(native_ev["rows"], 2);
    assert_eq!(native_ev["served_from"], json!(["native"]));
    assert_eq!(native_ev["connection_kinds"], json!(["sqlite"]));

    let summary = &body["summary"];
    assert_eq!(summary["top_questions"].as_array().map(Vec::len), Some(2));
    assert_eq!(summary["slowest"].as_array().map(Vec::len), Some(2));
    assert_eq!(summary["active_users"][0]["user_id"], admin.as_str());
    assert_eq!(summary["active_users"][0]["queries"], 2);

    // The same question again is counted under the same fingerprint.
    let (status, _) = s
        .query(
            "SELECT id, email FROM sample_shop.main.customers WHERE email <> 'another-literal@example.org' ORDER BY id LIMIT 3",
            None,
        )
        .await;
    assert_eq!(status, 200);
    let body = usage(&s, "?kind=query").await;
    assert_eq!(body["summary"]["top_questions"][0]["runs"], 2, "{body}");

    // Neither a literal of the statements nor a value of their results is anywhere in the
    // app database.
    let dir = s.stop().await;
    let bytes = app_db_bytes(&dir);
    for secret in [
        "zq-marker-5521@example.org",
        "another-literal@example.org",
        "Markerson7731",
        result_email.as_str(),
        result_email2.as_str(),
    ] {
        assert!(
            !contains(&bytes, secret),
            "`{secret}` is in the app database"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn do_not_track_and_global_privacy_control_record_nothing() {
    let s = TestServer::with_admin(false).await;
    let url = |p: &str| format!("{}{p}", s.base);
    for (name, value) in [("DNT", "1"), ("Sec-GPC", "1")] {
        let (status, b) = s
            .send(
                s.client
                    .post(url("/api/v1/query"))
                    .header(name, value)
                    .json(&json!({"sql": "SELECT 1 AS one"})),
            )
            .await;
        assert_eq!(status, 200, "{b}");
        for page in ["/sql", "/connections", "/admin/usage"] {
            let (status, _) = s.send(s.client.get(url(page)).header(name, value)).await;
            assert_eq!(status, 200, "{page}");
        }
    }
    let body = usage(&s, "").await;
    assert_eq!(events(&body), Vec::<Value>::new(), "{body}");

    // `DNT: 0` is no objection.
    let (status, _) = s
        .send(
            s.client
                .post(url("/api/v1/query"))
                .header("DNT", "0")
                .json(&json!({"sql": "SELECT 1 AS one"})),
        )
        .await;
    assert_eq!(status, 200);
    let body = usage(&s, "").await;
    let list = events(&body);
    assert_eq!(list.len(), 1, "{body}");
    assert_eq!(list[0]["kind"], "query");
}

#[tokio::test]
async fn page_visits_are_recorded_without_their_query_string() {
    let s = TestServer::with_admin(false).await;
    for page in [
        "/sql",
        "/connections?note=zq-private-note",
        "/assets/app.css",
    ] {
        let (status, _) = s.get(page).await;
        assert_eq!(status, 200, "{page}");
    }
    // Signed out: nobody to record.
    let res = reqwest::Client::new()
        .get(format!("{}/login", s.base))
        .send()
        .await
        .expect("login page");
    assert_eq!(res.status(), 200);
    let body = usage(&s, "?kind=page").await;
    let mut paths: Vec<String> = events(&body)
        .iter()
        .map(|e| e["path"].as_str().expect("path").to_string())
        .collect();
    paths.sort();
    assert_eq!(paths, vec!["/connections", "/sql"], "{body}");
    assert!(!body.to_string().contains("zq-private-note"));

    // The export as JSON lines.
    let res = s
        .client
        .get(format!("{}/api/v1/usage?kind=page", s.base))
        .bearer_auth(s.token.as_deref().expect("token"))
        .header("Accept", "application/x-ndjson")
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), 200);
    let text = res.text().await.expect("body");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert!(
        lines.len() >= 2 && lines.iter().all(|l| l["kind"] == "page"),
        "{text}"
    );

    // Filters: a window in the past has nothing; an unknown user has nothing.
    let body = usage(&s, "?to=2020-01-01").await;
    assert!(events(&body).is_empty());
    let body = usage(&s, "?user=nobody@example.com").await;
    assert!(events(&body).is_empty());
    let (status, b) = s.get("/api/v1/usage?from=yesterday").await;
    assert_eq!(status, 400);
    assert_eq!(error_code(&b), "invalid_parameter");
}

#[tokio::test]
async fn adding_a_connection_is_recorded_with_its_kind_only() {
    let s = TestServer::with_admin(true).await;
    let file = s.data_dir.join("sources").join("sample_shop.db");
    s.add_connection(
        "shop_copy",
        "sqlite",
        &format!("sqlite://{}", file.display()),
    )
    .await;
    let body = usage(&s, "?kind=connection_added").await;
    let list = events(&body);
    assert_eq!(list.len(), 1, "{body}");
    assert_eq!(list[0]["connection_kinds"], json!(["sqlite"]));
    assert!(!body.to_string().contains("sample_shop.db"));
}

fn days_ago(days: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[tokio::test]
async fn the_retention_sweep_folds_old_events_into_daily_counts_and_cuts_old_addresses() {
    let s = TestServer::with_admin(false).await;
    let admin = my_id(&s).await;
    let old = days_ago(100);
    {
        let db = app_db(&s);
        let mut insert = db
            .prepare(
                "INSERT INTO usage_events (at, user_id, kind, elapsed_ms, ip) VALUES (?, ?, ?, ?, ?)",
            )
            .expect("prepare");
        for (at, kind, ms, ip) in [
            (old.clone(), "query", Some(10.0), "203.0.113.77"),
            (old.clone(), "query", Some(15.0), "203.0.113.78"),
            (old.clone(), "page", None, "203.0.113.79"),
            (days_ago(10), "query", Some(1.0), "198.51.100.23"),
            (days_ago(10), "page", None, "2001:db8:abcd:12::5"),
            (days_ago(1), "page", None, "192.0.2.44"),
        ] {
            insert
                .execute(rusqlite::params![at, admin, kind, ms, ip])
                .expect("insert");
        }
    }
    let (status, done) = s.post("/api/v1/usage/sweep", json!({})).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        done,
        json!({"events_deleted": 3, "days_folded": 2, "ips_truncated": 2})
    );

    let db = app_db(&s);
    let daily: Vec<(String, Option<String>, String, i64, f64)> = db
        .prepare("SELECT day, user_id, kind, count, total_ms FROM usage_daily ORDER BY kind")
        .expect("prepare")
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    let day = old[..10].to_string();
    assert_eq!(
        daily,
        vec![
            (day.clone(), Some(admin.clone()), "page".into(), 1, 0.0),
            (day.clone(), Some(admin.clone()), "query".into(), 2, 25.0),
        ]
    );
    let mut ips: Vec<String> = db
        .prepare("SELECT ip FROM usage_events ORDER BY ip")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    ips.sort();
    assert_eq!(ips, vec!["192.0.2.44", "198.51.100.0", "2001:db8:abcd::"]);

    // Folded days still count as active days.
    let body = usage(&s, "").await;
    let days = body["summary"]["active_per_day"].as_array().expect("days");
    assert!(
        days.iter()
            .any(|d| d["day"] == day.as_str() && d["events"] == 3),
        "{body}"
    );

    // The sweep is in the audit log; a sweep with nothing to do is not.
    let (_, log) = s.get("/api/v1/audit?action=usage.retention").await;
    let entries = log["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{log}");
    assert_eq!(entries[0]["details"]["events_deleted"], 3);
    assert_eq!(entries[0]["details"]["ips_truncated"], 2);
    let (_, again) = s.post("/api/v1/usage/sweep", json!({})).await;
    assert_eq!(
        again,
        json!({"events_deleted": 0, "days_folded": 0, "ips_truncated": 0})
    );
    let (_, log) = s.get("/api/v1/audit?action=usage.retention").await;
    assert_eq!(log["entries"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn only_admins_read_usage() {
    let mut s = TestServer::with_admin(false).await;
    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for (method, path) in [
        ("GET", "/api/v1/usage"),
        ("POST", "/api/v1/usage/sweep"),
        ("GET", "/api/v1/instance"),
    ] {
        let url = format!("{}{path}", s.base);
        let rb = if method == "GET" {
            anonymous.get(&url)
        } else {
            anonymous.post(&url)
        };
        let res = rb.send().await.expect("request");
        assert_eq!(res.status(), 401, "{method} {path}");
    }
    let res = anonymous
        .get(format!("{}/admin/usage", s.base))
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/login?next=%2Fadmin%2Fusage")
    );

    s.user("ana@example.com", "analyst", json!({})).await;
    s.login("ana@example.com", USER_PASSWORD).await;
    for (status, body) in [
        s.get("/api/v1/usage").await,
        s.post("/api/v1/usage/sweep", json!({})).await,
        s.get("/api/v1/instance").await,
    ] {
        assert_eq!(status, 403, "{body}");
        assert_eq!(error_code(&body), "forbidden");
    }
    let (status, page) = s.get("/admin/usage").await;
    assert_eq!(status, 403);
    assert!(page.as_str().is_some_and(|p| p.contains("Only an admin")));
    let (_, sql_page) = s.get("/sql").await;
    assert!(
        sql_page
            .as_str()
            .is_some_and(|p| !p.contains("/admin/usage")),
        "no usage link for non-admins"
    );
}

#[tokio::test]
async fn the_admin_page_shows_top_questions_slowest_queries_and_active_users() {
    let s = TestServer::with_admin(true).await;
    let (status, _) = s
        .query(
            "SELECT country, COUNT(*) FROM sample_shop.main.customers WHERE city <> 'Zqville' GROUP BY country",
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (status, page) = s.get("/admin/usage").await;
    assert_eq!(status, 200);
    let html = page.as_str().expect("html");
    for part in [
        "Top questions",
        "Slowest queries",
        "Active users",
        "Recent events",
        "city &lt;&gt; ?",
        "Ada Admin",
        "connections",
        "No licence file",
    ] {
        assert!(html.contains(part), "the page lacks {part}");
    }
    assert!(!html.contains("Zqville"));
    let (status, page) = s.get("/admin/usage?kind=page&from=2020-01-01").await;
    assert_eq!(status, 200);
    assert!(
        page.as_str()
            .is_some_and(|p| p.contains("No queries in this window"))
    );
    let (status, page) = s.get("/admin/usage?from=garbage").await;
    assert_eq!(status, 200);
    assert!(page.as_str().is_some_and(|p| p.contains("must be a date")));
}

#[tokio::test]
async fn the_openapi_document_describes_usage_and_instance() {
    let s = TestServer::start(false).await;
    let (status, doc) = s.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    for path in ["/usage", "/usage/sweep", "/instance"] {
        assert!(doc["paths"][path].is_object(), "openapi lacks {path}");
    }
}
