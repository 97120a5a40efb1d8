//! Free text on a real PostgreSQL helpdesk: a column whose notes mention people in a
//! minority of rows is classified by what it mentions, and a caller without `pii` reads the
//! notes with those spans masked — on the engine path, in CSV exports, from a replica and
//! from the result cache.

use crate::common::{PgDb, TestServer};
use reqwest::Method;
use serde_json::{Value, json};

const EMAIL: &str = "jonas.lindqvist@fastmail.com";
const PHONE: &str = "+49 30 901820";

const BASE: [&str; 6] = [
    "Printer on floor 3 is jammed again.",
    "Cannot log in to the VPN since the update.",
    "Requesting a new monitor for the office.",
    "The invoice PDF does not open in the portal.",
    "Laptop battery drains within an hour.",
    "Shared drive is read-only for the design team.",
];

/// Ticket `i`: a plain request, with an email in one in five, a phone number in one in
/// seven, a colleague's name in one in nine and a condition in one in eleven.
fn ticket(i: usize) -> String {
    let mut t = BASE[i % BASE.len()].to_string();
    if i.is_multiple_of(5) {
        t.push_str(&format!(" Please reply to {EMAIL}."));
    }
    if i.is_multiple_of(7) {
        t.push_str(&format!(" Call me back on {PHONE}."));
    }
    if i.is_multiple_of(9) {
        t.push_str(" Spoke with Ingrid Halvorsen from accounting.");
    }
    if i.is_multiple_of(11) {
        t.push_str(" Employee off sick with migraine, back Monday.");
    }
    t
}

fn tickets_sql(n: usize) -> String {
    let rows: Vec<String> = (1..=n)
        .map(|i| format!("({i}, '{}')", ticket(i).replace('\'', "''")))
        .collect();
    format!(
        "CREATE TABLE tickets (id int PRIMARY KEY, body text);
         INSERT INTO tickets VALUES {};
         CREATE TABLE products (id int PRIMARY KEY, description text);
         INSERT INTO products SELECT g, 'Stainless steel bottle, ' || g || ' ml, keeps drinks cold for a day and fits most cup holders.'
           FROM generate_series(1, 200) g;",
        rows.join(",")
    )
}

fn finding<'a>(list: &'a [Value], table: &str, category: &str) -> Option<&'a Value> {
    list.iter()
        .find(|c| c["table"] == table && c["column"] != "id")
        .and_then(|c| c["categories"].as_array())
        .and_then(|cats| cats.iter().find(|f| f["category"] == category))
}

async fn rows_as(s: &TestServer, token: &str, sql: &str) -> Value {
    let (status, body) = s
        .send_as(
            Some(token),
            Method::POST,
            "/api/v1/query",
            Some(json!({ "sql": sql })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

fn body_of(answer: &Value, id: usize) -> String {
    answer["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r[0] == json!(id)))
        .and_then(|r| r[1].as_str())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn notes_are_classified_by_what_they_mention_and_masked_span_by_span() {
    let db = PgDb::create(&tickets_sql(220)).await;
    let s = TestServer::with_admin(false).await;
    let conn = s.add_connection("helpdesk", "postgres", &db.url).await;
    let id = conn["id"].as_str().expect("id").to_string();

    // Classified by what the notes mention, each category with the share that does.
    let (status, list) = s
        .get(&format!("/api/v1/connections/{id}/classifications"))
        .await;
    assert_eq!(status, 200, "{list}");
    let list = list.as_array().cloned().unwrap_or_default();
    for (category, share) in [
        ("email", 0.2),
        ("phone", 1.0 / 7.0),
        ("name", 1.0 / 9.0),
        ("special.health", 1.0 / 11.0),
    ] {
        let f = finding(&list, "tickets", category)
            .unwrap_or_else(|| panic!("{category} in tickets.body: {list:?}"));
        let seen = f["evidence"]["matched_share"].as_f64().unwrap_or(0.0);
        assert!((seen - share).abs() < 0.03, "{category}: {f}");
        assert_eq!(f["evidence"]["free_text"], true, "{f}");
        assert!(
            f["confidence"].as_f64().unwrap_or(0.0) >= 0.8,
            "masked by default: {f}"
        );
    }
    assert!(
        !list.iter().any(|c| c["table"] == "products"),
        "product descriptions are no one's: {list:?}"
    );

    let (analyst, token) = s.user("ana@example.com", "analyst", json!({})).await;
    s.grant(json!({"principal": {"user": analyst}, "connection": "helpdesk", "level": "query"}))
        .await;
    let sql = "SELECT id, body FROM helpdesk.public.tickets ORDER BY id";

    // Default for notes that mention a special category: spans masked in place, and a
    // note that mentions the condition redacted whole.
    let answer = rows_as(&s, &token, sql).await;
    let text = answer["rows"].to_string();
    assert!(!text.contains(EMAIL) && !text.contains("901820"), "{text}");
    assert!(!text.contains("Halvorsen"), "{text}");
    assert_eq!(body_of(&answer, 1), ticket(1), "nothing to mask");
    assert_eq!(body_of(&answer, 5), ticket(5).replace(EMAIL, "[email]"));
    assert_eq!(body_of(&answer, 11), "[redacted]");
    assert_eq!(
        body_of(&answer, 63),
        ticket(63)
            .replace(PHONE, "[phone]")
            .replace("Ingrid Halvorsen", "[name]")
    );

    // An admin's choice of `spans`: the condition masked in place.
    let (status, b) = s
        .send(
            s.client
                .put(format!(
                    "{}/api/v1/connections/{id}/classifications",
                    s.base
                ))
                .json(
                    &json!({"schema": "public", "table": "tickets", "column": "body",
                              "status": "confirmed", "mask": "spans"}),
                ),
        )
        .await;
    assert_eq!(status, 200, "{b}");
    let answer = rows_as(&s, &token, sql).await;
    assert_eq!(
        body_of(&answer, 11),
        ticket(11).replace("migraine", "[redacted]")
    );

    // CSV exports carry the same masks.
    let res = s
        .client
        .post(format!("{}/api/v1/query", s.base))
        .bearer_auth(&token)
        .header("accept", "text/csv")
        .json(&json!({ "sql": sql }))
        .send()
        .await
        .expect("csv");
    assert_eq!(res.status().as_u16(), 200);
    let csv = res.text().await.expect("csv body");
    assert!(
        csv.contains("[email]") && csv.contains("[redacted]"),
        "{csv}"
    );
    assert!(!csv.contains(EMAIL) && !csv.contains("migraine"), "{csv}");

    // From a replica, and then from the result cache: the same masks; an admin's answer to
    // the same SQL is clear and never the analyst's cached one.
    let (status, r) = s
        .post(
            &format!("/api/v1/connections/{id}/replicas"),
            json!({"table": "public.tickets", "mode": "full"}),
        )
        .await;
    assert_eq!(status, 201, "{r}");
    let (status, synced) = s
        .post(
            &format!("/api/v1/connections/{id}/sync?wait=true"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{synced}");
    let first = rows_as(&s, &token, sql).await;
    assert_eq!(first["sources"][0]["served_from"], "replica", "{first}");
    let second = rows_as(&s, &token, sql).await;
    assert_eq!(second["cache"], "hit", "{second}");
    for answer in [&first, &second] {
        assert_eq!(body_of(answer, 5), ticket(5).replace(EMAIL, "[email]"));
        assert!(!answer["rows"].to_string().contains(EMAIL));
    }
    let (_, admin) = s.query(sql, None).await;
    assert_eq!(body_of(&admin, 5), ticket(5));
    s.stop().await;
    db.drop_db().await;
}
