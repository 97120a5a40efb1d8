//! The record of processing (GDPR Art. 30) as JSON and CSV, and the breach log (Art. 33(5)):
//! recorded, updated, listed and exported, with stable codes for bad input.

use super::{add_crm, crm_source};
use crate::common::{TestServer, error_code};
use proost_server::mail::MailConfig;
use serde_json::{Value, json};

const SMTP_PASSWORD: &str = "s3cret-relay-passw0rd";

async fn get_text(s: &TestServer, path: &str) -> (u16, String, String) {
    let res = s
        .client
        .get(format!("{}{path}", s.base))
        .bearer_auth(s.token.as_deref().expect("token"))
        .send()
        .await
        .expect("request");
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, kind, res.text().await.expect("body"))
}

#[tokio::test]
async fn the_record_of_processing_names_data_regions_readers_retention_and_processors() {
    let (dir, file) = crm_source();
    let s = TestServer::with_admin_using(false, |c| {
        c.sqlite_roots = vec![dir.clone()];
        c.public_url = Some("https://proost.example.org".into());
        c.mail = Some(MailConfig {
            url: format!("smtp://mailer:{SMTP_PASSWORD}@smtp.relay.example:2525"),
            from: "Proost <proost@example.org>".into(),
        });
        // Scheduled backups are off in tests: the bucket is named, never reached.
        c.backup.remote = Some(std::sync::Arc::new(
            proost_app::backup::Remote::open("s3://records-bucket/site-a").expect("remote"),
        ));
    })
    .await;
    let crm = add_crm(&s, &file).await;
    let (status, patched) = s
        .patch(
            &format!("/api/v1/connections/{crm}"),
            json!({"region": "eu-central-1"}),
        )
        .await;
    assert_eq!(status, 200, "{patched}");
    let (analyst, _) = s.user("ana@example.com", "analyst", json!({})).await;
    s.grant(json!({"principal": {"user": analyst}, "connection": "crm", "level": "query"}))
        .await;
    s.grant(json!({"principal": {"user": analyst}, "connection": "crm",
                   "schema": "main", "table": "contacts", "column": "email", "level": "pii"}))
        .await;

    let (status, rec) = s.get("/api/v1/privacy/record?format=json").await;
    assert_eq!(status, 200, "{rec}");
    assert_eq!(rec["controller"]["instance"], "https://proost.example.org");
    let conn = rec["connections"]
        .as_array()
        .expect("connections")
        .iter()
        .find(|c| c["name"] == "crm")
        .cloned()
        .expect("crm in the record");
    assert_eq!(conn["region"], "eu-central-1");
    assert_eq!(conn["kind"], "sqlite");
    assert!(
        conn["classified_columns"].as_u64().unwrap_or(0) >= 2,
        "{conn}"
    );
    let activities = rec["activities"].as_array().expect("activities");
    let email = activities
        .iter()
        .find(|a| a["connection"] == "crm" && a["table"] == "contacts" && a["category"] == "email")
        .cloned()
        .unwrap_or_else(|| panic!("an email activity in {rec}"));
    assert_eq!(email["source_region"], "eu-central-1");
    assert_eq!(email["columns"], json!(["email"]));
    let readers = email["unmasked_for"].as_array().expect("unmasked_for");
    assert!(readers.contains(&json!("admins")), "{email}");
    assert!(readers.contains(&json!("user:ana@example.com")), "{email}");
    assert!(
        activities.iter().any(|a| a["category"] == "phone"),
        "the phone column is an activity too: {rec}"
    );
    let retention = rec["retention"].as_array().expect("retention");
    assert!(
        retention
            .iter()
            .any(|p| p["record_type"] == "sessions" && p["keep_days"] == 30),
        "{rec}"
    );
    let processors: Vec<(Value, Value)> = rec["processors"]
        .as_array()
        .expect("processors")
        .iter()
        .map(|p| (p["kind"].clone(), p["host"].clone()))
        .collect();
    assert_eq!(
        processors,
        vec![
            (json!("smtp_relay"), json!("smtp.relay.example")),
            (json!("object_storage"), json!("records-bucket")),
        ]
    );
    let text = rec.to_string();
    assert!(
        !text.contains(SMTP_PASSWORD),
        "no SMTP password in the record"
    );
    assert!(!text.contains("mailer:"), "no SMTP user in the record");
    assert!(!text.contains("site-a"), "the bucket's host only");

    // CSV: one row per connection, table and category, the instance's columns repeated.
    let (status, kind, csv) = get_text(&s, "/api/v1/privacy/record?format=csv").await;
    assert_eq!(status, 200, "{csv}");
    assert!(kind.starts_with("text/csv"), "{kind}");
    assert!(!csv.contains(SMTP_PASSWORD));
    let mut lines = csv.lines();
    let header = lines.next().expect("header");
    assert!(
        header.starts_with("controller,instance_region,processors,retention,connection,"),
        "{header}"
    );
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() >= 2, "{csv}");
    assert!(
        rows.iter()
            .all(|r| r.starts_with("\"https://proost.example.org\",")),
        "{csv}"
    );
    let row = rows
        .iter()
        .find(|r| r.contains("\"email\"") && r.contains("\"contacts\""))
        .unwrap_or_else(|| panic!("an email row in {csv}"));
    for part in [
        "\"crm\"",
        "\"eu-central-1\"",
        "user:ana@example.com",
        "smtp_relay: smtp.relay.example",
        "object_storage: records-bucket",
        "sessions=30d",
    ] {
        assert!(row.contains(part), "{part} in {row}");
    }

    let (status, err) = s.get("/api/v1/privacy/record?format=xml").await;
    assert_eq!((status, error_code(&err).as_str()), (400, "format_invalid"));
    let (_, log) = s.get("/api/v1/audit?action=privacy.record.export").await;
    assert_eq!(log["entries"].as_array().map(Vec::len), Some(2), "{log}");
}

#[tokio::test]
async fn breaches_are_recorded_updated_listed_and_exported() {
    let s = TestServer::with_admin(false).await;
    let good = json!({
        "facts": "=HYPERLINK(\"http://x\") A laptop with an export of the CRM was stolen",
        "effects": "Names and emails of 1200 customers may be exposed",
        "remedial_action": "Remote wipe; customers notified",
        "discovered_at": "2026-11-20T09:30:00Z",
        "occurred_at": "2026-11-19",
        "subjects_affected": 1200,
        "categories": ["email", "name"]
    });
    let with = |k: &str, v: Value| {
        let mut b = good.clone();
        b[k] = v;
        b
    };
    let mut missing = good.clone();
    missing.as_object_mut().expect("object").remove("facts");
    for (body, code) in [
        (missing, "breach_field_required"),
        (with("effects", json!("   ")), "breach_field_required"),
        (
            with("categories", json!(["email", "horoscope"])),
            "breach_category_unknown",
        ),
        (with("categories", json!([3])), "breach_category_unknown"),
        (
            with("discovered_at", json!("last tuesday")),
            "breach_time_invalid",
        ),
        (
            with("discovered_at", json!("2999-01-01")),
            "breach_time_invalid",
        ),
        (
            with("occurred_at", json!("2026-11-25")),
            "breach_time_invalid",
        ),
        (with("status", json!("pending")), "breach_status_invalid"),
        (
            with("subjects_affected", json!(-1)),
            "breach_subjects_invalid",
        ),
    ] {
        let (status, err) = s.post("/api/v1/privacy/breaches", body.clone()).await;
        assert_eq!(status, 400, "{body}: {err}");
        assert_eq!(error_code(&err), code, "{body}");
    }
    let (status, b) = s.post("/api/v1/privacy/breaches", good.clone()).await;
    assert_eq!(status, 201, "{b}");
    let id = b["id"].as_str().expect("id").to_owned();
    assert_eq!(b["status"], "open");
    assert_eq!(b["discovered_at"], "2026-11-20T09:30:00.000Z");
    assert_eq!(b["occurred_at"], "2026-11-19T00:00:00.000Z");
    assert_eq!(b["authority_deadline"], "2026-11-23T09:30:00.000Z");
    assert_eq!(b["categories"], json!(["email", "name"]));
    assert_eq!(b["reported_to_authority_at"], Value::Null);

    let put =
        |path: String, body: Value| s.send(s.client.put(format!("{}{path}", s.base)).json(&body));
    let (status, u) = put(
        format!("/api/v1/privacy/breaches/{id}"),
        json!({"status": "closed", "reported_to_authority_at": "2026-11-21T10:00:00Z",
               "categories": "email name phone", "occurred_at": null}),
    )
    .await;
    assert_eq!(status, 200, "{u}");
    assert_eq!(u["status"], "closed");
    assert_eq!(u["reported_to_authority_at"], "2026-11-21T10:00:00.000Z");
    assert_eq!(u["categories"], json!(["email", "name", "phone"]));
    assert_eq!(u["occurred_at"], Value::Null);
    assert_eq!(u["facts"], good["facts"], "fields left out stay");
    let (status, err) = put(
        format!("/api/v1/privacy/breaches/{id}"),
        json!({"categories": ["nonsense"]}),
    )
    .await;
    assert_eq!(
        (status, error_code(&err).as_str()),
        (400, "breach_category_unknown")
    );
    let (status, err) = put(
        "/api/v1/privacy/breaches/nosuch".into(),
        json!({"status": "closed"}),
    )
    .await;
    assert_eq!(status, 404, "{err}");

    let (_, second) = s
        .post(
            "/api/v1/privacy/breaches",
            with("discovered_at", json!("2026-12-01")),
        )
        .await;
    let (status, list) = s.get("/api/v1/privacy/breaches").await;
    assert_eq!(status, 200, "{list}");
    let all = list["breaches"].as_array().expect("breaches");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["id"], second["id"], "most recently discovered first");
    assert_eq!(all[1]["status"], "closed");

    let (status, kind, csv) = get_text(&s, "/api/v1/privacy/breaches?format=csv").await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/csv"), "{kind}");
    let header = csv.lines().next().expect("header");
    assert!(
        header.starts_with("id,status,discovered_at,occurred_at,reported_to_authority_at"),
        "{header}"
    );
    assert!(csv.contains(&id));
    assert!(csv.contains("\"'=HYPERLINK"), "a formula is defused: {csv}");
    assert!(csv.contains("\"email name phone\""), "{csv}");

    // The audit log names the breach, never its text.
    let (_, log) = s.get("/api/v1/audit?action=breach.record").await;
    assert_eq!(log["entries"].as_array().map(Vec::len), Some(2), "{log}");
    let (_, log) = s.get("/api/v1/audit?action=breach.update").await;
    let entries = log["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "a refused update is not audited: {log}");
    assert_eq!(entries[0]["target"], id.as_str());
    let fields = entries[0]["details"]["fields"].as_array().expect("fields");
    assert!(
        fields.contains(&json!("status")) && fields.contains(&json!("occurred_at")),
        "{log}"
    );
    let (_, all_log) = s.get("/api/v1/audit").await;
    assert!(
        !all_log.to_string().contains("laptop"),
        "no breach text in the audit log"
    );
}
