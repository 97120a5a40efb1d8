//! Columns of native types are sampled and their values speak: PostgreSQL `inet`, `cidr`,
//! `macaddr`, `uuid`, `jsonb`, arrays and domains; MariaDB `JSON`, `VARBINARY(16)` addresses
//! (`INET6_ATON`) and `BINARY(16)` UUIDs. The names are chosen so that only the values can
//! tell (`addr`, `hw`, `blob`...), except where the reading of the values depends on them.

use super::{categories_of, classifications};
use crate::common::{MyDb, PgDb, TestServer};
use serde_json::json;

const PG_SETUP: &str = "
CREATE DOMAIN contact_text AS text;
CREATE TABLE devices (
  id int PRIMARY KEY, addr inet, net cidr, hw macaddr, device_uuid uuid,
  doc jsonb, numbers text[], contact contact_text);
INSERT INTO devices SELECT g,
  ('81.' || (g % 200) || '.' || (g * 7 % 250) || '.' || (g % 250 + 1))::inet,
  '10.20.0.0/16'::cidr,
  ('08:00:2b:' || lpad(to_hex(g % 256), 2, '0') || ':' || lpad(to_hex(g * 3 % 256), 2, '0') || ':5e')::macaddr,
  md5(g::text)::uuid,
  jsonb_build_object('theme', 'dark', 'owner',
    jsonb_build_object('mail', 'person' || g || '@mailbox.org', 'mobile', '+31 6 ' || (12345000 + g))),
  ARRAY['+31 6 ' || (22345000 + g), '+31 20 ' || (5550000 + g)],
  'member' || g || '@posteo.de'
FROM generate_series(1, 120) g;";

#[tokio::test]
async fn postgres_native_types_are_sampled_and_classified() {
    let db = PgDb::create(PG_SETUP).await;
    let s = TestServer::with_admin(false).await;
    let conn = s.add_connection("fleet", "postgres", &db.url).await;
    let id = conn["id"].as_str().expect("id").to_string();
    let list = classifications(&s, &id).await;
    let has = |column: &str, category: &str| {
        categories_of(&list, "devices", column)
            .iter()
            .any(|c| c == category)
    };
    assert!(has("addr", "ip_address"), "inet: {list:?}");
    assert!(
        categories_of(&list, "devices", "net").is_empty(),
        "a network is nobody's address: {list:?}"
    );
    assert!(has("hw", "mac_address"), "macaddr: {list:?}");
    assert!(has("device_uuid", "device_id"), "uuid: {list:?}");
    assert!(
        has("doc", "email") && has("doc", "phone"),
        "jsonb: {list:?}"
    );
    assert!(has("numbers", "phone"), "text[]: {list:?}");
    assert!(has("contact", "email"), "domain: {list:?}");

    // The columns read in queries too, and are masked for an analyst.
    let (status, answer) = s
        .post(
            "/api/v1/query",
            json!({"sql": "SELECT addr, hw, device_uuid, doc, numbers, contact FROM fleet.public.devices WHERE id = 1"}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert!(
        answer["rows"].to_string().contains("person1@mailbox.org"),
        "{answer}"
    );
    let (analyst, token) = s.user("ana@example.com", "analyst", json!({})).await;
    s.grant(json!({"principal": {"user": analyst}, "connection": "fleet", "level": "query"}))
        .await;
    let (status, masked) = s
        .send_as(
            Some(&token),
            reqwest::Method::POST,
            "/api/v1/query",
            Some(json!({"sql": "SELECT addr, hw, contact FROM fleet.public.devices WHERE id = 1"})),
        )
        .await;
    assert_eq!(status, 200, "{masked}");
    let text = masked["rows"].to_string();
    assert!(
        !text.contains("81.1.7.2") && !text.contains("member1@posteo.de"),
        "{masked}"
    );
}

#[tokio::test]
async fn mariadb_json_and_packed_binary_columns_are_classified() {
    let my = MyDb::create(&[
        "CREATE TABLE sessions (id int PRIMARY KEY, addr VARBINARY(16), device_uuid BINARY(16),
             payload JSON)",
        "INSERT INTO sessions SELECT seq,
             INET6_ATON(CONCAT('81.', seq % 200, '.', seq * 7 % 250, '.', seq % 250 + 1)),
             UNHEX(MD5(seq)),
             JSON_OBJECT('theme', 'dark', 'user', JSON_OBJECT('mail', CONCAT('person', seq, '@mailbox.org')))
           FROM seq_1_to_120",
    ])
    .await;
    let s = TestServer::with_admin(false).await;
    let conn = s.add_connection("web", "mysql", &my.url).await;
    let id = conn["id"].as_str().expect("id").to_string();
    let list = classifications(&s, &id).await;
    let has = |column: &str, category: &str| {
        categories_of(&list, "sessions", column)
            .iter()
            .any(|c| c == category)
    };
    assert!(has("addr", "ip_address"), "INET6_ATON: {list:?}");
    assert!(has("device_uuid", "device_id"), "BINARY(16): {list:?}");
    assert!(has("payload", "email"), "JSON: {list:?}");
}
