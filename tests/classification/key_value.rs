//! A key-value table on a real MariaDB (`wp_usermeta`): the value column is classified
//! attribute by attribute and masked by the attribute of each row; an attribute the scan
//! never saw is redacted.

use crate::common::{MyDb, TestServer};
use reqwest::Method;
use serde_json::{Value, json};

fn usermeta(n: usize) -> String {
    let rows: Vec<String> = (1..=n)
        .map(|i| {
            let (k, v) = match i % 4 {
                0 => (
                    "billing_phone",
                    format!("+44 20 7946 0{:03}", 100 + i % 800),
                ),
                1 => ("billing_email", format!("customer{i}@mailbox.org")),
                2 => ("show_admin_bar_front", "true".to_string()),
                _ => ("locale", "en_GB".to_string()),
            };
            format!("({i}, {}, '{k}', '{v}')", 1 + i / 4)
        })
        .collect();
    format!(
        "INSERT INTO wp_usermeta (umeta_id, user_id, meta_key, meta_value) VALUES {}",
        rows.join(",")
    )
}

#[tokio::test]
async fn a_key_value_table_is_classified_and_masked_per_attribute() {
    let my = MyDb::create(&[
        "CREATE TABLE wp_usermeta (umeta_id bigint PRIMARY KEY, user_id bigint,
             meta_key varchar(255), meta_value longtext)",
        &usermeta(200),
    ])
    .await;
    let s = TestServer::with_admin(false).await;
    let conn = s.add_connection("blog", "mysql", &my.url).await;
    let id = conn["id"].as_str().expect("id").to_string();

    let (status, list) = s
        .get(&format!("/api/v1/connections/{id}/classifications"))
        .await;
    assert_eq!(status, 200, "{list}");
    let value = list
        .as_array()
        .and_then(|l| l.iter().find(|c| c["column"] == "meta_value"))
        .cloned()
        .unwrap_or(Value::Null);
    let cats: Vec<&str> = value["categories"]
        .as_array()
        .map(|c| c.iter().filter_map(|f| f["category"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        cats.contains(&"email") && cats.contains(&"phone"),
        "{value}"
    );
    assert_eq!(value["attributes"]["key"], "meta_key", "{value}");
    let attrs = &value["attributes"]["attributes"];
    assert_eq!(attrs["billing_phone"][0]["category"], "phone", "{value}");
    assert_eq!(attrs["locale"], json!([]), "{value}");

    // A row the scan never saw: its attribute is unknown, so it is redacted.
    let schema = my.name.clone();
    {
        use mysql_async::prelude::Queryable;
        let mut c = my.conn().await;
        c.query_drop("INSERT INTO wp_usermeta VALUES (9001, 1, 'security_answer', 'Rex the dog')")
            .await
            .expect("insert");
    }
    let (analyst, token) = s.user("ana@example.com", "analyst", json!({})).await;
    s.grant(json!({"principal": {"user": analyst}, "connection": "blog", "level": "query"}))
        .await;
    let sql = format!(
        "SELECT umeta_id, meta_key, meta_value FROM blog.{schema}.wp_usermeta ORDER BY umeta_id"
    );
    let (status, body) = s
        .send_as(
            Some(&token),
            Method::POST,
            "/api/v1/query",
            Some(json!({ "sql": sql })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let rows = body["rows"].as_array().cloned().unwrap_or_default();
    let value_of = |id: u64| {
        rows.iter()
            .find(|r| r[0] == json!(id))
            .and_then(|r| r[2].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(value_of(1), "c***@mailbox.org", "email: partial");
    assert!(
        value_of(4).starts_with("***"),
        "phone: last digits only: {}",
        value_of(4)
    );
    assert_eq!(value_of(2), "true", "harmless attributes as they are");
    assert_eq!(value_of(3), "en_GB");
    assert_eq!(value_of(9001), "***", "an attribute never seen");
    assert!(!body.to_string().contains("mailbox.org\",\"customer"));
    // An admin reads them all.
    let (_, admin) = s.query(&sql, None).await;
    assert!(admin.to_string().contains("customer1@mailbox.org"));
    s.stop().await;
    my.drop_db().await;
}
