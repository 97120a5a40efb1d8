//! Data-subject requests against real servers: filed by email with a mailed code (real SMTP
//! sink) or signed in, reviewed, approved, denied, extended, carried out, and the requester
//! told at each step; the privacy officer's queue and nothing more.

mod bundle;
mod erasure;

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;
use crate::mail::{mail_to, start_sink};

/// The 6-digit code in the newest "Confirm your privacy request" message to `to`.
pub(crate) fn code_for(messages: &[String], to: &str) -> String {
    let m = messages
        .iter()
        .rev()
        .find(|m| m.contains("Confirm your privacy request") && m.contains(to))
        .expect("a confirmation message");
    m.split_whitespace()
        .find(|w| w.len() == 6 && w.chars().all(|c| c.is_ascii_digit()))
        .expect("a code in the message")
        .to_string()
}

/// Polls a request until Proost finished carrying it out.
pub(crate) async fn wait_done(s: &TestServer, id: &str) -> Value {
    for _ in 0..600 {
        let (status, r) = s.get(&format!("/api/v1/privacy/requests/{id}")).await;
        assert_eq!(status, 200, "{r}");
        if matches!(r["status"].as_str(), Some("completed" | "failed")) {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("request {id} did not finish");
}

/// Confirms a public filing with the code mailed to `email` (the sink's `n`th message or
/// later), approves it (as `approver`'s token, else the admin) and waits until Proost
/// finished it.
pub(crate) async fn confirm_approve_and_wait(
    s: &TestServer,
    sink: &crate::mail::Sink,
    n: usize,
    id: &str,
    email: &str,
    approver: Option<&str>,
) -> Value {
    let code = code_for(&sink.wait_for(n).await, email);
    let (status, body) = s
        .send_as(
            None,
            Method::POST,
            &format!("/api/v1/privacy/requests/{id}/verify"),
            Some(json!({"code": code})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let path = format!("/api/v1/privacy/requests/{id}/approve");
    let (status, body) = match approver {
        Some(t) => {
            s.send_as(Some(t), Method::POST, &path, Some(json!({})))
                .await
        }
        None => s.post(&path, json!({})).await,
    };
    assert_eq!(status, 200, "{body}");
    wait_done(s, id).await
}

/// Files a request without a session, as the public page does.
async fn file_public(s: &TestServer, body: Value) -> (u16, Value) {
    s.send_as(None, Method::POST, "/api/v1/privacy/requests", Some(body))
        .await
}

fn days_between(a: &str, b: &str) -> i64 {
    let p = |t: &str| chrono::DateTime::parse_from_rfc3339(t).expect("time");
    (p(b) - p(a)).num_days()
}

#[tokio::test]
async fn a_request_filed_by_email_is_confirmed_by_code_reviewed_extended_and_denied_with_mail_at_each_step()
 {
    let sink = start_sink().await;
    let port = sink.port;
    let s = TestServer::with_admin_using(false, |c| c.mail = Some(mail_to(port))).await;

    // Anyone may file by email; the answer does not say whether the address is known.
    let (status, filed) = file_public(
        &s,
        json!({"kind": "erasure", "subject": {"email": "stranger@example.org",
               "identifiers": {"phone": "+31 20 555 0100"}}}),
    )
    .await;
    assert_eq!(status, 201, "{filed}");
    assert_eq!(filed["status"], "verifying");
    let id = filed["id"].as_str().expect("id").to_string();
    let (status, known) = file_public(
        &s,
        json!({"kind": "access", "subject": {"email": ADMIN_EMAIL}, "details": {"passphrase": "a passphrase long enough"}}),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(
        known
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>()),
        filed
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>()),
        "the same answer for a known address"
    );
    // GDPR: due one calendar month after receipt.
    let (_, view) = s.get(&format!("/api/v1/privacy/requests/{id}")).await;
    assert!(
        (28..=31).contains(&days_between(
            view["received_at"].as_str().unwrap(),
            view["due_at"].as_str().unwrap()
        )),
        "{view}"
    );

    // Who a request is about is sealed with the request's key: not in the app database in
    // clear (the file and its write-ahead log).
    for f in ["proost.db", "proost.db-wal"] {
        let bytes = std::fs::read(s.data_dir.join(f)).unwrap_or_default();
        assert!(
            !bytes
                .windows(b"stranger@example.org".len())
                .any(|w| w == b"stranger@example.org"),
            "{f} holds the subject's address in clear"
        );
    }
    let messages = sink.wait_for(2).await;
    let code = code_for(&messages, "stranger@example.org");
    // A wrong code is refused and counted; the right one confirms.
    let verify = |code: String| {
        let s = &s;
        let id = id.clone();
        async move {
            s.send_as(
                None,
                Method::POST,
                &format!("/api/v1/privacy/requests/{id}/verify"),
                Some(json!({"code": code})),
            )
            .await
        }
    };
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, body) = verify(wrong.into()).await;
    assert_eq!(
        (status, error_code(&body)),
        (403, "privacy_code_invalid".into())
    );
    let (status, body) = verify(code.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "pending");
    // A used code does not work twice.
    let (status, _) = verify(code).await;
    assert_eq!(status, 403);
    sink.wait_for(3).await;

    // The queue: due dates, the subject, open requests first.
    let (status, queue) = s.get("/api/v1/privacy/requests").await;
    assert_eq!(status, 200, "{queue}");
    let row = queue["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id.as_str())
        .cloned()
        .expect("in the queue");
    assert_eq!(row["subject"]["email"], "stranger@example.org");
    assert_eq!(row["overdue"], false);
    let (_, pending) = s.get("/api/v1/privacy/requests?status=pending").await;
    assert_eq!(pending["requests"].as_array().unwrap().len(), 1);

    // Extension: two more months, once, with a reason the requester is told.
    let (status, body) = s
        .post(
            &format!("/api/v1/privacy/requests/{id}/extend"),
            json!({"reason": "records in three systems"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let extended = days_between(
        row["due_at"].as_str().unwrap(),
        body["due_at"].as_str().unwrap(),
    );
    assert!(
        (58..=62).contains(&extended),
        "two months more: {extended} days"
    );
    let (status, body) = s
        .post(
            &format!("/api/v1/privacy/requests/{id}/extend"),
            json!({"reason": "again"}),
        )
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (409, "privacy_already_extended".into())
    );

    // Denial needs a known reason code.
    let (status, body) = s
        .post(
            &format!("/api/v1/privacy/requests/{id}/deny"),
            json!({"reason_code": "because"}),
        )
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (400, "deny_reason_invalid".into())
    );
    let (status, body) = s
        .post(
            &format!("/api/v1/privacy/requests/{id}/deny"),
            json!({"reason_code": "legal_obligation", "note": "tax records are kept 7 years"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "denied");
    let (status, body) = s
        .post(&format!("/api/v1/privacy/requests/{id}/approve"), json!({}))
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (409, "privacy_request_state".into())
    );
    let messages = sink.wait_for(5).await;
    let last = messages.last().unwrap().replace("=\r\n", "");
    assert!(
        last.contains("denied") && last.contains("tax records"),
        "{last}"
    );

    // Every step is in the audit log.
    let (_, log) = s.get("/api/v1/audit?action=privacy.").await;
    let actions: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["target"] == id.as_str())
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "privacy.request.file",
            "privacy.request.verify",
            "privacy.request.extend",
            "privacy.request.deny"
        ]
    );
    // No personal value in the audit log's text.
    assert!(!log.to_string().contains("stranger@example.org"));
}

#[tokio::test]
async fn bad_requests_get_stable_codes_and_codes_expire_after_five_wrong_tries() {
    let s = TestServer::with_admin(false).await;
    for (body, code) in [
        (json!({"kind": "forget"}), "privacy_kind_invalid"),
        (
            json!({"kind": "erasure", "subject": {"email": "nope"}}),
            "subject_email_invalid",
        ),
        (
            json!({"kind": "erasure", "subject": {"email": "a@b.org", "identifiers": {"shoe_size": "44"}}}),
            "subject_identifier_unknown",
        ),
        (
            json!({"kind": "access", "subject": {"email": "a@b.org"}}),
            "bundle_encryption_required",
        ),
        (
            json!({"kind": "access", "subject": {"email": "a@b.org"}, "details": {"passphrase": "short"}}),
            "bundle_passphrase_weak",
        ),
        (
            json!({"kind": "access", "subject": {"email": "a@b.org"}, "details": {"recipient": "age1nope"}}),
            "bundle_recipient_invalid",
        ),
        (
            json!({"kind": "objection", "subject": {"email": "a@b.org"}, "details": {"processing": ["everything"]}}),
            "processing_invalid",
        ),
        (
            json!({"kind": "erasure", "subject": {"email": "a@b.org"}, "regime": "lgpd"}),
            "privacy_regime_invalid",
        ),
        (
            json!({"kind": "erasure", "subject": {"email": "a@b.org"}, "extra": 1}),
            "invalid_body",
        ),
    ] {
        let (status, got) = file_public(&s, body.clone()).await;
        assert_eq!(
            (status, error_code(&got)),
            (400, code.to_string()),
            "{body}"
        );
    }
    // CCPA: 45 days.
    let (_, filed) = file_public(
        &s,
        json!({"kind": "erasure", "subject": {"email": "ccpa@example.org"}, "regime": "ccpa"}),
    )
    .await;
    let id = filed["id"].as_str().unwrap();
    let (_, view) = s.get(&format!("/api/v1/privacy/requests/{id}")).await;
    assert_eq!(
        days_between(
            view["received_at"].as_str().unwrap(),
            view["due_at"].as_str().unwrap()
        ),
        45
    );
    for _ in 0..5 {
        let (status, _) = s
            .send_as(
                None,
                Method::POST,
                &format!("/api/v1/privacy/requests/{id}/verify"),
                Some(json!({"code": "999999x"})),
            )
            .await;
        assert_eq!(status, 403);
    }
    let (status, body) = s
        .send_as(
            None,
            Method::POST,
            &format!("/api/v1/privacy/requests/{id}/verify"),
            Some(json!({"code": "123456"})),
        )
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (429, "privacy_code_attempts".into())
    );
    // Filing by email is throttled per address: it mails anyone.
    let mut limited = false;
    for i in 0..6 {
        let (status, body) = file_public(
            &s,
            json!({"kind": "erasure", "subject": {"email": format!("p{i}@example.org")}}),
        )
        .await;
        if status == 429 {
            assert_eq!(error_code(&body), "privacy_rate_limited");
            limited = true;
            break;
        }
    }
    assert!(limited, "public filings are throttled");
}

#[tokio::test]
async fn objection_and_correction_change_the_persons_own_records_once_approved() {
    let sink = start_sink().await;
    let port = sink.port;
    let s = TestServer::with_admin_using(false, |c| c.mail = Some(mail_to(port))).await;
    let (uid, token) = s.user("olga@example.com", "viewer", json!({})).await;

    // Signed in: a person files for themself, straight into review.
    let (status, filed) = s
        .send_as(Some(&token), Method::POST, "/api/v1/privacy/requests",
            Some(json!({"kind": "objection", "details": {"processing": ["usage_analytics", "subscriptions"]}})))
        .await;
    assert_eq!(status, 201, "{filed}");
    assert_eq!(filed["status"], "pending");
    let id = filed["id"].as_str().unwrap();
    // The filer sees their own request; another user does not.
    let (status, mine) = s
        .send_as(
            Some(&token),
            Method::GET,
            &format!("/api/v1/privacy/requests/{id}"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(mine["subject"]["email"], "olga@example.com");
    let (_, other) = s.user("peer@example.com", "viewer", json!({})).await;
    let (status, _) = s
        .send_as(
            Some(&other),
            Method::GET,
            &format!("/api/v1/privacy/requests/{id}"),
            None,
        )
        .await;
    assert_eq!(status, 404);

    let (status, body) = s
        .post(&format!("/api/v1/privacy/requests/{id}/approve"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    let done = wait_done(&s, id).await;
    assert_eq!(done["status"], "completed", "{done}");
    let (_, prefs) = s
        .send_as(Some(&token), Method::GET, "/api/v1/me/preferences", None)
        .await;
    assert_eq!(prefs["usage_analytics"], false, "{prefs}");
    assert_eq!(prefs["subscriptions"], false);
    assert_eq!(prefs["mentions"], true);

    // Correction of name and email, with old and new values sealed in the audit log.
    let (_, filed) = s
        .send_as(Some(&token), Method::POST, "/api/v1/privacy/requests",
            Some(json!({"kind": "correction", "details": {"name": "Olga Corrected", "email": "olga.c@example.com"}})))
        .await;
    let id = filed["id"].as_str().unwrap();
    s.post(&format!("/api/v1/privacy/requests/{id}/approve"), json!({}))
        .await;
    assert_eq!(wait_done(&s, id).await["status"], "completed");
    let (_, user) = s.get(&format!("/api/v1/users/{uid}")).await;
    assert_eq!(user["name"], "Olga Corrected", "{user}");
    assert_eq!(user["email"], "olga.c@example.com");
    let (_, log) = s.get("/api/v1/audit?action=privacy.correction").await;
    let entry = &log["entries"][0];
    assert_eq!(
        entry["details"]["old"]["email"], "olga@example.com",
        "read back for an auditor: {entry}"
    );
    let db = rusqlite::Connection::open(s.data_dir.join("proost.db")).expect("open app db");
    let stored: String = db
        .query_row(
            "SELECT details FROM audit_log WHERE action = 'privacy.correction'",
            [],
            |r| r.get(0),
        )
        .expect("the entry");
    assert!(stored.contains("\"personal\""), "{stored}");
    assert!(
        !stored.contains("olga") && !stored.contains("Olga"),
        "old and new values are sealed: {stored}"
    );
    // The requester was mailed at each step of each request.
    let messages = sink.wait_for(6).await;
    assert!(messages.iter().filter(|m| m.contains("completed")).count() >= 2);
}

#[tokio::test]
async fn a_privacy_officer_works_the_queue_and_has_no_other_admin_power() {
    let s = TestServer::with_admin(true).await;
    let (_, officer) = s
        .user("pia@example.com", "privacy_officer", json!({}))
        .await;
    let (_, analyst) = s.user("ann@example.com", "analyst", json!({})).await;
    let (status, roles) = s.get("/api/v1/roles").await;
    assert_eq!(status, 200);
    let po = roles["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "privacy_officer")
        .cloned()
        .expect("built in");
    assert_eq!(po["builtin"], true);
    let (status, body) = s.delete("/api/v1/roles/privacy_officer").await;
    assert_eq!((status, error_code(&body)), (400, "role_builtin".into()));
    let (status, body) = s
        .post(
            "/api/v1/roles",
            json!({"name": "privacy_officer", "capabilities": []}),
        )
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (400, "role_name_invalid".into())
    );

    let (_, filed) = file_public(
        &s,
        json!({"kind": "erasure", "subject": {"email": "x@example.org"}}),
    )
    .await;
    let id = filed["id"].as_str().unwrap();
    let as_officer = |m: Method, p: String, b: Option<Value>| {
        let t = officer.clone();
        let s = &s;
        async move { s.send_as(Some(&t), m, &p, b).await }
    };
    let (status, q) = as_officer(Method::GET, "/api/v1/privacy/requests".into(), None).await;
    assert_eq!(status, 200, "{q}");
    assert_eq!(q["requests"].as_array().unwrap().len(), 1);
    let (status, _) = as_officer(
        Method::POST,
        format!("/api/v1/privacy/requests/{id}/extend"),
        Some(json!({"reason": "busy"})),
    )
    .await;
    assert_eq!(status, 200);
    // No other admin power.
    for (m, p, b) in [
        (Method::GET, "/api/v1/users", None),
        (
            Method::POST,
            "/api/v1/users",
            Some(json!({"email": "z@example.com", "name": "Z", "role": "admin"})),
        ),
        (Method::GET, "/api/v1/audit", None),
        (Method::GET, "/api/v1/usage", None),
        (Method::GET, "/api/v1/inventory", None),
        (Method::GET, "/api/v1/backups", None),
        (
            Method::POST,
            "/api/v1/connections",
            Some(json!({"name": "x", "kind": "sqlite", "url": "sqlite:///tmp/x.db"})),
        ),
        (
            Method::POST,
            "/api/v1/grants",
            Some(json!({"principal": {"user": "x"}, "connection": "sample_shop", "level": "pii"})),
        ),
        (
            Method::POST,
            "/api/v1/query",
            Some(json!({"sql": "SELECT 1"})),
        ),
    ] {
        let (status, body) = as_officer(m.clone(), p.to_string(), b).await;
        assert_eq!(status, 403, "{m} {p}: {body}");
    }
    // An analyst does not see the queue or decide.
    for (m, p, b) in [
        (Method::GET, "/api/v1/privacy/requests".to_string(), None),
        (
            Method::POST,
            format!("/api/v1/privacy/requests/{id}/approve"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/api/v1/privacy/requests/{id}/deny"),
            Some(json!({"reason_code": "excessive"})),
        ),
        (Method::GET, format!("/api/v1/privacy/requests/{id}"), None),
    ] {
        let (status, body) = s.send_as(Some(&analyst), m.clone(), &p, b).await;
        assert!(matches!(status, 403 | 404), "{m} {p}: {status} {body}");
    }
    // Anonymous: no queue.
    let (status, _) = s
        .send_as(None, Method::GET, "/api/v1/privacy/requests", None)
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn an_erasure_about_someone_without_an_account_completes_and_forgets_who_asked() {
    let sink = start_sink().await;
    let port = sink.port;
    let s = TestServer::with_admin_using(false, |c| c.mail = Some(mail_to(port))).await;
    let (_, filed) = file_public(
        &s,
        json!({"kind": "erasure", "subject": {"email": "walk.in@example.org"}}),
    )
    .await;
    let id = filed["id"].as_str().unwrap().to_string();
    // Not confirmed yet: it cannot be approved.
    let (status, body) = s
        .post(&format!("/api/v1/privacy/requests/{id}/approve"), json!({}))
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (409, "privacy_request_state".into())
    );
    let done = confirm_approve_and_wait(&s, &sink, 1, &id, "walk.in@example.org", None).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert!(done["subject"].is_null(), "{done}");
    assert_eq!(done["subject_label"], "erased subject");
    assert!(
        done["outcome"]["proost_records"].is_null(),
        "no account: {done}"
    );
    let messages = sink.wait_for(4).await;
    assert!(
        messages.last().unwrap().contains("erased"),
        "the requester is told"
    );
}

#[tokio::test]
async fn a_request_cut_off_by_a_stop_is_marked_failed_at_start_and_can_be_approved_again() {
    let mut s = TestServer::with_admin(false).await;
    let (_, token) = s.user("stopped@example.com", "viewer", json!({})).await;
    let (_, filed) = s
        .send_as(
            Some(&token),
            Method::POST,
            "/api/v1/privacy/requests",
            Some(json!({"kind": "objection", "details": {"processing": ["mentions"]}})),
        )
        .await;
    let id = filed["id"].as_str().unwrap().to_string();
    // The process stops while the request is being carried out.
    s.token = None;
    let dir = s.stop().await;
    let db = rusqlite::Connection::open(dir.join("proost.db")).expect("open app db");
    db.execute(
        "UPDATE privacy_requests SET status = 'approved' WHERE id = ?1",
        [&id],
    )
    .expect("mark approved");
    drop(db);
    let mut s = TestServer::start_in(&dir, false).await;
    s.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (_, r) = s.get(&format!("/api/v1/privacy/requests/{id}")).await;
    assert_eq!(r["status"], "failed", "{r}");
    assert!(
        r["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("interrupted")),
        "{r}"
    );
    let (status, body) = s
        .post(&format!("/api/v1/privacy/requests/{id}/approve"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(wait_done(&s, &id).await["status"], "completed");
}
