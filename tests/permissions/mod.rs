//! People and permissions through the API against real servers: the authorization matrix,
//! the governed catalog (absent tables, masks, row policies) on every path, the cache
//! never crossing permissions, tokens and their scopes, sessions.

mod history;
mod review;
mod typed_masks;

use crate::common::*;
use reqwest::Method;
use serde_json::{Value, json};

/// Who calls in the matrix.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Anonymous,
    Viewer,
    Analyst,
    Other,
    Admin,
}

const EVERYONE: [Who; 5] = [
    Who::Anonymous,
    Who::Viewer,
    Who::Analyst,
    Who::Other,
    Who::Admin,
];

struct Matrix {
    server: TestServer,
    viewer: (String, String),
    analyst: (String, String),
    other: (String, String),
    admin_id: String,
    demo: String,
}

impl Matrix {
    fn token(&self, who: Who) -> Option<String> {
        match who {
            Who::Anonymous => None,
            Who::Viewer => Some(self.viewer.1.clone()),
            Who::Analyst => Some(self.analyst.1.clone()),
            Who::Other => Some(self.other.1.clone()),
            Who::Admin => self.server.token.clone(),
        }
    }
}

#[tokio::test]
async fn authorization_matrix_every_endpoint_every_role() {
    let server = TestServer::with_admin(true).await;
    let (_, me) = server.get("/api/v1/session").await;
    let admin_id = me["id"].as_str().expect("admin id").to_string();
    let viewer = server.user("vera@example.com", "viewer", json!({})).await;
    let analyst = server.user("anna@example.com", "analyst", json!({})).await;
    let other = server.user("otto@example.com", "analyst", json!({})).await;
    let emea = server.group("emea", &[&viewer.0, &analyst.0]).await;
    let _outsiders = server.group("outsiders", &[&other.0]).await;
    let (_, conns) = server.get("/api/v1/connections").await;
    let demo = conns["connections"][0]["id"]
        .as_str()
        .expect("demo")
        .to_string();
    server
        .grant(json!({"principal": {"group": emea}, "connection": "sample_shop", "level": "query"}))
        .await;
    let m = Matrix {
        server,
        viewer,
        analyst,
        other,
        admin_id,
        demo,
    };

    // Objects only admins may see or change, made fresh per admin call where it destroys.
    let s = &m.server;
    let mut mismatches = Vec::new();
    // (method, path, body, expected per role in EVERYONE order)
    type Row = (Method, String, Option<Value>, [u16; 5]);
    let d = &m.demo;
    let a = &m.admin_id;
    let x = exploration_objects(s, &m).await;
    let mut rows: Vec<Row> = vec![
        (
            Method::GET,
            "/api/v1/health".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/openapi.json".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/session".into(),
            None,
            [401, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/connections".into(),
            None,
            [401, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/connections".into(),
            Some(json!({"name": "x", "kind": "nosuch", "url": "x://"})),
            [401, 403, 403, 403, 400],
        ),
        (
            Method::GET,
            format!("/api/v1/connections/{d}"),
            None,
            [401, 200, 200, 404, 200],
        ),
        (
            Method::PATCH,
            format!("/api/v1/connections/{d}"),
            Some(json!({"region": "eu-central-1"})),
            [401, 403, 403, 403, 200],
        ),
        (
            Method::DELETE,
            "/api/v1/connections/nosuch".into(),
            None,
            [401, 403, 403, 403, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/connections/{d}/schema"),
            None,
            [401, 200, 200, 404, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/connections/{d}/replicas"),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            format!("/api/v1/connections/{d}/replicas"),
            Some(json!({"table": "nosuch.table", "mode": "full"})),
            [401, 403, 403, 403, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/connections/{d}/replicas/nosuch"),
            None,
            [401, 403, 403, 403, 404],
        ),
        (
            Method::DELETE,
            format!("/api/v1/connections/{d}/replicas/nosuch"),
            None,
            [401, 403, 403, 403, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/connections/{d}/replicas/nosuch/rollback"),
            Some(json!({"version": 1})),
            [401, 403, 403, 403, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/connections/{d}/sync?wait=true"),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            "/api/v1/query".into(),
            Some(json!({"sql": "SELECT count(*) AS n FROM sample_shop.main.products"})),
            [401, 403, 200, 404, 200],
        ),
        (
            Method::POST,
            "/api/v1/query".into(),
            Some(json!({"sql": "SELECT 1", "connection": "sample_shop"})),
            [401, 403, 403, 404, 200],
        ),
        (
            Method::GET,
            "/api/v1/history?q=select".into(),
            None,
            [401, 200, 200, 200, 200],
        ),
        (
            Method::PUT,
            "/api/v1/drafts/sql".into(),
            Some(json!({"text": "SELECT 1"})),
            [401, 204, 204, 204, 204],
        ),
        (
            Method::GET,
            "/api/v1/drafts/sql".into(),
            None,
            [401, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/browse".into(),
            Some(
                json!({"connection": "sample_shop", "schema": "main", "table": "products", "limit": 1}),
            ),
            [401, 200, 200, 404, 200],
        ),
        (
            Method::POST,
            "/api/v1/password/forgot".into(),
            Some(json!({"email": "nobody@example.com"})),
            [404, 404, 404, 404, 404],
        ),
        (
            Method::POST,
            "/api/v1/password/reset".into(),
            Some(json!({"token": "nosuch", "password": "a long enough password"})),
            [403, 403, 403, 403, 403],
        ),
        (
            Method::POST,
            "/api/v1/query/nosuch/cancel".into(),
            None,
            [401, 404, 404, 404, 404],
        ),
        (
            Method::GET,
            "/api/v1/audit".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/users".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/users/{a}"),
            None,
            [401, 404, 404, 404, 200],
        ),
        (
            Method::PATCH,
            format!("/api/v1/users/{a}"),
            Some(json!({"name": "Ada Admin"})),
            [401, 404, 404, 404, 200],
        ),
        (
            Method::DELETE,
            format!("/api/v1/users/{a}/sessions"),
            None,
            [401, 403, 403, 403, 0],
        ),
        (
            Method::GET,
            "/api/v1/roles".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/groups".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/groups/{}", "nosuch"),
            None,
            [401, 403, 403, 403, 404],
        ),
        (
            Method::GET,
            "/api/v1/sessions".into(),
            None,
            [401, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/grants".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/row-policies".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/connections/{d}/classifications"),
            None,
            [401, 200, 200, 404, 200],
        ),
        (
            Method::PUT,
            format!("/api/v1/connections/{d}/classifications"),
            Some(
                json!({"schema": "main", "table": "products", "column": "name", "status": "rejected"}),
            ),
            [401, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            format!("/api/v1/connections/{d}/scan?wait=true"),
            Some(json!({})),
            [401, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/inventory".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/usage".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            "/api/v1/usage/sweep".into(),
            Some(json!({})),
            [401, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/instance".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/ready".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/backups".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            "/api/v1/backups".into(),
            Some(json!({})),
            [401, 403, 403, 403, 201],
        ),
        (
            Method::POST,
            "/api/v1/backups/proost-nosuch.age/verify".into(),
            Some(json!({})),
            [401, 403, 403, 403, 404],
        ),
        (
            Method::POST,
            "/api/v1/backups/proost-nosuch.age/restore".into(),
            Some(json!({"data_dir": "/tmp/proost-matrix-nowhere"})),
            [401, 403, 403, 403, 404],
        ),
        // Privacy requests: the queue and decisions need `privacy_requests` (admins, the
        // privacy officer); a request is shown to its filer; verify and the bundle take a
        // code or token instead of a session.
        (
            Method::POST,
            "/api/v1/privacy/requests".into(),
            Some(json!({"kind": "objection", "details": {"processing": ["mentions"]}})),
            [400, 201, 201, 201, 201],
        ),
        (
            Method::GET,
            "/api/v1/privacy/requests".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        // Retention, legal holds, the record of processing, the breach log: admins only.
        (
            Method::GET,
            "/api/v1/privacy/retention".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::PUT,
            "/api/v1/privacy/retention/sessions".into(),
            Some(json!({"keep_days": 30})),
            [401, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            "/api/v1/privacy/retention/sweep".into(),
            Some(json!({})),
            [401, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/privacy/holds".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            "/api/v1/privacy/holds".into(),
            Some(json!({"kind": "user", "target_id": "nosuch", "reason": "x"})),
            [401, 403, 403, 403, 404],
        ),
        (
            Method::DELETE,
            "/api/v1/privacy/holds/nosuch".into(),
            None,
            [401, 403, 403, 403, 404],
        ),
        (
            Method::GET,
            "/api/v1/privacy/record?format=json".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/privacy/breaches".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            "/api/v1/privacy/breaches".into(),
            Some(json!({"facts": "x"})),
            [401, 403, 403, 403, 400],
        ),
        (
            Method::PUT,
            "/api/v1/privacy/breaches/nosuch".into(),
            Some(json!({"status": "closed"})),
            [401, 403, 403, 403, 404],
        ),
        // Preferences and the privacy notice (a non-material version, so no later row is
        // held at the acknowledgement).
        (
            Method::POST,
            "/api/v1/privacy/notice".into(),
            Some(json!({"markdown": "# Matrix", "material": false})),
            [401, 403, 403, 403, 201],
        ),
        (
            Method::GET,
            "/api/v1/me/preferences".into(),
            None,
            [401, 200, 200, 200, 200],
        ),
        (
            Method::PUT,
            "/api/v1/me/preferences".into(),
            Some(json!({"mentions": true})),
            [401, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/privacy/notice".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/privacy/notice/versions".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/privacy/notice/versions/1".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/privacy/notice/acknowledge".into(),
            Some(json!({})),
            [401, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/privacy/requests/nosuch".into(),
            None,
            [401, 404, 404, 404, 404],
        ),
        (
            Method::POST,
            "/api/v1/privacy/requests/nosuch/approve".into(),
            Some(json!({})),
            [401, 403, 403, 403, 404],
        ),
        (
            Method::POST,
            "/api/v1/privacy/requests/nosuch/deny".into(),
            Some(json!({"reason_code": "excessive"})),
            [401, 403, 403, 403, 404],
        ),
        (
            Method::POST,
            "/api/v1/privacy/requests/nosuch/extend".into(),
            Some(json!({"reason": "more time"})),
            [401, 403, 403, 403, 404],
        ),
        (
            Method::POST,
            "/api/v1/privacy/requests/nosuch/verify".into(),
            Some(json!({"code": "123456"})),
            [404, 404, 404, 404, 404],
        ),
        (
            Method::GET,
            "/api/v1/privacy/requests/nosuch/bundle".into(),
            None,
            [404, 404, 404, 404, 404],
        ),
        (
            Method::GET,
            "/api/v1/sso".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/invites/accept".into(),
            Some(json!({"token": "nope", "password": "a long enough password"})),
            [403, 403, 403, 403, 403],
        ),
        (
            Method::GET,
            "/api/v1/nosuch".into(),
            None,
            [404, 404, 404, 404, 404],
        ),
    ];
    // Creating things: every role but the admin is refused; the admin gets 201.
    for (path, body) in [
        (
            "/api/v1/users",
            json!({"email": "new@example.com", "name": "New", "role": "viewer"}),
        ),
        ("/api/v1/groups", json!({"name": "made-in-matrix"})),
        (
            "/api/v1/roles",
            json!({"name": "auditor", "capabilities": ["read_audit"]}),
        ),
        (
            "/api/v1/grants",
            json!({"principal": {"user": m.other.0}, "connection": "sample_shop",
                   "schema": "main", "table": "products", "level": "metadata"}),
        ),
        (
            "/api/v1/row-policies",
            json!({"group": emea, "connection": "sample_shop", "schema": "main",
                   "table": "orders", "filter": "status <> 'cancelled'"}),
        ),
        ("/api/v1/tokens", json!({"name": "ci", "scope": "read"})),
    ] {
        let expect = if path == "/api/v1/tokens" {
            [401, 201, 201, 201, 201]
        } else {
            [401, 403, 403, 403, 201]
        };
        rows.push((Method::POST, path.into(), Some(body), expect));
    }
    rows.extend(exploration_rows(&x, &m.other.0));
    for (method, path, body, expect) in &rows {
        for (i, who) in EVERYONE.iter().enumerate() {
            if expect[i] == 0 {
                continue;
            }
            let token = m.token(*who);
            let (status, got) = s
                .send_as(token.as_deref(), method.clone(), path, body.clone())
                .await;
            if status != expect[i] {
                mismatches.push(format!(
                    "{method} {path} as {who:?}: {status}, expected {} ({got})",
                    expect[i]
                ));
            }
            if status >= 400 && path.starts_with("/api/") && path != "/api/v1/openapi.json" {
                error_code(&got);
            }
        }
    }

    // Destructive calls on objects each role may not touch, then the admin on its own.
    let (_, g) = s.post("/api/v1/groups", json!({"name": "doomed"})).await;
    let g = g["id"].as_str().expect("group").to_string();
    let (_, u) = s
        .post(
            "/api/v1/users",
            json!({"email": "doomed@example.com", "name": "Doomed", "role": "viewer"}),
        )
        .await;
    let u = u["id"].as_str().expect("user").to_string();
    let grant = s
        .grant(json!({"principal": {"group": g}, "connection": "sample_shop", "level": "metadata"}))
        .await;
    let (_, p) = s
        .post(
            "/api/v1/row-policies",
            json!({"group": g, "connection": "sample_shop", "schema": "main",
                   "table": "orders", "filter": "1 = 1"}),
        )
        .await;
    let p = p["id"].as_str().expect("policy").to_string();
    let destructive: Vec<(Method, String, Option<Value>, u16)> = vec![
        (
            Method::POST,
            format!("/api/v1/groups/{g}/members"),
            Some(json!({"user": u})),
            201,
        ),
        (
            Method::DELETE,
            format!("/api/v1/groups/{g}/members/{u}"),
            None,
            204,
        ),
        (Method::POST, format!("/api/v1/users/{u}/invite"), None, 201),
        (Method::DELETE, format!("/api/v1/grants/{grant}"), None, 204),
        (
            Method::DELETE,
            format!("/api/v1/row-policies/{p}"),
            None,
            204,
        ),
        (Method::DELETE, format!("/api/v1/groups/{g}"), None, 204),
        (Method::DELETE, format!("/api/v1/users/{u}"), None, 204),
        (Method::DELETE, "/api/v1/roles/auditor".into(), None, 204),
    ];
    for (method, path, body, admin_expect) in &destructive {
        for who in [Who::Anonymous, Who::Viewer, Who::Analyst, Who::Other] {
            let (status, got) = s
                .send_as(m.token(who).as_deref(), method.clone(), path, body.clone())
                .await;
            let expect = if who == Who::Anonymous { 401 } else { 403 };
            if status != expect {
                mismatches.push(format!(
                    "{method} {path} as {who:?}: {status}, expected {expect} ({got})"
                ));
            }
        }
        let (status, got) = s
            .send_as(
                m.token(Who::Admin).as_deref(),
                method.clone(),
                path,
                body.clone(),
            )
            .await;
        if status != *admin_expect {
            mismatches.push(format!(
                "{method} {path} as Admin: {status}, expected {admin_expect} ({got})"
            ));
        }
    }

    // Sessions: someone else's session id is "not found"; the admin may end it.
    let spare = s.token_for("vera@example.com", USER_PASSWORD).await;
    let (_, mine) = s
        .send_as(Some(&spare), Method::GET, "/api/v1/sessions", None)
        .await;
    let spare_id = mine["sessions"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["current"] == json!(true)))
        .and_then(|x| x["id"].as_str())
        .expect("current session listed")
        .to_string();
    for who in [Who::Analyst, Who::Other] {
        let (status, _) = s
            .send_as(
                m.token(who).as_deref(),
                Method::DELETE,
                &format!("/api/v1/sessions/{spare_id}"),
                None,
            )
            .await;
        if status != 404 {
            mismatches.push(format!(
                "DELETE someone else's session as {who:?}: {status}"
            ));
        }
    }
    let (status, _) = s.delete(&format!("/api/v1/sessions/{spare_id}")).await;
    assert_eq!(status, 204, "the admin ends anyone's session");
    let (status, _) = s
        .send_as(Some(&spare), Method::GET, "/api/v1/session", None)
        .await;
    assert_eq!(status, 401, "an ended session is dead at once");

    assert!(
        mismatches.is_empty(),
        "authorization matrix mismatches:\n{}",
        mismatches.join("\n")
    );

    // The matrix covers every operation of the OpenAPI document, and the document gives
    // each its answer's shape.
    let called: Vec<(Method, String)> = rows
        .iter()
        .map(|r| (r.0.clone(), r.1.clone()))
        .chain(destructive.iter().map(|r| (r.0.clone(), r.1.clone())))
        .chain([
            // Called above, and by every test server's setup and logins; the OIDC routes
            // in tests/sso.
            (Method::POST, "/api/v1/setup".to_string()),
            (Method::POST, "/api/v1/session".to_string()),
            (Method::DELETE, "/api/v1/session".to_string()),
            (Method::DELETE, format!("/api/v1/sessions/{spare_id}")),
            (Method::GET, "/api/v1/sso/oidc/login".to_string()),
            (Method::GET, "/api/v1/sso/oidc/callback".to_string()),
        ])
        .collect();
    every_operation_is_called_and_described(s, &called).await;
}

/// Saved content for the matrix: a collection shared (view) with the `emea` group holding a
/// question and a dashboard, spare objects for the deleting rows, and comments by the admin.
struct Exploration {
    collection: String,
    question: String,
    dashboard: String,
    spare_question: String,
    spare_dashboard: String,
    spare_collection: String,
    private_question: String,
    share: String,
    field: String,
    comment: String,
    spare_comment: String,
    subscription: String,
    spare_subscription: String,
    link_token: String,
    spare_link: String,
}

async fn exploration_objects(s: &TestServer, m: &Matrix) -> Exploration {
    let created = |(status, body): (u16, Value)| {
        assert_eq!(status, 201, "{body}");
        body["id"].as_str().expect("id").to_string()
    };
    let (_, groups) = s.get("/api/v1/groups").await;
    let emea = groups["groups"]
        .as_array()
        .and_then(|g| g.iter().find(|g| g["name"] == "emea"))
        .and_then(|g| g["id"].as_str())
        .expect("emea")
        .to_string();
    let collection = created(s.post("/api/v1/collections", json!({"name": "Shop"})).await);
    let builder = json!({"v": 1, "source": {"table": "sample_shop.main.products"}, "aggregations": [{"op": "count"}]});
    let question = |name: &str, collection: Option<&str>| {
        json!({"name": name, "collection": collection, "query": {"builder": builder},
               "visualization": {"type": "number"}})
    };
    let q = created(
        s.post("/api/v1/questions", question("Products", Some(&collection)))
            .await,
    );
    let spare_question = created(
        s.post("/api/v1/questions", question("Spare", Some(&collection)))
            .await,
    );
    let private_question = created(s.post("/api/v1/questions", question("Private", None)).await);
    let dash = |name: &str| json!({"name": name, "collection": collection, "cards": [{"question": q, "x": 0, "y": 0, "w": 6, "h": 4}]});
    let dashboard = created(s.post("/api/v1/dashboards", dash("Overview")).await);
    let spare_dashboard = created(s.post("/api/v1/dashboards", dash("Spare")).await);
    let spare_collection = created(
        s.post(
            "/api/v1/collections",
            json!({"name": "Spare", "parent": collection}),
        )
        .await,
    );
    created(
        s.post(
            "/api/v1/shares",
            json!({"object": {"collection": collection}, "principal": {"group": emea}, "level": "view"}),
        )
        .await,
    );
    let share = created(
        s.post(
            "/api/v1/shares",
            json!({"object": {"question": private_question}, "principal": {"user": m.admin_id}, "level": "edit"}),
        )
        .await,
    );
    let field = created(
        s.post(
            "/api/v1/fields",
            json!({"table": "sample_shop.main.products", "name": "admin_field", "expression": "[id] + 1"}),
        )
        .await,
    );
    let comment = created(
        s.post(
            &format!("/api/v1/questions/{q}/comments"),
            json!({"body": "Looks right"}),
        )
        .await,
    );
    let spare_comment = created(
        s.post(
            &format!("/api/v1/dashboards/{dashboard}/comments"),
            json!({"body": "Spare"}),
        )
        .await,
    );
    let subscribe = || json!({"object": {"dashboard": dashboard}, "schedule": {"every": "daily"}});
    let (status, sub) = s.post("/api/v1/subscriptions", subscribe()).await;
    assert_eq!(status, 201, "{sub}");
    let (_, spare_sub) = s.post("/api/v1/subscriptions", subscribe()).await;
    let (status, body) = s
        .send(
            s.client
                .put(format!("{}/api/v1/public-links/settings", s.base))
                .json(&json!({"enabled": true})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, link) = s
        .post(
            "/api/v1/public-links",
            json!({"object": {"dashboard": dashboard}}),
        )
        .await;
    assert_eq!(status, 201, "{link}");
    let spare_link = created(
        s.post(
            "/api/v1/public-links",
            json!({"object": {"dashboard": dashboard}}),
        )
        .await,
    );
    Exploration {
        link_token: link["token"].as_str().expect("token").to_string(),
        spare_link,
        subscription: sub["ids"][0].as_str().expect("subscription").to_string(),
        spare_subscription: spare_sub["ids"][0]
            .as_str()
            .expect("subscription")
            .to_string(),
        collection,
        question: q,
        dashboard,
        spare_question,
        spare_dashboard,
        spare_collection,
        private_question,
        share,
        field,
        comment,
        spare_comment,
    }
}

/// Who may do what with saved content: viewers open what is shared with their group and
/// run it with their own grants; analysts also save; others see nothing of it.
fn exploration_rows(
    x: &Exploration,
    other: &str,
) -> Vec<(Method, String, Option<Value>, [u16; 5])> {
    let q = &x.question;
    let dsh = &x.dashboard;
    let c = &x.collection;
    let builder = json!({"v": 1, "source": {"table": "sample_shop.main.products"}, "aggregations": [{"op": "count"}]});
    vec![
        (
            Method::GET,
            "/api/v1/questions?search=prod".into(),
            None,
            [401, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/questions".into(),
            Some(json!({"name": "Mine", "query": {"builder": builder}})),
            [401, 403, 201, 201, 201],
        ),
        (
            Method::GET,
            format!("/api/v1/questions/{q}"),
            None,
            [401, 200, 200, 404, 200],
        ),
        (
            Method::PATCH,
            format!("/api/v1/questions/{q}"),
            Some(json!({"description": "Count"})),
            [401, 403, 403, 404, 200],
        ),
        (
            Method::POST,
            format!("/api/v1/questions/{q}/run"),
            Some(json!({})),
            [401, 200, 200, 404, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/questions/{q}/export?format=csv"),
            None,
            [401, 200, 200, 404, 200],
        ),
        (
            Method::POST,
            format!("/api/v1/questions/{q}/duplicate"),
            Some(json!({})),
            [401, 403, 201, 404, 201],
        ),
        (
            Method::GET,
            format!("/api/v1/questions/{q}/versions"),
            None,
            [401, 200, 200, 404, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/questions/{q}/versions/1/diff"),
            None,
            [401, 200, 200, 404, 200],
        ),
        (
            Method::POST,
            format!("/api/v1/questions/{q}/versions/1/restore"),
            None,
            [401, 403, 403, 404, 200],
        ),
        (
            Method::DELETE,
            format!("/api/v1/questions/{}", x.spare_question),
            None,
            [401, 403, 403, 404, 204],
        ),
        // Others may see that products exists (a metadata grant above), not read it.
        (
            Method::POST,
            "/api/v1/builder/run".into(),
            Some(json!({"builder": builder})),
            [401, 200, 200, 403, 200],
        ),
        (
            Method::POST,
            "/api/v1/builder/sql".into(),
            Some(json!({"builder": builder})),
            [401, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/fields?table=sample_shop.main.products".into(),
            None,
            [401, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/fields".into(),
            Some(
                json!({"table": "sample_shop.main.products", "name": "double_id", "expression": "[id] * 2"}),
            ),
            [401, 403, 201, 409, 409],
        ),
        (
            Method::DELETE,
            format!("/api/v1/fields/{}", x.field),
            None,
            [401, 403, 403, 403, 204],
        ),
        (
            Method::GET,
            "/api/v1/collections".into(),
            None,
            [401, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/collections".into(),
            Some(json!({"name": "Mine"})),
            [401, 403, 201, 201, 201],
        ),
        (
            Method::GET,
            format!("/api/v1/collections/{c}"),
            None,
            [401, 200, 200, 404, 200],
        ),
        (
            Method::DELETE,
            format!("/api/v1/collections/{}", x.spare_collection),
            None,
            [401, 403, 403, 404, 204],
        ),
        (
            Method::GET,
            "/api/v1/dashboards".into(),
            None,
            [401, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/dashboards".into(),
            Some(
                json!({"name": "Mine", "cards": [{"question": q, "x": 0, "y": 0, "w": 6, "h": 4}]}),
            ),
            [401, 403, 201, 400, 201],
        ),
        (
            Method::GET,
            format!("/api/v1/dashboards/{dsh}"),
            None,
            [401, 200, 200, 404, 200],
        ),
        (
            Method::PATCH,
            format!("/api/v1/dashboards/{dsh}"),
            Some(json!({"description": "All"})),
            [401, 403, 403, 404, 200],
        ),
        (
            Method::POST,
            format!("/api/v1/dashboards/{dsh}/run"),
            Some(json!({"filters": {}})),
            [401, 200, 200, 404, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/dashboards/{dsh}/versions"),
            None,
            [401, 200, 200, 404, 200],
        ),
        (
            Method::POST,
            format!("/api/v1/dashboards/{dsh}/versions/1/restore"),
            None,
            [401, 403, 403, 404, 200],
        ),
        (
            Method::POST,
            format!("/api/v1/dashboards/{dsh}/duplicate"),
            Some(json!({})),
            [401, 403, 201, 404, 201],
        ),
        (
            Method::DELETE,
            format!("/api/v1/dashboards/{}", x.spare_dashboard),
            None,
            [401, 403, 403, 404, 204],
        ),
        (
            Method::POST,
            "/api/v1/shares".into(),
            Some(
                json!({"object": {"question": x.private_question}, "principal": {"user": other}, "level": "view"}),
            ),
            [401, 404, 404, 404, 201],
        ),
        (
            Method::GET,
            format!("/api/v1/shares?object={c}"),
            None,
            [401, 403, 403, 404, 200],
        ),
        (
            Method::DELETE,
            format!("/api/v1/shares/{}", x.share),
            None,
            [401, 404, 404, 404, 204],
        ),
        (
            Method::GET,
            format!("/api/v1/questions/{q}/comments"),
            None,
            [401, 200, 200, 404, 200],
        ),
        (
            Method::POST,
            format!("/api/v1/questions/{q}/comments"),
            Some(json!({"body": "Agreed"})),
            [401, 201, 201, 404, 201],
        ),
        (
            Method::GET,
            format!("/api/v1/dashboards/{dsh}/comments"),
            None,
            [401, 200, 200, 404, 200],
        ),
        (
            Method::POST,
            format!("/api/v1/dashboards/{dsh}/comments"),
            Some(json!({"body": "Nice"})),
            [401, 201, 201, 404, 201],
        ),
        (
            Method::PATCH,
            format!("/api/v1/comments/{}", x.comment),
            Some(json!({"body": "Edited"})),
            [401, 403, 403, 404, 204],
        ),
        (
            Method::DELETE,
            format!("/api/v1/comments/{}", x.spare_comment),
            None,
            [401, 403, 403, 404, 204],
        ),
        (
            Method::POST,
            "/api/v1/subscriptions".into(),
            Some(
                json!({"object": {"dashboard": dsh}, "schedule": {"every": "weekly", "weekday": 1}}),
            ),
            [401, 201, 201, 404, 201],
        ),
        (
            Method::GET,
            "/api/v1/subscriptions".into(),
            None,
            [401, 200, 200, 200, 200],
        ),
        // No SMTP server on this instance: the admin's send is a clear conflict.
        (
            Method::POST,
            format!("/api/v1/subscriptions/{}/send", x.subscription),
            None,
            [401, 404, 404, 404, 409],
        ),
        (
            Method::DELETE,
            format!("/api/v1/subscriptions/{}", x.spare_subscription),
            None,
            [401, 404, 404, 404, 204],
        ),
        (
            Method::GET,
            format!("/api/v1/dashboards/{dsh}/export?format=pdf"),
            None,
            [401, 200, 200, 404, 200],
        ),
        // Public links: admins switch them on; owners make and revoke them; anyone with
        // the token opens and runs the link (as the restricted principal).
        (
            Method::GET,
            "/api/v1/public-links/settings".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            Method::PUT,
            "/api/v1/public-links/settings".into(),
            Some(json!({"enabled": true, "max_days": 30})),
            [401, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            "/api/v1/public-links".into(),
            Some(json!({"object": {"question": q}, "expires_in_days": 1})),
            [401, 403, 403, 404, 201],
        ),
        (
            Method::GET,
            "/api/v1/public-links".into(),
            None,
            [401, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/public/open".into(),
            Some(json!({"token": x.link_token})),
            [200, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/public/run".into(),
            Some(json!({"token": x.link_token})),
            [200, 200, 200, 200, 200],
        ),
        (
            Method::DELETE,
            format!("/api/v1/public-links/{}", x.spare_link),
            None,
            [401, 404, 404, 404, 204],
        ),
    ]
}

/// Each operation of `/api/v1/openapi.json` is among `called` (the matrix), and has a 2xx
/// answer with a body schema, or a body-less 202/204/302.
async fn every_operation_is_called_and_described(s: &TestServer, called: &[(Method, String)]) {
    let (status, doc) = s.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200, "{doc}");
    let matches = |template: &str, path: &str| {
        let path = path.split('?').next().unwrap_or(path);
        let path = path.strip_prefix("/api/v1").unwrap_or(path);
        let (t, p): (Vec<&str>, Vec<&str>) =
            (template.split('/').collect(), path.split('/').collect());
        t.len() == p.len()
            && t.iter()
                .zip(&p)
                .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}')))
    };
    let mut problems = Vec::new();
    let paths = doc["paths"].as_object().expect("paths");
    for (template, item) in paths {
        for (method, op) in item.as_object().into_iter().flatten() {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            if !called
                .iter()
                .any(|(cm, cp)| *cm == m && matches(template, cp))
            {
                problems.push(format!("{m} {template} is not in the authorization matrix"));
            }
            let described = op["responses"].as_object().is_some_and(|r| {
                r.iter().any(|(code, resp)| {
                    code.starts_with('2')
                        && resp["content"].as_object().is_some_and(|c| !c.is_empty())
                        || matches!(code.as_str(), "202" | "204" | "302")
                })
            });
            if !described {
                problems.push(format!("{m} {template} has no described answer"));
            }
        }
    }
    for (m, p) in called {
        let known = paths
            .iter()
            .any(|(t, item)| matches(t, p) && item.get(m.as_str().to_lowercase()).is_some());
        if !known && !p.contains("nosuch") {
            problems.push(format!("{m} {p} is called but not in the OpenAPI document"));
        }
    }
    assert!(
        problems.is_empty(),
        "OpenAPI coverage:\n{}",
        problems.join("\n")
    );
}

/// A PostgreSQL CRM with personal data in several regions.
async fn crm() -> PgDb {
    PgDb::create(
        "CREATE TABLE people (id int PRIMARY KEY, name text, email text, region text, salary int);
         INSERT INTO people VALUES
           (1, 'Alice Martin', 'alice.martin@corp.example', 'EMEA', 50000),
           (2, 'Bob Stone', 'bob.stone@corp.example', 'AMER', 60000),
           (3, 'Chloé Durand', 'chloe.durand@corp.example', 'EMEA', 70000),
           (4, 'Dan Wu', 'dan.wu@corp.example', 'APAC', 80000);
         CREATE TABLE secrets (id int, payload text);
         INSERT INTO secrets VALUES (1, 'launch codes');",
    )
    .await
}

fn rows(body: &Value) -> Vec<Vec<Value>> {
    body["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("no rows: {body}"))
        .iter()
        .map(|r| r.as_array().cloned().unwrap_or_default())
        .collect()
}

fn columns(body: &Value) -> Vec<String> {
    body["columns"]
        .as_array()
        .unwrap_or_else(|| panic!("no columns: {body}"))
        .iter()
        .map(|c| c["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn query_as(
    s: &TestServer,
    token: &str,
    sql: &str,
    connection: Option<&str>,
) -> (u16, Value) {
    let mut body = json!({"sql": sql});
    if let Some(c) = connection {
        body["connection"] = json!(c);
    }
    s.send_as(Some(token), Method::POST, "/api/v1/query", Some(body))
        .await
}

/// Sets up the CRM on a server: `crm` connection, email (partial) and name (redact)
/// confirmed personal, group `emea` with query on `people` and a row policy on region.
async fn governed_crm(s: &TestServer, db: &PgDb) -> (String, String) {
    let conn = s.add_connection("crm", "postgres", &db.url).await;
    let conn_id = conn["id"].as_str().expect("id").to_string();
    for (column, category, mask) in [("email", "email", "partial"), ("name", "name", "redact")] {
        let (status, body) = s
            .send(
                s.client
                    .put(format!(
                        "{}/api/v1/connections/{conn_id}/classifications",
                        s.base
                    ))
                    .json(
                        &json!({"schema": "public", "table": "people", "column": column,
                                  "categories": [category], "status": "confirmed", "mask": mask}),
                    ),
            )
            .await;
        assert_eq!(status, 200, "classify {column}: {body}");
    }
    let group = s.group("emea", &[]).await;
    s.grant(
        json!({"principal": {"group": group}, "connection": "crm", "schema": "public",
                   "table": "people", "level": "query"}),
    )
    .await;
    let (status, body) = s
        .post(
            "/api/v1/row-policies",
            json!({"group": group, "connection": "crm", "schema": "public", "table": "people",
                   "filter": "region = {{user.region}}"}),
        )
        .await;
    assert_eq!(status, 201, "row policy: {body}");
    (conn_id, group)
}

#[tokio::test]
async fn masks_and_row_policies_hold_on_every_path() {
    let db = crm().await;
    let s = TestServer::with_admin(false).await;
    let (conn_id, group) = governed_crm(&s, &db).await;
    let (ana_id, ana) = s
        .user("ana@example.com", "analyst", json!({"region": "EMEA"}))
        .await;
    s.post(
        &format!("/api/v1/groups/{group}/members"),
        json!({"user": ana_id}),
    )
    .await;

    // Engine SQL: only EMEA rows, name redacted, email partial.
    let (status, body) = query_as(
        &s,
        &ana,
        "SELECT * FROM crm.public.people ORDER BY id",
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(columns(&body), ["id", "name", "email", "region", "salary"]);
    let r = rows(&body);
    assert_eq!(r.len(), 2, "only EMEA rows: {body}");
    assert_eq!(r[0][1], json!("***"));
    assert_eq!(r[0][2], json!("a***@corp.example"));
    assert!(r.iter().all(|row| row[3] == json!("EMEA")));
    let text = body.to_string();
    assert!(
        !text.contains("alice.martin@") && !text.contains("Alice"),
        "{text}"
    );

    // Ways around the policy answer within it.
    for sql in [
        "SELECT count(*) AS n FROM crm.public.people WHERE region <> 'EMEA'",
        "SELECT count(*) AS n FROM crm.public.people WHERE email = 'bob.stone@corp.example'",
        "SELECT count(*) AS n FROM crm.public.people WHERE email LIKE 'alice%'",
        "WITH p AS (SELECT * FROM crm.public.people) SELECT count(*) AS n FROM p WHERE region = 'APAC'",
        "SELECT count(*) AS n FROM (SELECT * FROM crm.public.people) x JOIN crm.public.people y ON x.id = y.id WHERE x.salary > 75000",
    ] {
        let (status, body) = query_as(&s, &ana, sql, None).await;
        assert_eq!(status, 200, "{sql}: {body}");
        assert_eq!(
            rows(&body)[0][0],
            json!(0),
            "{sql} saw past the policy: {body}"
        );
    }
    // A predicate that fails on a hidden row must not run on it (no error oracle).
    let (status, body) = query_as(
        &s,
        &ana,
        "SELECT count(*) AS n FROM crm.public.people WHERE 1 / (salary - 80000) IS NOT NULL",
        None,
    )
    .await;
    assert_eq!(
        status, 200,
        "the APAC row (salary 80000) is never evaluated: {body}"
    );

    // Native SQL goes past masks and policies: refused.
    let (status, body) = query_as(&s, &ana, "SELECT email FROM people", Some("crm")).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(error_code(&body), "native_sql_not_allowed");

    // CSV export: the same rows and masks.
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/query", s.base))
        .bearer_auth(&ana)
        .header("accept", "text/csv")
        .json(&json!({"sql": "SELECT * FROM crm.public.people ORDER BY id"}))
        .send()
        .await
        .expect("csv");
    assert_eq!(res.status().as_u16(), 200);
    let csv = res.text().await.expect("csv body");
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(
        csv.contains("a***@corp.example") && !csv.contains("alice.martin@"),
        "{csv}"
    );
    let (_, audit) = s.get("/api/v1/audit?action=query.export").await;
    assert_eq!(
        audit["entries"][0]["actor"],
        json!(ana_id),
        "the export is audited"
    );

    // A table without a grant is absent: the same error as a table that does not exist.
    let (s1, hidden) = query_as(&s, &ana, "SELECT * FROM crm.public.secrets", None).await;
    let (s2, missing) = query_as(&s, &ana, "SELECT * FROM crm.public.nosuch", None).await;
    assert_eq!((s1, s2), (404, 404), "{hidden} / {missing}");
    assert_eq!(
        hidden["error"]["message"]
            .as_str()
            .map(|m| m.replace("secrets", "X")),
        missing["error"]["message"]
            .as_str()
            .map(|m| m.replace("nosuch", "X")),
    );
    // The schema browser agrees: no `secrets`, masks marked.
    let (_, schema) = s
        .send_as(
            Some(&ana),
            Method::GET,
            &format!("/api/v1/connections/{conn_id}/schema"),
            None,
        )
        .await;
    let tables: Vec<&str> = schema["schemas"][0]["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(tables, ["people"], "{schema}");
    assert_eq!(
        schema["schemas"][0]["tables"][0]["columns"][2]["masked"],
        json!("partial")
    );

    // Answered from an encrypted replica: the same policy and masks.
    let (status, body) = s
        .post(
            &format!("/api/v1/connections/{conn_id}/replicas"),
            json!({"table": "public.people", "mode": "full"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = s
        .post(
            &format!("/api/v1/connections/{conn_id}/sync?wait=true"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = query_as(
        &s,
        &ana,
        "SELECT * FROM crm.public.people ORDER BY id",
        None,
    )
    .await;
    assert_eq!(
        body["sources"][0]["served_from"],
        json!("replica"),
        "{body}"
    );
    let r = rows(&body);
    assert_eq!(r.len(), 2, "{body}");
    assert_eq!(r[1][2], json!("c***@corp.example"));
    let (_, body) = query_as(
        &s,
        &ana,
        "SELECT count(*) AS n FROM crm.public.people WHERE region = 'APAC'",
        None,
    )
    .await;
    assert_eq!(rows(&body)[0][0], json!(0), "{body}");
    // In the engine (replica), a predicate failing on a hidden row must not reach it.
    let (status, body) = query_as(
        &s,
        &ana,
        "SELECT count(*) AS n FROM crm.public.people WHERE 1 / (salary - 80000) IS NOT NULL",
        None,
    )
    .await;
    assert_eq!(
        status, 200,
        "the hidden APAC row (salary 80000) was evaluated: {body}"
    );

    // The pii level on the email column unmasks it, rows stay filtered.
    s.grant(
        json!({"principal": {"user": ana_id}, "connection": "crm", "schema": "public",
                   "table": "people", "column": "email", "level": "pii"}),
    )
    .await;
    let (_, body) = query_as(
        &s,
        &ana,
        "SELECT * FROM crm.public.people ORDER BY id",
        None,
    )
    .await;
    let r = rows(&body);
    assert_eq!(r.len(), 2);
    assert_eq!(r[0][2], json!("alice.martin@corp.example"));
    assert_eq!(r[0][1], json!("***"), "name is still masked");

    // A member without the attribute sees nothing (NULL never matches).
    let (bo_id, bo) = s.user("bo@example.com", "analyst", json!({})).await;
    s.post(
        &format!("/api/v1/groups/{group}/members"),
        json!({"user": bo_id}),
    )
    .await;
    let (_, body) = query_as(&s, &bo, "SELECT count(*) AS n FROM crm.public.people", None).await;
    assert_eq!(rows(&body)[0][0], json!(0), "{body}");

    // Column-level grants: only the granted columns exist.
    let (cy_id, cy) = s.user("cy@example.com", "analyst", json!({})).await;
    for column in ["id", "region"] {
        s.grant(
            json!({"principal": {"user": cy_id}, "connection": "crm", "schema": "public",
                       "table": "people", "column": column, "level": "query"}),
        )
        .await;
    }
    let (status, body) =
        query_as(&s, &cy, "SELECT * FROM crm.public.people ORDER BY id", None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(columns(&body), ["id", "region"]);
    assert_eq!(rows(&body).len(), 4);
    let (status, body) = query_as(&s, &cy, "SELECT salary FROM crm.public.people", None).await;
    assert!(status == 400 || status == 404, "{status} {body}");
    assert!(!body.to_string().contains("50000"));

    // Metadata only: the table is listed, its rows are not readable.
    let (dee_id, dee) = s.user("dee@example.com", "analyst", json!({})).await;
    s.grant(
        json!({"principal": {"user": dee_id}, "connection": "crm", "schema": "public",
                   "table": "secrets", "level": "metadata"}),
    )
    .await;
    let (status, body) = query_as(&s, &dee, "SELECT * FROM crm.public.secrets", None).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(error_code(&body), "permission_denied");
    assert!(!body.to_string().contains("launch"));

    // An unrestricted grant (pii on the whole connection, no policy) allows native SQL.
    let (eve_id, eve) = s.user("eve@example.com", "analyst", json!({})).await;
    s.grant(json!({"principal": {"user": eve_id}, "connection": "crm", "level": "pii"}))
        .await;
    let (status, body) = query_as(&s, &eve, "SELECT count(*) AS n FROM people", Some("crm")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(rows(&body)[0][0], json!(4));
    db.drop_db().await;
}

#[tokio::test]
async fn the_cache_never_serves_one_callers_result_to_another() {
    let db = crm().await;
    let s = TestServer::with_admin_using(false, |c| c.cache_live = true).await;
    let (_, group) = governed_crm(&s, &db).await;
    let (masked_id, masked) = s
        .user("masked@example.com", "analyst", json!({"region": "EMEA"}))
        .await;
    let (clear_id, clear) = s
        .user("clear@example.com", "analyst", json!({"region": "EMEA"}))
        .await;
    let (amer_id, amer) = s
        .user("amer@example.com", "analyst", json!({"region": "AMER"}))
        .await;
    for u in [&masked_id, &clear_id, &amer_id] {
        s.post(
            &format!("/api/v1/groups/{group}/members"),
            json!({"user": u}),
        )
        .await;
    }
    s.grant(
        json!({"principal": {"user": clear_id}, "connection": "crm", "schema": "public",
                   "table": "people", "level": "pii"}),
    )
    .await;
    let sql = "SELECT id, name, email FROM crm.public.people ORDER BY id";
    let expect = |who: &str, body: &Value| {
        let r = rows(body);
        match who {
            "masked" => assert_eq!(
                r,
                vec![
                    vec![json!(1), json!("***"), json!("a***@corp.example")],
                    vec![json!(3), json!("***"), json!("c***@corp.example")]
                ],
                "{body}"
            ),
            "clear" => assert_eq!(r[0][2], json!("alice.martin@corp.example"), "{body}"),
            _ => assert_eq!(
                r,
                vec![vec![json!(2), json!("***"), json!("b***@corp.example")]],
                "{body}"
            ),
        }
    };
    let mut caches = Vec::new();
    for round in 0..2 {
        for (who, token) in [("masked", &masked), ("clear", &clear), ("amer", &amer)] {
            let (status, body) = query_as(&s, token, sql, None).await;
            assert_eq!(status, 200, "{body}");
            expect(who, &body);
            caches.push((round, who, body["cache"].as_str().unwrap_or("").to_string()));
        }
    }
    // The second round is answered from the cache, each from their own entry.
    assert!(
        caches.iter().filter(|c| c.0 == 1).all(|c| c.2 == "hit"),
        "{caches:?}"
    );
    // A grant change takes effect at once, whatever the cache holds.
    let (_, grants) = s.get(&format!("/api/v1/grants?user={clear_id}")).await;
    let gid = grants["grants"][0]["id"]
        .as_str()
        .expect("grant id")
        .to_string();
    s.delete(&format!("/api/v1/grants/{gid}")).await;
    let (_, body) = query_as(&s, &clear, sql, None).await;
    assert_eq!(rows(&body)[0][2], json!("a***@corp.example"), "{body}");
    // Both grant changes are attributable.
    let (_, audit) = s.get("/api/v1/audit?action=grant.").await;
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"grant.create") && actions.contains(&"grant.delete"),
        "{actions:?}"
    );
    db.drop_db().await;
}

#[tokio::test]
async fn api_tokens_are_scoped_shown_once_and_revocable() {
    let s = TestServer::with_admin(true).await;
    let mut made = Vec::new();
    for scope in ["read", "query", "admin"] {
        let (status, body) = s
            .post(
                "/api/v1/tokens",
                json!({"name": format!("{scope} token"), "scope": scope}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        made.push((
            scope,
            body["token"].as_str().expect("token").to_string(),
            body["id"].as_str().expect("id").to_string(),
        ));
    }
    let q = json!({"sql": "SELECT count(*) AS n FROM sample_shop.main.products"});
    let g = |n: &str| json!({"name": n});
    for (scope, token, _) in &made {
        let (read, _) = s
            .send_as(Some(token), Method::GET, "/api/v1/connections", None)
            .await;
        let (query, _) = s
            .send_as(Some(token), Method::POST, "/api/v1/query", Some(q.clone()))
            .await;
        let (admin, body) = s
            .send_as(Some(token), Method::POST, "/api/v1/groups", Some(g(scope)))
            .await;
        let expect = match *scope {
            "read" => (200, 403, 403),
            "query" => (200, 200, 403),
            _ => (200, 200, 201),
        };
        assert_eq!((read, query, admin), expect, "{scope}: {body}");
        if admin == 403 {
            assert_eq!(error_code(&body), "token_scope_insufficient");
        }
    }
    // A token cannot make tokens beyond itself.
    let (status, _) = s
        .send_as(
            Some(&made[0].1),
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "escalate", "scope": "admin"})),
        )
        .await;
    assert_eq!(status, 403);
    // Listed without the token; stored only hashed.
    let (_, list) = s.get("/api/v1/sessions").await;
    let text = list.to_string();
    for (_, token, _) in &made {
        assert!(!text.contains(token.as_str()));
    }
    assert!(text.contains("read token"));
    let dir = s.data_dir.clone();
    let mut app_db = Vec::new();
    for f in ["proost.db", "proost.db-wal"] {
        app_db.extend(std::fs::read(dir.join(f)).unwrap_or_default());
    }
    for (_, token, _) in &made {
        assert!(
            !app_db.windows(token.len()).any(|w| w == token.as_bytes()),
            "a token is in the app database in plaintext"
        );
    }
    // Revoked: dead at once.
    let (status, _) = s.delete(&format!("/api/v1/sessions/{}", made[1].2)).await;
    assert_eq!(status, 204);
    let (status, _) = s
        .send_as(Some(&made[1].1), Method::GET, "/api/v1/connections", None)
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn login_never_adopts_a_session_the_browser_brought() {
    let s = TestServer::with_admin(true).await;
    s.user("victim@example.com", "analyst", json!({})).await;
    // The attacker's own valid session, planted in the victim's browser.
    let planted = s.token_for(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let victim = reqwest::Client::builder().build().expect("client");
    let res = victim
        .post(format!("{}/api/v1/session", s.base))
        .header("cookie", format!("proost_session={planted}"))
        .json(&json!({"email": "victim@example.com", "password": USER_PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status().as_u16(), 200);
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(cookie.starts_with("proost_session=") && !cookie.contains(&planted));
    let (status, _) = s
        .send_as(Some(&planted), Method::GET, "/api/v1/session", None)
        .await;
    assert_eq!(
        status, 401,
        "the planted session ended at the victim's login"
    );
    // An invented cookie value is never a session.
    let (status, _) = s
        .send_as(
            Some("attacker-chosen-value"),
            Method::GET,
            "/api/v1/session",
            None,
        )
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn idle_sessions_end_and_users_manage_their_own() {
    let mut s =
        TestServer::with_admin_using(true, |c| c.session_idle = std::time::Duration::from_secs(2))
            .await;
    let (id, t1) = s.user("ida@example.com", "viewer", json!({})).await;
    let t2 = s.token_for("ida@example.com", USER_PASSWORD).await;
    let (_, list) = s
        .send_as(Some(&t1), Method::GET, "/api/v1/sessions", None)
        .await;
    let sessions = list["sessions"].as_array().expect("sessions");
    assert_eq!(sessions.len(), 2, "{list}");
    let other = sessions
        .iter()
        .find(|x| x["current"] == json!(false))
        .and_then(|x| x["id"].as_str())
        .expect("other session")
        .to_string();
    let (status, _) = s
        .send_as(
            Some(&t1),
            Method::DELETE,
            &format!("/api/v1/sessions/{other}"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = s
        .send_as(Some(&t2), Method::GET, "/api/v1/session", None)
        .await;
    assert_eq!(status, 401);
    // Idle past the timeout: ended.
    tokio::time::sleep(std::time::Duration::from_millis(3200)).await;
    let (status, body) = s
        .send_as(Some(&t1), Method::GET, "/api/v1/session", None)
        .await;
    assert_eq!(status, 401);
    assert_eq!(error_code(&body), "session_expired");
    // Deactivated users lose every session and cannot log in.
    s.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let t3 = s.token_for("ida@example.com", USER_PASSWORD).await;
    let (status, _) = s
        .send(
            s.client
                .patch(format!("{}/api/v1/users/{id}", s.base))
                .json(&json!({"active": false})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = s
        .send_as(Some(&t3), Method::GET, "/api/v1/session", None)
        .await;
    assert_eq!(status, 401);
    let (status, _) = s
        .send_as(
            None,
            Method::POST,
            "/api/v1/session",
            Some(json!({"email": "ida@example.com", "password": USER_PASSWORD})),
        )
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn invites_work_once_and_sso_users_have_no_password() {
    let s = TestServer::with_admin(true).await;
    let (status, body) = s
        .post(
            "/api/v1/users",
            json!({"email": "inv@example.com", "name": "Invited", "role": "viewer",
                   "business_phone": "+31 20 123 4567", "attributes": {"region": "EMEA"}}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let url = body["invite_url"].as_str().expect("invite url");
    let token = url.split_once('#').expect("token in fragment").1;
    let accept = json!({"token": token, "password": "my own long passphrase"});
    let (status, _) = s.post("/api/v1/invites/accept", accept.clone()).await;
    assert_eq!(status, 200);
    let (status, body) = s.post("/api/v1/invites/accept", accept).await;
    assert_eq!((status, error_code(&body)), (403, "invite_invalid".into()));
    let inv = s
        .token_for("inv@example.com", "my own long passphrase")
        .await;
    // Changing one's own password needs the current one, keeps this session, ends others.
    let elsewhere = s
        .token_for("inv@example.com", "my own long passphrase")
        .await;
    let (_, me) = s
        .send_as(Some(&inv), Method::GET, "/api/v1/session", None)
        .await;
    let me_path = format!("/api/v1/users/{}", me["id"].as_str().expect("id"));
    let new_password = json!({"password": "a newer long passphrase"});
    let (status, body) = s
        .send_as(Some(&inv), Method::PATCH, &me_path, Some(new_password))
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (403, "current_password_invalid".into())
    );
    let change = json!({"password": "a newer long passphrase", "current_password": "my own long passphrase"});
    let (status, body) = s
        .send_as(Some(&inv), Method::PATCH, &me_path, Some(change))
        .await;
    assert_eq!(status, 200, "{body}");
    let (mine, _) = s
        .send_as(Some(&inv), Method::GET, "/api/v1/session", None)
        .await;
    let (other, _) = s
        .send_as(Some(&elsewhere), Method::GET, "/api/v1/session", None)
        .await;
    assert_eq!(
        (mine, other),
        (200, 401),
        "the changing session stays, the other ends"
    );

    // SSO enforced: the password stops working and cannot be set or reset.
    let (_, user) = s
        .post(
            "/api/v1/users",
            json!({"email": "sso@example.com", "name": "Sso", "role": "analyst",
                   "password": "a password before sso"}),
        )
        .await;
    let id = user["id"].as_str().expect("id");
    let patch = |b: Value| {
        s.client
            .patch(format!("{}/api/v1/users/{id}", s.base))
            .json(&b)
    };
    let (status, body) = s.send(patch(json!({"sso_enforced": true}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["has_password"], json!(false));
    let (status, body) = s
        .send_as(
            None,
            Method::POST,
            "/api/v1/session",
            Some(json!({"email": "sso@example.com", "password": "a password before sso"})),
        )
        .await;
    assert_eq!((status, error_code(&body)), (403, "sso_required".into()));
    let (status, _) = s
        .send(patch(json!({"password": "another long password"})))
        .await;
    assert_eq!(status, 400);
    let (status, _) = s
        .post(&format!("/api/v1/users/{id}/invite"), json!({}))
        .await;
    assert_eq!(status, 400);

    // The last admin cannot demote themselves.
    let (_, me) = s.get("/api/v1/session").await;
    let me = me["id"].as_str().expect("id").to_string();
    let (status, body) = s
        .send(
            s.client
                .patch(format!("{}/api/v1/users/{me}", s.base))
                .json(&json!({"role": "viewer"})),
        )
        .await;
    assert_eq!((status, error_code(&body)), (409, "last_admin".into()));

    // Custom role: reads the audit log, runs no SQL.
    s.post(
        "/api/v1/roles",
        json!({"name": "auditor", "capabilities": ["read_audit"]}),
    )
    .await;
    let (_, aud) = s.user("aud@example.com", "auditor", json!({})).await;
    let (status, _) = s
        .send_as(Some(&aud), Method::GET, "/api/v1/audit", None)
        .await;
    assert_eq!(status, 200);
    let (status, _) = query_as(&s, &aud, "SELECT 1", None).await;
    assert_eq!(status, 403);

    // Every change is in the audit log, and the chain holds.
    let (_, audit) = s.get("/api/v1/audit").await;
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for a in [
        "user.create",
        "invite.accept",
        "user.update",
        "role.create",
        "login.failed",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    assert_eq!(audit["chain_intact"], json!(true));
    let (_, filtered) = s.get("/api/v1/audit?action=user.&limit=2").await;
    let entries = filtered["entries"].as_array().expect("entries");
    assert!(
        entries.len() <= 2
            && entries
                .iter()
                .all(|e| e["action"].as_str().is_some_and(|a| a.starts_with("user."))),
        "{filtered}"
    );
}

/// Every JSON endpoint and every page an analyst and a viewer can reach, rendered and
/// searched for the names of a schema, a table and a column no grant of theirs reaches.
#[tokio::test]
async fn hidden_names_never_appear_on_any_page_or_endpoint() {
    let db = PgDb::create(
        "CREATE TABLE shared_tbl (id int, visible_col text, secret_col_zq text);
         INSERT INTO shared_tbl VALUES (1, 'v', 's');
         CREATE TABLE hidden_tbl_zq (x int);
         CREATE SCHEMA hidden_schema_zq;
         CREATE TABLE hidden_schema_zq.t (y int);",
    )
    .await;
    let s = TestServer::with_admin(false).await;
    let conn = s.add_connection("crm", "postgres", &db.url).await;
    let id = conn["id"].as_str().expect("id").to_string();
    // The account is a superuser: its privilege warnings name every table.
    assert!(
        conn["warnings"].to_string().contains("hidden"),
        "warnings: {conn}"
    );
    for (schema, table, column) in [
        ("public", "shared_tbl", "secret_col_zq"),
        ("public", "hidden_tbl_zq", "x"),
        ("hidden_schema_zq", "t", "y"),
        ("public", "shared_tbl", "visible_col"),
    ] {
        let (status, body) = s
            .send(
                s.client
                    .put(format!(
                        "{}/api/v1/connections/{id}/classifications",
                        s.base
                    ))
                    .json(&json!({"schema": schema, "table": table, "column": column,
                                  "categories": ["name"], "status": "confirmed"})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (ana_id, ana) = s.user("ana@example.com", "analyst", json!({})).await;
    let (vera_id, vera) = s.user("vera@example.com", "viewer", json!({})).await;
    let group = s.group("readers", &[&ana_id, &vera_id]).await;
    for column in ["id", "visible_col"] {
        s.grant(
            json!({"principal": {"group": group}, "connection": "crm", "schema": "public",
                        "table": "shared_tbl", "column": column, "level": "query"}),
        )
        .await;
    }
    let hidden = ["hidden_tbl_zq", "hidden_schema_zq", "secret_col_zq"];
    let json_paths = [
        "/api/v1/session".to_string(),
        "/api/v1/connections".into(),
        format!("/api/v1/connections/{id}"),
        format!("/api/v1/connections/{id}/schema"),
        format!("/api/v1/connections/{id}/classifications"),
        format!("/api/v1/connections/{id}/replicas"),
        "/api/v1/sessions".into(),
        "/api/v1/audit".into(),
        "/api/v1/users".into(),
        "/api/v1/groups".into(),
        "/api/v1/roles".into(),
        "/api/v1/grants".into(),
        "/api/v1/row-policies".into(),
        "/api/v1/usage".into(),
        "/api/v1/instance".into(),
        "/api/v1/inventory".into(),
        "/api/v1/sso".into(),
    ];
    let pages = [
        "/".to_string(),
        "/sql".into(),
        "/connections".into(),
        format!("/connections/{id}"),
        "/account".into(),
        "/admin/people".into(),
        "/admin/audit".into(),
        "/admin/inventory".into(),
        "/admin/usage".into(),
    ];
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for (who, token) in [("analyst", &ana), ("viewer", &vera)] {
        let mut seen = String::new();
        for path in json_paths.iter().chain(pages.iter()) {
            let res = client
                .get(format!("{}{path}", s.base))
                .bearer_auth(token)
                .send()
                .await
                .expect("request");
            let status = res.status().as_u16();
            let text = res.text().await.expect("body");
            assert!(status < 500, "{who} {path}: {status} {text}");
            for h in hidden {
                assert!(!text.contains(h), "{who} {path} names {h}: {text}");
            }
            seen.push_str(&text);
        }
        // Not vacuous: what the grants reach is shown.
        assert!(
            seen.contains("shared_tbl") && seen.contains("visible_col"),
            "{who}"
        );
        assert!(
            seen.contains("2 columns"),
            "{who}: the column count counts what is granted"
        );
        // Planning errors list only the columns the caller sees.
        if who == "analyst" {
            let (_, body) =
                query_as(&s, token, "SELECT nope FROM crm.public.shared_tbl", None).await;
            let text = body.to_string();
            assert!(
                text.contains("visible_col") || !text.contains("secret"),
                "{text}"
            );
            assert!(!text.contains("secret_col_zq"), "{text}");
            let (_, body) = query_as(&s, token, "SELECT * FROM crm.hidden_schema_zq.t", None).await;
            assert_eq!(error_code(&body), "table_not_found", "{body}");
        }
    }
    // The admin still sees all of it, warnings included.
    let (_, page) = s.get(&format!("/api/v1/connections/{id}/schema")).await;
    assert!(page.to_string().contains("hidden_schema_zq"));
    db.drop_db().await;
}
