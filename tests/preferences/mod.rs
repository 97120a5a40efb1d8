//! Communication preferences, one-click unsubscribe and privacy notice versions: preferences
//! default to on and change field by field; every email Proost sends (invites, notices,
//! subscriptions) carries RFC 8058 `List-Unsubscribe` + `List-Unsubscribe-Post` headers whose
//! signed link works logged out, once, takes effect before it answers, and is refused when
//! altered or expired; opted-out people get no subscription or notice mail and no usage
//! events; a material notice holds API callers (`notice_acknowledgement_required`) and
//! browsers (`/privacy/acknowledge`) until acknowledged; Markdown cannot smuggle a script.

mod notice;

use std::time::Duration;

use crate::common::{ADMIN_EMAIL, TestServer, error_code};
use crate::mail::{Sink, mail_to, start_sink};
use reqwest::Method as M;
use serde_json::{Value, json};

const PUBLIC: &str = "https://bi.example.com";

pub(crate) async fn mail_server(sink: &Sink, ttl: Option<Duration>) -> TestServer {
    let port = sink.port;
    TestServer::with_admin_using(true, move |c| {
        c.mail = Some(mail_to(port));
        c.public_url = Some(format!("{PUBLIC}/"));
        if let Some(ttl) = ttl {
            c.unsubscribe_link_ttl = ttl;
        }
    })
    .await
}

/// A header's value (unfolded), if the message has it.
pub(crate) fn header(message: &str, name: &str) -> Option<String> {
    let unfolded = message.replace("\r\n ", " ").replace("\r\n\t", " ");
    let head = unfolded.split("\r\n\r\n").next().unwrap_or("");
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
    })
}

/// The token of a message's one-click unsubscribe link (`<PUBLIC/unsubscribe/TOKEN>`).
pub(crate) fn unsubscribe_token(message: &str) -> String {
    let v = header(message, "List-Unsubscribe")
        .unwrap_or_else(|| panic!("List-Unsubscribe in {message}"));
    v.trim_start_matches('<')
        .trim_end_matches('>')
        .strip_prefix(&format!("{PUBLIC}/unsubscribe/"))
        .unwrap_or_else(|| panic!("a link on the public URL: {v}"))
        .to_string()
}

pub(crate) fn assert_one_click(message: &str) {
    let link = header(message, "List-Unsubscribe")
        .unwrap_or_else(|| panic!("List-Unsubscribe in {message}"));
    assert!(
        link.starts_with(&format!("<{PUBLIC}/unsubscribe/v1.")) && link.ends_with('>'),
        "{link}"
    );
    assert_eq!(
        header(message, "List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click"),
        "{message}"
    );
    let body = message.replace("=\r\n", "").replace("=3D", "=");
    assert!(
        body.contains(&format!("{PUBLIC}/unsubscribe/v1.")),
        "a link in the body: {message}"
    );
}

fn to(message: &str, email: &str) -> bool {
    message.starts_with(&format!("X-Envelope-To: {email}"))
}

/// A one-click POST (as a mail client sends it), logged out: (status, page text).
pub(crate) async fn one_click(s: &TestServer, token: &str) -> (u16, String) {
    let res = reqwest::Client::new()
        .post(format!("{}/unsubscribe/{token}", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("POST unsubscribe");
    (res.status().as_u16(), res.text().await.unwrap_or_default())
}

async fn prefs_of(s: &TestServer, token: &str) -> Value {
    let (status, body) = s
        .send_as(Some(token), M::GET, "/api/v1/me/preferences", None)
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn preferences_default_on_change_field_by_field_and_refuse_unknown_fields() {
    let s = TestServer::with_admin(false).await;
    let all_on = json!({"product_notices": true, "subscriptions": true, "mentions": true, "usage_analytics": true});
    let (status, body) = s.get("/api/v1/me/preferences").await;
    assert_eq!((status, &body), (200, &all_on));
    let put = |b: Value| {
        let s = &s;
        async move {
            s.send(
                s.client
                    .put(format!("{}/api/v1/me/preferences", s.base))
                    .json(&b),
            )
            .await
        }
    };
    let (status, body) = put(json!({"mentions": false})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"product_notices": true, "subscriptions": true, "mentions": false, "usage_analytics": true})
    );
    let (_, body) = s.get("/api/v1/me/preferences").await;
    assert_eq!(body["mentions"], false, "kept: {body}");
    assert_eq!(body["subscriptions"], true, "untouched: {body}");

    for bad in [
        json!({"mentions": false, "newsletter": false}),
        json!({"mentions": "no"}),
        json!({"mentions": null}),
        json!([true]),
    ] {
        let (status, body) = put(bad.clone()).await;
        assert_eq!(
            (status, error_code(&body)),
            (400, "preferences_invalid".into()),
            "{bad}: {body}"
        );
    }
    let (_, body) = s.get("/api/v1/me/preferences").await;
    assert_eq!(
        body["mentions"], false,
        "nothing changed by a refused request: {body}"
    );

    let (status, body) = s
        .send_as(None, M::GET, "/api/v1/me/preferences", None)
        .await;
    assert_eq!((status, error_code(&body)), (401, "unauthenticated".into()));

    let (_, audit) = s.get("/api/v1/audit?action=preferences.update").await;
    let entries = audit["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "one change audited: {audit}");

    // The page shows them.
    let page = s
        .client
        .get(format!("{}/account/preferences", s.base))
        .bearer_auth(s.token.as_deref().unwrap_or_default())
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("name=\"mentions\""), "{html}");
}

#[tokio::test]
async fn every_email_has_a_one_click_unsubscribe_that_works_logged_out_once_and_not_when_altered() {
    let sink = start_sink().await;
    let s = mail_server(&sink, None).await;
    let (user, user_t) = s.user("una@example.com", "viewer", json!({})).await;
    // An invite (a user without a password).
    let (status, body) = s
        .post(
            "/api/v1/users",
            json!({"email": "ivy@example.com", "name": "Ivy", "role": "viewer"}),
        )
        .await;
    assert_eq!(
        (status, body["invite_emailed"].clone()),
        (201, json!(true)),
        "{body}"
    );
    // A material notice: mailed to everyone.
    let (status, body) = s
        .post("/api/v1/privacy/notice", json!({"markdown": "# Notice\n\nWe keep little.", "material": true, "summary": "first version"}))
        .await;
    assert_eq!(status, 201, "{body}");
    // The admin who published acknowledges it too (else their calls are held).
    let (status, _) = s
        .post("/api/v1/privacy/notice/acknowledge", json!({}))
        .await;
    assert_eq!(status, 200);
    let mail = sink.wait_for(4).await;
    for m in &mail {
        assert_one_click(m);
    }
    let notice_to_una = mail
        .iter()
        .find(|m| to(m, "una@example.com") && m.contains("privacy notice"))
        .expect("notice mail to una");
    let token = unsubscribe_token(notice_to_una);
    assert!(
        token.contains(&user) && token.contains(".product_notices."),
        "{token}"
    );

    // Una acknowledges the notice, so her API calls are not held.
    let (status, _) = s
        .send_as(
            Some(&user_t),
            M::POST,
            "/api/v1/privacy/notice/acknowledge",
            None,
        )
        .await;
    assert_eq!(status, 200);

    // GET shows a button and changes nothing (mail scanners follow links).
    let page = reqwest::get(format!("{}/unsubscribe/{token}", s.base))
        .await
        .expect("GET");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("method=\"post\"") && html.contains("una@example.com"),
        "{html}"
    );
    assert_eq!(prefs_of(&s, &user_t).await["product_notices"], true);

    // Altered links are refused: another category, another user, a changed signature.
    let sig_flipped = {
        let mut t = token.clone();
        let last = t.pop().expect("char");
        t.push(if last == '0' { '1' } else { '0' });
        t
    };
    for bad in [
        token.replace(".product_notices.", ".mentions."),
        token.replacen(&user, "00000000-0000-0000-0000-000000000000", 1),
        sig_flipped,
        "v1.nonsense".to_string(),
    ] {
        let (status, text) = one_click(&s, &bad).await;
        assert_eq!(status, 403, "{bad}: {text}");
        assert!(text.contains("unsubscribe_invalid"), "{text}");
    }
    assert_eq!(prefs_of(&s, &user_t).await["product_notices"], true);

    // One click, logged out: off before the answer.
    let (status, text) = one_click(&s, &token).await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("Unsubscribed"), "{text}");
    let p = prefs_of(&s, &user_t).await;
    assert_eq!(p["product_notices"], false, "{p}");
    assert_eq!(p["mentions"], true, "only that category: {p}");
    // Once: a second use says it is done already.
    let (status, text) = one_click(&s, &token).await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("Already unsubscribed"), "{text}");

    // The next material notice is not mailed to her.
    let before = sink.messages().len();
    let (status, _) = s
        .post(
            "/api/v1/privacy/notice",
            json!({"markdown": "# Notice v2", "material": true}),
        )
        .await;
    assert_eq!(status, 201);
    // The admin, Ivy (no password yet, but a user) — not Una.
    let mail = sink.wait_for(before + 2).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mail_after = sink.messages();
    assert_eq!(mail_after.len(), mail.len(), "no more than two");
    let new = &mail_after[before..];
    assert!(
        new.iter().any(|m| to(m, ADMIN_EMAIL)),
        "admin still gets it"
    );
    assert!(!new.iter().any(|m| to(m, "una@example.com")), "not to una");
    for m in new {
        assert_one_click(m);
    }
}

#[tokio::test]
async fn an_unsubscribe_link_is_refused_after_it_expires() {
    let sink = start_sink().await;
    let s = mail_server(&sink, Some(Duration::from_secs(2))).await;
    let (_, user_t) = s.user("exp@example.com", "viewer", json!({})).await;
    let (status, _) = s
        .post(
            "/api/v1/privacy/notice",
            json!({"markdown": "Notice", "material": true}),
        )
        .await;
    assert_eq!(status, 201);
    let mail = sink.wait_for(2).await;
    let m = mail
        .iter()
        .find(|m| to(m, "exp@example.com"))
        .expect("mail to exp");
    let token = unsubscribe_token(m);
    tokio::time::sleep(Duration::from_millis(3200)).await;
    let (status, text) = one_click(&s, &token).await;
    assert_eq!(status, 403, "{text}");
    assert!(text.contains("unsubscribe_expired"), "{text}");
    let page = reqwest::get(format!("{}/unsubscribe/{token}", s.base))
        .await
        .expect("GET");
    assert_eq!(page.status(), 403);
    s.send_as(
        Some(&user_t),
        M::POST,
        "/api/v1/privacy/notice/acknowledge",
        None,
    )
    .await;
    assert_eq!(
        prefs_of(&s, &user_t).await["product_notices"],
        true,
        "nothing changed"
    );
}

#[tokio::test]
async fn no_subscription_email_after_subscriptions_are_turned_off() {
    let sink = start_sink().await;
    let s = mail_server(&sink, None).await;
    let (status, q) = s
        .post(
            "/api/v1/questions",
            json!({"name": "Order count", "query": {"sql": "SELECT count(*) AS n FROM sample_shop.main.orders"}}),
        )
        .await;
    assert_eq!(status, 201, "{q}");
    let (status, sub) = s
        .post(
            "/api/v1/subscriptions",
            json!({"object": {"question": q["id"]}, "schedule": {"every": "daily"}}),
        )
        .await;
    assert_eq!(status, 201, "{sub}");
    let sub = sub["ids"][0].as_str().expect("id").to_string();
    let (status, body) = s
        .post(&format!("/api/v1/subscriptions/{sub}/send"), json!({}))
        .await;
    assert_eq!((status, body["sent"].clone()), (200, json!(true)), "{body}");
    let mail = sink.wait_for(1).await;
    assert_one_click(&mail[0]);
    assert!(unsubscribe_token(&mail[0]).contains(".subscriptions."));

    let (status, body) = s
        .send(
            s.client
                .put(format!("{}/api/v1/me/preferences", s.base))
                .json(&json!({"subscriptions": false})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = s
        .post(&format!("/api/v1/subscriptions/{sub}/send"), json!({}))
        .await;
    assert_eq!(
        (status, body["sent"].clone()),
        (200, json!(false)),
        "{body}"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.messages().len(), 1, "nothing more was sent");
    let (_, list) = s.get("/api/v1/subscriptions").await;
    assert!(
        list["subscriptions"][0]["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("turned subscription emails off")),
        "{list}"
    );
}

#[tokio::test]
async fn usage_analytics_off_stops_recording_that_users_usage() {
    let s = TestServer::with_admin(true).await;
    let (user, user_t) = s.user("quiet@example.com", "analyst", json!({})).await;
    let run = |t: String| {
        let s = &s;
        async move {
            let (status, body) = s
                .send_as(
                    Some(&t),
                    M::POST,
                    "/api/v1/query",
                    Some(json!({"sql": "SELECT 1 AS one"})),
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }
    };
    let count = || {
        let s = &s;
        let user = user.clone();
        async move {
            // The writer is in the background: wait until it settles.
            let mut last = usize::MAX;
            for _ in 0..20 {
                let (status, body) = s.get("/api/v1/usage?kind=query").await;
                assert_eq!(status, 200, "{body}");
                let n = body["events"]
                    .as_array()
                    .expect("events")
                    .iter()
                    .filter(|e| e["user_id"] == user.as_str() || e["user"] == user.as_str())
                    .count();
                if n == last {
                    return n;
                }
                last = n;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            last
        }
    };
    run(user_t.clone()).await;
    let before = count().await;
    assert!(before >= 1, "recorded while on");
    let (status, body) = s
        .send_as(
            Some(&user_t),
            M::PUT,
            "/api/v1/me/preferences",
            Some(json!({"usage_analytics": false})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    for _ in 0..3 {
        run(user_t.clone()).await;
    }
    assert_eq!(count().await, before, "nothing recorded once off");
    // Back on: recorded again.
    s.send_as(
        Some(&user_t),
        M::PUT,
        "/api/v1/me/preferences",
        Some(json!({"usage_analytics": true})),
    )
    .await;
    run(user_t.clone()).await;
    assert_eq!(count().await, before + 1);
}

#[tokio::test]
async fn no_mention_email_after_mentions_are_turned_off() {
    let sink = start_sink().await;
    let s = mail_server(&sink, None).await;
    let (user, user_t) = s.user("mia@example.com", "viewer", json!({})).await;
    let (status, q) = s
        .post(
            "/api/v1/questions",
            json!({"name": "Orders", "query": {"sql": "SELECT count(*) AS n FROM sample_shop.main.orders"}}),
        )
        .await;
    assert_eq!(status, 201, "{q}");
    let q = q["id"].as_str().expect("id").to_string();
    let (status, body) = s
        .post(
            "/api/v1/shares",
            json!({"object": {"question": q}, "principal": {"user": user}, "level": "view"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let comment = |text: &str| {
        let (s, path, text) = (
            &s,
            format!("/api/v1/questions/{q}/comments"),
            text.to_string(),
        );
        async move {
            let (status, body) = s.post(&path, json!({"body": text})).await;
            assert_eq!(status, 201, "{body}");
        }
    };
    comment("Have a look, @mia").await;
    let mail = sink.wait_for(1).await;
    assert!(to(&mail[0], "mia@example.com"), "{}", mail[0]);
    assert_one_click(&mail[0]);
    assert!(unsubscribe_token(&mail[0]).contains(".mentions."));

    let (status, _) = s
        .send_as(
            Some(&user_t),
            M::PUT,
            "/api/v1/me/preferences",
            Some(json!({"mentions": false})),
        )
        .await;
    assert_eq!(status, 200);
    comment("And again, @mia").await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(sink.messages().len(), 1, "no mention email once off");
}
