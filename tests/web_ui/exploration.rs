//! Exploration in a real browser (issue #15): an analyst builds a question with the
//! builder (join, filter, month buckets, computed column, chart), saves it, puts it on a
//! dashboard with a filter and shares it; a viewer opens the dashboard and sees their own
//! row-filtered, masked data, drills through a bar, comments and deletes the comment.

use fantoccini::Client;
use fantoccini::key::Key;
use serde_json::{Value, json};

use super::workspace::{axe_violations, console_errors, log_in_as, wait_until};
use super::{find, goto, save_screenshot, url_of, wait_for_page, with_browser};
use crate::common::{TestServer, USER_PASSWORD};

/// Sets a `<select>` or `<input>` as a person would (value, then a `change` event).
async fn set(b: &Client, css: &str, value: &str) {
    let done = b
        .execute(
            "const el = document.querySelector(arguments[0]);
             if (!el) return false;
             el.value = arguments[1];
             el.dispatchEvent(new Event('change', {bubbles: true}));
             return el.value === arguments[1];",
            vec![json!(css), json!(value)],
        )
        .await
        .unwrap_or(Value::Null);
    assert_eq!(
        done,
        json!(true),
        "set {css} to {value} on {}",
        url_of(b).await
    );
}

async fn shot(b: &Client, name: &str) {
    if let Ok(png) = b.screenshot().await {
        save_screenshot(&format!("explore-{name}.png"), &png);
    }
}

/// A script returning the drawn categories and first series of the first chart under `sel`,
/// read from ECharts itself (null until drawn).
fn chart_data(sel: &str) -> String {
    format!(
        "return (function() {{ {} }})();",
        CHART_DATA.replace("SEL", &format!("'{sel}'"))
    )
}

const CHART_DATA: &str = "const plot = document.querySelector(SEL + ' .chart-plot');
    if (!plot || !window.echarts) return null;
    const chart = echarts.getInstanceByDom(plot);
    if (!chart) return null;
    const o = chart.getOption();
    return {categories: (o.xAxis && o.xAxis[0] && o.xAxis[0].data) || [], data: o.series[0].data};";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_dashboard_shows_each_viewer_their_own_data_and_drills_through() {
    with_browser("a_shared_dashboard_shows_each_viewer_their_own_data_and_drills_through", |b| async move {
        let server = TestServer::with_admin(true).await;
        let base = server.base.clone();
        let (anna, anna_t) = server.user("anna@example.com", "analyst", json!({})).await;
        let (vera, _) = server.user("vera@example.com", "viewer", json!({})).await;
        let team = server.group("field-team", &[&vera]).await;
        server.grant(json!({"principal": {"user": anna}, "connection": "sample_shop", "level": "pii"})).await;
        server.grant(json!({"principal": {"group": team}, "connection": "sample_shop", "level": "query"})).await;
        let (status, body) = server
            .post("/api/v1/row-policies", json!({"group": team, "connection": "sample_shop", "schema": "main",
                "table": "orders", "filter": "status = 'refunded'"}))
            .await;
        assert_eq!(status, 201, "{body}");
        let mut problems = Vec::new();

        // The analyst builds the question in the builder.
        log_in_as(&b, &base, "anna@example.com", USER_PASSWORD, "/sql").await;
        goto(&b, &format!("{base}/questions/new")).await;
        wait_for_page(&b, "/questions/new").await;
        set(&b, "#b-table", "sample_shop.main.orders").await;
        set(&b, "#b-jtable", "sample_shop.main.customers").await;
        // The join's columns are pre-selected along the foreign key, which the page names.
        let picked = wait_until(&b, "the join along the foreign key", "const k = document.getElementById('b-jkey').textContent; \
            return k === 'along foreign key orders.customer_id → customers.id' && \
            [document.getElementById('b-jleft').value, document.getElementById('b-jright').value];").await;
        assert_eq!(picked, json!(["customer_id", "id"]));
        set(&b, "#b-fcol", "customers.country").await;
        set(&b, "#b-fop", "eq").await;
        set(&b, "#b-fval", "Germany").await;
        set(&b, "#b-agg", "count").await;
        set(&b, "#b-group", "ordered_at").await;
        set(&b, "#b-bucket", "month").await;
        set(&b, "#b-cname", "unit_price").await;
        set(&b, "#b-cexpr", "[amount] / [quantity]").await;
        set(&b, "#b-viz", "bar").await;
        find(&b, "#b-run").await.click().await.expect("run");
        wait_until(&b, "the builder's answer", "const s = document.getElementById('b-status'); return s && /rows/.test(s.textContent);").await;
        wait_until(&b, "the chart", &chart_data("#chart")).await;
        find(&b, "#b-sql").await.click().await.expect("view sql");
        let sql = wait_until(&b, "the SQL view", "const p = document.getElementById('b-sqltext'); return p && !p.hidden && p.textContent;").await;
        assert!(sql.as_str().is_some_and(|s| s.contains("date_trunc") && s.contains("JOIN")), "{sql}");
        shot(&b, "builder").await;
        set(&b, "#b-name", "German orders per month").await;
        find(&b, "#b-save").await.click().await.expect("save");
        let q = wait_until(&b, "the saved question's page", "const m = /^\\/questions\\/([0-9a-f-]{36})$/.exec(location.pathname); return m && m[1];").await;
        let q = q.as_str().expect("question id").to_string();

        // A rows question with emails, a dashboard with both and a country filter, shared
        // with the viewer's group (through the API, as the analyst).
        let as_anna = |m: reqwest::Method, p: &str, body: Value| {
            let (server, t, p) = (&server, anna_t.clone(), p.to_string());
            async move { server.send_as(Some(&t), m, &p, Some(body)).await }
        };
        let (status, body) = as_anna(reqwest::Method::POST, "/api/v1/questions", json!({"name": "Latest customers",
            "query": {"builder": {"v": 1, "source": {"table": "sample_shop.main.customers"},
                "fields": ["first_name", "email", "country"], "order": [{"column": "id"}], "limit": 20}}})).await;
        assert_eq!(status, 201, "{body}");
        let rows_q = body["id"].as_str().expect("id").to_string();
        let (status, body) = as_anna(reqwest::Method::POST, "/api/v1/dashboards", json!({"name": "Germany",
            "cards": [{"heading": "Orders", "x": 0, "y": 0, "w": 24, "h": 1},
                      {"question": q, "x": 0, "y": 1, "w": 14, "h": 7},
                      {"question": rows_q, "x": 14, "y": 1, "w": 10, "h": 7}],
            "filters": [{"name": "Country", "type": "category", "targets": [{"card": 2, "field": "country"}]}]})).await;
        assert_eq!(status, 201, "{body}");
        let d = body["id"].as_str().expect("id").to_string();
        for (kind, id) in [("question", &q), ("question", &rows_q)] {
            let (status, body) = as_anna(reqwest::Method::POST, "/api/v1/shares",
                json!({"object": {kind: id}, "principal": {"group": team}, "level": "view"})).await;
            assert_eq!(status, 201, "{body}");
        }
        goto(&b, &format!("{base}/dashboards/{d}")).await;
        wait_until(&b, "the analyst's dashboard", "return document.getElementById('dashboard').dataset.drawn === '1';").await;
        // The owner shares the dashboard with the viewer's group from the page.
        set(&b, "#share-form select[name=principal_kind]", "group").await;
        set(&b, "#share-who", "field-team").await;
        find(&b, "#share-form button[type=submit]").await.click().await.expect("share");
        wait_until(&b, "shared", "return /Shared with field-team/.test(document.getElementById('actions-status').textContent);").await;
        let theirs = wait_until(&b, "the analyst's chart", &chart_data("#d-grid")).await;
        problems.extend(console_errors(&b).await.into_iter().map(|e| format!("analyst: {e}")));
        find(&b, "button#logout").await.click().await.expect("log out");
        wait_for_page(&b, "/login").await;

        // The viewer: their own rows (refunded orders only), emails masked.
        log_in_as(&b, &base, "vera@example.com", USER_PASSWORD, "/browse").await;
        goto(&b, &format!("{base}/dashboards/{d}")).await;
        wait_until(&b, "the viewer's dashboard", "return document.getElementById('dashboard').dataset.drawn === '1';").await;
        let mine = wait_until(&b, "the viewer's chart", &chart_data("#d-grid")).await;
        let total = |v: &Value| v["data"].as_array().map(|a| a.iter().filter_map(Value::as_f64).sum::<f64>()).unwrap_or(0.0);
        let (all, refunded) = (total(&theirs), total(&mine));
        assert!(refunded > 0.0 && refunded < all / 5.0, "the viewer's bars are their own rows: {refunded} of {all}");
        let (_, expected) = server
            .query("SELECT count(*) AS n FROM sample_shop.main.orders o JOIN sample_shop.main.customers c ON c.id = o.customer_id WHERE c.country = 'Germany' AND o.status = 'refunded'", None)
            .await;
        assert_eq!(Some(refunded), expected["rows"][0][0].as_f64(), "{expected}");
        let grid = wait_until(&b, "the rows card", "return Array.from(document.querySelectorAll('#d-grid .proost-grid')).map(g => g.textContent).find(t => t.includes('@')) || null;").await;
        let grid = grid.as_str().unwrap_or_default().to_string();
        assert!(grid.contains("***"), "emails masked for the viewer: {grid}");
        shot(&b, "dashboard-viewer").await;
        // The viewer subscribes to it from the page (the email itself: tests/exploration).
        find(&b, "#subscribe-form button[type=submit]").await.click().await.expect("subscribe");
        wait_until(&b, "subscribed", "return /Subscribed/.test(document.getElementById('actions-status').textContent);").await;
        let (_, subs) = server.get("/api/v1/subscriptions").await;
        assert!(subs["subscriptions"].as_array().is_some_and(|a| a.iter().any(|x| x["object"] == d.as_str() && x["user"] == vera.as_str())), "{subs}");
        problems.extend(console_errors(&b).await.into_iter().map(|e| format!("viewer dashboard: {e}")));
        problems.extend(axe_violations(&b).await.into_iter().map(|e| format!("viewer dashboard: axe: {e}")));

        // Drill through a bar (by keyboard: the first bar, Enter) into its rows.
        goto(&b, &format!("{base}/questions/{q}")).await;
        wait_until(&b, "the question's chart", &chart_data("#chart")).await;
        shot(&b, "question-viewer").await;
        b.execute("document.getElementById('chart').focus(); return true;", vec![]).await.expect("focus");
        let keys: String = [Key::Right, Key::Enter].iter().map(|k| char::from(*k)).collect();
        b.active_element().await.expect("focused chart").send_keys(&keys).await.expect("keys");
        wait_for_page(&b, "/questions/new").await;
        wait_until(&b, "the drilled rows", "const s = document.getElementById('b-status'); return s && /rows/.test(s.textContent) && s.textContent;").await;
        let drilled = wait_until(&b, "the drilled grid", "const g = document.getElementById('result'); return g && g.textContent.length > 0 && g.textContent;").await;
        let first_month = mine["categories"][0].as_str().unwrap_or_default().to_string();
        assert!(drilled.as_str().is_some_and(|t| t.contains(&first_month)), "rows of {first_month}: {drilled}");
        shot(&b, "drilled").await;

        // Comment (with a mention), then delete it.
        goto(&b, &format!("{base}/questions/{q}")).await;
        wait_for_page(&b, &format!("/questions/{q}")).await;
        find(&b, "#comment-body").await.send_keys("Why so few in March, @anna?").await.expect("type");
        find(&b, "#comment-form button[type=submit]").await.click().await.expect("comment");
        wait_until(&b, "the comment", "return document.querySelectorAll('#comment-list li').length === 1;").await;
        shot(&b, "comment").await;
        find(&b, "#comment-list li button").await.click().await.expect("delete");
        wait_until(&b, "no comment", "return document.querySelectorAll('#comment-list li').length === 0;").await;
        let (_, left) = server.get(&format!("/api/v1/questions/{q}/comments")).await;
        assert_eq!(left["comments"], json!([]));
        problems.extend(console_errors(&b).await.into_iter().map(|e| format!("viewer question: {e}")));
        problems.extend(axe_violations(&b).await.into_iter().map(|e| format!("viewer question: axe: {e}")));
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clicking_a_bar_filters_the_other_cards_of_a_dashboard() {
    with_browser("clicking_a_bar_filters_the_other_cards_of_a_dashboard", |b| async move {
        let server = TestServer::with_admin(true).await;
        let base = server.base.clone();
        let (_, by_country) = server
            .post("/api/v1/questions", json!({"name": "Customers by country", "visualization": {"type": "bar"},
                "query": {"builder": {"v": 1, "source": {"table": "sample_shop.main.customers"},
                    "breakouts": [{"column": "country"}], "aggregations": [{"op": "count"}],
                    "order": [{"column": "count", "desc": true}]}}}))
            .await;
        let (_, rows) = server
            .post("/api/v1/questions", json!({"name": "Cities",
                "query": {"builder": {"v": 1, "source": {"table": "sample_shop.main.customers"},
                    "breakouts": [{"column": "country"}, {"column": "city"}], "aggregations": [{"op": "count"}]}}}))
            .await;
        let (status, d) = server
            .post("/api/v1/dashboards", json!({"name": "Customers",
                "cards": [{"question": by_country["id"], "x": 0, "y": 0, "w": 12, "h": 7},
                          {"question": rows["id"], "x": 12, "y": 0, "w": 12, "h": 7}],
                "filters": [{"name": "Country", "type": "category",
                    "targets": [{"card": 0, "field": "country"}, {"card": 1, "field": "country"}]}]}))
            .await;
        assert_eq!(status, 201, "{d}");
        let d = d["id"].as_str().expect("id").to_string();
        super::log_in_in_browser(&b, &base).await;
        goto(&b, &format!("{base}/dashboards/{d}")).await;
        wait_until(&b, "the dashboard", "return document.getElementById('dashboard').dataset.drawn === '1';").await;
        let before = wait_until(&b, "the bars", &chart_data("#d-grid")).await;
        let top = before["categories"][0].as_str().expect("a country").to_string();
        b.execute("document.querySelector('#d-grid figure.chart').focus(); return true;", vec![]).await.expect("focus");
        let keys: String = [Key::Right, Key::Enter].iter().map(|k| char::from(*k)).collect();
        b.active_element().await.expect("focused chart").send_keys(&keys).await.expect("keys");
        let filtered = wait_until(&b, "the filter set and the cards run again",
            "const i = document.querySelector('#d-filters input[name=Country]'); return i && i.value !== '' && document.getElementById('d-status').textContent.includes(' in ') && i.value;").await;
        assert_eq!(filtered.as_str(), Some(top.as_str()));
        let one_bar = chart_data("#d-grid").replacen("return (function()", "const r = (function()", 1) + " return r && r.categories.length === 1 && r;";
        let after = wait_until(&b, "one bar", &one_bar).await;
        assert_eq!(after["categories"], json!([top]), "{after}");
        let cities = wait_until(&b, "only that country's cities",
            "const g = document.querySelectorAll('#d-grid .proost-grid')[1]; return g && g.textContent;").await;
        assert!(cities.as_str().is_some_and(|t| t.contains(&top)), "{cities}");
        shot(&b, "cross-filter").await;

        // The owner moves the second card down a row and widens the first, then saves.
        find(&b, "#d-edit").await.click().await.expect("edit layout");
        b.execute(
            "const [a, c] = document.querySelectorAll('#d-grid .dash-card');
             const fire = (el, type, x, y) => el.dispatchEvent(new PointerEvent(type, {clientX: x, clientY: y, bubbles: true}));
             const r = c.getBoundingClientRect();
             fire(c, 'pointerdown', r.left + 20, r.top + 20);
             fire(window, 'pointermove', r.left + 20, r.top + 20 + 8 * 52);
             fire(window, 'pointerup', r.left + 20, r.top + 20 + 8 * 52);
             const h = a.querySelector('.resize-handle'), q = h.getBoundingClientRect();
             fire(h, 'pointerdown', q.left + 5, q.top + 5);
             fire(window, 'pointermove', q.left + 5, q.top + 5);
             fire(window, 'pointerup', q.left + 5, q.top + 5);
             return true;",
            vec![],
        )
        .await
        .expect("drag");
        find(&b, "#d-save").await.click().await.expect("save layout");
        wait_until(&b, "saved", "return /Layout saved/.test(document.getElementById('d-status').textContent);").await;
        let (_, saved) = server.get(&format!("/api/v1/dashboards/{d}")).await;
        assert_eq!((saved["cards"][1]["x"].clone(), saved["cards"][1]["y"].clone()), (json!(12), json!(8)), "{saved}");
        assert_eq!(saved["version"], 2);
        shot(&b, "layout").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_link_opens_logged_out_and_a_click_target_opens_another_dashboard() {
    with_browser("a_public_link_opens_logged_out_and_a_click_target_opens_another_dashboard", |b| async move {
        let server = TestServer::with_admin(true).await;
        let base = server.base.clone();
        let (_, by_country) = server
            .post("/api/v1/questions", json!({"name": "Customers by country", "visualization": {"type": "bar"},
                "query": {"builder": {"v": 1, "source": {"table": "sample_shop.main.customers"},
                    "breakouts": [{"column": "country"}], "aggregations": [{"op": "count"}],
                    "order": [{"column": "count", "desc": true}]}}}))
            .await;
        let (status, d) = server
            .post("/api/v1/dashboards", json!({"name": "Customers",
                "cards": [{"question": by_country["id"], "x": 0, "y": 0, "w": 24, "h": 7}],
                "filters": [{"name": "Country", "type": "category", "targets": [{"card": 0, "field": "country"}]}]}))
            .await;
        assert_eq!(status, 201, "{d}");
        let d = d["id"].as_str().expect("id").to_string();
        // A second question whose bars open the dashboard, filtered to the clicked country.
        let (status, q) = server
            .post("/api/v1/questions", json!({"name": "Countries", "visualization": {"type": "bar",
                    "click": {"dashboard": d, "filter": "Country"}},
                "query": {"builder": {"v": 1, "source": {"table": "sample_shop.main.customers"},
                    "breakouts": [{"column": "country"}], "aggregations": [{"op": "count"}],
                    "order": [{"column": "count", "desc": true}]}}}))
            .await;
        assert_eq!(status, 201, "{q}");
        let q = q["id"].as_str().expect("id").to_string();

        // Logged out, the public link draws the dashboard as the Public links group sees it.
        let (status, set) = server
            .send(server.client.put(format!("{base}/api/v1/public-links/settings")).json(&json!({"enabled": true})))
            .await;
        assert_eq!(status, 200, "{set}");
        server
            .grant(json!({"principal": {"group": set["group"]}, "connection": "sample_shop", "level": "query"}))
            .await;
        let (status, link) = server.post("/api/v1/public-links", json!({"object": {"dashboard": d}})).await;
        assert_eq!(status, 201, "{link}");
        goto(&b, &format!("{base}{}", link["url"].as_str().expect("url"))).await;
        wait_until(&b, "the public dashboard", "const d = document.getElementById('dashboard'); return d && d.dataset.drawn === '1';").await;
        let bars = wait_until(&b, "the public bars", &chart_data("#d-grid")).await;
        assert!(bars["categories"].as_array().is_some_and(|c| c.len() > 1), "{bars}");
        assert!(find(&b, "#public h1").await.text().await.expect("title").contains("Customers"));
        shot(&b, "public-link").await;
        goto(&b, &format!("{base}/public#not-a-token")).await;
        let refused = wait_until(&b, "the refusal", "const s = document.getElementById('p-status'); return s && /does not work/.test(s.textContent) && s.textContent;").await;
        assert!(refused.as_str().is_some_and(|t| t.contains("public_link_not_found")), "{refused}");

        // Logged in, a click on a bar of the question opens the dashboard for that country.
        super::log_in_in_browser(&b, &base).await;
        goto(&b, &format!("{base}/questions/{q}")).await;
        let before = wait_until(&b, "the bars", &chart_data("#chart")).await;
        let top = before["categories"][0].as_str().expect("a country").to_string();
        b.execute("document.getElementById('chart').focus(); return true;", vec![]).await.expect("focus");
        let keys: String = [Key::Right, Key::Enter].iter().map(|k| char::from(*k)).collect();
        b.active_element().await.expect("focused chart").send_keys(&keys).await.expect("keys");
        wait_for_page(&b, &format!("/dashboards/{d}")).await;
        let filtered = wait_until(&b, "the filter filled from the click",
            "const i = document.querySelector('#d-filters input[name=Country]'); return i && i.value !== '' && document.getElementById('dashboard').dataset.drawn === '1' && i.value;").await;
        assert_eq!(filtered.as_str(), Some(top.as_str()));
        let one_bar = chart_data("#d-grid").replacen("return (function()", "const r = (function()", 1) + " return r && r.categories.length === 1 && r;";
        let after = wait_until(&b, "one bar", &one_bar).await;
        assert_eq!(after["categories"], json!([top]), "{after}");
        shot(&b, "click-target").await;
    })
    .await;
}
