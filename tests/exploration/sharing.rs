//! Saved questions, dashboards, shares and comments through the API: a shared question runs
//! with the viewer's grants, masks and row policies, never the author's; two viewers of one
//! dashboard never get each other's cached answers; comments notify and are gone when
//! deleted; exports are audited and governed.

use serde_json::{Value, json};

use crate::common::{PgDb, TestServer, error_code};
use crate::mail::{mail_to, start_sink};

const SETUP: &str = "
CREATE TABLE customers (id int PRIMARY KEY, name text, email text, region text, spend numeric(10,2));
INSERT INTO customers VALUES
 (1, 'Ann Ames', 'ann@example.com', 'EU', 120.00), (2, 'Bob Burr', 'bob@example.com', 'EU', 80.50),
 (3, 'Cid Cole', 'cid@example.com', 'US', 300.00), (4, 'Dee Dunn', 'dee@example.com', 'US', 45.25),
 (5, 'Eve Ek', 'eve@example.com', 'APAC', 99.99);
";

fn rows(v: &Value) -> Vec<Value> {
    v["rows"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn shared_content_runs_with_each_viewers_own_access() {
    let sink = start_sink().await;
    let port = sink.port;
    let s = TestServer::with_admin_using(false, |c| c.mail = Some(mail_to(port))).await;
    let pg = PgDb::create(SETUP).await;
    s.add_connection("crm", "postgres", &pg.url).await;
    let (ana, ana_t) = s.user("ana@example.com", "analyst", json!({})).await;
    let (eu, eu_t) = s.user("vic@example.com", "viewer", json!({})).await;
    let (us, us_t) = s.user("uma@example.com", "viewer", json!({})).await;
    let (_, out_t) = s.user("oz@example.com", "viewer", json!({})).await;
    let eu_group = s.group("eu-team", &[&eu]).await;
    let us_group = s.group("us-team", &[&us]).await;
    s.grant(json!({"principal": {"user": ana}, "connection": "crm", "level": "pii"}))
        .await;
    for g in [&eu_group, &us_group] {
        s.grant(json!({"principal": {"group": g}, "connection": "crm", "level": "query"}))
            .await;
    }
    // Constant policy texts: no value is formatted into them.
    for (g, filter) in [(&eu_group, "region = 'EU'"), (&us_group, "region = 'US'")] {
        let (status, body) = s
            .post(
                "/api/v1/row-policies",
                json!({"group": g, "connection": "crm", "schema": "public", "table": "customers",
                       "filter": filter}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let as_ = |t: &str| Some(t.to_string());
    let call = |t: Option<String>, m: reqwest::Method, p: String, b: Option<Value>| {
        let s = &s;
        async move { s.send_as(t.as_deref(), m, &p, b).await }
    };
    use reqwest::Method as M;

    // The analyst builds and saves a question (rows, with emails) and a chart, and a
    // dashboard with a region filter wired to the builder field.
    let rows_q = json!({"name": "Customers", "query": {"builder": {"v": 1,
        "source": {"table": "crm.public.customers"}, "fields": ["name", "email", "region", "spend"],
        "order": [{"column": "spend", "desc": true}]}}});
    let (status, body) = call(
        as_(&ana_t),
        M::POST,
        "/api/v1/questions".into(),
        Some(rows_q),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let q = body["id"].as_str().expect("id").to_string();
    let chart_q = json!({"name": "Spend by region", "query": {"builder": {"v": 1,
        "source": {"table": "crm.public.customers"}, "breakouts": [{"column": "region"}],
        "aggregations": [{"op": "sum", "column": "spend", "name": "spend"}]}},
        "visualization": {"type": "bar"}});
    let (_, body) = call(
        as_(&ana_t),
        M::POST,
        "/api/v1/questions".into(),
        Some(chart_q),
    )
    .await;
    let chart = body["id"].as_str().expect("id").to_string();
    let dash = json!({"name": "Customers", "cards": [
        {"question": q, "x": 0, "y": 0, "w": 12, "h": 6},
        {"question": chart, "x": 12, "y": 0, "w": 12, "h": 6},
        {"heading": "Notes", "x": 0, "y": 6, "w": 24, "h": 1}],
        "filters": [{"name": "Region", "type": "category", "targets": [{"card": 0, "field": "region"}, {"card": 1, "field": "region"}]}]});
    let (status, body) = call(
        as_(&ana_t),
        M::POST,
        "/api/v1/dashboards".into(),
        Some(dash),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let d = body["id"].as_str().expect("id").to_string();

    // The author sees every region, emails unmasked (pii).
    let (status, mine) = call(
        as_(&ana_t),
        M::POST,
        format!("/api/v1/questions/{q}/run"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(rows(&mine).len(), 5);
    assert!(mine.to_string().contains("cid@example.com"));

    // Not shared yet: the viewers do not see it exists.
    let (status, _) = call(as_(&eu_t), M::GET, format!("/api/v1/questions/{q}"), None).await;
    assert_eq!(status, 404);
    for id in [&q, &chart] {
        for g in [&eu_group, &us_group] {
            let (status, body) = call(
                as_(&ana_t),
                M::POST,
                "/api/v1/shares".into(),
                Some(
                    json!({"object": {"question": id}, "principal": {"group": g}, "level": "view"}),
                ),
            )
            .await;
            assert_eq!(status, 201, "{body}");
        }
    }
    for g in [&eu_group, &us_group] {
        call(
            as_(&ana_t),
            M::POST,
            "/api/v1/shares".into(),
            Some(json!({"object": {"dashboard": d}, "principal": {"group": g}, "level": "view"})),
        )
        .await;
    }

    // Each viewer gets their own rows and masked emails; twice, so the second comes from
    // the cache — still their own.
    for _ in 0..2 {
        for (t, region, other) in [(&eu_t, "EU", "US"), (&us_t, "US", "EU")] {
            let (status, got) = call(
                as_(t),
                M::POST,
                format!("/api/v1/questions/{q}/run"),
                Some(json!({})),
            )
            .await;
            assert_eq!(status, 200, "{got}");
            let text = got.to_string();
            assert!(rows(&got).iter().all(|r| r[2] == region), "{region}: {got}");
            assert!(!text.contains(&format!("\"{other}\"")), "{got}");
            assert!(
                ["ann@", "bob@", "cid@", "dee@"]
                    .iter()
                    .all(|e| !text.contains(e)),
                "emails masked for viewers: {got}"
            );
            assert_eq!(got["columns"][1]["mask"], "partial");
            let (status, board) = call(
                as_(t),
                M::POST,
                format!("/api/v1/dashboards/{d}/run"),
                Some(json!({"filters": {}})),
            )
            .await;
            assert_eq!(status, 200, "{board}");
            let cards = board["cards"].as_array().expect("cards");
            assert_eq!(cards.len(), 2, "question cards only: {board}");
            let bars = &cards[1]["result"];
            assert_eq!(rows(bars).len(), 1, "one region's bar: {board}");
            assert_eq!(rows(bars)[0][0], region);
            assert_eq!(bars["chart"]["kind"], "echarts");
            assert!(
                !board.to_string().contains(&format!("\"{other}\"")),
                "{board}"
            );
        }
    }
    // A dashboard filter narrows the cards (the analyst, all regions).
    let (_, board) = call(
        as_(&ana_t),
        M::POST,
        format!("/api/v1/dashboards/{d}/run"),
        Some(json!({"filters": {"Region": "APAC"}})),
    )
    .await;
    assert_eq!(rows(&board["cards"][0]["result"]).len(), 1, "{board}");
    assert_eq!(rows(&board["cards"][1]["result"])[0][0], "APAC");

    // Someone it was not shared with: not found; and a viewer without the table's grant
    // who is given the question sees the card's error, not its data.
    let (status, _) = call(
        as_(&out_t),
        M::POST,
        format!("/api/v1/questions/{q}/run"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 404);
    let (_, oz) = s.get("/api/v1/users").await;
    let oz_id = oz["users"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["email"] == "oz@example.com"))
        .and_then(|u| u["id"].as_str())
        .expect("oz")
        .to_string();
    call(
        as_(&ana_t),
        M::POST,
        "/api/v1/shares".into(),
        Some(json!({"object": {"dashboard": d}, "principal": {"user": oz_id}, "level": "view"})),
    )
    .await;
    let (status, board) = call(
        as_(&out_t),
        M::POST,
        format!("/api/v1/dashboards/{d}/run"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200, "{board}");
    for c in board["cards"].as_array().expect("cards") {
        assert!(c.get("result").is_none(), "{board}");
        assert!(c["error"]["code"].is_string(), "{board}");
    }
    assert!(!board.to_string().contains("Ann Ames"));

    // Viewers may not change it; the owner may, and every save is a version.
    let (status, body) = call(
        as_(&eu_t),
        M::PATCH,
        format!("/api/v1/questions/{q}"),
        Some(json!({"name": "Mine now"})),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(error_code(&body), "content_forbidden");
    let (status, body) = call(
        as_(&ana_t),
        M::PATCH,
        format!("/api/v1/questions/{q}"),
        Some(json!({"name": "Top customers"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["version"], 2);
    let (_, diff) = call(
        as_(&ana_t),
        M::GET,
        format!("/api/v1/questions/{q}/versions/1/diff"),
        None,
    )
    .await;
    assert_eq!(
        diff["changes"],
        json!([{"path": "/name", "before": "Customers", "after": "Top customers"}]),
        "{diff}"
    );
    let (status, restored) = call(
        as_(&ana_t),
        M::POST,
        format!("/api/v1/questions/{q}/versions/1/restore"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!(
        (restored["name"].clone(), restored["version"].clone()),
        (json!("Customers"), json!(3))
    );
    let (_, versions) = call(
        as_(&eu_t),
        M::GET,
        format!("/api/v1/questions/{q}/versions"),
        None,
    )
    .await;
    assert_eq!(
        versions["versions"].as_array().map(Vec::len),
        Some(3),
        "{versions}"
    );
    let (_, found) = call(
        as_(&eu_t),
        M::GET,
        "/api/v1/questions?search=custom".into(),
        None,
    )
    .await;
    assert_eq!(
        found["questions"].as_array().map(Vec::len),
        Some(1),
        "{found}"
    );
    let (_, found) = call(
        as_(&out_t),
        M::GET,
        "/api/v1/questions?search=custom".into(),
        None,
    )
    .await;
    assert_eq!(found["questions"], json!([]), "{found}");

    // Exports: governed, audited.
    let res = reqwest::Client::new()
        .get(format!("{}/api/v1/questions/{q}/export?format=csv", s.base))
        .bearer_auth(&eu_t)
        .send()
        .await
        .expect("export");
    assert_eq!(res.status().as_u16(), 200);
    let csv = res.text().await.expect("csv");
    assert!(csv.starts_with("name,email,region,spend"), "{csv}");
    assert!(!csv.contains("ann@") && !csv.contains(",US,"), "{csv}");
    let res = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/questions/{q}/export?format=xlsx",
            s.base
        ))
        .bearer_auth(&us_t)
        .send()
        .await
        .expect("export");
    assert_eq!(res.status().as_u16(), 200);
    let bytes = res.bytes().await.expect("xlsx");
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
    let (_, audit) = s.get("/api/v1/audit?action=question.export").await;
    let exports = audit["entries"].as_array().map(Vec::len).unwrap_or(0);
    assert!(exports >= 2, "{audit}");

    // Comments: a mention emails the person named; the author deletes theirs and it is gone.
    let (status, body) = call(
        as_(&eu_t),
        M::POST,
        format!("/api/v1/questions/{q}/comments"),
        Some(json!({"body": "Is Ann right here, @ana?"})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let comment = body["id"].as_str().expect("id").to_string();
    let mail = sink.wait_for(1).await;
    assert!(
        mail.iter()
            .any(|m| m.contains("X-Envelope-To: ana@example.com") && m.contains("mentioned you")),
        "{mail:?}"
    );
    let (_, list) = call(
        as_(&us_t),
        M::GET,
        format!("/api/v1/questions/{q}/comments"),
        None,
    )
    .await;
    assert_eq!(list["comments"][0]["body"], "Is Ann right here, @ana?");
    assert_eq!(list["comments"][0]["mine"], false);
    let (status, _) = call(
        as_(&us_t),
        M::DELETE,
        format!("/api/v1/comments/{comment}"),
        None,
    )
    .await;
    assert_eq!(status, 403, "not the author");
    let (status, _) = call(
        as_(&eu_t),
        M::DELETE,
        format!("/api/v1/comments/{comment}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (_, list) = call(
        as_(&us_t),
        M::GET,
        format!("/api/v1/questions/{q}/comments"),
        None,
    )
    .await;
    assert_eq!(list["comments"], json!([]));
    // Gone from the app database itself, not flagged.
    let db = rusqlite::Connection::open(s.data_dir.join("proost.db")).expect("app db");
    let left: i64 = db
        .query_row(
            "SELECT count(*) FROM comments WHERE id = ?1",
            [&comment],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(left, 0);

    // Subscriptions: the owner subscribes a viewer; the email is drawn with the viewer's
    // access, the chart as an inline image; its link unsubscribes, logged out, at once.
    let (status, body) = call(
        as_(&ana_t),
        M::POST,
        "/api/v1/subscriptions".into(),
        Some(json!({
        "object": {"dashboard": d}, "recipients": [us],
        "schedule": {"every": "weekly", "weekday": 1, "hour": 7, "time_zone": "Europe/Berlin"}})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let sub = body["ids"][0].as_str().expect("id").to_string();
    let (status, body) = call(
        as_(&eu_t),
        M::POST,
        "/api/v1/subscriptions".into(),
        Some(json!({
        "object": {"dashboard": d}, "recipients": [us], "schedule": {"every": "daily"}})),
    )
    .await;
    assert_eq!(status, 403, "a viewer subscribes only themself: {body}");
    let (status, body) = call(
        as_(&ana_t),
        M::POST,
        "/api/v1/subscriptions".into(),
        Some(json!({
        "object": {"question": q}, "recipients": [oz_id], "schedule": {"every": "daily"}})),
    )
    .await;
    assert_eq!(status, 400, "only people who may open it: {body}");
    let before = sink.messages().len();
    let (status, body) = call(
        as_(&us_t),
        M::POST,
        format!("/api/v1/subscriptions/{sub}/send"),
        None,
    )
    .await;
    assert_eq!((status, body["sent"].clone()), (200, json!(true)), "{body}");
    let mail = sink.wait_for(before + 1).await;
    let m = mail.last().expect("the subscription email");
    assert!(m.contains("X-Envelope-To: uma@example.com"), "{m}");
    assert!(
        m.contains("Content-Type: image/png") && m.contains("Content-ID: <chart-"),
        "a chart image: {m}"
    );
    assert!(
        m.contains("Cid Cole") && !m.contains("Ann Ames"),
        "the recipient's own rows: {m}"
    );
    let unfolded = m.replace("=\r\n", "").replace("=3D", "=");
    let link = unfolded
        .split_whitespace()
        .find(|w| w.contains("/unsubscribe?s="))
        .expect("an unsubscribe link")
        .trim_end_matches(['"', '>', '<'])
        .split('"')
        .next()
        .expect("link")
        .replace("&amp;", "&");
    let path = &link[link.find("/unsubscribe").expect("path")..];
    let (status, _) = s.send_as(None, M::GET, &format!("{path}0"), None).await;
    assert_eq!(status, 403, "a tampered link does nothing");
    let (_, list) = call(as_(&us_t), M::GET, "/api/v1/subscriptions".into(), None).await;
    assert_eq!(
        list["subscriptions"].as_array().map(Vec::len),
        Some(1),
        "{list}"
    );
    let (status, page) = s.send_as(None, M::GET, path, None).await;
    assert_eq!(status, 200, "logged out: {page}");
    assert!(page.to_string().contains("Unsubscribed"));
    let (_, list) = call(as_(&us_t), M::GET, "/api/v1/subscriptions".into(), None).await;
    assert_eq!(list["subscriptions"], json!([]), "gone at once");
    let (status, _) = s.send_as(None, M::GET, path, None).await;
    assert_eq!(status, 200, "clicking it again is fine");

    // An alert sends only when the result crosses its threshold.
    let (_, body) = call(
        as_(&eu_t),
        M::POST,
        "/api/v1/subscriptions".into(),
        Some(json!({
        "object": {"question": chart}, "schedule": {"every": "daily"},
        "alert": {"column": "spend", "op": "gt", "value": 1000000}})),
    )
    .await;
    let alert = body["ids"][0].as_str().expect("id").to_string();
    let (_, body) = call(
        as_(&eu_t),
        M::POST,
        format!("/api/v1/subscriptions/{alert}/send"),
        None,
    )
    .await;
    assert_eq!(body["sent"], json!(false), "{body}");

    // The chart as an image, drawn on the server; a table question has none.
    let res = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/questions/{chart}/export?format=png&width=480&height=300",
            s.base
        ))
        .bearer_auth(&eu_t)
        .send()
        .await
        .expect("png");
    assert_eq!(res.status().as_u16(), 200);
    let png = res.bytes().await.expect("png");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    let (status, body) = call(
        as_(&eu_t),
        M::GET,
        format!("/api/v1/questions/{chart}/export?format=svg"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        body.as_str()
            .is_some_and(|t| t.contains("<svg") && t.contains("EU") && !t.contains("US")),
        "{body}"
    );
    let (status, body) = call(
        as_(&eu_t),
        M::GET,
        format!("/api/v1/questions/{q}/export?format=png"),
        None,
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (400, "export_no_chart".to_string())
    );

    // The dashboard as a PDF, drawn with the viewer's own access: their rows as text.
    let res = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/dashboards/{d}/export?format=pdf",
            s.base
        ))
        .bearer_auth(&eu_t)
        .send()
        .await
        .expect("pdf");
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let pdf = res.bytes().await.expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Customers") && text.contains("Ann Ames") && text.contains("Spend by region"),
        "the cards, as text: {text}"
    );
    assert!(
        !text.contains("Cid Cole") && !text.contains("ann@example.com"),
        "only the viewer's rows, emails masked: {text}"
    );
    let (_, nia_t) = s.user("nia@example.com", "viewer", json!({})).await;
    let (status, body) = call(
        as_(&nia_t),
        M::GET,
        format!("/api/v1/dashboards/{d}/export?format=pdf"),
        None,
    )
    .await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = call(
        as_(&eu_t),
        M::GET,
        format!("/api/v1/dashboards/{d}/export?format=pdf&filters=nope"),
        None,
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (400, "export_filters".to_string())
    );
    let (_, audit) = s.get("/api/v1/audit?action=dashboard.export").await;
    assert!(
        audit["entries"].as_array().is_some_and(|e| !e.is_empty()),
        "{audit}"
    );

    pg.drop_db().await;
}

#[tokio::test]
async fn dashboard_events_are_marked_on_time_axes_and_cards_keep_their_tabs() {
    let s = TestServer::with_admin(true).await;
    let (_, q) = s
        .post("/api/v1/questions", json!({"name": "Orders by month", "visualization": {"type": "line"},
            "query": {"builder": {"v": 1, "source": {"table": "sample_shop.main.orders"},
                "breakouts": [{"column": "ordered_at", "bucket": "month"}], "aggregations": [{"op": "count"}],
                "order": [{"column": "ordered_at_month"}]}}}))
        .await;
    let q = q["id"].as_str().expect("id").to_string();
    let (status, d) = s
        .post("/api/v1/dashboards", json!({"name": "Events", "tabs": ["Sales", "Later"],
            "cards": [{"question": q, "x": 0, "y": 0, "w": 24, "h": 8, "tab": "Sales"}],
            "annotations": [{"at": "2025-03-14", "label": "Spring campaign"}, {"at": "1999-01-01", "label": "Outside"}]}))
        .await;
    assert_eq!(status, 201, "{d}");
    let d = d["id"].as_str().expect("id");
    let (_, run) = s
        .post(&format!("/api/v1/dashboards/{d}/run"), json!({}))
        .await;
    let marks = &run["cards"][0]["result"]["chart"]["option"]["series"][0]["markLine"]["data"];
    assert_eq!(
        marks,
        &json!([{"xAxis": "2025-03", "label": {"formatter": "Spring campaign", "position": "insideEndTop"}}]),
        "{run}"
    );
    let (_, view) = s.get(&format!("/api/v1/dashboards/{d}")).await;
    assert_eq!(view["cards"][0]["tab"], "Sales");
    assert_eq!(view["tabs"], json!(["Sales", "Later"]));
}

#[tokio::test]
async fn a_sql_questions_parameters_are_values_never_sql() {
    let s = TestServer::with_admin(true).await;
    let (status, q) = s
        .post("/api/v1/questions", json!({"name": "By status",
            "query": {"sql": "SELECT count(*) AS n FROM sample_shop.main.orders WHERE status = {{s}} -- {{s}} in a comment stays text",
                      "params": [{"name": "s", "type": "text", "default": "paid"}]}}))
        .await;
    assert_eq!(status, 201, "{q}");
    let q = q["id"].as_str().expect("id");
    let (_, paid) = s
        .post(&format!("/api/v1/questions/{q}/run"), json!({}))
        .await;
    assert!(paid["rows"][0][0].as_i64().unwrap_or(0) > 0, "{paid}");
    for hostile in [
        "paid' OR '1'='1",
        "paid\\' OR 1=1 -- ",
        "x'); DROP TABLE orders; --",
    ] {
        let (status, got) = s
            .post(
                &format!("/api/v1/questions/{q}/run"),
                json!({"params": {"s": hostile}}),
            )
            .await;
        assert_eq!(status, 200, "{got}");
        assert_eq!(
            got["rows"][0][0],
            json!(0),
            "{hostile} is one value that matches nothing: {got}"
        );
    }
    let (status, body) = s
        .post(
            &format!("/api/v1/questions/{q}/run"),
            json!({"params": {"nope": 1}}),
        )
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (400, "sql_params_invalid".to_string())
    );
}

/// The same on PostgreSQL and MariaDB, where the parameter is pushed down to the source as
/// a bound value: break-out attempts (quotes, backslashes, comments) match nothing, a value
/// with quotes and backslashes matches exactly its own row, and the table is intact.
#[tokio::test]
async fn sql_question_parameters_reach_postgres_and_mariadb_as_bound_values() {
    let s = TestServer::with_admin(false).await;
    let pg = PgDb::create(
        "CREATE TABLE orders (id int PRIMARY KEY, status text);
         INSERT INTO orders VALUES (1, 'paid'), (2, 'paid'), (3, 'refunded'), (4, 'o''neil\\x');",
    )
    .await;
    let my = crate::common::MyDb::create(&[
        "CREATE TABLE orders (id int PRIMARY KEY, status varchar(40))",
        "INSERT INTO orders VALUES (1, 'paid'), (2, 'paid'), (3, 'refunded'), (4, 'o''neil\\\\x')",
    ])
    .await;
    s.add_connection("pg", "postgres", &pg.url).await;
    s.add_connection("my", "mysql", &my.url).await;
    // Identifiers only: the generated MariaDB database name is quoted as one.
    let tables = [
        "pg.public.orders".to_string(),
        format!("my.\"{}\".orders", my.name),
    ];
    for table in &tables {
        let (status, q) = s
            .post("/api/v1/questions", json!({"name": "By status",
                "query": {"sql": format!("SELECT count(*) AS n FROM {table} WHERE status = {{{{s}}}}"),
                          "params": [{"name": "s", "type": "text", "default": "paid"}]}}))
            .await;
        assert_eq!(status, 201, "{q}");
        let q = q["id"].as_str().expect("id").to_string();
        let run = |v: Value| {
            let (s, q) = (&s, &q);
            async move {
                s.post(
                    &format!("/api/v1/questions/{q}/run"),
                    json!({"params": {"s": v}}),
                )
                .await
            }
        };
        let (status, paid) = run(json!("paid")).await;
        assert_eq!(
            (status, paid["rows"][0][0].clone()),
            (200, json!(2)),
            "{table}: {paid}"
        );
        let (_, own) = run(json!("o'neil\\x")).await;
        assert_eq!(
            own["rows"][0][0],
            json!(1),
            "{table}: the value round-trips: {own}"
        );
        for hostile in [
            "paid' OR '1'='1",
            "paid\\' OR 1=1 -- ",
            "paid\\' OR 1=1 #",
            "\\",
            "x'); DROP TABLE orders; --",
            "paid\u{0}' OR '1'='1",
        ] {
            let (status, got) = run(json!(hostile)).await;
            // A source may refuse a value (PostgreSQL refuses NUL in text) with a clear
            // error; it never matches more, and never fails with a 500.
            assert!(
                status != 500 && (status != 200 || got["rows"][0][0] == json!(0)),
                "{table}: {hostile:?} is one value that matches nothing: {status} {got}"
            );
        }
        let (status, body) = run(json!({"nested": 1})).await;
        assert_eq!(status, 400, "{body}");
    }
    // Both tables still hold their four rows.
    let (_, n) = s.query("SELECT count(*) FROM orders", Some("pg")).await;
    assert_eq!(n["rows"][0][0], json!(4), "{n}");
    let (_, n) = s.query("SELECT count(*) FROM orders", Some("my")).await;
    assert_eq!(n["rows"][0][0], json!(4), "{n}");
    pg.drop_db().await;
    my.drop_db().await;
}

/// The text of a PDF, as `pdftotext` (poppler-utils, installed by scripts/test) reads it.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = crate::common::temp_dir("pdf");
    let file = dir.join("export.pdf");
    std::fs::write(&file, pdf).expect("write pdf");
    // Kept to be looked at (pdftoppm -png).
    let _ = std::fs::write(
        std::env::temp_dir().join("proost-dashboard-export.pdf"),
        pdf,
    );
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A table's rows are sorted and paged on the server; its column formats and conditional
/// colours are checked when saved and come back with the chart for the page to apply.
#[tokio::test]
async fn a_questions_table_is_sorted_and_paged_on_the_server() {
    let s = TestServer::with_admin(true).await;
    let viz = json!({"type": "table",
        "columns": {"id": {"format": "number", "decimals": 0, "prefix": "#"}},
        "conditional": [{"column": "id", "op": "le", "value": 3, "color": "green"}]});
    let (status, q) = s
        .post(
            "/api/v1/questions",
            json!({"name": "Customers", "visualization": viz,
            "query": {"builder": {"v": 1, "source": {"table": "sample_shop.main.customers"},
                "fields": ["id", "country"]}}}),
        )
        .await;
    assert_eq!(status, 201, "{q}");
    let q = q["id"].as_str().expect("id");
    let (_, all) = s
        .post(&format!("/api/v1/questions/{q}/run"), json!({}))
        .await;
    let total = all["rows"].as_array().map_or(0, Vec::len);
    assert!(total > 20, "{all}");
    let mut ids: Vec<i64> = all["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r[0].as_i64())
        .collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    let (status, page) = s
        .post(
            &format!("/api/v1/questions/{q}/run"),
            json!({"table": {"offset": 10, "size": 5, "sort": [{"column": "id", "desc": true}]}}),
        )
        .await;
    assert_eq!(status, 200, "{page}");
    let got: Vec<i64> = page["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r[0].as_i64())
        .collect();
    assert_eq!(got, ids[10..15], "{page}");
    assert_eq!(page["page"]["total_rows"], json!(total));
    assert_eq!(page["chart"]["conditional"][0]["color"], "green");
    assert_eq!(page["chart"]["columns"]["id"]["prefix"], "#");
    let (status, body) = s
        .post(
            &format!("/api/v1/questions/{q}/run"),
            json!({"table": {"sort": [{"column": "nope"}]}}),
        )
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (400, "table_page_invalid".to_string())
    );
    // Colours from a fixed set: nothing typed reaches a style.
    let (status, body) = s
        .patch(&format!("/api/v1/questions/{q}"), json!({"visualization": {"type": "table",
            "conditional": [{"column": "id", "op": "gt", "value": 1, "color": "red;background:url(x)"}]}}))
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (400, "question_invalid".to_string())
    );
}
