//! Query history and drafts (issue #14): each person's own, searchable, sealed with their
//! own key (no literal in the app database in the clear), gone with the person.

use reqwest::Method;
use serde_json::json;

use crate::common::TestServer;

#[tokio::test]
async fn query_history_is_the_authors_own_sealed_and_searchable() {
    let s = TestServer::with_admin(true).await;
    let (ana_id, ana) = s.user("ana@example.com", "analyst", json!({})).await;
    let (_, otto) = s.user("otto@example.com", "analyst", json!({})).await;
    s.grant(json!({"principal": {"user": ana_id}, "connection": "sample_shop", "level": "query"}))
        .await;
    const CANARY: &str = "canary-literal-4f1d";
    // What a person types: the canary is a literal of their own statement.
    const WITH_CANARY: &str =
        "SELECT count(*) AS n FROM sample_shop.main.products WHERE name <> 'canary-literal-4f1d'";
    assert!(WITH_CANARY.contains(CANARY));
    for sql in [
        WITH_CANARY,
        "SELECT 1 AS one",
        "SELECT * FROM sample_shop.main.nosuch",
    ] {
        s.send_as(
            Some(&ana),
            Method::POST,
            "/api/v1/query",
            Some(json!({"sql": sql})),
        )
        .await;
    }
    // Recorded off the answer's path: give it a moment.
    let mut entries = json!([]);
    for _ in 0..50 {
        let (status, body) = s
            .send_as(Some(&ana), Method::GET, "/api/v1/history", None)
            .await;
        assert_eq!(status, 200, "{body}");
        entries = body["entries"].clone();
        if entries.as_array().map(Vec::len) == Some(3) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let list = entries.as_array().expect("entries");
    assert_eq!(list.len(), 3, "{entries}");
    let by = |needle: &str| {
        list.iter()
            .find(|e| e["sql"].as_str().unwrap_or_default().contains(needle))
            .unwrap_or_else(|| panic!("no run with {needle}: {entries}"))
    };
    assert_eq!(by("nosuch")["error_code"], "table_not_found", "{entries}");
    assert_eq!(by(CANARY)["rows"], 1, "{entries}");
    assert_eq!(by(CANARY)["served_from"], "live", "{entries}");
    assert_eq!(by("AS one")["served_from"], "engine", "{entries}");

    let (_, found) = s
        .send_as(
            Some(&ana),
            Method::GET,
            &format!("/api/v1/history?q={}", CANARY.to_uppercase()),
            None,
        )
        .await;
    assert_eq!(
        found["entries"].as_array().map(Vec::len),
        Some(1),
        "{found}"
    );

    // Someone else's history is their own; the admin's too.
    let (_, theirs) = s
        .send_as(Some(&otto), Method::GET, "/api/v1/history", None)
        .await;
    assert_eq!(theirs["entries"], json!([]), "{theirs}");
    let (_, admins) = s.get("/api/v1/history").await;
    assert!(!admins.to_string().contains(CANARY), "{admins}");

    // Drafts: saved and read back, sealed too.
    let draft = "SELECT 'canary-literal-4f1d-draft'";
    assert!(draft.contains(CANARY));
    let (status, _) = s
        .send_as(
            Some(&ana),
            Method::PUT,
            "/api/v1/drafts/sql",
            Some(json!({"text": draft})),
        )
        .await;
    assert_eq!(status, 204);
    let (status, body) = s
        .send_as(Some(&ana), Method::GET, "/api/v1/drafts/sql", None)
        .await;
    assert_eq!((status, body["text"].as_str()), (200, Some(draft)));
    let (status, body) = s
        .send_as(Some(&otto), Method::GET, "/api/v1/drafts/sql", None)
        .await;
    assert_eq!((status, body["text"].as_str()), (200, Some("")));

    // Not in the clear anywhere in the app database.
    let dir = s.data_dir.clone();
    let s = {
        let (status, _) = s.delete(&format!("/api/v1/users/{ana_id}")).await;
        assert_eq!(status, 204);
        s
    };
    let _ = s.stop().await;
    for file in ["proost.db", "proost.db-wal"] {
        if let Ok(bytes) = std::fs::read(dir.join(file)) {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains(CANARY),
                "{file} holds a statement in the clear"
            );
        }
    }
    let db = rusqlite::Connection::open(dir.join("proost.db")).expect("open");
    let left: i64 = db
        .query_row("SELECT count(*) FROM query_history", [], |r| r.get(0))
        .expect("count");
    let keys: i64 = db
        .query_row(
            "SELECT count(*) FROM user_keys WHERE user_id = ?1",
            [&ana_id],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(
        (left, keys),
        (0, 0),
        "a deleted person's history and key remain"
    );
}
