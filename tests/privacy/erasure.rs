//! Erasure reaches every copy Proost holds — replica files and their older versions, the
//! result cache, an open access bundle, the app database (WAL and free pages too) and the
//! backups — while the source keeps its rows and the audit chain still verifies.

use std::path::Path;
use std::process::Command;

use reqwest::Method;
use serde_json::json;

use super::bundle::{MARKER_EMAIL, MARKER_NAME, pg_crm};
use super::wait_done;
use crate::common::*;

fn proost(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_proost"))
        .args(args)
        .env_remove("PROOST_MASTER_KEY")
        .output()
        .expect("run proost")
}

fn holds(bytes: &[u8], needle: &str) -> bool {
    let lower = needle.to_lowercase();
    bytes
        .windows(needle.len())
        .any(|w| w == needle.as_bytes() || w == lower.as_bytes())
}

fn assert_nowhere(dir: &Path, needles: &[&str]) {
    for f in files_under(dir) {
        let bytes = std::fs::read(&f).unwrap_or_default();
        for n in needles {
            assert!(!holds(&bytes, n), "{} still holds {n}", f.display());
        }
    }
}

#[tokio::test]
async fn erasure_reaches_every_copy_and_the_audit_chain_still_verifies() {
    let mut s = TestServer::with_admin(false).await;
    let pg = pg_crm().await;
    let crm = s.add_connection("crm", "postgres", &pg.url).await;
    let crm_id = crm["id"].as_str().unwrap().to_string();
    s.add_replica(
        &crm_id,
        json!({"table": "public.customers", "mode": "full"}),
    )
    .await;
    s.sync(&crm_id).await;
    // A second sync: an older version holding the subject stays on disk.
    s.sync(&crm_id).await;

    // The subject has an account, with 500 audit entries naming them (logins carry their
    // address; preference changes their choices).
    let (status, user) = s
        .post(
            "/api/v1/users",
            json!({"email": MARKER_EMAIL, "name": MARKER_NAME,
               "password": USER_PASSWORD, "role": "viewer"}),
        )
        .await;
    assert_eq!(status, 201, "{user}");
    let uid = user["id"].as_str().unwrap().to_string();
    let token = s.token_for(MARKER_EMAIL, USER_PASSWORD).await;
    let count_entries = |log: &serde_json::Value| {
        log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["actor"] == uid.as_str() || e["target"] == uid.as_str())
            .count()
    };
    let mut flip = false;
    loop {
        let (_, log) = s.get("/api/v1/audit").await;
        let n = count_entries(&log);
        if n >= 500 {
            break;
        }
        for _ in 0..(500 - n) {
            flip = !flip;
            let (status, body) = s
                .send_as(
                    Some(&token),
                    Method::PUT,
                    "/api/v1/me/preferences",
                    Some(json!({"mentions": flip})),
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }
    }
    // The engine finds the subject in the replica (the email bound, never SQL text).
    let lookup = json!({"connection": "crm", "schema": "public", "table": "customers",
                        "filters": [{"column": "email", "op": "eq", "value": MARKER_EMAIL}]});
    let (status, before) = s.post("/api/v1/browse", lookup.clone()).await;
    // The result cache holds a result with the subject's row: after the erasure the same
    // statement must not be answered from it.
    let (_, cached) = s.query("SELECT * FROM crm.public.customers", None).await;
    assert_eq!(cached["row_count"], 40, "{cached}");
    assert!(cached.to_string().contains(MARKER_NAME));
    let (_, again) = s.query("SELECT * FROM crm.public.customers", None).await;
    assert_eq!(again["cache"], "hit", "{again}");
    assert_eq!(status, 200, "{before}");
    assert_eq!(before["row_count"], 1);
    // An open access bundle about the subject, and a backup taken before the erasure.
    let (_, filed) = s
        .send_as(
            Some(&token),
            Method::POST,
            "/api/v1/privacy/requests",
            Some(json!({"kind": "access", "details": {"passphrase": "a long bundle passphrase"}})),
        )
        .await;
    let access = filed["id"].as_str().expect("filed").to_string();
    s.post(
        &format!("/api/v1/privacy/requests/{access}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(wait_done(&s, &access).await["status"], "completed");
    let (status, backup) = s.post("/api/v1/backups", json!({})).await;
    assert_eq!(status, 201, "{backup}");
    let old_backup = backup["file"].as_str().unwrap().to_string();

    // The subject asks for erasure; an admin approves.
    let (status, filed) = s
        .send_as(
            Some(&token),
            Method::POST,
            "/api/v1/privacy/requests",
            Some(json!({"kind": "erasure"})),
        )
        .await;
    assert_eq!(status, 201, "{filed}");
    let id = filed["id"].as_str().unwrap().to_string();
    let (status, body) = s
        .post(&format!("/api/v1/privacy/requests/{id}/approve"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    let done = wait_done(&s, &id).await;
    assert_eq!(done["status"], "completed", "{done}");
    let outcome = &done["outcome"];
    let replica = &outcome["replicas"][0]["replica"];
    assert_eq!(replica["rows_removed"], 1, "{outcome}");
    assert!(replica["versions_dropped"].as_u64() >= Some(2), "{outcome}");
    assert_eq!(outcome["bundles_destroyed"], 1, "{outcome}");
    assert!(
        outcome["proost_records"]["erased_subject"]
            .as_i64()
            .is_some(),
        "{outcome}"
    );
    assert!(
        outcome["backups"]["dropped"]
            .as_array()
            .is_some_and(|d| d.iter().any(|f| f == old_backup.as_str())),
        "{outcome}"
    );
    assert!(
        outcome["source_rows"]
            .as_array()
            .is_some_and(|p| !p.is_empty())
    );
    assert!(
        done["subject_label"]
            .as_str()
            .is_some_and(|l| l.starts_with("erased subject #")),
        "{done}"
    );
    assert!(done["subject"].is_null());

    // The engine no longer finds the subject in the replica; the source still has them.
    let (_, after) = s.post("/api/v1/browse", lookup).await;
    assert_eq!(after["row_count"], 0, "{after}");
    assert_eq!(after["sources"][0]["served_from"], "replica", "{after}");
    let (_, all) = s.query("SELECT * FROM crm.public.customers", None).await;
    assert_eq!(all["row_count"], 39);
    assert!(!all.to_string().contains(MARKER_NAME));
    let src = pg.client().await;
    let n: i64 = src
        .query_one(
            "SELECT count(*) FROM customers WHERE email = $1",
            &[&MARKER_EMAIL],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1, "Proost never writes to a source");
    let (_, replicas) = s
        .get(&format!("/api/v1/connections/{crm_id}/replicas"))
        .await;
    assert_eq!(
        replicas["replicas"][0]["versions"].as_array().map(Vec::len),
        Some(1),
        "{replicas}"
    );

    // The person is gone from Proost; the audit log reads "erased subject #N".
    let (status, _) = s
        .send_as(Some(&token), Method::GET, "/api/v1/session", None)
        .await;
    assert_eq!(status, 401);
    let (_, log) = s.get("/api/v1/audit").await;
    assert_eq!(log["chain_intact"], true);
    let label = done["subject_label"].as_str().unwrap();
    let about: Vec<_> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"] == uid.as_str() && e["action"] == "login")
        .collect();
    assert!(!about.is_empty());
    assert!(
        about.iter().all(|e| e["details"]["personal"] == label),
        "{about:?}"
    );
    assert!(!log.to_string().contains(MARKER_EMAIL));

    // Nothing of them anywhere in the data dir: app database (WAL and free pages), replica
    // files, bundles, backups. Then the chain verifies offline, and the fresh backup,
    // restored, holds nothing of them either.
    s.token = None;
    let dir = s.stop().await;
    assert_nowhere(&dir, &[MARKER_EMAIL, MARKER_NAME]);
    let out = proost(&["audit", "verify", "--data-dir", dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("backups/manifest.json")).unwrap())
            .unwrap();
    let fresh = manifest["backups"][0]["file"]
        .as_str()
        .expect("a fresh backup")
        .to_string();
    assert_ne!(fresh, old_backup);
    let restored = temp_dir("proost-restored");
    std::fs::remove_dir_all(&restored).ok();
    let key = dir.join("master.key");
    let out = proost(&[
        "backup",
        "restore",
        "--data-dir",
        restored.to_str().unwrap(),
        "--master-key-file",
        key.to_str().unwrap(),
        dir.join("backups").join(&fresh).to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_nowhere(&restored, &[MARKER_EMAIL, MARKER_NAME]);
    pg.drop_db().await;
}

#[tokio::test]
async fn a_legal_hold_stops_an_erasure_until_released_then_it_can_be_approved_again() {
    let s = TestServer::with_admin(false).await;
    let (uid, token) = s.user("held.person@example.com", "viewer", json!({})).await;
    let (status, hold) = s
        .post(
            "/api/v1/privacy/holds",
            json!({"kind": "user", "target_id": "held.person@example.com", "reason": "case 2026-17"}),
        )
        .await;
    assert_eq!(status, 201, "{hold}");
    let (_, filed) = s
        .send_as(
            Some(&token),
            Method::POST,
            "/api/v1/privacy/requests",
            Some(json!({"kind": "erasure"})),
        )
        .await;
    let id = filed["id"].as_str().unwrap().to_string();
    let (_, queue) = s.get("/api/v1/privacy/requests").await;
    assert_eq!(
        queue["requests"][0]["legal_hold"], "case 2026-17",
        "{queue}"
    );
    let (status, _) = s
        .post(&format!("/api/v1/privacy/requests/{id}/approve"), json!({}))
        .await;
    assert_eq!(status, 200);
    let done = wait_done(&s, &id).await;
    assert_eq!(done["status"], "failed", "{done}");
    assert!(
        done["error"]
            .as_str()
            .unwrap_or("")
            .starts_with("legal_hold"),
        "{done}"
    );
    let (status, _) = s.get(&format!("/api/v1/users/{uid}")).await;
    assert_eq!(status, 200, "nothing was erased");

    // Released: the same request is approved again and carried out.
    let hold_id = hold["id"].as_str().expect("hold id");
    let (status, _) = s.delete(&format!("/api/v1/privacy/holds/{hold_id}")).await;
    assert!(status == 200 || status == 204, "{status}");
    let (status, body) = s
        .post(&format!("/api/v1/privacy/requests/{id}/approve"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(wait_done(&s, &id).await["status"], "completed");
    let (status, _) = s.get(&format!("/api/v1/users/{uid}")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_retention_of_audit_personal_fields_shreds_old_months_and_the_chain_still_verifies() {
    let s = TestServer::with_admin(false).await;
    let (uid, _token) = s.user("old.login@example.com", "viewer", json!({})).await;
    let (_, held_token) = s.user("held.login@example.com", "viewer", json!({})).await;
    let _ = held_token;
    let (status, _) = s
        .post(
            "/api/v1/privacy/holds",
            json!({"kind": "user", "target_id": "held.login@example.com", "reason": "case 9"}),
        )
        .await;
    assert_eq!(status, 201);
    // Their logins (with the client address) were sealed under this month's keys; make
    // those keys look two years old, as a synthetic aged record.
    let db = rusqlite::Connection::open(s.data_dir.join("proost.db")).expect("open app db");
    let n = db
        .execute("UPDATE audit_keys SET month = '2020-01'", [])
        .expect("age the keys");
    assert!(n >= 3, "admin, two users: {n}");
    drop(db);
    let (status, _) = s
        .send(
            s.client
                .put(format!(
                    "{}/api/v1/privacy/retention/audit_personal_fields",
                    s.base
                ))
                .json(&json!({"keep_days": 365})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, report) = s.post("/api/v1/privacy/retention/sweep", json!({})).await;
    assert_eq!(status, 200, "{report}");
    let swept = report["record_types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["record_type"] == "audit_personal_fields")
        .cloned()
        .expect("reported");
    assert!(swept["deleted"].as_u64() >= Some(2), "{swept}");
    assert_eq!(swept["held"], 1, "the held person's key stays: {swept}");

    let (_, log) = s.get("/api/v1/audit?action=login").await;
    assert_eq!(log["chain_intact"], true);
    let mine: Vec<_> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"] == uid.as_str())
        .collect();
    assert!(!mine.is_empty());
    assert!(
        mine.iter().all(|e| e["details"]["personal"]
            .as_str()
            .is_some_and(|p| p.starts_with("expired"))),
        "{mine:?}"
    );
    let out = proost(&[
        "audit",
        "verify",
        "--data-dir",
        s.data_dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
