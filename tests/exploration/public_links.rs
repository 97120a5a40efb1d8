//! Public links: off by default; when an admin turns them on, a link runs as the restricted
//! public-links principal (only what its group is granted, masked and row-filtered as that
//! group), never as its maker; links expire, can be revoked, stop when links are turned
//! off, never reveal a question's query, and every step is audited.

use reqwest::Method as M;
use serde_json::{Value, json};

use crate::common::{PgDb, TestServer, error_code};

const SETUP: &str = "
CREATE TABLE customers (id int PRIMARY KEY, name text, email text, region text, spend numeric(10,2));
INSERT INTO customers VALUES
 (1, 'Ann Ames', 'ann@example.com', 'EU', 120.00), (2, 'Bob Burr', 'bob@example.com', 'EU', 80.50),
 (3, 'Cid Cole', 'cid@example.com', 'US', 300.00), (4, 'Dee Dunn', 'dee@example.com', 'US', 45.25);
";

fn rows(v: &Value) -> Vec<Value> {
    v["rows"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn public_links_run_as_a_restricted_principal_expire_and_are_revocable() {
    let s = TestServer::with_admin(false).await;
    let pg = PgDb::create(SETUP).await;
    s.add_connection("crm", "postgres", &pg.url).await;
    let (ana, ana_t) = s.user("ana@example.com", "analyst", json!({})).await;
    let (vic, vic_t) = s.user("vic@example.com", "viewer", json!({})).await;
    s.grant(json!({"principal": {"user": ana}, "connection": "crm", "level": "pii"}))
        .await;
    let call = |t: Option<&str>, m: M, p: &str, b: Option<Value>| {
        let (s, t, p) = (&s, t.map(str::to_string), p.to_string());
        async move { s.send_as(t.as_deref(), m, &p, b).await }
    };

    let (status, body) = call(
        Some(&ana_t),
        M::POST,
        "/api/v1/questions",
        Some(json!({"name": "Customers", "query": {"sql":
            "SELECT name, email, region FROM crm.public.customers WHERE spend > {{min}} ORDER BY id",
            "params": [{"name": "min", "type": "number", "default": 0}]}})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let q = body["id"].as_str().expect("id").to_string();
    let (status, body) = call(
        Some(&ana_t),
        M::POST,
        "/api/v1/questions",
        Some(json!({"name": "By builder", "query": {"builder": {"v": 1,
            "source": {"table": "crm.public.customers"}, "fields": ["name", "email", "region"]}}})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let bq = body["id"].as_str().expect("id").to_string();
    let (status, body) = call(
        Some(&ana_t),
        M::POST,
        "/api/v1/dashboards",
        Some(json!({"name": "Board", "cards": [{"question": bq, "x": 0, "y": 0, "w": 12, "h": 6,
            "click": {"dashboard": "elsewhere", "filter": "x"}}],
            "filters": [{"name": "Region", "type": "category", "targets": [{"card": 0, "field": "region"}]}]})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let d = body["id"].as_str().expect("id").to_string();

    // Off by default.
    let (status, body) = call(
        Some(&ana_t),
        M::POST,
        "/api/v1/public-links",
        Some(json!({"object": {"question": q}})),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (409, "public_links_disabled".into()),
        "{body}"
    );
    // Only an admin turns them on.
    let (status, _) = call(
        Some(&ana_t),
        M::PUT,
        "/api/v1/public-links/settings",
        Some(json!({"enabled": true})),
    )
    .await;
    assert_eq!(status, 403);
    let (status, set) = call(
        s.token.as_deref(),
        M::PUT,
        "/api/v1/public-links/settings",
        Some(json!({"enabled": true, "max_days": 10})),
    )
    .await;
    assert_eq!(status, 200, "{set}");
    assert_eq!(set["enabled"], true);
    let group = set["group"].as_str().expect("group").to_string();
    let principal = set["user"].as_str().expect("user").to_string();
    // The principal cannot log in, and has no password to reset.
    let (_, user) = s.get(&format!("/api/v1/users/{principal}")).await;
    assert_eq!(user["active"], false, "{user}");
    let (status, _) = call(
        None,
        M::POST,
        "/api/v1/session",
        Some(json!({"email": "public-links@proost.invalid", "password": ""})),
    )
    .await;
    assert!(status == 400 || status == 401, "{status}");

    // Owners make links; a viewer of shared content may not; the expiry is bounded.
    let (status, body) = call(
        Some(&ana_t),
        M::POST,
        "/api/v1/public-links",
        Some(json!({"object": {"question": q}, "expires_in_days": 11})),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (400, "public_link_invalid".into())
    );
    let (status, qlink) = call(
        Some(&ana_t),
        M::POST,
        "/api/v1/public-links",
        Some(json!({"object": {"question": q}, "expires_in_days": 3})),
    )
    .await;
    assert_eq!(status, 201, "{qlink}");
    let qtoken = qlink["token"].as_str().expect("token").to_string();
    assert_eq!(qlink["url"], format!("/public#{qtoken}"));
    let (status, dlink) = call(
        Some(&ana_t),
        M::POST,
        "/api/v1/public-links",
        Some(json!({"object": {"dashboard": d}})),
    )
    .await;
    assert_eq!(status, 201, "{dlink}");
    let dtoken = dlink["token"].as_str().expect("token").to_string();
    let (status, _) = call(
        Some(&ana_t),
        M::POST,
        "/api/v1/shares",
        Some(json!({"object": {"question": q}, "principal": {"user": vic}, "level": "view"})),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = call(
        Some(&vic_t),
        M::POST,
        "/api/v1/public-links",
        Some(json!({"object": {"question": q}})),
    )
    .await;
    assert_eq!(status, 403);
    // Only hashes are stored.
    let db = std::fs::read(s.data_dir.join("proost.db")).unwrap_or_default();
    assert!(
        !db.windows(qtoken.len()).any(|w| w == qtoken.as_bytes()),
        "the token is in the app database"
    );

    // Logged out, the link opens: name and parameters, never the query.
    let (status, view) = call(
        None,
        M::POST,
        "/api/v1/public/open",
        Some(json!({"token": qtoken})),
    )
    .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["kind"], "question");
    assert_eq!(view["params"][0]["name"], "min");
    assert!(!view.to_string().contains("customers"), "{view}");
    let (status, dview) = call(
        None,
        M::POST,
        "/api/v1/public/open",
        Some(json!({"token": dtoken})),
    )
    .await;
    assert_eq!(status, 200, "{dview}");
    assert!(
        dview["dashboard"]["cards"][0].get("click").is_none(),
        "{dview}"
    );

    // The group has no grant yet: the link shows nothing of the maker's data.
    let (status, body) = call(
        None,
        M::POST,
        "/api/v1/public/run",
        Some(json!({"token": qtoken})),
    )
    .await;
    assert!((400..500).contains(&status), "{status} {body}");
    assert!(!body.to_string().contains("ann"), "{body}");
    let (status, body) = call(
        None,
        M::POST,
        "/api/v1/public/run",
        Some(json!({"token": dtoken})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["cards"][0].get("error").is_some(), "{body}");

    // Granted `query` with an EU-only row policy: EU rows, emails masked.
    s.grant(json!({"principal": {"group": group}, "connection": "crm", "level": "query"}))
        .await;
    let (status, body) = s
        .post(
            "/api/v1/row-policies",
            json!({"group": group, "connection": "crm", "schema": "public", "table": "customers",
                   "filter": "region = 'EU'"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, got) = call(
        None,
        M::POST,
        "/api/v1/public/run",
        Some(json!({"token": qtoken, "params": {"min": 50}})),
    )
    .await;
    assert_eq!(status, 200, "{got}");
    let regions: Vec<String> = rows(&got)
        .iter()
        .filter_map(|r| r[2].as_str().map(String::from))
        .collect();
    assert_eq!(regions, ["EU", "EU"], "{got}");
    assert!(!got.to_string().contains("Ann Ames"), "names masked: {got}");
    assert!(
        !got.to_string().contains("ann@example.com"),
        "email not masked: {got}"
    );
    // A hostile parameter is a value, not SQL.
    let (status, got) = call(
        None,
        M::POST,
        "/api/v1/public/run",
        Some(json!({"token": qtoken, "params": {"min": "0 OR 1=1"}})),
    )
    .await;
    assert!(status == 400 || rows(&got).len() <= 2, "{status} {got}");
    let (status, got) = call(
        None,
        M::POST,
        "/api/v1/public/run",
        Some(json!({"token": dtoken, "filters": {"Region": "US"}})),
    )
    .await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(
        rows(&got["cards"][0]["result"]).len(),
        0,
        "row policy first: {got}"
    );

    // Wrong tokens, revoked links and links turned off all answer the same.
    for bad in ["", "nope", &qtoken[..qtoken.len() - 1]] {
        let (status, body) = call(
            None,
            M::POST,
            "/api/v1/public/run",
            Some(json!({"token": bad})),
        )
        .await;
        assert_eq!(
            (status, error_code(&body)),
            (404, "public_link_not_found".into())
        );
    }
    let qid = qlink["id"].as_str().expect("id");
    let (status, _) = call(
        Some(&vic_t),
        M::DELETE,
        &format!("/api/v1/public-links/{qid}"),
        None,
    )
    .await;
    assert_eq!(status, 404, "a viewer may not revoke");
    let (status, _) = call(
        Some(&ana_t),
        M::DELETE,
        &format!("/api/v1/public-links/{qid}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (status, body) = call(
        None,
        M::POST,
        "/api/v1/public/run",
        Some(json!({"token": qtoken})),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (404, "public_link_not_found".into())
    );
    let (_, list) = call(Some(&ana_t), M::GET, "/api/v1/public-links", None).await;
    let statuses: Vec<&str> = list["links"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["status"].as_str())
        .collect();
    assert_eq!(statuses.len(), 2, "{list}");
    assert!(statuses.contains(&"revoked") && statuses.contains(&"live"));
    let (_, list) = call(Some(&vic_t), M::GET, "/api/v1/public-links", None).await;
    assert_eq!(list["links"].as_array().map(Vec::len), Some(0));

    let (status, _) = call(
        s.token.as_deref(),
        M::PUT,
        "/api/v1/public-links/settings",
        Some(json!({"enabled": false})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = call(
        None,
        M::POST,
        "/api/v1/public/open",
        Some(json!({"token": dtoken})),
    )
    .await;
    assert_eq!(status, 404, "links off: the dashboard link stops");

    // Someone turning the principal into a person stops public runs until re-enabled.
    let (status, _) = call(
        s.token.as_deref(),
        M::PUT,
        "/api/v1/public-links/settings",
        Some(json!({"enabled": true})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = s
        .patch(
            &format!("/api/v1/users/{principal}"),
            json!({"role": "analyst", "active": true}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = call(
        None,
        M::POST,
        "/api/v1/public/run",
        Some(json!({"token": dtoken})),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = call(
        s.token.as_deref(),
        M::PUT,
        "/api/v1/public-links/settings",
        Some(json!({"enabled": true})),
    )
    .await;
    assert_eq!(status, 200);
    let (_, user) = s.get(&format!("/api/v1/users/{principal}")).await;
    assert_eq!(
        (user["active"].clone(), user["role"].clone()),
        (json!(false), json!("viewer"))
    );
    let (status, _) = call(
        None,
        M::POST,
        "/api/v1/public/run",
        Some(json!({"token": dtoken})),
    )
    .await;
    assert_eq!(status, 200);

    // Audited: settings, making, every run, revoking.
    for action in [
        "public_links.settings",
        "public_link.create",
        "public_link.run",
        "public_link.revoke",
    ] {
        let (_, audit) = s.get(&format!("/api/v1/audit?action={action}")).await;
        assert!(
            audit["entries"].as_array().is_some_and(|e| !e.is_empty()),
            "{action}: {audit}"
        );
    }
    pg.drop_db().await;
}
