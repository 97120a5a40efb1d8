//! The privacy records page in a real browser: an admin changes a retention policy, places
//! and releases a legal hold and records a breach through the page's forms; the page has
//! no console errors and no serious accessibility violations.

use std::time::Instant;

use serde_json::{Value, json};

use super::workspace::assert_clean;
use super::{
    POLL, WAIT, fill_and_submit, find, goto, log_in_in_browser, save_screenshot, wait_for_page,
};
use crate::common::TestServer;

async fn clean(b: &fantoccini::Client, page: &str) {
    assert_clean(b, &format!("records-{page}")).await;
}

/// Polls the API until `check` holds for what `path` answers.
async fn until(s: &TestServer, path: &str, what: &str, check: impl Fn(&Value) -> bool) {
    let deadline = Instant::now() + WAIT;
    loop {
        let (_, body) = s.get(path).await;
        if check(&body) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: not within {WAIT:?}: {body}"
        );
        tokio::time::sleep(POLL).await;
    }
}

/// Marks the page, so [`reloaded`] can tell the page script's reload after a form happened.
async fn mark(b: &fantoccini::Client) {
    b.execute("window.__before_submit = true;", vec![])
        .await
        .expect("mark the page");
}

/// Waits until the marked page was replaced by a fresh, fully loaded one.
async fn reloaded(b: &fantoccini::Client) {
    let deadline = Instant::now() + WAIT;
    loop {
        let fresh = b
            .execute(
                "return window.__before_submit === undefined && document.readyState === 'complete';",
                vec![],
            )
            .await
            .unwrap_or(Value::Bool(false));
        if fresh == Value::Bool(true) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the page did not reload within {WAIT:?}"
        );
        tokio::time::sleep(POLL).await;
    }
}

#[tokio::test]
async fn an_admin_keeps_retention_holds_and_breaches_on_the_records_page() {
    let s = TestServer::with_admin(false).await;
    let (held, _) = s.user("held@example.com", "viewer", json!({})).await;
    let base = s.base.clone();
    let page = format!("{base}/admin/privacy/records");
    with_browser_test(&s, &base, &page, &held).await;
}

async fn with_browser_test(s: &TestServer, base: &str, page: &str, held: &str) {
    super::with_browser("privacy_records", |b| async move {
        log_in_in_browser(&b, base).await;
        goto(&b, page).await;
        wait_for_page(&b, "/admin/privacy/records").await;
        clean(&b, "empty").await;

        mark(&b).await;
        fill_and_submit(&b, "form#retention-sessions", &[("keep_days", "12")]).await;
        until(s, "/api/v1/privacy/retention", "the sessions policy", |r| {
            r["policies"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|p| p["record_type"] == "sessions" && p["keep_days"] == 12)
        })
        .await;
        reloaded(&b).await;
        find(
            &b,
            &format!("form#hold-user select[name=target_id] option[value=\"{held}\"]"),
        )
        .await
        .click()
        .await
        .expect("choose the person");
        mark(&b).await;
        fill_and_submit(&b, "form#hold-user", &[("reason", "Case 42")]).await;
        until(s, "/api/v1/privacy/holds", "the hold", |r| {
            r["holds"].as_array().is_some_and(|h| {
                h.len() == 1 && h[0]["target_id"] == held && h[0]["active"] == true
            })
        })
        .await;
        reloaded(&b).await;
        mark(&b).await;
        b.execute(
            "window.confirm = () => true;
             const f = document.querySelector('#breach-new');
             f.querySelector('[name=discovered_at]').value = '2026-11-20T09:30';",
            vec![],
        )
        .await
        .expect("set the discovery time");
        fill_and_submit(
            &b,
            "form#breach-new",
            &[
                ("facts", "A laptop was stolen"),
                ("effects", "Customer emails exposed"),
                ("remedial_action", "Remote wipe"),
                ("categories", "email name"),
                ("subjects_affected", "30"),
            ],
        )
        .await;
        until(s, "/api/v1/privacy/breaches", "the breach", |r| {
            r["breaches"].as_array().is_some_and(|l| {
                l.len() == 1
                    && l[0]["discovered_at"] == "2026-11-20T09:30:00.000Z"
                    && l[0]["categories"] == json!(["email", "name"])
                    && l[0]["subjects_affected"] == 30
            })
        })
        .await;
        reloaded(&b).await;
        clean(&b, "filled").await;
        b.execute("document.getElementById('holds').scrollIntoView();", vec![])
            .await
            .expect("scroll to the holds");
        if let Ok(png) = b.screenshot().await {
            save_screenshot("records-holds-and-breaches.png", &png);
        }
        b.execute(
            "window.confirm = () => true;
             document.querySelector('#legal-holds button.act').scrollIntoView({block: 'center'});",
            vec![],
        )
        .await
        .expect("auto-confirm");
        find(&b, "#legal-holds button.act")
            .await
            .click()
            .await
            .expect("release");
        until(s, "/api/v1/privacy/holds", "the release", |r| {
            r["holds"][0]["active"] == false
        })
        .await;
    })
    .await;
}
