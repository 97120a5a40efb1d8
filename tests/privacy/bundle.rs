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

/// A CRM in PostgreSQL with the subject and twenty others.
pub(crate) fn pg_crm() -> String {
    let mut sql = String::from(
        "CREATE TABLE customers (id int PRIMARY KEY, full_name text, email text, phone text);\n",
    );
    sql.push_str(&format!(
        "INSERT INTO customers VALUES (1, '{MARKER_NAME}', '{MARKER_EMAIL}', '+31 20 555 0199');\n\
         INSERT INTO customers VALUES (2, '{OTHER_NAME}', 'otto.other@example.net', '+31 20 555 0142');\n"
    ));
    sql.push_str(
        "INSERT INTO customers SELECT g, 'Person ' || g, 'person' || g || '@example.org', \
         '+31 20 555 ' || lpad(g::text, 4, '0') FROM generate_series(3, 40) g;\n",
    );
    sql
}

/// A shop in MariaDB with the subject's orders.
pub(crate) fn my_shop() -> Vec<String> {
    vec![
        "CREATE TABLE buyers (id int PRIMARY KEY, name varchar(100), email varchar(200))".into(),
        format!("INSERT INTO buyers VALUES (7, '{MARKER_NAME}', '{MARKER_EMAIL}'), (8, '{OTHER_NAME}', 'otto.other@example.net')"),
        "INSERT INTO buyers SELECT seq, CONCAT('Buyer ', seq), CONCAT('buyer', seq, '@example.org') FROM seq_10_to_40".into(),
    ]
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
    let pg = PgDb::create(&pg_crm()).await;
    let statements = my_shop();
    let my = MyDb::create(&statements.iter().map(String::as_str).collect::<Vec<_>>()).await;
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
    assert!(!whole.contains("otto.other@example.net"));
    pg.drop_db().await;
    my.drop_db().await;
}
