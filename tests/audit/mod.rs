//! The audit log: what happened is recorded, append-only and hash-chained; `proost audit
//! verify` names the first entry changed behind Proost's back.

use std::process::Command;

use crate::common::{ADMIN_EMAIL, TestServer};
use serde_json::json;

fn proost() -> Command {
    Command::new(env!("CARGO_BIN_EXE_proost"))
}

#[tokio::test]
async fn actions_are_recorded_in_order_and_exported_as_json_lines() {
    let s = TestServer::with_admin(true).await;
    let (status, b) = s
        .post(
            "/api/v1/session",
            json!({"email": "nobody@example.com", "password": "my secret typo"}),
        )
        .await;
    assert_eq!(status, 401, "{b}");
    let (status, _) = s
        .post(
            "/api/v1/session",
            json!({"email": ADMIN_EMAIL, "password": "wrong password!"}),
        )
        .await;
    assert_eq!(status, 401);
    let (status, log) = s.get("/api/v1/audit").await;
    assert_eq!(status, 200, "{log}");
    assert_eq!(log["chain_intact"], true);
    let actions: Vec<&str> = log["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    assert_eq!(
        actions,
        vec![
            "connection.create",
            "classification.scan",
            "setup.complete",
            "login",
            "login.failed",
            "login.failed"
        ],
        "the demo connection is created and classified at start, before setup"
    );
    let text = log.to_string();
    assert!(!text.contains("nobody@example.com") && !text.contains("my secret typo"));
    let entries = log["entries"].as_array().expect("entries");
    assert!(
        entries[4]["target"].is_null(),
        "an unknown email names no account"
    );
    assert!(
        entries[5]["target"].is_string(),
        "a known account is named by id"
    );
    for pair in entries.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
    }
    let res = s
        .client
        .get(format!("{}/api/v1/audit?action=login.failed", s.base))
        .bearer_auth(s.token.clone().expect("token"))
        .header("accept", "application/x-ndjson")
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), 200);
    let body = res.text().await.expect("body");
    assert_eq!(body.lines().count(), 2);
    for line in body.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        assert_eq!(v["action"], "login.failed");
    }
    let anonymous = reqwest::get(format!("{}/api/v1/audit", s.base))
        .await
        .expect("get");
    assert_eq!(anonymous.status(), 401);
    s.stop().await;
}

#[tokio::test]
async fn proost_audit_verify_names_the_first_entry_changed_behind_its_back() {
    let s = TestServer::with_admin(true).await;
    let id = s.get("/api/v1/connections").await.1["connections"][0]["id"]
        .as_str()
        .expect("demo id")
        .to_string();
    let (status, _) = s.delete(&format!("/api/v1/connections/{id}")).await;
    assert_eq!(status, 204);
    let dir = s.stop().await;
    let out = proost()
        .args(["audit", "verify", "--data-dir"])
        .arg(&dir)
        .output()
        .expect("verify");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("intact: 5 entries"));

    let db = rusqlite::Connection::open(dir.join("proost.db")).expect("open app db");
    // Append-only: the store refuses changes...
    let refused = db.execute("UPDATE audit_log SET actor = NULL WHERE seq = 2", []);
    assert!(refused.is_err(), "the audit log refused an UPDATE");
    assert!(
        db.execute("DELETE FROM audit_log WHERE seq = 2", [])
            .is_err()
    );
    // ...and someone with the file who removes the guard is caught by the chain.
    db.execute_batch(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET details = '{\"ip\":\"203.0.113.9\"}' WHERE seq = 3;",
    )
    .expect("tamper");
    drop(db);
    let out = proost()
        .args(["audit", "verify", "--data-dir"])
        .arg(&dir)
        .output()
        .expect("verify");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken at entry #3"), "{err}");

    let mut s = TestServer::start_in(&dir, true).await;
    s.login(ADMIN_EMAIL, crate::common::ADMIN_PASSWORD).await;
    let (_, log) = s.get("/api/v1/audit").await;
    assert_eq!(log["chain_intact"], false);
    assert_eq!(log["first_broken"], 3);
    s.stop().await;
}

#[tokio::test]
async fn key_rotation_from_the_command_line_is_recorded() {
    let s = TestServer::with_admin(false).await;
    let dir = s.stop().await;
    let out = proost()
        .args(["keys", "rotate", "--data-dir"])
        .arg(&dir)
        .output()
        .expect("rotate");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut s = TestServer::start_in(&dir, false).await;
    s.login(ADMIN_EMAIL, crate::common::ADMIN_PASSWORD).await;
    let (_, log) = s.get("/api/v1/audit?action=master_key.rotate").await;
    let entries = log["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1);
    assert!(entries[0]["details"]["new_key_id"].is_string());
    let (status, b) = s.get("/api/v1/audit?action=nope").await;
    assert_eq!(status, 200);
    assert_eq!(b["entries"], json!([]));
    s.stop().await;
}
