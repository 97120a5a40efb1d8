//! End to end through a real browser: headless Chromium, driven by ChromeDriver, against a
//! real server. Setup, login, logout, running SQL, refusing writes, and user-supplied text
//! staying text.
//!
//! Needs `chromedriver` and `chromium` (override with `PROOST_CHROMEDRIVER` and
//! `PROOST_CHROMIUM`). A screenshot of the SQL page is left in
//! `$CARGO_TARGET_DIR/screenshots/sql.png` for humans; a failing test leaves
//! `<test name>-failure.png` next to it.

use std::future::Future;
use std::os::unix::process::CommandExt;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{ADMIN_EMAIL, ADMIN_PASSWORD, TestServer};
use fantoccini::{Client, ClientBuilder, Locator};
use futures::FutureExt;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

/// How long any one thing may take in the browser: generous, the machines are small and
/// busy and the binaries are debug builds.
const WAIT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(100);

// ---------------------------------------------------------------------------------------
// ChromeDriver and the browser session
// ---------------------------------------------------------------------------------------

/// A ChromeDriver child process in its own process group, with the Chromium it launches.
/// Dropping it (also while unwinding from a panic) ends the whole group and removes the
/// browser profile.
struct ChromeDriver {
    child: Child,
    url: String,
    profile: PathBuf,
}

impl ChromeDriver {
    async fn start() -> ChromeDriver {
        let bin =
            std::env::var("PROOST_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let mut attempt = 0;
        loop {
            attempt += 1;
            let port = free_port();
            let child = Command::new(&bin)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                // Chromium inherits the group, so the guard can end both even if the
                // session was never closed.
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("start {bin}: {e}"));
            let mut driver = ChromeDriver {
                child,
                url: format!("http://127.0.0.1:{port}"),
                profile: crate::common::temp_dir("proost-chromium"),
            };
            match driver.wait_until_ready().await {
                Ok(()) => return driver,
                // The port can be taken between choosing it and ChromeDriver binding it.
                Err(why) if attempt < 3 => {
                    eprintln!("chromedriver on port {port}: {why}; retrying")
                }
                Err(why) => panic!("chromedriver ({bin}) never became ready: {why}"),
            }
        }
    }

    async fn wait_until_ready(&mut self) -> Result<(), String> {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + WAIT;
        let mut last;
        loop {
            if let Ok(Some(exit)) = self.child.try_wait() {
                return Err(format!("exited early with {exit}"));
            }
            match http.get(format!("{}/status", self.url)).send().await {
                Ok(res) => match res.json::<Value>().await {
                    Ok(status) if status["value"]["ready"] == true => return Ok(()),
                    Ok(status) => last = format!("not ready: {status}"),
                    Err(e) => last = format!("unreadable /status: {e}"),
                },
                Err(e) => last = e.to_string(),
            }
            if Instant::now() > deadline {
                return Err(format!("no ready /status within {WAIT:?}; last: {last}"));
            }
            tokio::time::sleep(POLL).await;
        }
    }

    async fn new_session(&self) -> Client {
        let chromium =
            std::env::var("PROOST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let args = [
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", self.profile.display()),
        ];
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({"binary": chromium, "args": args}),
        );
        // The browser console, read back by `console_errors`.
        caps.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
        ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("start a Chromium session through {}: {e}", self.url))
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            // The group id is ChromeDriver's pid (process_group(0)): end Chromium with it.
            let _ = Command::new("kill")
                .args(["-TERM", "--", &format!("-{}", self.child.id())])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port()
}

/// Runs `test` with a fresh browser. Whatever happens, the WebDriver session is closed and
/// ChromeDriver ended; a failing test first leaves a screenshot behind.
async fn with_browser<F, Fut>(name: &str, test: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()>,
{
    let driver = ChromeDriver::start().await;
    let browser = driver.new_session().await;
    let outcome = AssertUnwindSafe(test(browser.clone())).catch_unwind().await;
    if outcome.is_err()
        && let Ok(png) = browser.screenshot().await
    {
        save_screenshot(&format!("{name}-failure.png"), &png);
    }
    let closed = browser.close().await;
    drop(driver);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
    closed.expect("close the browser session");
}

fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            Path::new(env!("CARGO_TARGET_TMPDIR"))
                .parent()
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| PathBuf::from("/var/tmp/proost-target"));
    target.join("screenshots")
}

fn save_screenshot(file: &str, png: &[u8]) {
    let dir = screenshot_dir();
    let path = dir.join(file);
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, png)) {
        Ok(()) => eprintln!("screenshot: {}", path.display()),
        Err(e) => eprintln!("could not save screenshot {}: {e}", path.display()),
    }
}

// ---------------------------------------------------------------------------------------
// Page helpers
// ---------------------------------------------------------------------------------------

async fn find(b: &Client, css: &str) -> fantoccini::elements::Element {
    match b.find(Locator::Css(css)).await {
        Ok(element) => element,
        Err(e) => panic!("no element {css} on {}: {e}", url_of(b).await),
    }
}

async fn count(b: &Client, css: &str) -> usize {
    b.find_all(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("look for {css}: {e}"))
        .len()
}

async fn text(b: &Client, css: &str) -> String {
    find(b, css)
        .await
        .text()
        .await
        .unwrap_or_else(|e| panic!("text of {css}: {e}"))
}

async fn url_of(b: &Client) -> String {
    b.current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_else(|e| format!("<unknown url: {e}>"))
}

async fn goto(b: &Client, url: &str) {
    b.goto(url)
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
}

/// Waits until the browser shows `path`, fully loaded. Page scripts navigate on their own
/// (after setup, login, logout), so this polls rather than trusting a single look.
async fn wait_for_page(b: &Client, path: &str) {
    let probe = "return {
        path: location.pathname,
        ready: document.readyState,
        errors: Array.from(document.querySelectorAll('.error'))
            .map(e => e.textContent).filter(t => t.length > 0),
    };";
    let deadline = Instant::now() + WAIT;
    let mut last;
    loop {
        // A navigation can interrupt the script; that is just "not there yet".
        match b.execute(probe, vec![]).await {
            Ok(seen) if seen["path"] == path && seen["ready"] == "complete" => return,
            Ok(seen) => last = seen,
            Err(e) => last = json!(e.to_string()),
        }
        assert!(
            Instant::now() < deadline,
            "the browser did not reach {path} within {WAIT:?}; last seen: {last}"
        );
        tokio::time::sleep(POLL).await;
    }
}

/// Types into the named fields of `form` and presses its submit button.
async fn fill_and_submit(b: &Client, form: &str, fields: &[(&str, &str)]) {
    for (name, value) in fields {
        let input = find(b, &format!("{form} [name=\"{name}\"]")).await;
        input
            .clear()
            .await
            .unwrap_or_else(|e| panic!("clear {name}: {e}"));
        input
            .send_keys(value)
            .await
            .unwrap_or_else(|e| panic!("type into {name}: {e}"));
    }
    find(b, &format!("{form} button[type=submit]"))
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("submit {form}: {e}"));
}

fn setup_link(server: &TestServer) -> String {
    let token = server
        .setup_token
        .as_deref()
        .expect("a fresh instance has a setup token");
    format!("{}/setup?token={token}", server.base)
}

async fn set_up_in_browser(b: &Client, server: &TestServer, name: &str) {
    goto(b, &setup_link(server)).await;
    fill_and_submit(
        b,
        "form#setup-form",
        &[
            ("name", name),
            ("email", ADMIN_EMAIL),
            ("password", ADMIN_PASSWORD),
        ],
    )
    .await;
    wait_for_page(b, "/sql").await;
}

async fn log_in_in_browser(b: &Client, base: &str) {
    goto(b, &format!("{base}/login")).await;
    fill_and_submit(
        b,
        "form#login-form",
        &[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)],
    )
    .await;
    wait_for_page(b, "/sql").await;
}

/// What the SQL page shows after a run.
#[derive(Debug)]
struct Outcome {
    /// `data-rows` of `#status`, set after a successful run.
    rows: Option<u64>,
    status: String,
    error: String,
    headers: Vec<String>,
    cells: Vec<Vec<String>>,
}

/// Replaces the editor's text with `sql` (if given), presses Run and waits for the outcome.
async fn run_sql(b: &Client, sql: Option<&str>) -> Outcome {
    if let Some(sql) = sql {
        // The SQL editor (CodeMirror) follows its textarea; typing into the editor would
        // let completion accept suggestions on Enter.
        b.execute(
            "document.getElementById('sql').value = arguments[0];",
            vec![json!(sql)],
        )
        .await
        .expect("set the SQL editor's text");
    }
    find(b, "button#run")
        .await
        .click()
        .await
        .expect("click Run");
    let probe = "
        const status = document.getElementById('status');
        const grid = document.getElementById('grid');
        return {
            running: document.getElementById('run').disabled
                || status.textContent.startsWith('Running'),
            rows: status.dataset.rows ?? null,
            status: status.textContent,
            error: document.querySelector('#result .error').textContent,
            headers: Array.from(grid.querySelectorAll('[role=columnheader] .pg-name'))
                .map(h => h.textContent),
            cells: Array.from(grid.querySelectorAll('.pg-body [role=row]'))
                .filter(r => !r.hidden)
                .sort((x, y) => x.getAttribute('aria-rowindex') - y.getAttribute('aria-rowindex'))
                .map(r => Array.from(r.children).map(c => c.textContent)),
        };";
    let deadline = Instant::now() + WAIT;
    loop {
        let seen = match b.execute(probe, vec![]).await {
            Ok(seen) => seen,
            Err(e) => panic!("read the result on {}: {e}", url_of(b).await),
        };
        let error = seen["error"].as_str().unwrap_or_default().to_string();
        let done = seen["running"] == false && (!seen["rows"].is_null() || !error.is_empty());
        if done {
            let strings = |v: &Value| -> Vec<String> {
                v.as_array()
                    .map(|a| {
                        a.iter()
                            .map(|s| s.as_str().unwrap_or_default().to_string())
                            .collect()
                    })
                    .unwrap_or_default()
            };
            return Outcome {
                rows: seen["rows"].as_str().and_then(|r| r.parse().ok()),
                status: seen["status"].as_str().unwrap_or_default().to_string(),
                error,
                headers: strings(&seen["headers"]),
                cells: seen["cells"]
                    .as_array()
                    .map(|rows| rows.iter().map(strings).collect())
                    .unwrap_or_default(),
            };
        }
        assert!(
            Instant::now() < deadline,
            "no query result within {WAIT:?}; last seen: {seen}"
        );
        tokio::time::sleep(POLL).await;
    }
}

mod exploration;
mod notice;
mod privacy;
mod records;
mod workspace;

// ---------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_admin_sets_up_logs_in_and_sees_query_rows() {
    with_browser(
        "a_new_admin_sets_up_logs_in_and_sees_query_rows",
        |b| async move {
            let server = TestServer::start(true).await;
            set_up_in_browser(&b, &server, "Ada Admin").await;
            assert!(
                text(&b, "header.top .who").await.contains("Ada Admin"),
                "the nav names the new admin"
            );

            // The editor comes with an example over the demo shop; it runs as is.
            let example = find(&b, "textarea#sql")
                .await
                .prop("value")
                .await
                .expect("read the editor")
                .unwrap_or_default();
            assert!(example.contains("sample_shop"), "example query: {example}");
            let first = run_sql(&b, None).await;
            assert!(
                first.error.is_empty(),
                "the example query failed: {first:?}"
            );
            assert!(first.rows.is_some_and(|n| n > 0), "no rows: {first:?}");
            assert!(!first.cells.is_empty(), "no rows in the grid: {first:?}");
            assert_eq!(
                first.headers,
                ["country", "orders", "revenue"],
                "result headers: {first:?}"
            );
            assert_eq!(first.rows, Some(first.cells.len() as u64), "{first:?}");
            assert!(first.status.contains("rows in"), "status: {}", first.status);
            let png = b.screenshot().await.expect("screenshot");
            save_screenshot("sql-example.png", &png);

            // Log out, then back in through the form.
            find(&b, "button#logout")
                .await
                .click()
                .await
                .expect("click Log out");
            wait_for_page(&b, "/login").await;
            assert_eq!(
                count(&b, "form#login-form").await,
                1,
                "login form after logout"
            );
            assert_eq!(count(&b, "button#logout").await, 0, "still looks logged in");
            goto(&b, &format!("{}/sql", server.base)).await;
            wait_for_page(&b, "/login").await;

            fill_and_submit(
                &b,
                "form#login-form",
                &[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)],
            )
            .await;
            wait_for_page(&b, "/sql").await;
            let second = run_sql(
                &b,
                Some("SELECT id, email FROM sample_shop.main.customers ORDER BY id LIMIT 3"),
            )
            .await;
            assert!(
                second.error.is_empty(),
                "the typed query failed: {second:?}"
            );
            assert_eq!(second.rows, Some(3), "{second:?}");
            assert_eq!(second.headers, ["id", "email"], "{second:?}");
            assert_eq!(second.cells.len(), 3, "{second:?}");
            assert!(
                second
                    .cells
                    .iter()
                    .all(|row| row.len() == 2 && row[1].contains('@')),
                "rows: {:?}",
                second.cells
            );
            assert_eq!(second.status.split(' ').next(), Some("3"), "{second:?}");

            let png = b.screenshot().await.expect("screenshot");
            save_screenshot("sql.png", &png);
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_setup_link_works_once_in_the_browser() {
    with_browser("the_setup_link_works_once_in_the_browser", |b| async move {
        let server = TestServer::start(false).await;
        set_up_in_browser(&b, &server, "Ada Admin").await;

        // The spent link is gone from history: going back lands on /setup without it.
        b.back().await.expect("go back");
        wait_for_page(&b, "/setup").await;
        let back = url_of(&b).await;
        assert!(
            !back.contains("token"),
            "the setup token is still in history: {back}"
        );

        // Opening the link again shows that setup is done, and no form.
        goto(&b, &setup_link(&server)).await;
        wait_for_page(&b, "/setup").await;
        let card = text(&b, "main").await;
        assert!(card.contains("already set up"), "setup page says: {card}");
        assert_eq!(
            count(&b, "form#setup-form").await,
            0,
            "a setup form is offered again"
        );
        assert_eq!(
            count(&b, "input[name=password]").await,
            0,
            "a password field is offered"
        );
        assert_eq!(
            count(&b, "main a[href=\"/login\"]").await,
            1,
            "a way to log in"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_from_users_are_rendered_as_text_not_html() {
    const NAME: &str = r#"<img src=x onerror="document.title='pwned'">Eve"#;
    with_browser("names_from_users_are_rendered_as_text_not_html", |b| async move {
        let server = TestServer::start(true).await;
        let token = server.setup_token.clone().expect("a setup token");
        let (status, body) = server
            .post(
                "/api/v1/setup",
                json!({"token": token, "email": ADMIN_EMAIL, "name": NAME, "password": ADMIN_PASSWORD}),
            )
            .await;
        assert_eq!(status, 201, "setup: {body}");

        log_in_in_browser(&b, &server.base).await;
        let who = text(&b, "header.top .who").await;
        assert!(who.contains("<img"), "the name is not shown literally: {who:?}");
        assert!(who.ends_with("Eve"), "the name is cut: {who:?}");
        assert_eq!(count(&b, "header.top img").await, 0, "the name became an element");
        assert_eq!(count(&b, "img").await, 0, "an img element on the page");
        let title = b
            .execute("return document.title", vec![])
            .await
            .expect("read the title");
        assert_ne!(title, "pwned", "the name ran as script");
        assert_eq!(title, "SQL · Proost");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_statement_shows_a_clear_error() {
    with_browser("a_refused_statement_shows_a_clear_error", |b| async move {
        let server = TestServer::with_admin(true).await;
        log_in_in_browser(&b, &server.base).await;
        let refused = run_sql(&b, Some("DELETE FROM sample_shop.main.orders")).await;
        assert!(
            refused.error.contains("statement_not_allowed"),
            "expected statement_not_allowed, got {refused:?}"
        );
        assert_eq!(
            refused.rows, None,
            "a refused statement reports rows: {refused:?}"
        );
        assert!(
            refused.cells.is_empty(),
            "a grid after an error: {refused:?}"
        );
        assert_eq!(text(&b, "#result .error").await, refused.error);

        // The orders are all still there.
        let (status, body) = server
            .query("SELECT COUNT(*) AS n FROM sample_shop.main.orders", None)
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(
            body["rows"][0][0].as_i64().is_some_and(|n| n > 0),
            "orders after the refused DELETE: {body}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clicking_a_table_in_the_sidebar_queries_it() {
    with_browser("clicking_a_table_in_the_sidebar_queries_it", |b| async move {
        let server = TestServer::with_admin(true).await;
        log_in_in_browser(&b, &server.base).await;
        let names: Value = b
            .execute(
                "return Array.from(document.querySelectorAll('aside.tables button.table-ref')).map(x => x.textContent)",
                vec![],
            )
            .await
            .expect("read the table list");
        let names = names.to_string();
        for t in ["main.customers", "main.orders", "main.products"] {
            assert!(names.contains(t), "{t} missing from the sidebar: {names}");
        }
        b.execute(
            "document.querySelector('button.table-ref[data-sql*=\"main.orders\"]').click()",
            vec![],
        )
        .await
        .expect("click the orders table");
        let outcome = run_sql(&b, None).await;
        let editor: Value = b
            .execute("return document.getElementById('sql').value", vec![])
            .await
            .expect("read the editor");
        assert_eq!(
            editor.as_str().unwrap_or_default(),
            "SELECT * FROM sample_shop.main.orders LIMIT 100"
        );
        assert_eq!(outcome.rows, Some(100), "{outcome:?}");
        assert!(outcome.headers.iter().any(|h| h == "ordered_at"), "{outcome:?}");
    })
    .await;
}

/// Polls until `script` (a JS expression) is truthy in the page.
async fn wait_until(b: &Client, script: &str, what: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(v) = b.execute(&format!("return !!({script})"), vec![]).await
            && v == json!(true)
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within {WAIT:?}"
        );
        tokio::time::sleep(POLL).await;
    }
}

#[tokio::test]
async fn an_admin_replicates_a_table_and_queries_answer_from_it() {
    with_browser("an_admin_replicates_a_table_and_queries_answer_from_it", |b| async move {
        let server = TestServer::with_admin(true).await;
        let (_, list) = server.get("/api/v1/connections").await;
        let id = list["connections"][0]["id"].as_str().expect("demo id").to_string();
        log_in_in_browser(&b, &server.base).await;
        goto(&b, &format!("{}/connections/{id}", server.base)).await;
        wait_for_page(&b, &format!("/connections/{id}")).await;
        b.execute(
            "document.querySelector('#replica-form [name=table]').value = 'main.orders'",
            vec![],
        )
        .await
        .expect("choose the table");
        find(&b, "#replica-form button[type=submit]")
            .await
            .click()
            .await
            .expect("add the replica");
        wait_until(&b, "document.querySelector('#replicas td.mono')?.textContent === 'main.orders'", "the replica row").await;
        assert!(text(&b, "#replicas").await.contains("pending"));
        find(&b, "#sync-now").await.click().await.expect("sync now");
        wait_until(&b, "document.querySelector('#replicas .state.ready')", "the sync").await;
        let shown = text(&b, "#replicas").await;
        assert!(shown.contains("120000"), "{shown}");
        goto(&b, &format!("{}/sql", server.base)).await;
        wait_for_page(&b, "/sql").await;
        let marked: Value = b
            .execute(
                "return Array.from(document.querySelectorAll('.replica-mark')).map(m => m.parentElement.dataset.sql)",
                vec![],
            )
            .await
            .expect("read the marks");
        assert_eq!(marked.as_array().map(Vec::len), Some(1), "{marked}");
        assert!(marked.to_string().contains("main.orders"));
        let outcome = run_sql(&b, Some("SELECT count(*) AS n FROM sample_shop.main.orders")).await;
        assert_eq!(outcome.rows, Some(1), "{outcome:?}");
        assert!(outcome.status.contains("from replica v1"), "{outcome:?}");
        server.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_analyst_sets_a_password_and_sees_only_what_is_granted() {
    with_browser(
        "an_invited_analyst_sets_a_password_and_sees_only_what_is_granted",
        |b| async move {
            let server = TestServer::with_admin(true).await;
            log_in_in_browser(&b, &server.base).await;
            // The admin adds a person on the People page; the invite link shows once.
            goto(&b, &format!("{}/admin/people", server.base)).await;
            wait_for_page(&b, "/admin/people").await;
            fill_and_submit(
                &b,
                "form[data-path=\"/users\"]",
                &[("name", "Ana Lyst"), ("email", "ana@example.com")],
            )
            .await;
            wait_until(
                &b,
                "document.querySelector('form[data-path=\"/users\"] .result').textContent.includes('/invite#')",
                "the invite link",
            )
            .await;
            let link = text(&b, "form[data-path=\"/users\"] .result code").await;
            save_screenshot("people.png", &b.screenshot().await.expect("screenshot"));
            // Access through a group: query on products only; customers' personal
            // columns would be masked anyway.
            let (_, users) = server.get("/api/v1/users").await;
            let ana = users["users"]
                .as_array()
                .and_then(|u| u.iter().find(|u| u["email"] == "ana@example.com"))
                .and_then(|u| u["id"].as_str())
                .expect("ana listed")
                .to_string();
            server
                .send(
                    server
                        .client
                        .patch(format!("{}/api/v1/users/{ana}", server.base))
                        .json(&json!({"role": "analyst"})),
                )
                .await;
            let group = server.group("shop readers", &[&ana]).await;
            server
                .grant(json!({"principal": {"group": group}, "connection": "sample_shop",
                              "schema": "main", "table": "products", "level": "query"}))
                .await;
            server
                .grant(json!({"principal": {"group": group}, "connection": "sample_shop",
                              "schema": "main", "table": "customers", "level": "query"}))
                .await;
            // The person opens the link (a fresh browser state) and sets a password.
            b.delete_all_cookies().await.expect("forget the admin");
            goto(&b, &link).await;
            wait_for_page(&b, "/invite").await;
            fill_and_submit(&b, "form#invite-form", &[("password", "ana's own passphrase")]).await;
            wait_for_page(&b, "/sql").await;
            let names: Value = b
                .execute(
                    "return Array.from(document.querySelectorAll('aside.tables button.table-ref')).map(x => x.textContent)",
                    vec![],
                )
                .await
                .expect("read the table list");
            let names = names.to_string();
            assert!(names.contains("main.products") && names.contains("main.customers"), "{names}");
            assert!(!names.contains("main.orders"), "orders is not granted: {names}");
            let outcome = run_sql(
                &b,
                Some("SELECT email, country FROM sample_shop.main.customers ORDER BY id LIMIT 3"),
            )
            .await;
            assert_eq!(outcome.rows, Some(3), "{outcome:?}");
            assert!(
                outcome.cells.iter().all(|r| r[0].contains("***@")),
                "emails are masked: {outcome:?}"
            );
            save_screenshot("sql-masked.png", &b.screenshot().await.expect("screenshot"));
            let refused = run_sql(&b, Some("SELECT * FROM sample_shop.main.orders")).await;
            assert!(refused.error.contains("table_not_found"), "{refused:?}");
            // No admin pages for them.
            assert_eq!(count(&b, "nav a[href=\"/admin/people\"]").await, 0);
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_names_stay_text_on_the_people_audit_and_account_pages() {
    const EVIL: &str = r#"<img src=x onerror="document.title='pwned'">"#;
    with_browser(
        "hostile_names_stay_text_on_the_people_audit_and_account_pages",
        |b| async move {
            let server = TestServer::with_admin(true).await;
            let (id, _) = server
                .user("evil@example.com", "viewer", json!({"region": EVIL}))
                .await;
            let (status, _) = server
                .send(
                    server
                        .client
                        .patch(format!("{}/api/v1/users/{id}", server.base))
                        .json(&json!({"name": format!("{EVIL}Mallory")})),
                )
                .await;
            assert_eq!(status, 200);
            let group = server.group(&format!("{EVIL}group"), &[&id]).await;
            let (status, body) = server
                .post(
                    "/api/v1/row-policies",
                    json!({"group": group, "connection": "sample_shop", "schema": "main",
                           "table": "orders", "filter": format!("status = '{}'", EVIL.replace('\'', "''"))}),
                )
                .await;
            assert_eq!(status, 201, "{body}");
            server
                .post("/api/v1/tokens", json!({"name": format!("{EVIL}token"), "scope": "read"}))
                .await;
            log_in_in_browser(&b, &server.base).await;
            for (path, title) in [
                ("/admin/people", "People · Proost"),
                ("/admin/audit", "Audit log · Proost"),
                ("/account", "Account · Proost"),
            ] {
                goto(&b, &format!("{}{path}", server.base)).await;
                wait_for_page(&b, path).await;
                assert_eq!(count(&b, "img").await, 0, "an img element on {path}");
                let seen = b.execute("return document.title", vec![]).await.expect("title");
                assert_eq!(seen, json!(title), "a name ran as script on {path}");
                let body = text(&b, "main").await;
                assert!(body.contains("<img"), "{path} does not show the name literally");
                if path == "/admin/audit" {
                    save_screenshot("audit.png", &b.screenshot().await.expect("screenshot"));
                }
            }
        },
    )
    .await;
}

#[tokio::test]
async fn an_admin_reviews_the_personal_data_inventory_and_rejects_a_column() {
    with_browser("an_admin_reviews_the_personal_data_inventory_and_rejects_a_column", |b| async move {
        let server = TestServer::with_admin(true).await;
        log_in_in_browser(&b, &server.base).await;
        goto(&b, &format!("{}/admin/inventory", server.base)).await;
        wait_for_page(&b, "/admin/inventory").await;
        let shown = text(&b, "#inventory").await;
        assert!(shown.contains("health_notes") && shown.contains("special"), "{shown}");
        assert!(shown.contains("admins"), "who reads it unmasked: {shown}");
        // An admin marks a column not personal from the page (after a confirm dialog):
        // it leaves the inventory and its mask goes.
        b.execute(
            "Array.from(document.querySelectorAll('#inventory tr')).find(tr => tr.children[2]?.textContent === 'city').querySelector('button.act').click()",
            vec![],
        )
        .await
        .expect("click Not personal");
        b.accept_alert().await.expect("accept the confirm dialog");
        wait_until(
            &b,
            "document.querySelector('#inventory') && !Array.from(document.querySelectorAll('#inventory tr')).some(tr => tr.children[2]?.textContent === 'city')",
            "the rejected row to leave",
        )
        .await;
        let png = b.screenshot().await.expect("screenshot");
        save_screenshot("inventory.png", &png);
        let (_, list) = server.get("/api/v1/connections").await;
        let id = list["connections"][0]["id"].as_str().expect("demo id").to_string();
        let (_, classes) = server.get(&format!("/api/v1/connections/{id}/classifications")).await;
        assert!(
            classes.as_array().expect("list").iter().any(|c| c["column"] == "city" && c["status"] == "rejected"),
            "{classes}"
        );
        server.stop().await;
    })
    .await;
}
