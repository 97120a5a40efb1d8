//! Privacy notice versions: public reading, admin publishing and versions, material changes
//! held until acknowledged (API and browser), Markdown rendered inert.

use crate::common::{ADMIN_EMAIL, ADMIN_PASSWORD, TestServer, USER_PASSWORD, error_code};
use reqwest::Method as M;
use serde_json::json;

const HOSTILE: &str = "# Our notice\n\nWe keep <b>little</b>.\n\n<script>alert('pwned')</script>\n\n\
    <img src=x onerror=\"alert(2)\">\n\n[click](javascript:alert(3)) and [home](https://example.com/)";

#[tokio::test]
async fn notices_are_public_admin_published_and_render_no_script() {
    let s = TestServer::with_admin(false).await;
    let (status, body) = s
        .send_as(None, M::GET, "/api/v1/privacy/notice", None)
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (404, "not_found".into()),
        "{body}"
    );
    let (_, viewer_t) = s.user("val@example.com", "viewer", json!({})).await;
    let (status, body) = s
        .send_as(
            Some(&viewer_t),
            M::POST,
            "/api/v1/privacy/notice",
            Some(json!({"markdown": "# mine"})),
        )
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (403, "forbidden".into()),
        "{body}"
    );
    let (status, body) = s
        .send_as(
            Some(&viewer_t),
            M::GET,
            "/api/v1/privacy/notice/versions",
            None,
        )
        .await;
    assert_eq!(status, 403, "{body}");
    for bad in [
        json!({"markdown": "  "}),
        json!({"markdown": "x", "extra": 1}),
    ] {
        let (status, body) = s.post("/api/v1/privacy/notice", bad.clone()).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }

    let (status, body) = s
        .post(
            "/api/v1/privacy/notice",
            json!({"markdown": HOSTILE, "material": false, "summary": "first"}),
        )
        .await;
    assert_eq!((status, body["version"].clone()), (201, json!(1)), "{body}");
    let (status, n) = s
        .send_as(None, M::GET, "/api/v1/privacy/notice", None)
        .await;
    assert_eq!(status, 200, "{n}");
    let html = n["html"].as_str().expect("html");
    assert!(html.contains("<h1>Our notice</h1>"), "{html}");
    assert!(
        !html.contains("<script") && !html.contains("<img") && !html.contains("<b>"),
        "{html}"
    );
    assert!(!html.to_ascii_lowercase().contains("javascript:"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "shown as text: {html}");
    assert_eq!(n["markdown"], HOSTILE.trim());

    // The public page: no script from the notice gets into it.
    let page = reqwest::get(format!("{}/privacy", s.base))
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    let text = page.text().await.expect("html");
    assert!(text.contains("Our notice"), "{text}");
    assert!(
        !text.contains("<script>alert") && !text.contains("<img"),
        "{text}"
    );
    assert!(
        text.contains("&lt;script&gt;alert"),
        "shown as text: {text}"
    );

    // Not material: nobody is held.
    let (status, _) = s
        .send_as(Some(&viewer_t), M::GET, "/api/v1/me/preferences", None)
        .await;
    assert_eq!(status, 200);

    let (status, v) = s.get("/api/v1/privacy/notice/versions").await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["versions"][0]["version"], 1);
    assert_eq!(v["versions"][0]["material"], false);
    // The admin page lists the versions; others are not let in.
    let page = |t: Option<String>| {
        let base = s.base.clone();
        async move {
            let mut rb = reqwest::Client::new().get(format!("{base}/admin/privacy-notice"));
            if let Some(t) = t {
                rb = rb.bearer_auth(t);
            }
            let res = rb.send().await.expect("page");
            (res.status().as_u16(), res.text().await.unwrap_or_default())
        }
    };
    let (status, html) = page(s.token.clone()).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("Versions") && html.contains("first"),
        "{html}"
    );
    let (status, _) = page(Some(viewer_t.clone())).await;
    assert_eq!(status, 403);
    let (_, audit) = s.get("/api/v1/audit?action=notice.publish").await;
    assert_eq!(
        audit["entries"].as_array().map(Vec::len),
        Some(1),
        "{audit}"
    );
}

#[tokio::test]
async fn a_material_notice_holds_api_calls_and_browsers_until_acknowledged() {
    let mut s = TestServer::with_admin(false).await;
    let (_, user_t) = s.user("mat@example.com", "viewer", json!({})).await;
    let (status, body) = s
        .post("/api/v1/privacy/notice", json!({"markdown": "# v1\n\nChanged.", "material": true, "summary": "we added a processor"}))
        .await;
    assert_eq!(status, 201, "{body}");

    // API callers: a stable error everywhere but the notice, its acknowledgement and the session.
    for (m, p) in [
        (M::GET, "/api/v1/me/preferences"),
        (M::GET, "/api/v1/questions"),
        (M::GET, "/api/v1/connections"),
    ] {
        let (status, body) = s.send_as(Some(&user_t), m, p, None).await;
        assert_eq!(
            (status, error_code(&body)),
            (403, "notice_acknowledgement_required".into()),
            "{p}: {body}"
        );
    }
    let (status, body) = s
        .send_as(Some(&user_t), M::GET, "/api/v1/privacy/notice", None)
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = s
        .send_as(Some(&user_t), M::GET, "/api/v1/session", None)
        .await;
    assert_eq!(status, 200, "{body}");
    // The admin who published is held too, until they acknowledge.
    let (status, body) = s.get("/api/v1/questions").await;
    assert_eq!(
        error_code(&body),
        "notice_acknowledgement_required",
        "{status} {body}"
    );

    let (status, body) = s
        .send_as(
            Some(&user_t),
            M::POST,
            "/api/v1/privacy/notice/acknowledge",
            None,
        )
        .await;
    assert_eq!((status, body["version"].clone()), (200, json!(1)), "{body}");
    let (status, _) = s
        .send_as(Some(&user_t), M::GET, "/api/v1/me/preferences", None)
        .await;
    assert_eq!(status, 200, "free once acknowledged");
    let (status, body) = s
        .send_as(
            Some(&user_t),
            M::POST,
            "/api/v1/privacy/notice/acknowledge",
            None,
        )
        .await;
    assert_eq!(
        (status, body["version"].clone()),
        (200, json!(null)),
        "nothing left: {body}"
    );
    s.post("/api/v1/privacy/notice/acknowledge", json!({}))
        .await;

    // A browser: after logging in (cookie session), every page leads to the acknowledge
    // page until the person accepts; then the pages open again.
    let (status, body) = s
        .post(
            "/api/v1/privacy/notice",
            json!({"markdown": "# v2", "material": true}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let login = browser
        .post(format!("{}/api/v1/session", s.base))
        .json(&json!({"email": "mat@example.com", "password": USER_PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200, "login is open");
    let csrf = login.json::<serde_json::Value>().await.expect("json")["csrf_token"]
        .as_str()
        .map(str::to_string);
    for page in ["/", "/questions", "/account/preferences"] {
        let res = browser
            .get(format!("{}{page}", s.base))
            .send()
            .await
            .expect("page");
        assert_eq!(res.status(), 303, "{page}");
        assert_eq!(
            res.headers().get("location").and_then(|l| l.to_str().ok()),
            Some("/privacy/acknowledge"),
            "{page}"
        );
    }
    let res = browser
        .get(format!("{}/privacy/acknowledge", s.base))
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("The privacy notice changed") && html.contains("<h1>v2</h1>"),
        "{html}"
    );
    let mut ack = browser.post(format!("{}/api/v1/privacy/notice/acknowledge", s.base));
    if let Some(c) = &csrf {
        ack = ack.header("x-csrf-token", c);
    } else {
        // The CSRF token is on the page for the page script.
        let token = html
            .split("name=\"csrf-token\" content=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("csrf meta")
            .to_string();
        ack = ack.header("x-csrf-token", token);
    }
    let res = ack.send().await.expect("ack");
    assert_eq!(res.status(), 200);
    let res = browser
        .get(format!("{}/questions", s.base))
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), 200, "pages open again");

    // Acknowledgements are recorded, per version.
    s.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    s.post("/api/v1/privacy/notice/acknowledge", json!({}))
        .await;
    let (_, v) = s.get("/api/v1/privacy/notice/versions").await;
    assert_eq!(v["versions"][0]["version"], 2, "{v}");
    assert_eq!(v["versions"][0]["acknowledged"], 2, "{v}");
    assert_eq!(v["versions"][1]["acknowledged"], 2, "{v}");
}
