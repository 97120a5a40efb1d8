//! Findings below the masking threshold are put in front of admins ("needs review"), and
//! error messages speak to people (issue #14).

use serde_json::json;

use crate::common::{PgDb, TestServer};

async fn page(s: &TestServer, path: &str) -> String {
    let res = s
        .client
        .get(format!("{}{path}", s.base))
        .bearer_auth(s.token.as_deref().expect("token"))
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.expect("text")
}

#[tokio::test]
async fn suggestions_below_the_threshold_need_review_on_the_inventory_and_connection_page() {
    let db = PgDb::create(
        "CREATE TABLE contacts (id int primary key, contact text);
         INSERT INTO contacts SELECT g, 'person' || g || '@example.org' FROM generate_series(1, 60) g;",
    )
    .await;
    // Nothing is sure enough to be masked on its own.
    let s = TestServer::with_admin_using(false, |c| c.mask_threshold = 1.01).await;
    let conn = s.add_connection("crm", "postgres", &db.url).await;
    let id = conn["id"].as_str().expect("id").to_string();
    let (_, inv) = s.get("/api/v1/inventory").await;
    let row = inv["columns"]
        .as_array()
        .and_then(|c| c.iter().find(|r| r["column"] == "contact"))
        .unwrap_or_else(|| panic!("contact not found by the scan: {inv}"))
        .clone();
    assert_eq!(row["status"], "suggested", "{row}");
    assert!(row["mask"].is_null(), "{row}");
    let html = page(&s, "/admin/inventory").await;
    assert!(html.contains("Needs review (1)"), "no review section");
    assert!(
        html.contains("crm.public.contacts.contact"),
        "the column is not named"
    );
    let html = page(&s, &format!("/connections/{id}")).await;
    assert!(
        html.contains("needs review"),
        "the connection page does not say it"
    );
    // Confirming it masks it.
    let (status, body) = s
        .send(
            s.client
                .put(format!("{}/api/v1/connections/{id}/classifications", s.base))
                .json(&json!({"schema": "public", "table": "contacts", "column": "contact", "status": "confirmed"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let html = page(&s, "/admin/inventory").await;
    assert!(!html.contains("Needs review"), "still listed for review");
    db.drop_db().await;
}

#[tokio::test]
async fn a_table_named_without_its_connection_gets_a_suggestion() {
    let s = TestServer::with_admin(true).await;
    let (status, body) = s.query("SELECT * FROM customers", None).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"]["code"], "table_not_found", "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("sample_shop.main.customers"), "{message}");
    assert!(
        message.contains("`customers`"),
        "says the name as written: {message}"
    );
    // A table nobody may see is not suggested: the analyst has no grant.
    let (_, token) = s.user("ana@example.com", "analyst", json!({})).await;
    let (status, body) = s
        .send_as(
            Some(&token),
            reqwest::Method::POST,
            "/api/v1/query",
            Some(json!({"sql": "SELECT * FROM customers"})),
        )
        .await;
    assert_eq!(status, 404, "{body}");
    assert!(!body.to_string().contains("sample_shop"), "{body}");
}
