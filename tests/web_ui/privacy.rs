//! Privacy requests in a real browser: someone without an account files an erasure request
//! on the public page, confirms it with the mailed code, and an admin approves it from the
//! queue; both pages have no console errors and no serious accessibility violations.

use std::time::Instant;

use super::workspace::assert_clean;
use super::{
    POLL, WAIT, fill_and_submit, find, goto, log_in_in_browser, text, wait_until, with_browser,
};
use crate::common::TestServer;
use crate::mail::{mail_to, start_sink};
use crate::privacy::code_for;

async fn clean(b: &fantoccini::Client, page: &str) {
    assert_clean(b, &format!("privacy-{page}")).await;
}

#[tokio::test]
async fn someone_files_by_email_confirms_with_the_code_and_an_admin_approves_in_the_queue() {
    let sink = start_sink().await;
    let port = sink.port;
    let s = TestServer::with_admin_using(false, |c| c.mail = Some(mail_to(port))).await;
    let base = s.base.clone();
    let token = s.token.clone().expect("admin token");
    with_browser("privacy_requests", |b| async move {
        goto(&b, &format!("{base}/privacy/request")).await;
        clean(&b, "file").await;
        find(&b, "select[name=kind] option[value=erasure]")
            .await
            .click()
            .await
            .expect("choose erasure");
        fill_and_submit(&b, "form#privacy-file", &[("email", "walk.in@example.org")]).await;
        wait_until(
            &b,
            "location.pathname.startsWith('/privacy/request/')",
            "the confirmation page",
        )
        .await;
        clean(&b, "verify").await;
        let code = code_for(&sink.wait_for(1).await, "walk.in@example.org");
        fill_and_submit(&b, "form#privacy-verify", &[("code", &code)]).await;
        wait_until(
            &b,
            "document.querySelector('#privacy-verify .ok').textContent.includes('Confirmed')",
            "confirmation",
        )
        .await;

        log_in_in_browser(&b, &base).await;
        goto(&b, &format!("{base}/admin/privacy")).await;
        let table = text(&b, "#privacy-requests").await;
        assert!(
            table.contains("walk.in@example.org") && table.contains("pending"),
            "{table}"
        );
        clean(&b, "queue").await;
        b.execute("window.confirm = () => true;", vec![])
            .await
            .expect("auto-confirm");
        find(&b, "#privacy-requests button.act")
            .await
            .click()
            .await
            .expect("approve");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + WAIT;
        loop {
            let list: serde_json::Value = client
                .get(format!("{base}/api/v1/privacy/requests"))
                .bearer_auth(&token)
                .send()
                .await
                .expect("queue")
                .json()
                .await
                .expect("json");
            if list["requests"][0]["status"] == "completed" {
                break;
            }
            assert!(Instant::now() < deadline, "not completed: {list}");
            tokio::time::sleep(POLL * 5).await;
        }
        goto(&b, &format!("{base}/admin/privacy")).await;
        let t = text(&b, "#privacy-requests").await;
        assert!(
            t.contains("completed") && t.contains("erased subject"),
            "{t}"
        );
        clean(&b, "queue-done").await;
    })
    .await;
    drop(s);
}
