//! Invite emails through a real SMTP server (aiosmtpd, scripts/smtp-sink): the invited user
//! gets one message with an absolute one-time link that sets their password; nothing is
//! mailed to users who have a password or sign in through SSO; a mail server that is down
//! loses nothing (the user exists, the admin still gets the link, the answer says so).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::{TestServer, error_code, temp_dir};
use proost_server::mail::MailConfig;
use serde_json::json;

/// The SMTP sink, killed when dropped.
pub(crate) struct Sink {
    child: Child,
    pub(crate) port: u16,
    dir: PathBuf,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

pub(crate) async fn start_sink() -> Sink {
    let port = free_port();
    let dir = temp_dir("proost-mail");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/smtp-sink");
    let python = std::env::var("PROOST_TEST_SMTP_PYTHON").unwrap_or("/usr/bin/python3".into());
    let child = Command::new(python)
        .arg(script)
        .arg(port.to_string())
        .arg(&dir)
        .stdout(Stdio::null())
        .spawn()
        .expect("start scripts/smtp-sink (needs python3-aiosmtpd; scripts/test installs it)");
    let sink = Sink { child, port, dir };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return sink;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the SMTP sink did not start on port {port}");
}

impl Sink {
    pub(crate) fn messages(&self) -> Vec<String> {
        let mut files: Vec<_> = std::fs::read_dir(&self.dir)
            .expect("sink dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("message"))
            .collect()
    }

    pub(crate) async fn wait_for(&self, n: usize) -> Vec<String> {
        for _ in 0..100 {
            let m = self.messages();
            if m.len() >= n {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {n} messages, got {}", self.messages().len());
    }
}

pub(crate) fn mail_to(port: u16) -> MailConfig {
    MailConfig {
        url: format!("smtp://127.0.0.1:{port}"),
        from: "Proost <proost@example.com>".into(),
    }
}

/// The link in a message body (quoted-printable may fold long lines with `=\r\n`).
fn link_in(message: &str) -> String {
    link_to(message, "/invite#")
}

fn link_to(message: &str, path: &str) -> String {
    let unfolded = message.replace("=\r\n", "").replace("=3D", "=");
    unfolded
        .split_whitespace()
        .find(|w| w.contains(path))
        .unwrap_or_else(|| panic!("a {path} link in the message"))
        .to_owned()
}

#[tokio::test]
async fn an_invited_user_gets_one_email_whose_link_sets_their_password_once() {
    let sink = start_sink().await;
    let port = sink.port;
    let s = TestServer::with_admin_using(false, |c| {
        c.mail = Some(mail_to(port));
        c.public_url = Some("https://bi.example.com/".into());
    })
    .await;

    let (status, body) = s
        .post(
            "/api/v1/users",
            json!({"email": "newbie@example.com", "name": "New Bie", "role": "viewer"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["invite_emailed"], true, "{body}");
    let messages = sink.wait_for(1).await;
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert!(m.starts_with("X-Envelope-To: newbie@example.com"), "{m}");
    assert!(m.contains("Subject: Your Proost invitation"), "{m}");
    assert!(m.contains("From: Proost <proost@example.com>"), "{m}");
    let link = link_in(m);
    assert!(
        link.starts_with("https://bi.example.com/invite#"),
        "absolute link on the public URL: {link}"
    );
    // The mailed link is the one the admin got.
    assert!(link.ends_with(body["invite_url"].as_str().expect("invite_url")));
    let token = link.split_once('#').expect("fragment").1;
    let accept = json!({"token": token, "password": "chosen by the newbie"});
    let (status, body) = s.post("/api/v1/invites/accept", accept.clone()).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = s.post("/api/v1/invites/accept", accept).await;
    assert_eq!((status, error_code(&body)), (403, "invite_invalid".into()));
    s.token_for("newbie@example.com", "chosen by the newbie")
        .await;

    // A user with a password, or one who must use SSO, gets no invite mail.
    s.user("haspw@example.com", "viewer", json!({})).await;
    let (status, body) = s
        .post(
            "/api/v1/users",
            json!({"email": "sso@example.com", "name": "Sso User", "role": "viewer",
                   "sso_enforced": true}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert!(body.get("invite_url").is_none());
    // A new invite for an existing user is mailed as well.
    let (_, users) = s.get("/api/v1/users").await;
    let id = users["users"]
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["email"] == "newbie@example.com")
        .and_then(|u| u["id"].as_str())
        .expect("newbie")
        .to_owned();
    let (status, body) = s
        .post(&format!("/api/v1/users/{id}/invite"), json!({}))
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["invite_emailed"], true);
    let messages = sink.wait_for(2).await;
    assert_eq!(messages.len(), 2, "only the two invites were mailed");
    assert!(messages[1].starts_with("X-Envelope-To: newbie@example.com"));
}

#[tokio::test]
async fn a_mail_server_that_is_down_loses_nothing() {
    // Nothing listens on this port.
    let port = free_port();
    let s = TestServer::with_admin_using(false, |c| c.mail = Some(mail_to(port))).await;
    let (status, body) = s
        .post(
            "/api/v1/users",
            json!({"email": "later@example.com", "name": "Later", "role": "analyst"}),
        )
        .await;
    assert_eq!(status, 201, "the user is created all the same: {body}");
    assert_eq!(body["invite_emailed"], false);
    assert_eq!(body["invite_email_error"]["code"], "smtp_failed");
    assert!(
        body["invite_url"]
            .as_str()
            .is_some_and(|u| u.contains("/invite#"))
    );
    let (_, audit) = s.get("/api/v1/audit?action=user.create").await;
    let entry = audit["entries"]
        .as_array()
        .and_then(|e| e.last())
        .cloned()
        .expect("audit entry");
    assert_eq!(entry["details"]["emailed"], false, "{entry}");
}

#[tokio::test]
async fn without_smtp_invites_are_links_only() {
    let s = TestServer::with_admin(false).await;
    let (status, body) = s
        .post(
            "/api/v1/users",
            json!({"email": "link@example.com", "name": "Link Only", "role": "viewer"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["invite_emailed"], false);
    assert!(body.get("invite_email_error").is_none());
}

#[tokio::test]
async fn forgot_password_mails_a_one_time_link_and_says_nothing_about_unknown_addresses() {
    let sink = start_sink().await;
    let port = sink.port;
    let s = TestServer::with_admin_using(false, |c| {
        c.mail = Some(mail_to(port));
        c.public_url = Some("https://bi.example.com".into());
    })
    .await;
    s.user("known@example.com", "viewer", json!({})).await;
    // Known and unknown addresses get the same answer.
    let (status, known) = s
        .post(
            "/api/v1/password/forgot",
            json!({"email": "known@example.com"}),
        )
        .await;
    assert_eq!(status, 202, "{known}");
    let (status, unknown) = s
        .post(
            "/api/v1/password/forgot",
            json!({"email": "nobody@example.com"}),
        )
        .await;
    assert_eq!((status, &unknown), (202, &known));
    let messages = sink.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(sink.messages().len(), 1, "mail went to an unknown address");
    let m = &messages[0];
    assert!(m.starts_with("X-Envelope-To: known@example.com"), "{m}");
    assert!(m.contains("Subject: Reset your Proost password"), "{m}");
    let link = link_to(m, "/reset#");
    assert!(link.starts_with("https://bi.example.com/reset#"), "{link}");
    let token = link.split_once('#').expect("fragment").1;
    let reset = json!({"token": token, "password": "a fresh passphrase here"});
    let (status, body) = s.post("/api/v1/password/reset", reset.clone()).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = s.post("/api/v1/password/reset", reset).await;
    assert_eq!((status, error_code(&body)), (403, "invite_invalid".into()));
    s.token_for("known@example.com", "a fresh passphrase here")
        .await;
    // Asking again and again is throttled.
    let mut last = 0;
    for _ in 0..6 {
        let (status, _) = s
            .post(
                "/api/v1/password/forgot",
                json!({"email": "known@example.com"}),
            )
            .await;
        last = status;
    }
    assert_eq!(last, 429);
}
