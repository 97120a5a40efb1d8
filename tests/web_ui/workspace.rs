//! The daily workspace in a real browser (issue #14): a timed-out query reaches the source
//! once, Cancel stops it there, 100,000 rows stay scrollable, buttons show progress and
//! failure, viewers browse data without SQL, passwords come back through a one-time link,
//! and every page has no console errors and no serious accessibility violations.

use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::Client;
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{Value, json};

use super::{
    POLL, WAIT, count, fill_and_submit, find, goto, log_in_in_browser, run_sql, save_screenshot,
    text, url_of, wait_for_page, with_browser,
};
use crate::common::{
    ADMIN_EMAIL, ADMIN_PASSWORD, PgDb, TestServer, USER_PASSWORD, postgres_base, unique,
};

// ---------------------------------------------------------------------------------------
// The browser console and axe-core
// ---------------------------------------------------------------------------------------

/// ChromeDriver's log endpoint (needs `goog:loggingPrefs`, set for every session).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"type": "browser"}).to_string()),
        )
    }
}

/// The console messages of level SEVERE since the last call: script errors, CSP
/// violations, failed loads.
pub(super) async fn console_errors(b: &Client) -> Vec<String> {
    let log = b.issue_cmd(BrowserLog).await.expect("read the browser log");
    log.as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Asserts the page has no console errors and no serious accessibility violations, and
/// leaves a screenshot named `shot` for humans.
pub(super) async fn assert_clean(b: &Client, shot: &str) {
    let errors = console_errors(b).await;
    assert!(errors.is_empty(), "{shot}: console errors {errors:?}");
    let axe = axe_violations(b).await;
    assert!(axe.is_empty(), "{shot}: axe {axe:?}");
    if let Ok(png) = b.screenshot().await {
        save_screenshot(&format!("{shot}.png"), &png);
    }
}

const AXE: &str = include_str!("vendor/axe.min.js");

/// axe-core's serious and critical violations on the current page, one line each.
pub(super) async fn axe_violations(b: &Client) -> Vec<String> {
    b.execute(AXE, vec![]).await.expect("load axe-core");
    let out = b
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
                .then(r => done(r.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' +
                         v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
                .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("run axe-core");
    out.as_array()
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

pub(super) async fn wait_until(b: &Client, what: &str, script: &str) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let seen = b.execute(script, vec![]).await.unwrap_or(Value::Null);
        if !seen.is_null() && seen != false {
            return seen;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: not within {WAIT:?} on {}",
            url_of(b).await
        );
        tokio::time::sleep(POLL).await;
    }
}

pub(super) async fn log_in_as(b: &Client, base: &str, email: &str, password: &str, lands: &str) {
    goto(b, &format!("{base}/login")).await;
    fill_and_submit(
        b,
        "form#login-form",
        &[("email", email), ("password", password)],
    )
    .await;
    wait_for_page(b, lands).await;
}

// ---------------------------------------------------------------------------------------
// Queries: sent once, cancelled at the source, large results
// ---------------------------------------------------------------------------------------

/// A statement slow enough to meet any time limit, its text constant: runs are told apart
/// by the test's own database, bound as a parameter.
const SLOW_SQL: &str = "SELECT count(*) FROM generate_series(1, 2000000000)";

/// The times (seconds since the epoch) at which a PostgreSQL server started `SLOW_SQL` in
/// database `db`; `true` while one is running.
async fn runs_seen(watcher: &tokio_postgres::Client, db: &str, seen: &mut Vec<f64>) -> bool {
    let rows = watcher
        .query(
            "SELECT extract(epoch FROM query_start)::float8, state FROM pg_stat_activity \
             WHERE datname = $1 AND query LIKE '%generate_series(1, 2000000000)%' \
             AND pid <> pg_backend_pid()",
            &[&db],
        )
        .await
        .expect("pg_stat_activity");
    let mut active = false;
    for r in rows {
        let started: Option<f64> = r.get(0);
        let state: Option<String> = r.get(1);
        active |= state.as_deref() == Some("active");
        if let Some(t) = started
            && !seen.iter().any(|s| (s - t).abs() < 1e-6)
        {
            seen.push(t);
        }
    }
    active
}

/// Requests, from statement starts: a connector may send a statement in steps (its
/// result shape, then its rows) within moments; a browser's retry comes only after the
/// answer, seconds later.
fn requests(mut starts: Vec<f64>) -> usize {
    starts.sort_by(f64::total_cmp);
    starts.windows(2).filter(|w| w[1] - w[0] > 2.0).count() + usize::from(!starts.is_empty())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_query_reaches_the_source_once() {
    with_browser(
        "a_timed_out_query_reaches_the_source_once",
        |b| async move {
            let db = PgDb::create("").await;
            let server = TestServer::with_admin_using(false, |c| {
                c.query_timeout = Duration::from_secs(3);
            })
            .await;
            let conn = unique("slow");
            server.add_connection(&conn, "postgres", &db.url).await;
            log_in_in_browser(&b, &server.base).await;
            b.execute(
                "document.getElementById('target').value = arguments[0];
             document.getElementById('sql').value = arguments[1];
             document.getElementById('run').click();",
                vec![json!(conn), json!(SLOW_SQL)],
            )
            .await
            .expect("run the slow query");
            // Long enough for a browser to have re-sent the request twice.
            let watcher = crate::common::pg_client(&postgres_base()).await;
            let mut runs = Vec::new();
            let until = Instant::now() + Duration::from_secs(12);
            while Instant::now() < until {
                runs_seen(&watcher, &db.name, &mut runs).await;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            let error = text(&b, "#result .error").await;
            assert!(error.contains("query_timeout"), "the page shows: {error:?}");
            assert_eq!(
                requests(runs.clone()),
                1,
                "the source ran the query more than once: {runs:?}"
            );
            assert!(
                find(&b, "button#run")
                    .await
                    .is_enabled()
                    .await
                    .unwrap_or(false)
            );
            db.drop_db().await;
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_a_running_query_at_the_source() {
    with_browser(
        "cancel_stops_a_running_query_at_the_source",
        |b| async move {
            let db = PgDb::create("").await;
            let server = TestServer::with_admin(false).await;
            let conn = unique("slow");
            server.add_connection(&conn, "postgres", &db.url).await;
            log_in_in_browser(&b, &server.base).await;
            b.execute(
                "document.getElementById('target').value = arguments[0];
             document.getElementById('sql').value = arguments[1];
             document.getElementById('run').click();",
                vec![json!(conn), json!(SLOW_SQL)],
            )
            .await
            .expect("run the slow query");
            let watcher = crate::common::pg_client(&postgres_base()).await;
            let mut runs = Vec::new();
            let deadline = Instant::now() + WAIT;
            while !runs_seen(&watcher, &db.name, &mut runs).await {
                assert!(
                    Instant::now() < deadline,
                    "the query never started at the source"
                );
                tokio::time::sleep(POLL).await;
            }
            // A running timer, and a Cancel button.
            let status = text(&b, "#status").await;
            assert!(
                status.starts_with("Running…"),
                "status while running: {status:?}"
            );
            find(&b, "button#cancel")
                .await
                .click()
                .await
                .expect("click Cancel");
            wait_until(
                &b,
                "the page says the query was cancelled",
                "return document.getElementById('status').textContent.startsWith('Cancelled')",
            )
            .await;
            // "Cancelled" is answered once the cancel request went out; the statement (which
            // runs for minutes uncancelled: ~24 s per 200 million rows here) stops at once.
            let deadline = Instant::now() + Duration::from_secs(5);
            while runs_seen(&watcher, &db.name, &mut runs).await {
                assert!(
                    Instant::now() < deadline,
                    "the query still runs at the source"
                );
                tokio::time::sleep(POLL).await;
            }
            assert_eq!(requests(runs.clone()), 1, "{runs:?}");
            assert_eq!(
                count(&b, "button#cancel:not([hidden])").await,
                0,
                "Cancel still shown"
            );
            db.drop_db().await;
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_thousand_rows_are_drawn_virtualised_and_scroll() {
    with_browser("a_hundred_thousand_rows_are_drawn_virtualised_and_scroll", |b| async move {
        let server = TestServer::with_admin(true).await;
        log_in_in_browser(&b, &server.base).await;
        b.execute("document.getElementById('limit').value = '100000';", vec![])
            .await
            .expect("set the row limit");
        let outcome = run_sql(
            &b,
            Some("SELECT id, customer_id, amount, ordered_at FROM sample_shop.main.orders ORDER BY id"),
        )
        .await;
        assert_eq!(outcome.rows, Some(100_000), "{outcome:?}");
        // Only the rows in view are in the page.
        let in_dom: Value = b
            .execute("return document.querySelectorAll('#grid .pg-body [role=row]').length", vec![])
            .await
            .expect("count rows");
        assert!(in_dom.as_u64().is_some_and(|n| n > 5 && n < 300), "rows in the DOM: {in_dom}");
        // Scrolling to the end shows the last row.
        let last = wait_until(
            &b,
            "the last row after scrolling to the end",
            "const body = document.querySelector('#grid .pg-body').parentElement;
             const s = document.querySelector('#grid .pg-scroll') || body;
             s.scrollTop = s.scrollHeight;
             const rows = Array.from(document.querySelectorAll('#grid .pg-body [role=row]'))
                .filter(r => !r.hidden);
             const idx = rows.map(r => +r.getAttribute('aria-rowindex'));
             return idx.includes(100001) ? rows.find(r => r.getAttribute('aria-rowindex') === '100001').children[0].textContent : null;",
        )
        .await;
        assert_eq!(last, json!("100000"), "the last row's id");
        let png = b.screenshot().await.expect("screenshot");
        save_screenshot("sql-100k.png", &png);
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// Buttons: progress, success, failure, never stuck
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_now_shows_progress_success_and_failure() {
    with_browser("sync_now_shows_progress_success_and_failure", |b| async move {
        let db = PgDb::create("CREATE TABLE items (id int primary key, name text); INSERT INTO items VALUES (1, 'a'), (2, 'b');").await;
        let server = TestServer::with_admin(false).await;
        let conn = unique("shop");
        let created = server.add_connection(&conn, "postgres", &db.url).await;
        let id = created["id"].as_str().expect("id").to_string();
        log_in_in_browser(&b, &server.base).await;
        let page = format!("{}/connections/{id}", server.base);

        // No replica: nothing to press, and the page says why.
        goto(&b, &page).await;
        wait_for_page(&b, &format!("/connections/{id}")).await;
        assert!(!find(&b, "#sync-now").await.is_enabled().await.expect("enabled?"));
        assert!(text(&b, "#sync-status").await.contains("replicate a table"));

        let (status, body) = server
            .post(
                &format!("/api/v1/connections/{id}/replicas"),
                json!({"table": "public.items", "mode": "full"}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        goto(&b, &page).await;
        wait_for_page(&b, &format!("/connections/{id}")).await;
        assert!(text(&b, "#replicas").await.contains("syncs on Sync now"), "no hint for a replica without schedule");
        find(&b, "#sync-now").await.click().await.expect("click Sync now");
        wait_until(&b, "sync success", "return document.getElementById('sync-status')?.textContent.startsWith('Synced 1 table')").await;

        // A table that is gone: the failure is shown and the button works again.
        db.client().await.batch_execute("DROP TABLE items").await.expect("drop");
        goto(&b, &page).await;
        wait_for_page(&b, &format!("/connections/{id}")).await;
        find(&b, "#sync-now").await.click().await.expect("click Sync now");
        let failed = wait_until(
            &b,
            "sync failure",
            "const s = document.getElementById('sync-status');
             return s.className === 'error' ? s.textContent : null;",
        )
        .await;
        assert!(failed.as_str().unwrap_or_default().contains("failed"), "{failed}");
        assert!(find(&b, "#sync-now").await.is_enabled().await.expect("enabled?"), "Sync now stays disabled");
        assert_eq!(console_errors(&b).await, Vec::<String>::new());
        db.drop_db().await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// Viewers: the data browser
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_lands_in_the_data_browser_and_filters_a_table() {
    with_browser("a_viewer_lands_in_the_data_browser_and_filters_a_table", |b| async move {
        let server = TestServer::with_admin(true).await;
        let (viewer, _) = server.user("vera@example.com", "viewer", json!({})).await;
        server
            .grant(json!({"principal": {"user": viewer}, "connection": "sample_shop", "level": "query"}))
            .await;
        log_in_as(&b, &server.base, "vera@example.com", USER_PASSWORD, "/browse").await;
        assert_eq!(count(&b, "nav a[href=\"/sql\"]").await, 0, "a viewer is offered SQL");
        find(&b, "a[href=\"/browse/sample_shop/main/customers\"]").await.click().await.expect("open customers");
        wait_for_page(&b, "/browse/sample_shop/main/customers").await;
        wait_until(&b, "rows", "return document.getElementById('browse-status').dataset.rows").await;
        // Masked columns say so in their header.
        let badges: Value = b
            .execute("return Array.from(document.querySelectorAll('#browse-grid .pg-mask')).map(x => x.textContent)", vec![])
            .await
            .expect("badges");
        assert!(badges.to_string().contains("masked"), "no masked column marked: {badges}");
        // Filter without SQL: country is Germany.
        b.execute(
            "const f = document.getElementById('browse-filter');
             f.elements.column.value = 'country'; f.elements.op.value = 'eq'; f.elements.value.value = 'Germany';
             f.requestSubmit();",
            vec![],
        )
        .await
        .expect("filter");
        wait_until(&b, "the filter chip", "return document.querySelectorAll('#browse-active .chip').length === 1").await;
        wait_until(&b, "filtered rows", "return document.getElementById('browse-status').textContent.includes('rows') && !document.getElementById('browse-status').textContent.startsWith('Loading')").await;
        let countries: Value = b
            .execute(
                "const g = document.getElementById('browse-grid');
                 const heads = Array.from(g.querySelectorAll('[role=columnheader] .pg-name')).map(h => h.textContent);
                 const i = heads.indexOf('country');
                 return Array.from(g.querySelectorAll('.pg-body [role=row]')).filter(r => !r.hidden).map(r => r.children[i].textContent);",
                vec![],
            )
            .await
            .expect("countries");
        let countries = countries.as_array().cloned().unwrap_or_default();
        assert!(!countries.is_empty() && countries.iter().all(|c| c == "Germany"), "{countries:?}");
        assert_eq!(console_errors(&b).await, Vec::<String>::new());
        let png = b.screenshot().await.expect("screenshot");
        save_screenshot("browse-viewer.png", &png);
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// Getting back in: a one-time link from the command line
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_out_admin_gets_back_in_with_a_link_from_the_command_line() {
    with_browser(
        "a_locked_out_admin_gets_back_in_with_a_link_from_the_command_line",
        |b| async move {
            let server = TestServer::with_admin(false).await;
            // Locked out: five wrong passwords.
            for _ in 0..5 {
                let (status, _) = server
                    .post(
                        "/api/v1/session",
                        json!({"email": ADMIN_EMAIL, "password": "wrong wrong wrong"}),
                    )
                    .await;
                assert_eq!(status, 401);
            }
            let (status, body) = server
                .post(
                    "/api/v1/session",
                    json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
                )
                .await;
            assert_eq!(status, 429, "not locked out: {body}");

            // The server keeps running; the command works beside it.
            let out = Command::new(env!("CARGO_BIN_EXE_proost"))
                .args(["users", "reset-password", ADMIN_EMAIL, "--data-dir"])
                .arg(&server.data_dir)
                .args(["--public-url", &server.base])
                .output()
                .expect("run proost users reset-password");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let printed = String::from_utf8_lossy(&out.stdout);
            let link = printed
                .split_whitespace()
                .find(|w| w.contains("/reset#"))
                .unwrap_or_else(|| panic!("no link in: {printed}"))
                .to_string();
            goto(&b, &link).await;
            wait_for_page(&b, "/reset").await;
            const NEW: &str = "a brand new admin passphrase";
            fill_and_submit(&b, "form#reset-form", &[("password", NEW)]).await;
            wait_for_page(&b, "/sql").await;
            // The old password is gone, the link is spent, the lockout lifted.
            let (status, _) = server
                .post(
                    "/api/v1/session",
                    json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
                )
                .await;
            assert_eq!(status, 401);
            let token = link.split('#').nth(1).expect("token");
            let (status, body) = server
                .post(
                    "/api/v1/password/reset",
                    json!({"token": token, "password": "yet another passphrase"}),
                )
                .await;
            assert_eq!(status, 403, "a spent link worked again: {body}");
            // Every session ended with the reset: the test's own token too.
            let (status, _) = server.get("/api/v1/session").await;
            assert_eq!(status, 401, "a session outlived the reset");
            let admin = server.token_for(ADMIN_EMAIL, NEW).await;
            let (_, entries) = server
                .send_as(
                    Some(&admin),
                    reqwest::Method::GET,
                    "/api/v1/audit?action=user.password_reset_link",
                    None,
                )
                .await;
            assert!(
                entries.to_string().contains("cli"),
                "no audit entry: {entries}"
            );
            // A mistyped address says so on the command line.
            let out = Command::new(env!("CARGO_BIN_EXE_proost"))
                .args([
                    "users",
                    "reset-password",
                    "nobody@example.com",
                    "--data-dir",
                ])
                .arg(&server.data_dir)
                .output()
                .expect("run proost users reset-password");
            assert!(!out.status.success());
            assert!(String::from_utf8_lossy(&out.stderr).contains("not_found"));
        },
    )
    .await;
}

// ---------------------------------------------------------------------------------------
// Every page, every role: no console errors, no serious accessibility violations
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_has_no_console_errors_and_no_serious_accessibility_violations() {
    with_browser(
        "every_page_has_no_console_errors_and_no_serious_accessibility_violations",
        |b| async move {
            let server = TestServer::with_admin(true).await;
            let (analyst, _) = server.user("anna@example.com", "analyst", json!({})).await;
            let (viewer, _) = server.user("vera@example.com", "viewer", json!({})).await;
            for who in [&analyst, &viewer] {
                server
                    .grant(json!({"principal": {"user": who}, "connection": "sample_shop", "level": "query"}))
                    .await;
            }
            let (_, conns) = server.get("/api/v1/connections").await;
            let demo = conns["connections"][0]["id"].as_str().expect("demo").to_string();
            let (_, me) = server.get("/api/v1/session").await;
            let admin_id = me["id"].as_str().expect("id").to_string();
            // Saved content shared with both, so their pages show something.
            let team = server.group("everyone", &[&analyst, &viewer]).await;
            let (_, q) = server
                .post("/api/v1/questions", json!({"name": "Orders by status",
                    "query": {"builder": {"v": 1, "source": {"table": "sample_shop.main.orders"},
                        "breakouts": [{"column": "status"}], "aggregations": [{"op": "count"}]}},
                    "visualization": {"type": "bar"}}))
                .await;
            let q = q["id"].as_str().expect("question").to_string();
            let (_, d) = server
                .post("/api/v1/dashboards", json!({"name": "Shop", "cards": [
                    {"heading": "Orders", "x": 0, "y": 0, "w": 24, "h": 1},
                    {"question": q, "x": 0, "y": 1, "w": 12, "h": 6}]}))
                .await;
            let d = d["id"].as_str().expect("dashboard").to_string();
            for (kind, id) in [("question", &q), ("dashboard", &d)] {
                let (status, body) = server
                    .post("/api/v1/shares", json!({"object": {kind: id}, "principal": {"group": team}, "level": "view"}))
                    .await;
                assert_eq!(status, 201, "{body}");
            }
            // A public link to the dashboard, its group granted the demo data.
            let (status, set) = server
                .send(server.client.put(format!("{}/api/v1/public-links/settings", server.base))
                    .json(&json!({"enabled": true})))
                .await;
            assert_eq!(status, 200, "{set}");
            server
                .grant(json!({"principal": {"group": set["group"]}, "connection": "sample_shop", "level": "query"}))
                .await;
            let (status, link) = server
                .post("/api/v1/public-links", json!({"object": {"dashboard": d}}))
                .await;
            assert_eq!(status, 201, "{link}");
            let public = link["url"].as_str().expect("url").to_string();
            let common = [
                "/browse".to_string(),
                "/public-links".into(),
                "/questions".into(),
                format!("/questions/{q}"),
                "/dashboards".into(),
                format!("/dashboards/{d}"),
                "/browse/sample_shop/main/customers".into(),
                "/connections".into(),
                format!("/connections/{demo}"),
                "/account".into(),
                "/no/such/page".into(),
            ];
            let mut admin_pages: Vec<String> = common.to_vec();
            admin_pages.extend(
                [
                    "/sql",
                    "/questions/new",
                    "/admin/people",
                    "/admin/inventory",
                    "/admin/audit",
                    "/admin/usage",
                ]
                .map(String::from),
            );
            let _ = admin_id;
            let mut analyst_pages: Vec<String> = common.to_vec();
            analyst_pages.push("/sql".into());
            analyst_pages.push("/questions/new".into());
            let roles = [
                ("admin", ADMIN_EMAIL, ADMIN_PASSWORD, admin_pages),
                ("analyst", "anna@example.com", USER_PASSWORD, analyst_pages),
                ("viewer", "vera@example.com", USER_PASSWORD, common.to_vec()),
            ];
            let mut problems = Vec::new();
            // Pages before logging in.
            for path in ["/login", "/forgot", "/setup", "/reset", "/invite", public.as_str()] {
                goto(&b, &format!("{}{path}", server.base)).await;
                wait_for_page(&b, path.split('#').next().unwrap_or(path)).await;
                check_page(&b, "anonymous", path, &mut problems).await;
            }
            for (role, email, password, pages) in roles {
                let lands = if role == "viewer" { "/browse" } else { "/sql" };
                log_in_as(&b, &server.base, email, password, lands).await;
                for path in pages {
                    goto(&b, &format!("{}{path}", server.base)).await;
                    wait_for_page(&b, &path).await;
                    check_page(&b, role, &path, &mut problems).await;
                }
                find(&b, "button#logout").await.click().await.expect("log out");
                wait_for_page(&b, "/login").await;
            }
            assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
        },
    )
    .await;
}

/// Lets the page settle, then collects its console errors and axe violations, and leaves
/// screenshots at 1280 and 1440 px wide.
async fn check_page(b: &Client, role: &str, path: &str, problems: &mut Vec<String>) {
    // Pages that load rows after the first paint.
    if path.starts_with("/browse/") {
        wait_until(
            b,
            "the table's rows",
            "const s = document.getElementById('browse-status'); return s && !s.textContent.startsWith('Loading');",
        )
        .await;
    }
    if path.starts_with("/dashboards/") || path.starts_with("/public#") {
        wait_until(
            b,
            "the dashboard's cards",
            "return document.getElementById('dashboard').dataset.drawn === '1';",
        )
        .await;
    }
    if path.starts_with("/questions/") && path != "/questions/new" {
        wait_until(b, "the question's answer", "const s = document.getElementById('q-status'); return s && /rows/.test(s.textContent);").await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    for e in console_errors(b).await {
        // The in-app 404 page answers 404 on purpose.
        if path == "/no/such/page" && e.contains("404") {
            continue;
        }
        problems.push(format!("{role} {path}: console: {e}"));
    }
    for v in axe_violations(b).await {
        problems.push(format!("{role} {path}: axe: {v}"));
    }
    let page = path.split('#').next().unwrap_or(path);
    let name = format!("{role}{}", page.replace('/', "_").trim_end_matches('_'));
    for width in [1280u32, 1440] {
        if b.set_window_size(width, 900).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(150)).await;
            if let Ok(png) = b.screenshot().await {
                save_screenshot(&format!("page-{name}-{width}.png"), &png);
            }
            let overflow: Value = b
                .execute(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
                    vec![],
                )
                .await
                .unwrap_or(json!(0));
            if overflow.as_i64().is_some_and(|o| o > 0) {
                problems.push(format!(
                    "{role} {path}: wider than the window at {width} px by {overflow} px"
                ));
            }
        }
    }
    let _ = b.set_window_size(1280, 900).await;
}

// ---------------------------------------------------------------------------------------
// Invite, accept, grant
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invite_shows_invited_a_new_link_replaces_the_old_and_grants_come_from_the_persons_page() {
    with_browser(
        "invite_shows_invited_a_new_link_replaces_the_old_and_grants_come_from_the_persons_page",
        |b| async move {
            let server = TestServer::with_admin(true).await;
            log_in_in_browser(&b, &server.base).await;
            goto(&b, &format!("{}/admin/people", server.base)).await;
            wait_for_page(&b, "/admin/people").await;
            fill_and_submit(
                &b,
                "form[data-path=\"/users\"]",
                &[("name", "Vic Viewer"), ("email", "vic@example.com")],
            )
            .await;
            // The link shows with a Copy button, and the list shows the person as invited
            // without a reload (which would lose the link).
            wait_until(
                &b,
                "the invite link",
                "return document.querySelector('form[data-path=\"/users\"] .result code')?.textContent.includes('/invite#')",
            )
            .await;
            let first = text(&b, "form[data-path=\"/users\"] .result code").await;
            assert_eq!(count(&b, "form[data-path=\"/users\"] .result button.copy").await, 1);
            wait_until(
                &b,
                "the new person, invited, in the list",
                "return Array.from(document.querySelectorAll('#users tr')).some(tr => tr.textContent.includes('vic@example.com') && tr.textContent.includes('invited'))",
            )
            .await;
            // Their own page: a new link replaces the first.
            let href: Value = b
                .execute(
                    "return Array.from(document.querySelectorAll('#users a')).find(a => a.textContent === 'Vic Viewer').getAttribute('href')",
                    vec![],
                )
                .await
                .expect("the person's link");
            let person = href.as_str().expect("href").to_string();
            goto(&b, &format!("{}{person}", server.base)).await;
            wait_for_page(&b, &person).await;
            assert!(text(&b, "main").await.contains("invited"));
            find(&b, "button[data-show=invite_url]").await.click().await.expect("new link");
            let second = wait_until(
                &b,
                "the new link",
                "return document.querySelector('.act-note code')?.textContent || null",
            )
            .await;
            let second = second.as_str().expect("link").to_string();
            assert_ne!(first, second);
            // Grant from the person's page.
            fill_and_submit(&b, "form#person-grant", &[("table", "products"), ("schema", "main")]).await;
            wait_until(
                &b,
                "the grant listed",
                "return document.querySelector('table#person-grants')?.textContent.includes('sample_shop.main.products')",
            )
            .await;
            // The first link no longer works; the second does.
            b.delete_all_cookies().await.expect("forget the admin");
            goto(&b, &first).await;
            wait_for_page(&b, "/invite").await;
            fill_and_submit(&b, "form#invite-form", &[("password", "vic's own passphrase")]).await;
            wait_until(
                &b,
                "the old link refused",
                "return document.querySelector('#invite-form .error').textContent.includes('invite_invalid')",
            )
            .await;
            // That refusal (a 403) is the one console error this test expects.
            let refused = console_errors(&b).await;
            assert!(refused.iter().all(|e| e.contains("invites/accept") && e.contains("403")), "{refused:?}");
            goto(&b, &second).await;
            wait_for_page(&b, "/invite").await;
            fill_and_submit(&b, "form#invite-form", &[("password", "vic's own passphrase")]).await;
            wait_for_page(&b, "/browse").await;
            let tables = text(&b, "main").await;
            assert!(tables.contains("products"), "{tables}");
            assert!(!tables.contains("customers"), "not granted: {tables}");
            assert_eq!(console_errors(&b).await, Vec::<String>::new());
        },
    )
    .await;
}

// ---------------------------------------------------------------------------------------
// Tabs and the draft survive leaving the page; history re-runs
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tabs_and_drafts_survive_leaving_the_page_and_history_reruns() {
    with_browser(
        "tabs_and_drafts_survive_leaving_the_page_and_history_reruns",
        |b| async move {
            let server = TestServer::with_admin(true).await;
            log_in_in_browser(&b, &server.base).await;
            wait_until(
                &b,
                "the tab bar",
                "return document.querySelectorAll('#sql-tabs .tab').length === 1",
            )
            .await;
            let first = run_sql(
                &b,
                Some("SELECT count(*) AS n FROM sample_shop.main.products"),
            )
            .await;
            assert_eq!(first.rows, Some(1), "{first:?}");
            find(&b, "#sql-tabs .tab-add")
                .await
                .click()
                .await
                .expect("new tab");
            b.execute(
                "document.getElementById('sql').value = 'SELECT 2 AS two';",
                vec![],
            )
            .await
            .expect("type in the second tab");
            // The draft is saved a moment after typing; then leave and come back.
            tokio::time::sleep(Duration::from_millis(1500)).await;
            goto(&b, &format!("{}/browse", server.base)).await;
            wait_for_page(&b, "/browse").await;
            goto(&b, &format!("{}/sql", server.base)).await;
            wait_for_page(&b, "/sql").await;
            wait_until(
                &b,
                "two tabs back",
                "return document.querySelectorAll('#sql-tabs .tab').length === 2",
            )
            .await;
            let text: Value = b
                .execute("return document.getElementById('sql').value", vec![])
                .await
                .expect("editor text");
            assert_eq!(text, json!("SELECT 2 AS two"), "the active tab's text");
            find(&b, "#sql-tabs .tab")
                .await
                .click()
                .await
                .expect("first tab");
            let text: Value = b
                .execute("return document.getElementById('sql').value", vec![])
                .await
                .expect("editor text");
            assert!(
                text.as_str().unwrap_or_default().contains("main.products"),
                "{text}"
            );
            // History lists the run; "Run again" runs it.
            wait_until(
                &b,
                "the history entry",
                "return document.querySelectorAll('#history-list li').length >= 1",
            )
            .await;
            let listed = text_of_history(&b).await;
            assert!(listed.contains("main.products"), "{listed}");
            b.execute(
                "document.querySelector('#history-list li button:last-of-type').click()",
                vec![],
            )
            .await
            .expect("run again");
            wait_until(
                &b,
                "the rerun",
                "return document.querySelectorAll('#history-list li').length >= 2",
            )
            .await;
            assert_eq!(console_errors(&b).await, Vec::<String>::new());
        },
    )
    .await;
}

async fn text_of_history(b: &Client) -> String {
    text(b, "#history-list").await
}

// ---------------------------------------------------------------------------------------
// The grid: sort by clicking, resize, select and copy
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_result_grid_sorts_resizes_and_copies() {
    with_browser("the_result_grid_sorts_resizes_and_copies", |b| async move {
        let server = TestServer::with_admin(true).await;
        log_in_in_browser(&b, &server.base).await;
        let outcome = run_sql(
            &b,
            Some("SELECT id, sku FROM sample_shop.main.products ORDER BY id LIMIT 5"),
        )
        .await;
        assert_eq!(outcome.rows, Some(5), "{outcome:?}");
        let first_id = "return Array.from(document.querySelectorAll('#grid .pg-body [role=row]'))
            .filter(r => !r.hidden)
            .sort((x, y) => x.getAttribute('aria-rowindex') - y.getAttribute('aria-rowindex'))[0]
            .children[0].textContent";
        // Click the id header twice: descending.
        for _ in 0..2 {
            b.execute(
                "document.querySelector('#grid [role=columnheader]').click()",
                vec![],
            )
            .await
            .expect("click the header");
        }
        assert_eq!(b.execute(first_id, vec![]).await.expect("first"), json!("5"));
        let sorted: Value = b
            .execute("return document.querySelector('#grid [role=columnheader]').getAttribute('aria-sort')", vec![])
            .await
            .expect("aria-sort");
        assert_eq!(sorted, json!("descending"));
        // Drag the first column's edge 80 px wider, with a real pointer.
        let width = "return document.querySelector('#grid [role=columnheader]').getBoundingClientRect().width";
        let before = b.execute(width, vec![]).await.expect("width").as_f64().unwrap_or(0.0);
        let grip = find(&b, "#grid .pg-resize").await;
        use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
        let drag = MouseActions::new("mouse".into())
            .then(PointerAction::MoveToElement { element: grip, duration: None, x: 0.0, y: 0.0 })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::MoveBy { duration: Some(Duration::from_millis(200)), x: 80.0, y: 0.0 })
            .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
        b.perform_actions(drag).await.expect("drag the column edge");
        let after = b.execute(width, vec![]).await.expect("width").as_f64().unwrap_or(0.0);
        assert!(after > before + 40.0, "the column did not widen: {before} -> {after}");
        // The drag did not sort.
        assert_eq!(b.execute(first_id, vec![]).await.expect("first"), json!("5"));
        // Select everything from the keyboard and read what a copy takes.
        b.execute(
            "const g = document.getElementById('grid'); g.focus();
             g.dispatchEvent(new KeyboardEvent('keydown', {key: 'a', ctrlKey: true, bubbles: true}));",
            vec![],
        )
        .await
        .expect("select all");
        let copied: Value = b
            .execute(
                "return Array.from(document.querySelectorAll('#grid .pg-cell.sel')).length",
                vec![],
            )
            .await
            .expect("selection");
        assert!(copied.as_u64().is_some_and(|n| n >= 10), "selected cells: {copied}");
        assert_eq!(console_errors(&b).await, Vec::<String>::new());
    })
    .await;
}
