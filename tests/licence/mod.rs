//! Licence and limits: an instance shows its counts; a signed licence file caps them with a
//! clear error; a licence edited after signing, expired or unreadable stops the start.
//!
//! Tests sign their own licences: debug builds accept a verifying key from
//! `PROOST_LICENCE_VERIFYING_KEY` (release builds only the vendor's).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{TestServer, error_code, temp_dir};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{Value, json};

const TEST_SEED: [u8; 32] = [7; 32];

/// Points the server at the test key. Every test sets the same value, so tests running
/// side by side in one process agree on it.
fn use_test_key() -> SigningKey {
    let key = SigningKey::from_bytes(&TEST_SEED);
    let public = STANDARD.encode(key.verifying_key().to_bytes());
    // SAFETY: tests only ever set this one variable to this one value.
    unsafe { std::env::set_var("PROOST_LICENCE_VERIFYING_KEY", public) };
    key
}

fn write_licence(dir: &Path, terms: &Value) -> PathBuf {
    let key = use_test_key();
    let payload = serde_json::to_vec(terms).expect("payload");
    let signature = key.sign(&payload);
    let file = json!({
        "payload": STANDARD.encode(&payload),
        "signature": STANDARD.encode(signature.to_bytes()),
    });
    let path = dir.join("proost.licence");
    std::fs::write(&path, serde_json::to_vec_pretty(&file).expect("file")).expect("write");
    path
}

#[tokio::test]
async fn a_licence_caps_connections_with_a_clear_error() {
    let dir = temp_dir("proost-licence");
    let path = write_licence(
        &dir,
        &json!({"licensee": "Example GmbH", "max_connections": 2, "max_users": 5, "expires": "2099-12-31"}),
    );
    let s = TestServer::with_admin_using(true, |c| c.licence_file = Some(path)).await;
    let file = s.data_dir.join("sources").join("sample_shop.db");
    let url = format!("sqlite://{}", file.display());
    // The demo connection counts: this is the second of two.
    s.add_connection("shop_two", "sqlite", &url).await;
    let (status, body) = s
        .post(
            "/api/v1/connections",
            json!({"name": "shop_three", "kind": "sqlite", "url": url}),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(error_code(&body), "licence_limit_exceeded");
    let message = body["error"]["message"].as_str().expect("message");
    assert!(
        message.contains("at most 2 connections") && message.contains("Example GmbH"),
        "{message}"
    );
    let (_, list) = s.get("/api/v1/connections").await;
    assert_eq!(list["connections"].as_array().map(Vec::len), Some(2));

    let (status, instance) = s.get("/api/v1/instance").await;
    assert_eq!(status, 200, "{instance}");
    assert_eq!(instance["users"], 1);
    assert_eq!(instance["roles"], 3);
    assert_eq!(instance["connections"], 2);
    assert_eq!(instance["licence"]["licensee"], "Example GmbH");
    assert_eq!(instance["licence"]["max_connections"], 2);
    assert_eq!(instance["licence"]["max_users"], 5);
    assert_eq!(instance["licence"]["max_roles"], Value::Null);
    assert_eq!(instance["licence"]["expires"], "2099-12-31");

    // Deleting one makes room again.
    let id = list["connections"]
        .as_array()
        .and_then(|l| l.iter().find(|c| c["name"] == "shop_two"))
        .and_then(|c| c["id"].as_str())
        .expect("shop_two")
        .to_string();
    let (status, _) = s.delete(&format!("/api/v1/connections/{id}")).await;
    assert_eq!(status, 204);
    s.add_connection("shop_three", "sqlite", &url).await;

    let (_, page) = s.get("/admin/usage").await;
    assert!(
        page.as_str()
            .is_some_and(|p| p.contains("Licensed to") && p.contains("Example GmbH")),
        "the admin page shows the licence"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn without_a_licence_the_instance_shows_its_counts_and_no_limits() {
    let s = TestServer::with_admin(true).await;
    let (status, instance) = s.get("/api/v1/instance").await;
    assert_eq!(status, 200, "{instance}");
    assert_eq!(
        instance,
        json!({"users": 1, "roles": 3, "connections": 1, "licence": null})
    );
}

async fn start_error(licence: &Path) -> String {
    let data = temp_dir("proost-data");
    let mut config = proost_server::Config::with_data_dir(&data);
    config.demo = false;
    config.licence_file = Some(licence.to_path_buf());
    let err = match proost_server::Instance::open(&config).await {
        Ok(_) => panic!("a bad licence must stop the start"),
        Err(e) => e.to_string(),
    };
    let _ = std::fs::remove_dir_all(data);
    err
}

#[tokio::test]
async fn a_licence_edited_after_signing_stops_the_start_with_a_clear_message() {
    let dir = temp_dir("proost-licence");
    let path = write_licence(
        &dir,
        &json!({"licensee": "Example GmbH", "max_connections": 1}),
    );
    let mut file: Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    let edited = br#"{"licensee":"Example GmbH","max_connections":1000}"#;
    file["payload"] = json!(STANDARD.encode(edited));
    std::fs::write(&path, file.to_string()).expect("write");
    let err = start_error(&path).await;
    assert!(
        err.contains("does not carry a valid signature") && err.contains("proost.licence"),
        "{err}"
    );

    // Expired, unreadable and unknown-field licences are refused too.
    let expired = write_licence(
        &dir,
        &json!({"licensee": "Example GmbH", "expires": "2020-01-31"}),
    );
    let err = start_error(&expired).await;
    assert!(err.contains("expired on 2020-01-31"), "{err}");
    let unknown = write_licence(
        &dir,
        &json!({"licensee": "Example GmbH", "max_dashboards": 3}),
    );
    let err = start_error(&unknown).await;
    assert!(err.contains("max_dashboards"), "{err}");
    std::fs::write(&path, "not a licence").expect("write");
    let err = start_error(&path).await;
    assert!(err.contains("is not a Proost licence file"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn proost_serve_refuses_a_licence_not_signed_by_the_vendor() {
    let dir = temp_dir("proost-licence");
    // Signed with the test key, which the server does not trust without the override.
    let path = write_licence(&dir, &json!({"licensee": "Example GmbH"}));
    let out = Command::new(env!("CARGO_BIN_EXE_proost"))
        .args([
            "serve",
            "--no-demo",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
        ])
        .arg(dir.join("data"))
        .arg("--licence-file")
        .arg(&path)
        .env_remove("PROOST_LICENCE_VERIFYING_KEY")
        .output()
        .expect("run proost serve");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("does not carry a valid signature from the Proost vendor key"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
