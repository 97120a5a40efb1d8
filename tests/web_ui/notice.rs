//! A material privacy notice in a real browser: after logging in, the admin lands on the
//! acknowledge page whatever page they ask for, reads the change, accepts it and goes on;
//! the page has no console errors and no serious accessibility violations.

use serde_json::json;

use super::workspace::{axe_violations, console_errors};
use super::{
    ADMIN_EMAIL, ADMIN_PASSWORD, fill_and_submit, find, goto, text, wait_for_page, with_browser,
};
use crate::common::TestServer;

#[tokio::test]
async fn a_material_notice_is_acknowledged_in_the_browser_before_anything_else() {
    let s = TestServer::with_admin(true).await;
    let (status, body) = s
        .post(
            "/api/v1/privacy/notice",
            json!({"markdown": "# Privacy notice\n\nWe now use **Example Mail** to send email.\n\n<script>window.pwned = 1</script>",
                   "material": true, "summary": "a new email processor"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let base = s.base.clone();
    with_browser("notice_acknowledge", |b| async move {
        goto(&b, &format!("{base}/login")).await;
        fill_and_submit(
            &b,
            "form#login-form",
            &[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)],
        )
        .await;
        wait_for_page(&b, "/privacy/acknowledge").await;
        // Any other page leads back here.
        goto(&b, &format!("{base}/questions")).await;
        wait_for_page(&b, "/privacy/acknowledge").await;
        let page = text(&b, "main").await;
        assert!(
            page.contains("a new email processor") && page.contains("Example Mail"),
            "{page}"
        );
        let pwned = b
            .execute("return window.pwned === undefined", vec![])
            .await
            .expect("js");
        assert_eq!(pwned, json!(true), "the notice's script did not run");
        let errors = console_errors(&b).await;
        assert!(errors.is_empty(), "console errors {errors:?}");
        let axe = axe_violations(&b).await;
        assert!(axe.is_empty(), "axe {axe:?}");
        find(&b, "form#acknowledge button[type=submit]")
            .await
            .click()
            .await
            .expect("acknowledge");
        // The page reloads: up to date, with a way on.
        let deadline = std::time::Instant::now() + super::WAIT;
        while b.find(fantoccini::Locator::Css("#continue")).await.is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "no way on after acknowledging"
            );
            tokio::time::sleep(super::POLL).await;
        }
        find(&b, "#continue").await.click().await.expect("continue");
        wait_for_page(&b, "/sql").await;
        goto(&b, &format!("{base}/account/preferences")).await;
        wait_for_page(&b, "/account/preferences").await;
    })
    .await;
    let (_, v) = s.get("/api/v1/privacy/notice/versions").await;
    assert_eq!(v["versions"][0]["acknowledged"], 1, "{v}");
}
