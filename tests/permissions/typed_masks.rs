//! Masks keep their column's type, and answers say which columns are masked and how
//! (issue #14): a generalised date of birth is still a date, so date comparisons work.

use serde_json::{Value, json};

use crate::common::{PgDb, TestServer};

fn column<'a>(body: &'a Value, name: &str) -> &'a Value {
    body["columns"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("no column {name} in {body}"))
}

#[tokio::test]
async fn masked_columns_keep_their_type_and_say_how_they_are_masked() {
    let s = TestServer::with_admin(true).await;
    let (analyst, token) = s.user("ana@example.com", "analyst", json!({})).await;
    let (viewer, viewer_token) = s.user("vic@example.com", "viewer", json!({})).await;
    for who in [&analyst, &viewer] {
        s.grant(json!({"principal": {"user": who}, "connection": "sample_shop", "level": "query"}))
            .await;
    }
    let (status, body) = s
        .send_as(
            Some(&token),
            reqwest::Method::POST,
            "/api/v1/query",
            Some(json!({"sql": "SELECT id, date_of_birth, email, country FROM sample_shop.main.customers ORDER BY id LIMIT 5"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // The demo (SQLite) declares dates as text: still text, still a date.
    let dob = column(&body, "date_of_birth");
    assert_eq!(dob["type"], "text", "{body}");
    assert_eq!(dob["mask"], "generalize", "{body}");
    assert_eq!(column(&body, "email")["mask"], "partial", "{body}");
    assert!(column(&body, "id").get("mask").is_none(), "{body}");
    assert!(column(&body, "country").get("mask").is_none(), "{body}");
    for row in body["rows"].as_array().expect("rows") {
        let d = row[1].as_str().unwrap_or_default();
        assert!(
            d.ends_with("-01-01"),
            "a generalised date is the first day of its year: {d}"
        );
    }

    // Compared as a date, not as text: no cast error.
    let (status, body) = s
        .send_as(
            Some(&token),
            reqwest::Method::POST,
            "/api/v1/query",
            Some(json!({"sql": "SELECT count(*) AS n FROM sample_shop.main.customers WHERE date_of_birth < DATE '1970-01-01'"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["rows"][0][0].as_i64().is_some(), "{body}");

    // The data browser (a viewer, no SQL) says the same.
    let (status, body) = s
        .send_as(
            Some(&viewer_token),
            reqwest::Method::POST,
            "/api/v1/browse",
            Some(
                json!({"connection": "sample_shop", "schema": "main", "table": "customers",
                        "filters": [{"column": "date_of_birth", "op": "lt", "value": "1970-01-01"}],
                        "sort": [{"column": "id", "desc": true}], "limit": 3}),
            ),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        column(&body, "date_of_birth")["mask"],
        "generalize",
        "{body}"
    );
    assert_eq!(body["rows"].as_array().map(Vec::len), Some(3), "{body}");
    let ids: Vec<i64> = body["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r[0].as_i64())
        .collect();
    assert!(
        ids.windows(2).all(|w| w[0] > w[1]),
        "sorted descending: {ids:?}"
    );
    // A viewer still may not send SQL.
    let (status, _) = s
        .send_as(
            Some(&viewer_token),
            reqwest::Method::POST,
            "/api/v1/query",
            Some(json!({"sql": "SELECT 1"})),
        )
        .await;
    assert_eq!(status, 403);
    // Bad filters are clear errors.
    let (status, body) = s
        .send_as(
            Some(&viewer_token),
            reqwest::Method::POST,
            "/api/v1/browse",
            Some(
                json!({"connection": "sample_shop", "schema": "main", "table": "customers",
                        "filters": [{"column": "country", "op": "drop table", "value": "x"}]}),
            ),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "browse_invalid", "{body}");
    let (status, body) = s
        .send_as(
            Some(&viewer_token),
            reqwest::Method::POST,
            "/api/v1/browse",
            Some(json!({"connection": "sample_shop", "schema": "main", "table": "nosuch"})),
        )
        .await;
    assert_eq!(status, 404, "{body}");
}

#[tokio::test]
async fn masks_of_dates_numbers_and_flags_keep_the_type_on_postgresql() {
    let db = PgDb::create(
        "CREATE TABLE staff (id int primary key, dob date, hired timestamptz, salary numeric(10,2), badge int, vip boolean);
         INSERT INTO staff VALUES (1, '1975-06-30', '2019-03-04 10:00:00+00', 51234.50, 4711, true),
                                  (2, '1969-12-31', '2021-11-05 08:30:00+00', 48999.99, 4712, false);",
    )
    .await;
    let s = TestServer::with_admin(false).await;
    let conn = s.add_connection("hr", "postgres", &db.url).await;
    let conn_id = conn["id"].as_str().expect("id").to_string();
    for (column, category, mask) in [
        ("dob", "date_of_birth", "generalize"),
        ("hired", "date_of_birth", "partial"),
        ("salary", "income", "generalize"),
        ("badge", "national_id", "hash"),
        ("vip", "gender", "redact"),
    ] {
        let (status, body) = s
            .send(
                s.client
                    .put(format!(
                        "{}/api/v1/connections/{conn_id}/classifications",
                        s.base
                    ))
                    .json(
                        &json!({"schema": "public", "table": "staff", "column": column,
                                  "categories": [category], "status": "confirmed", "mask": mask}),
                    ),
            )
            .await;
        assert_eq!(status, 200, "classify {column}: {body}");
    }
    let (analyst, token) = s.user("ana@example.com", "analyst", json!({})).await;
    s.grant(json!({"principal": {"user": analyst}, "connection": "hr", "level": "query"}))
        .await;
    let (status, body) = s
        .send_as(
            Some(&token),
            reqwest::Method::POST,
            "/api/v1/query",
            Some(json!({"sql": "SELECT id, dob, hired, salary, badge, vip FROM hr.public.staff WHERE dob < DATE '1970-01-01' OR salary > 50000 ORDER BY id"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let types: Vec<&str> = body["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c["type"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        types,
        [
            "integer",
            "date",
            "timestamptz",
            "decimal",
            "integer",
            "boolean"
        ],
        "{body}"
    );
    let rows = body["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 2, "{body}");
    assert_eq!(rows[0][1], "1975-01-01", "{body}");
    assert_eq!(rows[1][1], "1969-01-01", "{body}");
    assert!(
        rows[0][2]
            .as_str()
            .unwrap_or_default()
            .starts_with("2019-01-01"),
        "{body}"
    );
    assert_eq!(rows[0][3], "51230.00", "{body}");
    assert!(
        rows[0][4].as_i64().is_some_and(|b| b != 4711),
        "a hashed integer stays an integer: {body}"
    );
    assert!(rows[0][5].is_null(), "a redacted flag is NULL: {body}");
    assert_eq!(column(&body, "badge")["mask"], "hash");
    db.drop_db().await;
}
