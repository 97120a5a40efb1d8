//! Personal-data discovery on real PostgreSQL, MariaDB and SQLite: columns are classified
//! on connect and on demand, masked by default for everyone without `pii` on them, an
//! admin's verdicts outlive rescans, sampled values are never stored, and the inventory
//! says what is where and who reads it unmasked.

mod free_text;
mod key_value;
mod native_types;

use std::process::Command;

use crate::common::{MyDb, PgDb, TestServer, USER_PASSWORD, error_code, temp_dir};
use reqwest::Method;
use serde_json::{Value, json};

/// A value that occurs once in the sources: it must never reach Proost's own storage.
const CANARY: &str = "canary.sampled.value@example.org";

const FIRST: [&str; 10] = [
    "Anna", "Lukas", "Sophie", "Jan", "Marie", "Pieter", "Giulia", "Marek", "Claire", "Pablo",
];
const LAST: [&str; 10] = [
    "Müller", "Schmidt", "de Vries", "Rossi", "Nowak", "Dubois", "García", "Jansen", "Weber",
    "Kowalski",
];
const DIAGNOSES: [&str; 5] = [
    "Type 2 diabetes, on metformin",
    "Asthma; salbutamol as needed",
    "Hypertension treated with lisinopril",
    "Major depressive disorder",
    "Migraine with aura",
];

fn people_rows(n: usize) -> Vec<[String; 6]> {
    (0..n)
        .map(|i| {
            let first = FIRST[i % 10];
            let last = LAST[(i * 7) % 10];
            let email = if i == 0 {
                CANARY.to_owned()
            } else {
                format!("{}.{}{}@mail.example.com", first.to_lowercase(), i, "x")
            };
            [
                format!("{first} {last}"),
                email,
                format!("+49 30 {:07}", 1_234_567 + i * 7919),
                DIAGNOSES[i % 5].to_owned(),
                format!(
                    "SKU-{:05}-{}",
                    10_000 + i * 13,
                    ["RED", "BLU", "GRN"][i % 3]
                ),
                format!("{}.{:02}", 10 + i * 3, i % 100),
            ]
        })
        .collect()
}

fn insert_values(rows: &[[String; 6]]) -> String {
    rows.iter()
        .map(|r| {
            format!(
                "('{}', '{}', '{}', '{}', '{}', {})",
                r[0].replace('\'', "''"),
                r[1],
                r[2],
                r[3],
                r[4],
                r[5]
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn classifications(s: &TestServer, id: &str) -> Vec<Value> {
    let (status, body) = s
        .get(&format!("/api/v1/connections/{id}/classifications"))
        .await;
    assert_eq!(status, 200, "{body}");
    body.as_array().expect("an array").clone()
}

fn categories_of(list: &[Value], table: &str, column: &str) -> Vec<String> {
    list.iter()
        .find(|c| c["table"] == table && c["column"] == column)
        .map(|c| {
            c["categories"]
                .as_array()
                .expect("categories")
                .iter()
                .map(|f| f["category"].as_str().expect("category").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn status_of(list: &[Value], table: &str, column: &str) -> String {
    list.iter()
        .find(|c| c["table"] == table && c["column"] == column)
        .and_then(|c| c["status"].as_str())
        .unwrap_or("absent")
        .to_owned()
}

/// Every byte of the app database, its write-ahead log included.
fn app_db_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut all = Vec::new();
    for name in ["proost.db", "proost.db-wal"] {
        if let Ok(b) = std::fs::read(dir.join(name)) {
            all.extend(b);
        }
    }
    all
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn columns_of_all_three_sources_are_classified_on_connect_and_masked_by_default() {
    let rows = people_rows(60);
    let pg = PgDb::create(&format!(
        "CREATE SCHEMA clinic;
         CREATE TABLE clinic.patients (id serial PRIMARY KEY, full_name text, email text,
             phone text, notes text, sku text, price numeric(10,2));
         INSERT INTO clinic.patients (full_name, email, phone, notes, sku, price) VALUES {};
         CREATE TABLE clinic.opaque (c7 text, c8 text);
         INSERT INTO clinic.opaque SELECT email, sku FROM clinic.patients;",
        insert_values(&rows)
    ))
    .await;
    let my = MyDb::create(&[
        "CREATE TABLE kunden (id int primary key auto_increment, name varchar(100),
             email varchar(100), telefon varchar(40), notizen text, artikel varchar(40),
             preis decimal(10,2))",
        &format!(
            "INSERT INTO kunden (name, email, telefon, notizen, artikel, preis) VALUES {}",
            insert_values(&rows)
        ),
    ])
    .await;
    let dir = temp_dir("proost-classify-src");
    let file = dir.join("crm.sqlite");
    {
        let db = rusqlite::Connection::open(&file).expect("sqlite");
        db.execute_batch(&format!(
            "CREATE TABLE contacts (full_name text, email text, phone text, notes text, sku text, price real);
             INSERT INTO contacts VALUES {};",
            insert_values(&rows)
        ))
        .expect("sqlite setup");
    }
    let s = TestServer::with_admin_using(false, |c| c.sqlite_roots = vec![dir.clone()]).await;

    let pg_conn = s.add_connection("clinic", "postgres", &pg.url).await;
    let my_conn = s.add_connection("shop_de", "mysql", &my.url).await;
    let lite_conn = s
        .add_connection("crm", "sqlite", &format!("sqlite://{}", file.display()))
        .await;
    for c in [&pg_conn, &my_conn, &lite_conn] {
        let id = c["id"].as_str().expect("id");
        assert!(
            c["scan"]["flagged"].as_u64().unwrap_or(0) >= 4,
            "scanned on connect: {c} {:?}",
            classifications(&s, id).await
        );
        assert!(c["scan"]["values_sampled"].as_u64().unwrap_or(0) > 0, "{c}");
    }
    let ids: Vec<String> = [&pg_conn, &my_conn, &lite_conn]
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect();

    let pg_list = classifications(&s, &ids[0]).await;
    assert!(
        categories_of(&pg_list, "patients", "email").contains(&"email".into()),
        "{pg_list:?}"
    );
    assert!(categories_of(&pg_list, "patients", "phone").contains(&"phone".into()));
    assert!(categories_of(&pg_list, "patients", "full_name").contains(&"name".into()));
    assert!(
        categories_of(&pg_list, "patients", "notes").contains(&"special.health".into()),
        "notes of patients naming diagnoses: {pg_list:?}"
    );
    // An opaque name is classified from its values alone; decoys stay unflagged.
    assert!(categories_of(&pg_list, "opaque", "c7").contains(&"email".into()));
    for (t, c) in [
        ("patients", "sku"),
        ("patients", "price"),
        ("patients", "id"),
        ("opaque", "c8"),
    ] {
        assert!(
            categories_of(&pg_list, t, c).is_empty(),
            "{t}.{c} is not personal: {pg_list:?}"
        );
    }
    let email = pg_list
        .iter()
        .find(|c| c["table"] == "patients" && c["column"] == "email")
        .expect("email");
    assert_eq!(email["schema"], "clinic");
    assert_eq!(email["status"], "suggested");
    let finding = &email["categories"][0];
    assert!(
        finding["confidence"].as_f64().unwrap_or(0.0) >= 0.8,
        "{finding}"
    );
    assert!(
        finding["evidence"]["sampled"].as_u64().unwrap_or(0) > 0,
        "{finding}"
    );

    let my_list = classifications(&s, &ids[1]).await;
    assert!(
        categories_of(&my_list, "kunden", "email").contains(&"email".into()),
        "{my_list:?}"
    );
    assert!(
        categories_of(&my_list, "kunden", "telefon").contains(&"phone".into()),
        "{my_list:?}"
    );
    assert!(categories_of(&my_list, "kunden", "artikel").is_empty());
    let lite_list = classifications(&s, &ids[2]).await;
    assert!(categories_of(&lite_list, "contacts", "email").contains(&"email".into()));
    assert!(
        categories_of(&lite_list, "contacts", "notes").contains(&"special.health".into()),
        "{lite_list:?}"
    );

    // An analyst with `query` on the PostgreSQL connection: personal columns come masked,
    // the rest as they are; with `pii` on one column, that column comes clear.
    let (analyst, _) = s.user("ana@example.com", "analyst", json!({})).await;
    s.grant(json!({"principal": {"user": analyst}, "connection": "clinic", "level": "query"}))
        .await;
    let token = s.token_for("ana@example.com", USER_PASSWORD).await;
    let sql =
        json!({"sql": "SELECT email, notes, sku FROM clinic.clinic.patients ORDER BY id LIMIT 3"});
    let (status, body) = s
        .send_as(
            Some(&token),
            Method::POST,
            "/api/v1/query",
            Some(sql.clone()),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let first = &body["rows"][0];
    let shown_email = first[0].as_str().expect("masked email is text");
    assert_ne!(shown_email, CANARY);
    assert!(shown_email.contains('*'), "partial mask: {shown_email}");
    assert!(
        !first[1].as_str().unwrap_or("").contains("diabetes"),
        "{first}"
    );
    assert!(
        first[2].as_str().unwrap_or("").starts_with("SKU-"),
        "{first}"
    );
    s.grant(
        json!({"principal": {"user": analyst}, "connection": "clinic", "schema": "clinic",
                   "table": "patients", "column": "email", "level": "pii"}),
    )
    .await;
    let (_, body) = s
        .send_as(Some(&token), Method::POST, "/api/v1/query", Some(sql))
        .await;
    assert_eq!(
        body["rows"][0][0], CANARY,
        "pii on the column shows it: {body}"
    );

    // Only an admin scans or reads the inventory.
    let (status, body) = s
        .send_as(
            Some(&token),
            Method::POST,
            &format!("/api/v1/connections/{}/scan?wait=true", ids[0]),
            Some(json!({})),
        )
        .await;
    assert_eq!((status, error_code(&body)), (403, "forbidden".into()));
    let (status, _) = s
        .send_as(Some(&token), Method::GET, "/api/v1/inventory", None)
        .await;
    assert_eq!(status, 403);

    // Verdicts outlive rescans: a rejected column stays rejected (and unmasked), a
    // confirmed one confirmed.
    let put = |table: &str, column: &str, status: &str| json!({"schema": "clinic", "table": table, "column": column, "status": status});
    let path = format!("/api/v1/connections/{}/classifications", ids[0]);
    for body in [
        put("patients", "full_name", "rejected"),
        put("opaque", "c7", "confirmed"),
    ] {
        let (status, b) = s
            .send(s.client.put(format!("{}{path}", s.base)).json(&body))
            .await;
        assert_eq!(status, 200, "{b}");
    }
    let (status, report) = s
        .post(
            &format!("/api/v1/connections/{}/scan?wait=true", ids[0]),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["tables"], 2);
    let after = classifications(&s, &ids[0]).await;
    assert_eq!(status_of(&after, "patients", "full_name"), "rejected");
    assert_eq!(status_of(&after, "opaque", "c7"), "confirmed");
    assert_eq!(status_of(&after, "patients", "email"), "suggested");

    // The inventory: special categories rank highest; who sees a column unmasked; copies.
    let (status, inv) = s.get("/api/v1/inventory?connection=clinic").await;
    assert_eq!(status, 200, "{inv}");
    let rows = inv["columns"].as_array().expect("columns");
    let notes = rows
        .iter()
        .find(|r| r["table"] == "patients" && r["column"] == "notes")
        .expect("notes in the inventory");
    assert_eq!(notes["sensitivity"], "special");
    assert_eq!(notes["mask"], "redact");
    assert_eq!(notes["unmasked_for"], json!(["admins"]));
    let email = rows
        .iter()
        .find(|r| r["table"] == "patients" && r["column"] == "email")
        .expect("email in the inventory");
    assert_eq!(
        email["unmasked_for"],
        json!(["admins", "user:ana@example.com"])
    );
    assert_eq!(email["region"], "local");
    assert_eq!(email["source_region"], "local", "no region: the instance's");

    // Where a source lives is the connection's: set, shown, exported, audited; bad input
    // gets a stable code.
    let (status, patched) = s
        .patch(
            &format!("/api/v1/connections/{}", ids[0]),
            json!({"region": " eu-central-1 "}),
        )
        .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["region"], "eu-central-1");
    let (_, audit) = s.get("/api/v1/audit?action=connection.update").await;
    assert_eq!(
        audit["entries"][0]["details"]["region"], "eu-central-1",
        "the change is on the record: {audit}"
    );
    for bad in [
        json!({"region": "a\nb"}),
        json!({"region": ""}),
        json!({"url": "x"}),
    ] {
        let (status, body) = s
            .patch(&format!("/api/v1/connections/{}", ids[0]), bad.clone())
            .await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
    let (status, body) = s
        .patch("/api/v1/connections/nosuch", json!({"region": "x"}))
        .await;
    assert_eq!(status, 404, "{body}");
    let (_, inv) = s.get("/api/v1/inventory?connection=clinic").await;
    let notes = inv["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .find(|r| r["column"] == "notes")
        .expect("notes")
        .clone();
    assert_eq!(notes["source_region"], "eu-central-1");
    assert_eq!(
        notes["region"], "local",
        "copies stay where the instance runs"
    );
    assert!(
        rows.iter().all(|r| r["column"] != "full_name"),
        "rejected columns are left out"
    );
    let (status, csv) = s.get("/api/v1/inventory?format=csv").await;
    assert_eq!(status, 200);
    let csv = csv.as_str().expect("CSV text").to_owned();
    assert!(
        csv.starts_with("connection,kind,schema,table,column,categories")
            && csv
                .lines()
                .next()
                .is_some_and(|h| h.ends_with(",region,source_region")),
        "{csv}"
    );
    assert!(
        csv.contains("\"clinic\",\"postgres\",\"clinic\",\"patients\",\"notes\",\"special.health"),
        "{csv}"
    );
    let (status, page) = s.get("/admin/inventory").await;
    assert_eq!(status, 200);
    assert!(
        page.as_str()
            .is_some_and(|p| p.contains("Personal data") && p.contains("notes"))
    );

    // No sampled value was kept: not in the app database, not in an API answer.
    let data_dir = s.data_dir.clone();
    assert!(
        !contains(&app_db_bytes(&data_dir), CANARY),
        "a sampled value reached the app DB"
    );
    assert!(!report.to_string().contains(CANARY));
    assert!(!after.iter().any(|c| c.to_string().contains("diabetes")));

    // `proost scan` does the same from the command line, with the server stopped.
    let dir = s.stop().await;
    let out = {
        Command::new(env!("CARGO_BIN_EXE_proost"))
            .args(["scan", "--connection", "crm", "--json", "--data-dir"])
            .arg(&dir)
            .output()
            .expect("proost scan")
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(line.trim()).expect("a JSON report");
    assert_eq!(report["connection"], "crm");
    assert!(report["flagged"].as_u64().unwrap_or(0) >= 4, "{report}");
    assert!(!line.contains(CANARY));
    assert!(!contains(&app_db_bytes(&dir), CANARY));
    let _ = std::fs::remove_dir_all(&dir);
    pg.drop_db().await;
    my.drop_db().await;
}

#[tokio::test]
async fn a_sync_that_finds_a_new_column_has_it_classified() {
    let pg = PgDb::create(
        "CREATE TABLE events (id int PRIMARY KEY, kind text);
         INSERT INTO events SELECT g, 'view' FROM generate_series(1, 50) g;
         CREATE TABLE warehouses (id int PRIMARY KEY, code text);
         INSERT INTO warehouses SELECT g, 'WH-' || g FROM generate_series(1, 5) g;",
    )
    .await;
    let s = TestServer::with_admin(false).await;
    let conn = s.add_connection("events_db", "postgres", &pg.url).await;
    let id = conn["id"].as_str().expect("id").to_owned();
    assert!(
        classifications(&s, &id).await.is_empty(),
        "nothing personal yet"
    );
    let (status, r) = s
        .post(
            &format!("/api/v1/connections/{id}/replicas"),
            json!({"table": "public.events", "mode": "full"}),
        )
        .await;
    assert_eq!(status, 201, "{r}");
    let sync = || async {
        let (status, body) = s
            .post(
                &format!("/api/v1/connections/{id}/sync?wait=true"),
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body
    };
    sync().await;
    pg.client()
        .await
        .batch_execute(
            "ALTER TABLE events ADD COLUMN contact text;
             UPDATE events SET contact = 'visitor' || id || '@mail.example.net';",
        )
        .await
        .expect("alter");
    let body = sync().await;
    assert_eq!(body["results"][0]["schema_changed"], true, "{body}");
    let list = classifications(&s, &id).await;
    assert!(
        categories_of(&list, "events", "contact").contains(&"email".into()),
        "the new column was classified after the sync: {list:?}"
    );
    let (_, audit) = s.get("/api/v1/audit?action=classification.scan").await;
    let reasons: Vec<&str> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["details"]["reason"].as_str())
        .collect();
    assert_eq!(reasons, ["connect", "schema_changed"]);
    // Only the table whose columns changed is scanned again.
    let tables: Vec<i64> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["details"]["tables"].as_i64())
        .collect();
    assert_eq!(tables, [2, 1], "{audit}");
    pg.drop_db().await;
}
