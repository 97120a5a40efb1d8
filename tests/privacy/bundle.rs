//! Access: the bundle holds Proost's records about the person and their rows in two real
//! sources (PostgreSQL, replicated; MariaDB, live), nothing about anyone else, and exists
//! only age-encrypted until the requester downloads it once.

use std::io::Read;

use reqwest::Method;
use serde_json::{Value, json};

use super::confirm_approve_and_wait;
use crate::common::*;
use crate::mail::{mail_to, start_sink};

pub(crate) const MARKER_EMAIL: &str = "mara.marker@example.net";
pub(crate) const MARKER_NAME: &str = "Mara Quillfeather";
const OTHER_NAME: &str = "Otto Otherperson";
const OTHER_EMAIL: &str = "otto.other@example.net";

/// A CRM in PostgreSQL with the subject, one other person and 38 more; the people's values
/// are bound parameters, never SQL text.
pub(crate) async fn pg_crm() -> PgDb {
    let db = PgDb::create(
        "CREATE TABLE customers (id int PRIMARY KEY, full_name text, email text, phone text);
         INSERT INTO customers SELECT g, 'Person ' || g, 'person' || g || '@example.org',
         '+31 20 555 ' || lpad(g::text, 4, '0') FROM generate_series(3, 40) g;",
    )
    .await;
    let c = db.client().await;
    for (id, name, email, phone) in [
        (1, MARKER_NAME, MARKER_EMAIL, "+31 20 555 0199"),
        (2, OTHER_NAME, OTHER_EMAIL, "+31 20 555 0142"),
    ] {
        c.execute(
            "INSERT INTO customers VALUES ($1, $2, $3, $4)",
            &[&id, &name, &email, &phone],
        )
        .await
        .expect("insert a person");
    }
    db
}

/// A shop in MariaDB with the subject as a buyer (values bound, as above).
async fn my_shop() -> MyDb {
    use mysql_async::prelude::Queryable;
    let db = MyDb::create(&[
        "CREATE TABLE buyers (id int PRIMARY KEY, name varchar(100), email varchar(200))",
        "INSERT INTO buyers SELECT seq, CONCAT('Buyer ', seq), CONCAT('buyer', seq, '@example.org') FROM seq_10_to_40",
    ])
    .await;
    let mut c = db.conn().await;
    for (id, name, email) in [(7, MARKER_NAME, MARKER_EMAIL), (8, OTHER_NAME, OTHER_EMAIL)] {
        c.exec_drop("INSERT INTO buyers VALUES (?, ?, ?)", (id, name, email))
            .await
            .expect("insert a buyer");
    }
    let _ = c.disconnect().await;
    db
}

pub(crate) fn decrypt_zip(
    bytes: &[u8],
    passphrase: &str,
) -> zip::ZipArchive<std::io::Cursor<Vec<u8>>> {
    let identity =
        age::scrypt::Identity::new(age::secrecy::SecretString::from(passphrase.to_string()));
    let decryptor = age::Decryptor::new(bytes).expect("an age file");
    let mut plain = Vec::new();
    decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .expect("the passphrase opens it")
        .read_to_end(&mut plain)
        .expect("read");
    zip::ZipArchive::new(std::io::Cursor::new(plain)).expect("a zip inside")
}

#[tokio::test]
async fn an_access_bundle_holds_the_person_from_proost_and_two_sources_and_no_one_else() {
    let sink = start_sink().await;
    let port = sink.port;
    let s = TestServer::with_admin_using(false, |c| c.mail = Some(mail_to(port))).await;
    let pg = pg_crm().await;
    let my = my_shop().await;
    let crm = s.add_connection("crm", "postgres", &pg.url).await;
    s.add_connection("shop", "mysql", &my.url).await;
    let crm_id = crm["id"].as_str().unwrap().to_string();
    s.add_replica(
        &crm_id,
        json!({"table": "public.customers", "mode": "full"}),
    )
    .await;
    s.sync(&crm_id).await;
    // The subject is also a Proost user, with a history of their own.
    let (_, user_token) = s.user(MARKER_EMAIL, "viewer", json!({})).await;
    let _ = user_token;

    let passphrase = "correct horse bundle staple";
    let (status, filed) = s
        .send_as(
            None,
            Method::POST,
            "/api/v1/privacy/requests",
            Some(json!({
            "kind": "access",
            "subject": {"email": MARKER_EMAIL, "identifiers": {"phone": "+31 20 555 0199"}},
            "details": {"passphrase": passphrase}})),
        )
        .await;
    assert_eq!(status, 201, "{filed}");
    let id = filed["id"].as_str().unwrap().to_string();
    // A privacy officer approves: no grant of theirs reaches either source, yet the search
    // (governed, read-only, as them with pii) finds the person everywhere.
    let (_, officer) = s
        .user("pia@example.com", "privacy_officer", json!({}))
        .await;
    let done = confirm_approve_and_wait(&s, &sink, 1, &id, MARKER_EMAIL, Some(&officer)).await;
    assert_eq!(done["status"], "completed", "{done}");
    let listed = done["outcome"]["sources"]
        .as_array()
        .expect("sources listed")
        .clone();
    for conn in ["crm", "shop"] {
        assert!(
            listed
                .iter()
                .any(|p| p["connection"] == conn && p["rows"].as_u64() >= Some(1)),
            "{conn} searched and found: {listed:?}"
        );
    }
    assert!(
        !done.to_string().contains(MARKER_NAME),
        "no value in the outcome"
    );

    // The completion email carries the one-time link.
    let messages = sink.wait_for(4).await;
    let unfolded = messages
        .last()
        .unwrap()
        .replace("=\r\n", "")
        .replace("=3D", "=");
    let link = unfolded
        .split_whitespace()
        .find(|w| w.contains("/bundle?token="))
        .expect("a download link")
        .to_string();
    let path = &link[link.find("/api/v1/").expect("api path")..];

    // Nothing readable of the person in the data dir: the bundle is encrypted.
    for f in files_under(&s.data_dir) {
        let bytes = std::fs::read(&f).unwrap_or_default();
        assert!(
            !bytes
                .windows(MARKER_NAME.len())
                .any(|w| w == MARKER_NAME.as_bytes()),
            "{} holds the name in clear",
            f.display()
        );
    }

    // A wrong token is refused; the right one downloads once, without a session.
    let (status, _) = s
        .send_as(
            None,
            Method::GET,
            &format!("/api/v1/privacy/requests/{id}/bundle?token=nope"),
            None,
        )
        .await;
    assert_eq!(status, 403);
    let res = s
        .client
        .get(format!("{}{path}", s.base))
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.expect("body").to_vec();
    let again = s
        .client
        .get(format!("{}{path}", s.base))
        .send()
        .await
        .expect("again");
    assert_eq!(again.status(), 404, "removed after download");
    assert!(
        !files_under(&s.data_dir.join("privacy"))
            .iter()
            .any(|p| p.extension().is_some_and(|x| x == "age")),
        "the bundle file is gone"
    );

    let mut zip = decrypt_zip(&bytes, passphrase);
    let mut doc = String::new();
    zip.by_name("bundle.json")
        .expect("bundle.json")
        .read_to_string(&mut doc)
        .unwrap();
    let doc: Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(doc["proost"]["profile"][0]["email"], MARKER_EMAIL, "{doc}");
    assert!(
        doc["proost"]["audit_entries"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
    let sources = doc["sources"].as_array().unwrap();
    for conn in ["crm", "shop"] {
        let found: Vec<&Value> = sources.iter().filter(|p| p["connection"] == conn).collect();
        assert!(
            found
                .iter()
                .any(|p| p["values"].to_string().contains(MARKER_NAME)),
            "{conn}: {found:?}"
        );
    }
    let crm_rows: Vec<&Value> = sources
        .iter()
        .filter(|p| p["connection"] == "crm")
        .collect();
    assert!(
        crm_rows.iter().any(|p| p["served_from"] == "replica"),
        "the replica answered: {crm_rows:?}"
    );
    assert!(
        zip.by_name("proost/profile.csv").is_ok(),
        "CSV beside the JSON"
    );
    let whole: String = (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut t = String::new();
            f.read_to_string(&mut t).unwrap();
            t
        })
        .collect();
    assert!(!whole.contains(OTHER_NAME), "nothing about another person");
    assert!(!whole.contains(OTHER_EMAIL));
    pg.drop_db().await;
    my.drop_db().await;
}

/// Values that would change a statement if they were ever put into SQL text.
const HOSTILE: &[&str] = &[
    "x' OR '1'='1",
    "a'; DROP TABLE accounts; --",
    "\\' OR 1=1 -- ",
    "$$; SELECT 1; $$",
    "%",
    "_",
    "\" OR \"\"=\"",
    "C-1042' UNION SELECT customer_id, note FROM accounts --",
    "/*",
    "é\\\\n\u{0}x",
];

#[tokio::test]
async fn hostile_identifier_values_find_exactly_their_row_in_postgresql_and_mariadb() {
    use mysql_async::prelude::Queryable;
    let s = TestServer::with_admin(false).await;
    let pg = PgDb::create("CREATE TABLE accounts (customer_id text, note text)").await;
    let my =
        MyDb::create(&["CREATE TABLE accounts (customer_id varchar(200), note varchar(50))"]).await;
    let pc = pg.client().await;
    let mut mc = my.conn().await;
    // Every hostile value is some account's id, beside ordinary ones; values bound.
    let mut rows: Vec<(String, String)> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, v)| (v.replace('\u{0}', ""), format!("hostile-{i}")))
        .collect();
    rows.extend((0..20).map(|i| (format!("C-{i:04}"), format!("plain-{i}"))));
    for (id, note) in &rows {
        pc.execute("INSERT INTO accounts VALUES ($1, $2)", &[id, note])
            .await
            .expect("pg insert");
        mc.exec_drop("INSERT INTO accounts VALUES (?, ?)", (id, note))
            .await
            .expect("mysql insert");
    }
    s.add_connection("pgsrc", "postgres", &pg.url).await;
    s.add_connection("mysrc", "mysql", &my.url).await;
    let recipient = age::x25519::Identity::generate().to_public().to_string();
    for (i, (value, _)) in rows.iter().take(HOSTILE.len()).enumerate() {
        let (status, filed) = s
            .post(
                "/api/v1/privacy/requests",
                json!({"kind": "access", "subject": {"identifiers": {"customer_id": value}},
                       "details": {"recipient": recipient}}),
            )
            .await;
        assert_eq!(status, 201, "{value:?}: {filed}");
        let id = filed["id"].as_str().unwrap();
        let (status, body) = s
            .post(&format!("/api/v1/privacy/requests/{id}/approve"), json!({}))
            .await;
        assert_eq!(status, 200, "{body}");
        let done = super::wait_done(&s, id).await;
        assert_eq!(done["status"], "completed", "{value:?}: {done}");
        for conn in ["pgsrc", "mysrc"] {
            let place = done["outcome"]["sources"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["connection"] == conn && p["column"] == "customer_id")
                .cloned()
                .unwrap_or_else(|| panic!("{conn} searched: {done}"));
            // Exactly the one account whose id is the value: a value read as SQL would match
            // more rows, or none, or fail.
            assert_eq!(place["rows"], 1, "{conn}, value #{i} {value:?}: {place}");
        }
    }
    // Nothing changed at the sources.
    let n: i64 = pc
        .query_one("SELECT count(*) FROM accounts", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n as usize, rows.len());
    let m: Option<i64> = mc
        .query_first("SELECT count(*) FROM accounts")
        .await
        .unwrap();
    assert_eq!(m, Some(rows.len() as i64));
    let _ = mc.disconnect().await;
    pg.drop_db().await;
    my.drop_db().await;
}
