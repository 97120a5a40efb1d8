//! Privacy records: retention policies per record type (listed, set, validated), the sweep
//! on aged records (deletes what is past its time, keeps the rest, reports to the audit
//! log), legal holds that keep a person's or a connection's records; the record of
//! processing and the breach log are in `record.rs`; only admins reach any of it.

mod record;

use std::path::{Path, PathBuf};

use crate::common::{TestServer, error_code, temp_dir};
use reqwest::Method;
use serde_json::{Value, json};

pub(crate) fn app_db(s: &TestServer) -> rusqlite::Connection {
    let db = rusqlite::Connection::open(s.data_dir.join("proost.db")).expect("open app db");
    db.busy_timeout(std::time::Duration::from_secs(10))
        .expect("busy timeout");
    db
}

/// Writes to the app database off the test's runtime thread: the server shares that thread,
/// and a blocking write waiting on the server's open transaction would wait forever.
pub(crate) async fn write_db<T: Send + 'static>(
    s: &TestServer,
    f: impl FnOnce(&rusqlite::Connection) -> T + Send + 'static,
) -> T {
    let path = s.data_dir.join("proost.db");
    tokio::task::spawn_blocking(move || {
        let db = rusqlite::Connection::open(path).expect("open app db");
        db.busy_timeout(std::time::Duration::from_secs(10))
            .expect("busy timeout");
        f(&db)
    })
    .await
    .expect("app db write")
}

pub(crate) fn days_ago(days: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) async fn my_id(s: &TestServer) -> String {
    let (_, me) = s.get("/api/v1/session").await;
    me["id"].as_str().expect("id").to_string()
}

/// A SQLite source with people in it (classified on connect): its directory and file.
pub(crate) fn crm_source() -> (PathBuf, PathBuf) {
    let dir = temp_dir("proost-records-src");
    let file = dir.join("crm.sqlite");
    let db = rusqlite::Connection::open(&file).expect("sqlite");
    db.execute_batch("CREATE TABLE contacts (full_name text, email text, phone text, sku text);")
        .expect("create");
    let first = [
        "Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hugo",
    ];
    let last = ["Schmidt", "Meyer", "Weber", "Wagner", "Becker", "Fischer"];
    for i in 0..60 {
        db.execute(
            "INSERT INTO contacts VALUES (?, ?, ?, ?)",
            rusqlite::params![
                format!("{} {}", first[i % 8], last[(i * 7) % 6]),
                format!("{}.{i}@mail.example.com", first[i % 8].to_lowercase()),
                format!("+49 30 {:07}", 1_234_567 + i * 7919),
                format!("SKU-{:05}", 10_000 + i * 13),
            ],
        )
        .expect("insert");
    }
    (dir, file)
}

pub(crate) async fn add_crm(s: &TestServer, file: &Path) -> String {
    let c = s
        .add_connection("crm", "sqlite", &format!("sqlite://{}", file.display()))
        .await;
    c["id"].as_str().expect("id").to_owned()
}

fn insert_event(db: &rusqlite::Connection, at: &str, user: &str, ip: Option<&str>) {
    db.execute(
        "INSERT INTO usage_events (at, user_id, kind, ip) VALUES (?, ?, 'page', ?)",
        rusqlite::params![at, user, ip],
    )
    .expect("insert event");
}

/// A session row: created `created` days ago, expiring in `expires` days (negative: past).
fn insert_session(
    db: &rusqlite::Connection,
    user: &str,
    created: i64,
    expires: i64,
    ip: Option<&str>,
) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    db.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at, id, kind, scope, client_ip) \
         VALUES (?, ?, 'x', ?, ?, ?, ?, 'browser', 'full', ?)",
        rusqlite::params![
            format!("hash-{id}"),
            user,
            days_ago(created),
            days_ago(-expires),
            days_ago(created),
            id,
            ip
        ],
    )
    .expect("insert session");
    id
}

fn insert_scan(db: &rusqlite::Connection, connection: &str, days: i64) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    db.execute(
        "INSERT INTO scans (id, connection_id, reason, started_at, finished_at) VALUES (?, ?, 'manual', ?, ?)",
        rusqlite::params![id, connection, days_ago(days), days_ago(days)],
    )
    .expect("insert scan");
    id
}

fn count(db: &rusqlite::Connection, sql: &str, p: &str) -> i64 {
    db.query_row(sql, [p], |r| r.get(0)).expect("count")
}

/// Waits for the start-up sweep's report, so records aged afterwards are left for the test.
async fn settled(s: &TestServer) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let n: i64 = app_db(s)
            .query_row("SELECT COUNT(*) FROM retention_sweeps", [], |r| r.get(0))
            .expect("count sweeps");
        if n > 0 {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "no start-up sweep");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

fn swept<'a>(report: &'a Value, record_type: &str) -> &'a Value {
    report["record_types"]
        .as_array()
        .expect("record_types")
        .iter()
        .find(|r| r["record_type"] == record_type)
        .unwrap_or_else(|| panic!("{record_type} in {report}"))
}

#[tokio::test]
async fn retention_policies_are_listed_set_and_validated() {
    let s = TestServer::with_admin_using(false, |c| c.usage_retention_days = 120).await;
    let (status, body) = s.get("/api/v1/privacy/retention").await;
    assert_eq!(status, 200, "{body}");
    let policies = body["policies"].as_array().expect("policies");
    let of = |t: &str| -> Value {
        policies
            .iter()
            .find(|p| p["record_type"] == t)
            .cloned()
            .unwrap_or_else(|| panic!("{t} in {body}"))
    };
    for t in [
        "usage_events",
        "client_addresses",
        "sessions",
        "scan_results",
        "privacy_bundles",
        "backups",
        "audit_personal_fields",
    ] {
        let p = of(t);
        assert!(p["deletes"].as_str().is_some_and(|d| !d.is_empty()), "{p}");
    }
    // The usage flags are the defaults of the usage policies.
    assert_eq!(of("usage_events")["keep_days"], 120);
    assert_eq!(of("usage_events")["default_days"], 120);
    assert_eq!(of("client_addresses")["keep_days"], 7);
    assert_eq!(of("privacy_bundles")["keep_days"], 7);
    assert_eq!(of("backups")["configurable"], false);
    assert_eq!(of("backups")["keep_days"], Value::Null);
    assert!(
        of("backups")["rule"]
            .as_str()
            .is_some_and(|r| r.contains("daily="))
    );

    let (status, p) = s
        .send(
            s.client
                .put(format!("{}/api/v1/privacy/retention/sessions", s.base))
                .json(&json!({"keep_days": 10})),
        )
        .await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["keep_days"], 10);
    assert_eq!(p["default_days"], 30);
    assert!(p["updated_by"].is_string(), "{p}");
    let (_, body) = s.get("/api/v1/privacy/retention").await;
    let sessions = body["policies"]
        .as_array()
        .expect("policies")
        .iter()
        .find(|p| p["record_type"] == "sessions")
        .cloned()
        .expect("sessions");
    assert_eq!(sessions["keep_days"], 10);
    let (_, log) = s.get("/api/v1/audit?action=retention.policy").await;
    let entries = log["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{log}");
    assert_eq!(entries[0]["target"], "sessions");
    assert_eq!(entries[0]["details"]["keep_days"], 10);
    assert_eq!(entries[0]["details"]["previous_days"], 30);

    // Addresses may be cut at once; the usage sweep reads the policy.
    let put = |t: &str, body: Value| {
        s.send(
            s.client
                .put(format!("{}/api/v1/privacy/retention/{t}", s.base))
                .json(&body),
        )
    };
    let (status, p) = put("client_addresses", json!({"keep_days": 0})).await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["keep_days"], 0);

    for (t, body, want_status, want_code) in [
        (
            "nosuch",
            json!({"keep_days": 5}),
            404,
            "retention_record_type_unknown",
        ),
        (
            "backups",
            json!({"keep_days": 5}),
            400,
            "retention_not_configurable",
        ),
        (
            "sessions",
            json!({"keep_days": 0}),
            400,
            "retention_keep_days_invalid",
        ),
        (
            "sessions",
            json!({"keep_days": -3}),
            400,
            "retention_keep_days_invalid",
        ),
        (
            "usage_events",
            json!({"keep_days": 36_501}),
            400,
            "retention_keep_days_invalid",
        ),
    ] {
        let (status, err) = put(t, body.clone()).await;
        assert_eq!(status, want_status, "{t} {body}: {err}");
        assert_eq!(error_code(&err), want_code, "{t} {body}");
    }
    // A malformed body is the caller's error, never a 500.
    for body in [
        json!({"keep_days": "ten"}),
        json!({}),
        json!({"keep_days": 5, "x": 1}),
    ] {
        let (status, err) = put("sessions", body.clone()).await;
        assert_eq!(status, 400, "{body}: {err}");
        error_code(&err);
    }
}

#[tokio::test]
async fn the_sweep_deletes_aged_records_keeps_the_rest_and_reports_to_the_audit_log() {
    let (dir, file) = crm_source();
    let s = TestServer::with_admin_using(false, |c| c.sqlite_roots = vec![dir.clone()]).await;
    let admin = my_id(&s).await;
    let crm = add_crm(&s, &file).await;
    settled(&s).await;
    let (a, c) = (admin.clone(), crm.clone());
    let (old_session, young_session, cut_session, old_scans) = write_db(&s, move |db| {
        let (admin, crm) = (a, c);
        insert_event(db, &days_ago(100), &admin, Some("203.0.113.7"));
        insert_event(db, &days_ago(95), &admin, None);
        insert_event(db, &days_ago(10), &admin, Some("198.51.100.23"));
        let old = insert_session(db, &admin, 50, -40, None);
        let young = insert_session(db, &admin, 20, -5, None);
        let cut = insert_session(db, &admin, 10, 30, Some("192.0.2.77"));
        let scans = [insert_scan(db, &crm, 400), insert_scan(db, &crm, 380)];
        (old, young, cut, scans)
    })
    .await;
    let c = crm.clone();
    let recent_scan = write_db(&s, move |db| insert_scan(db, &c, 3)).await;

    let (status, report) = s.post("/api/v1/privacy/retention/sweep", json!({})).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["by"], admin.as_str());
    assert_eq!(swept(&report, "usage_events")["deleted"], 2, "{report}");
    assert_eq!(swept(&report, "client_addresses")["deleted"], 2, "{report}");
    assert_eq!(swept(&report, "sessions")["deleted"], 1, "{report}");
    assert_eq!(swept(&report, "scan_results")["deleted"], 2, "{report}");
    assert_eq!(swept(&report, "backups")["deleted"], Value::Null);
    assert!(swept(&report, "backups")["note"].is_string(), "{report}");

    let db = app_db(&s);
    let n = |sql: &str, p: &str| count(&db, sql, p);
    assert_eq!(
        n(
            "SELECT COUNT(*) FROM usage_events WHERE user_id = ? AND julianday('now') - julianday(at) > 30",
            &admin
        ),
        0
    );
    assert_eq!(
        n("SELECT COUNT(*) FROM sessions WHERE id = ?", &old_session),
        0
    );
    assert_eq!(
        n("SELECT COUNT(*) FROM sessions WHERE id = ?", &young_session),
        1
    );
    let ip: String = db
        .query_row(
            "SELECT client_ip FROM sessions WHERE id = ?",
            [&cut_session],
            |r| r.get(0),
        )
        .expect("cut session");
    assert_eq!(ip, "192.0.2.0");
    let event_ip: String = db
        .query_row(
            "SELECT ip FROM usage_events WHERE user_id = ? AND julianday('now') - julianday(at) BETWEEN 9 AND 11",
            [&admin],
            |r| r.get(0),
        )
        .expect("young event");
    assert_eq!(event_ip, "198.51.100.0");
    for id in &old_scans {
        assert_eq!(n("SELECT COUNT(*) FROM scans WHERE id = ?", id), 0);
    }
    assert_eq!(
        n("SELECT COUNT(*) FROM scans WHERE id = ?", &recent_scan),
        1
    );
    assert!(n("SELECT COUNT(*) FROM scans WHERE connection_id = ?", &crm) >= 2);

    // One audit entry with the counts per record type; the policies show the last sweep.
    let (_, log) = s.get("/api/v1/audit?action=retention.sweep").await;
    let entries = log["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{log}");
    assert_eq!(entries[0]["actor"], admin.as_str());
    let details = &entries[0]["details"];
    assert_eq!(details["deleted"]["usage_events"], 2, "{details}");
    assert_eq!(details["deleted"]["sessions"], 1, "{details}");
    assert_eq!(details["deleted"]["scan_results"], 2, "{details}");
    assert_eq!(details["deleted"]["client_addresses"], 2, "{details}");
    let (_, overview) = s.get("/api/v1/privacy/retention").await;
    assert!(overview["last_sweep"]["at"].is_string(), "{overview}");
    let sessions = overview["policies"]
        .as_array()
        .expect("policies")
        .iter()
        .find(|p| p["record_type"] == "sessions")
        .cloned()
        .expect("sessions");
    assert_eq!(sessions["last_sweep"]["deleted"], 1, "{sessions}");

    // Nothing is left to do: a second sweep deletes nothing.
    let (_, again) = s.post("/api/v1/privacy/retention/sweep", json!({})).await;
    for t in [
        "usage_events",
        "sessions",
        "scan_results",
        "client_addresses",
    ] {
        assert_eq!(swept(&again, t)["deleted"], 0, "{t}: {again}");
    }
}

#[tokio::test]
async fn a_legal_hold_keeps_a_persons_and_a_connections_records_until_released() {
    let (dir, file) = crm_source();
    let s = TestServer::with_admin_using(false, |c| c.sqlite_roots = vec![dir.clone()]).await;
    let admin = my_id(&s).await;
    let crm = add_crm(&s, &file).await;
    let (held_user, _) = s.user("held@example.com", "analyst", json!({})).await;
    settled(&s).await;
    let (a, h, c) = (admin.clone(), held_user.clone(), crm.clone());
    write_db(&s, move |db| {
        for user in [&a, &h] {
            insert_event(db, &days_ago(100), user, Some("203.0.113.9"));
            insert_session(db, user, 60, -45, None);
        }
        insert_scan(db, &c, 400);
        insert_scan(db, &c, 390);
    })
    .await;

    // Bad holds get stable codes.
    for (body, want_status, want_code) in [
        (
            json!({"kind": "group", "target_id": held_user, "reason": "x"}),
            400,
            "hold_kind_invalid",
        ),
        (
            json!({"kind": "user", "target_id": "nobody", "reason": "x"}),
            404,
            "hold_target_not_found",
        ),
        (
            json!({"kind": "user", "target_id": held_user, "reason": "  "}),
            400,
            "hold_reason_invalid",
        ),
    ] {
        let (status, err) = s.post("/api/v1/privacy/holds", body.clone()).await;
        assert_eq!(status, want_status, "{body}: {err}");
        assert_eq!(error_code(&err), want_code);
    }
    let reason = "Litigation 2026-117: preserve everything";
    let (status, hold) = s
        .post(
            "/api/v1/privacy/holds",
            json!({"kind": "user", "target_id": "held@example.com", "reason": reason}),
        )
        .await;
    assert_eq!(status, 201, "{hold}");
    assert_eq!(hold["target_id"], held_user.as_str());
    assert_eq!(hold["target_name"], "held@example.com");
    assert_eq!(hold["active"], true);
    let user_hold = hold["id"].as_str().expect("id").to_owned();
    let (status, hold) = s
        .post(
            "/api/v1/privacy/holds",
            json!({"kind": "connection", "target_id": "crm", "reason": "audit of the CRM"}),
        )
        .await;
    assert_eq!(status, 201, "{hold}");
    assert_eq!(hold["target_id"], crm.as_str());
    let conn_hold = hold["id"].as_str().expect("id").to_owned();
    let (status, list) = s.get("/api/v1/privacy/holds").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["holds"].as_array().map(Vec::len), Some(2), "{list}");

    let (_, report) = s.post("/api/v1/privacy/retention/sweep", json!({})).await;
    assert_eq!(swept(&report, "usage_events")["deleted"], 1, "{report}");
    assert_eq!(swept(&report, "usage_events")["held"], 1, "{report}");
    assert_eq!(swept(&report, "sessions")["deleted"], 1, "{report}");
    assert_eq!(swept(&report, "sessions")["held"], 1, "{report}");
    assert_eq!(swept(&report, "scan_results")["deleted"], 0, "{report}");
    assert_eq!(swept(&report, "scan_results")["held"], 2, "{report}");
    {
        let db = app_db(&s);
        let q = "SELECT COUNT(*) FROM usage_events WHERE user_id = ? AND julianday('now') - julianday(at) > 90";
        assert_eq!(
            count(&db, q, &held_user),
            1,
            "the held person's events stay"
        );
        assert_eq!(count(&db, q, &admin), 0);
        let q = "SELECT COUNT(*) FROM sessions WHERE user_id = ? AND julianday(expires_at) < julianday('now', '-40 days')";
        assert_eq!(
            count(&db, q, &held_user),
            1,
            "the held person's sessions stay"
        );
        assert_eq!(count(&db, q, &admin), 0);
    }
    // The usage sweep of its own honours the hold too.
    let (_, usage) = s.post("/api/v1/usage/sweep", json!({})).await;
    assert_eq!(usage["events_deleted"], 0, "{usage}");

    // The audit entries name the hold and its target, not the reason.
    let (_, log) = s.get("/api/v1/audit?action=legal_hold.place").await;
    let entries = log["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2, "{log}");
    assert!(!log.to_string().contains("Litigation"), "{log}");
    assert!(
        entries.iter().any(|e| e["target"] == user_hold.as_str()
            && e["details"]["target_id"] == held_user.as_str())
    );
    let (_, sweeps) = s.get("/api/v1/audit?action=retention.sweep").await;
    let last = sweeps["entries"]
        .as_array()
        .and_then(|e| e.last())
        .cloned()
        .expect("sweep entry");
    assert_eq!(last["details"]["held"]["usage_events"], 1, "{last}");

    // Released, the records go at the next sweep; a hold is released once.
    for id in [&user_hold, &conn_hold] {
        let (status, released) = s.delete(&format!("/api/v1/privacy/holds/{id}")).await;
        assert_eq!(status, 200, "{released}");
        assert_eq!(released["active"], false);
        assert!(released["released_at"].is_string());
    }
    let (status, err) = s
        .delete(&format!("/api/v1/privacy/holds/{user_hold}"))
        .await;
    assert_eq!((status, error_code(&err).as_str()), (409, "hold_released"));
    let (status, err) = s.delete("/api/v1/privacy/holds/nosuch").await;
    assert_eq!(status, 404, "{err}");
    let (_, log) = s.get("/api/v1/audit?action=legal_hold.release").await;
    assert_eq!(log["entries"].as_array().map(Vec::len), Some(2), "{log}");
    let (_, report) = s.post("/api/v1/privacy/retention/sweep", json!({})).await;
    assert_eq!(swept(&report, "usage_events")["deleted"], 1, "{report}");
    assert_eq!(swept(&report, "sessions")["deleted"], 1, "{report}");
    assert_eq!(swept(&report, "scan_results")["deleted"], 2, "{report}");
}

#[tokio::test]
async fn only_admins_reach_privacy_records() {
    let s = TestServer::with_admin(false).await;
    let (_, analyst) = s.user("ana@example.com", "analyst", json!({})).await;
    let (_, viewer) = s.user("vic@example.com", "viewer", json!({})).await;
    let (_, breach) = s
        .post(
            "/api/v1/privacy/breaches",
            json!({"facts": "f", "effects": "e", "remedial_action": "r", "discovered_at": "2026-11-30"}),
        )
        .await;
    let breach = breach["id"].as_str().expect("breach id").to_owned();
    let calls: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/v1/privacy/retention".into(), None),
        (
            Method::PUT,
            "/api/v1/privacy/retention/sessions".into(),
            Some(json!({"keep_days": 3})),
        ),
        (
            Method::POST,
            "/api/v1/privacy/retention/sweep".into(),
            Some(json!({})),
        ),
        (Method::GET, "/api/v1/privacy/holds".into(), None),
        (
            Method::POST,
            "/api/v1/privacy/holds".into(),
            Some(json!({"kind": "user", "target_id": "ana@example.com", "reason": "x"})),
        ),
        (Method::DELETE, "/api/v1/privacy/holds/some-id".into(), None),
        (
            Method::GET,
            "/api/v1/privacy/record?format=json".into(),
            None,
        ),
        (
            Method::GET,
            "/api/v1/privacy/record?format=csv".into(),
            None,
        ),
        (Method::GET, "/api/v1/privacy/breaches".into(), None),
        (
            Method::GET,
            "/api/v1/privacy/breaches?format=csv".into(),
            None,
        ),
        (
            Method::POST,
            "/api/v1/privacy/breaches".into(),
            Some(
                json!({"facts": "f", "effects": "e", "remedial_action": "r", "discovered_at": "2026-11-30"}),
            ),
        ),
        (
            Method::PUT,
            format!("/api/v1/privacy/breaches/{breach}"),
            Some(json!({"status": "closed"})),
        ),
    ];
    for token in [&analyst, &viewer] {
        for (method, path, body) in &calls {
            let (status, err) = s
                .send_as(Some(token), method.clone(), path, body.clone())
                .await;
            assert_eq!(status, 403, "{method} {path}: {err}");
            assert_eq!(error_code(&err), "forbidden", "{method} {path}");
        }
        let res = reqwest::Client::new()
            .get(format!("{}/admin/privacy/records", s.base))
            .bearer_auth(token)
            .send()
            .await
            .expect("page");
        assert_eq!(res.status().as_u16(), 403);
    }
    let (status, _) = s
        .send_as(None, Method::GET, "/api/v1/privacy/retention", None)
        .await;
    assert_eq!(status, 401);
    // Nothing they tried changed anything.
    let (_, log) = s.get("/api/v1/audit?action=retention.policy").await;
    assert_eq!(log["entries"].as_array().map(Vec::len), Some(0));
    let (_, holds) = s.get("/api/v1/privacy/holds").await;
    assert_eq!(holds["holds"].as_array().map(Vec::len), Some(0));

    // The admin's page shows every part and the downloads.
    let res = reqwest::Client::new()
        .get(format!("{}/admin/privacy/records", s.base))
        .bearer_auth(s.token.as_deref().expect("token"))
        .send()
        .await
        .expect("page");
    assert_eq!(res.status().as_u16(), 200);
    let html = res.text().await.expect("html");
    for part in [
        "Retention",
        "Legal holds",
        "Breach log",
        "/api/v1/privacy/record?format=csv",
        "/api/v1/privacy/record?format=json",
        "data-path=\"/privacy/retention/sessions\"",
        "href=\"/admin/privacy/records\"",
    ] {
        assert!(html.contains(part), "{part} on the page");
    }
}

#[tokio::test]
async fn the_scheduled_sweep_runs_when_the_last_one_is_a_day_old() {
    let s = TestServer::with_admin(false).await;
    let admin = my_id(&s).await;
    // The start-up sweep ran (or runs now): wait for its report, then age it.
    settled(&s).await;
    let (_, log) = s.get("/api/v1/audit?action=retention.sweep").await;
    assert_eq!(
        log["entries"].as_array().map(Vec::len),
        Some(0),
        "a sweep that did nothing is not audited: {log}"
    );
    let a = admin.clone();
    let old = write_db(&s, move |db| {
        db.execute("UPDATE retention_sweeps SET at = ?", [days_ago(2)])
            .expect("age the last sweep");
        insert_event(db, &days_ago(200), &a, None);
        insert_session(db, &a, 90, -60, None)
    })
    .await;
    let dir = s.stop().await;

    let mut s = TestServer::start_in(&dir, false).await;
    s.login(crate::common::ADMIN_EMAIL, crate::common::ADMIN_PASSWORD)
        .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let entry = loop {
        let (_, log) = s.get("/api/v1/audit?action=retention.sweep").await;
        if let Some(e) = log["entries"].as_array().and_then(|e| e.first()) {
            break e.clone();
        }
        assert!(std::time::Instant::now() < deadline, "no scheduled sweep");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(entry["actor"], Value::Null, "the schedule ran it: {entry}");
    assert_eq!(entry["details"]["deleted"]["sessions"], 1, "{entry}");
    let db = app_db(&s);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM sessions WHERE id = ?", &old),
        0
    );
    // The hourly usage sweep may have taken the event first: either way it is gone.
    let q = "SELECT COUNT(*) FROM usage_events WHERE user_id = ? AND julianday('now') - julianday(at) > 150";
    assert_eq!(count(&db, q, &admin), 0);
}
