//! Single sign-on end to end: a real OpenID provider (oidc-provider on Node.js) and a real
//! OpenLDAP server, both started by the test (scripts/sso), against a real Proost server.

#[path = "../../crates/proost-sso/tests/support/mod.rs"]
mod sso_support;

use crate::common::{ADMIN_EMAIL, ADMIN_PASSWORD, TestServer, error_code};
use reqwest::Method;
use serde_json::{Value, json};
use sso_support::{
    CLIENT_ID, CLIENT_SECRET, ldap_server, oidc_provider_for, sign_in_at_provider_to,
};

const CALLBACK: &str = "/api/v1/sso/oidc/callback";
const DEMO_SQL: &str = "SELECT count(*) AS n FROM sample_shop.main.products";

/// A server with OIDC configured against a provider of its own (the provider must know the
/// server's callback URL, so the port is bound first).
async fn oidc_server() -> (TestServer, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let redirect = format!("http://{}{CALLBACK}", listener.local_addr().expect("addr"));
    let provider = oidc_provider_for(&redirect);
    let issuer = provider.issuer.clone();
    // The provider process lives until the test process exits (its watchdog ends it).
    std::mem::forget(provider);
    let tune_redirect = redirect.clone();
    let server = TestServer::with_admin_on(listener, true, move |c| {
        c.oidc = Some(proost_sso::OidcConfig::new(
            issuer,
            CLIENT_ID,
            Some(CLIENT_SECRET.into()),
            tune_redirect,
        ));
        c.sso_default_role = "analyst".into();
    })
    .await;
    (server, redirect)
}

async fn ldap_server_proost() -> TestServer {
    TestServer::with_admin_using(true, |c| {
        c.ldap = Some(proost_sso::LdapConfig {
            url: ldap_server().url.clone(),
            bind_dn: Some("cn=proost-service,dc=proost,dc=test".into()),
            bind_password: Some("service-password".into()),
            user_base_dn: "ou=people,dc=proost,dc=test".into(),
            user_filter: "(|(uid={login})(mail={login}))".into(),
            group_base_dn: "ou=groups,dc=proost,dc=test".into(),
            group_filter: "(member={dn})".into(),
            email_attr: "mail".into(),
            name_attr: "cn".into(),
            group_name_attr: "cn".into(),
            starttls: false,
        });
        c.sso_default_role = "analyst".into();
    })
    .await
}

/// A browser without automatic redirects; cookies are carried by hand (the test server
/// speaks plain HTTP, and the cookies are `Secure`).
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

async fn json_of(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let text = res.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Starts an OIDC login at Proost, signs in at the provider; returns the callback URL the
/// provider sent the browser to and the browser-binding cookie Proost set.
async fn through_the_provider(
    s: &TestServer,
    redirect: &str,
    login: &str,
    password: &str,
) -> (String, String) {
    let res = browser()
        .get(format!("{}/api/v1/sso/oidc/login", s.base))
        .send()
        .await
        .expect("start");
    assert_eq!(res.status(), 302);
    let binding = set_cookie(&res, "proost_sso").expect("the login binds the browser");
    let location = res.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let auth_url = url::Url::parse(&location).expect("auth url");
    assert!(
        !location.contains("pkce_verifier")
            && auth_url.query_pairs().any(|(k, _)| k == "code_challenge"),
        "only the challenge travels through the browser"
    );
    let back = sign_in_at_provider_to(&auth_url, redirect, login, password).await;
    let mut callback = url::Url::parse(&format!("{}{CALLBACK}", s.base)).expect("callback");
    callback
        .query_pairs_mut()
        .append_pair("code", &back.code)
        .append_pair("state", &back.state);
    (callback.to_string(), binding)
}

#[tokio::test]
async fn an_oidc_sign_in_provisions_an_sso_only_user_in_the_groups_the_provider_names() {
    let (s, redirect) = oidc_server().await;
    let (status, sso) = s.send_as(None, Method::GET, "/api/v1/sso", None).await;
    assert_eq!((status, sso), (200, json!({"oidc": true, "ldap": false})));
    let login_page = reqwest::get(format!("{}/login", s.base))
        .await
        .expect("login page")
        .text()
        .await
        .expect("page");
    assert!(
        login_page.contains("/api/v1/sso/oidc/login") && !login_page.contains("Directory (LDAP)")
    );
    let emea = s.group("EMEA", &[]).await;
    s.grant(json!({"principal": {"group": emea}, "connection": "sample_shop", "level": "query"}))
        .await;
    let (_, outsider) = s.user("outsider@example.com", "analyst", json!({})).await;

    let (callback, binding) =
        through_the_provider(&s, &redirect, "ada@proost.test", "ada-password").await;
    let res = browser()
        .get(&callback)
        .header("cookie", format!("proost_sso={binding}"))
        .send()
        .await
        .expect("callback");
    assert_eq!(res.status(), 200, "signed in");
    let session = set_cookie(&res, "proost_session").expect("a session cookie");
    let flags = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("proost_session="))
        .expect("cookie")
        .to_owned();
    assert!(
        flags.contains("HttpOnly") && flags.contains("Secure") && flags.contains("SameSite=Strict")
    );
    let page = res.text().await.expect("page");
    assert!(
        page.contains("url=/sql"),
        "the page moves on to /sql: {page}"
    );

    // The cookie is a working session: the API and the pages accept it.
    let cookie = format!("proost_session={session}");
    let (status, me) = json_of(
        browser()
            .get(format!("{}/api/v1/session", s.base))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("me"),
    )
    .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["email"], "ada@proost.test");
    assert_eq!(me["role"], "analyst", "--sso-default-role");
    let sql_page = browser()
        .get(format!("{}/sql", s.base))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("sql page");
    assert_eq!(sql_page.status(), 200);

    // Provisioned SSO-only, in the existing group the provider named (by any case), from oidc.
    let (_, user) = s
        .get(&format!("/api/v1/users/{}", me["id"].as_str().expect("id")))
        .await;
    assert_eq!(user["sso_enforced"], true, "{user}");
    assert_eq!(user["sso_provider"], "oidc");
    assert_eq!(user["has_password"], false);
    assert_eq!(
        user["groups"],
        json!([{"id": emea, "name": "EMEA", "source": "oidc"}])
    );

    // The group's grant reaches them; someone outside the group sees nothing.
    let (status, rows) = json_of(
        browser()
            .post(format!("{}/api/v1/query", s.base))
            .header("cookie", &cookie)
            .header("x-csrf-token", me["csrf_token"].as_str().expect("csrf"))
            .json(&json!({"sql": DEMO_SQL}))
            .send()
            .await
            .expect("query"),
    )
    .await;
    assert_eq!(status, 200, "{rows}");
    let (status, body) = s
        .send_as(
            Some(&outsider),
            Method::POST,
            "/api/v1/query",
            Some(json!({"sql": DEMO_SQL})),
        )
        .await;
    assert_eq!(status, 404, "{body}");

    // The same callback again: refused, whatever the browser carries.
    let res = browser()
        .get(&callback)
        .header("cookie", format!("proost_sso={binding}"))
        .send()
        .await
        .expect("replay");
    let (status, body) = json_of(res).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), "sso_state_mismatch");

    // A password does not open an SSO-only account.
    let (status, body) = s
        .send_as(
            None,
            Method::POST,
            "/api/v1/session",
            Some(json!({"email": "ada@proost.test", "password": "ada-password"})),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(error_code(&body), "sso_required");

    // A second sign-in is the same user, not a new one.
    let (callback, binding) = through_the_provider(&s, &redirect, "ada", "ada-password").await;
    let res = browser()
        .get(&callback)
        .header("cookie", format!("proost_sso={binding}"))
        .send()
        .await
        .expect("callback");
    assert_eq!(res.status(), 200);
    let (_, users) = s.get("/api/v1/users").await;
    let adas = users
        .as_array()
        .or_else(|| users["users"].as_array())
        .expect("users")
        .iter()
        .filter(|u| u["email"] == "ada@proost.test")
        .count();
    assert_eq!(adas, 1);
}

#[tokio::test]
async fn a_callback_in_another_browser_or_without_a_login_is_refused() {
    let (s, redirect) = oidc_server().await;
    // Login CSRF: the attacker's own callback URL opened in a victim's browser.
    let (callback, _) = through_the_provider(&s, &redirect, "grace", "grace-password").await;
    let res = browser()
        .get(&callback)
        .header("cookie", "proost_sso=someone-elses")
        .send()
        .await
        .expect("callback");
    let (status, body) = json_of(res).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), "sso_state_mismatch");
    // A person sees a page, not JSON.
    let res = browser()
        .get(format!("{}{CALLBACK}?state=made-up&code=x", s.base))
        .header("accept", "text/html")
        .send()
        .await
        .expect("callback");
    assert_eq!(res.status(), 400);
    let page = res.text().await.expect("page");
    assert!(
        page.contains("sso_state_mismatch") && page.contains("/login"),
        "{page}"
    );
    let (status, log) = s.get("/api/v1/audit?action=login.failed").await;
    assert_eq!(status, 200);
    assert!(log.to_string().contains("sso_state_mismatch"), "{log}");
}

#[tokio::test]
async fn ldap_users_sign_in_with_their_directory_password_and_get_their_groups() {
    let s = ldap_server_proost().await;
    let analysts = s.group("analysts", &[]).await;
    s.grant(
        json!({"principal": {"group": analysts}, "connection": "sample_shop", "level": "query"}),
    )
    .await;
    let login = |body: Value| s.send_as(None, Method::POST, "/api/v1/session", Some(body));
    let login_page = reqwest::get(format!("{}/login", s.base))
        .await
        .expect("login page")
        .text()
        .await
        .expect("page");
    assert!(
        login_page.contains("Directory (LDAP)") && !login_page.contains("/api/v1/sso/oidc/login")
    );

    let (status, body) =
        login(json!({"login": "ada", "password": "ada-password", "provider": "ldap"})).await;
    assert_eq!(status, 200, "{body}");
    let token = body["token"].as_str().expect("token").to_owned();
    assert_eq!(body["user"]["email"], "ada@proost.test");
    let (status, rows) = s
        .send_as(
            Some(&token),
            Method::POST,
            "/api/v1/query",
            Some(json!({"sql": DEMO_SQL})),
        )
        .await;
    assert_eq!(status, 200, "{rows}");
    let (_, user) = s
        .get(&format!(
            "/api/v1/users/{}",
            body["user"]["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(user["sso_provider"], "ldap");
    assert_eq!(
        user["groups"],
        json!([{"id": analysts, "name": "analysts", "source": "ldap"}])
    );

    // `email` works as the login too.
    let (status, body) =
        login(json!({"email": "ada@proost.test", "password": "ada-password", "provider": "ldap"}))
            .await;
    assert_eq!(status, 200, "{body}");

    let (status, body) =
        login(json!({"login": "ada", "password": "wrong-password", "provider": "ldap"})).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(error_code(&body), "sso_invalid_credentials");
    let (status, body) = login(json!({"login": "ada", "password": "", "provider": "ldap"})).await;
    assert_eq!(status, 401, "{body}");
    let (status, body) =
        login(json!({"login": "ada", "password": "x", "provider": "kerberos"})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), "provider_unknown");

    let (_, log) = s.get("/api/v1/audit").await;
    let entries = log["entries"].as_array().expect("entries");
    let ldap_logins = entries
        .iter()
        .filter(|e| e["action"] == "login" && e["details"]["provider"] == "ldap")
        .count();
    assert_eq!(ldap_logins, 2);
    let failed: Vec<&Value> = entries
        .iter()
        .filter(|e| e["action"] == "login.failed" && e["details"]["provider"] == "ldap")
        .collect();
    assert_eq!(failed.len(), 2, "{log}");
    assert!(
        failed
            .iter()
            .all(|e| e["details"]["reason"] == "sso_invalid_credentials")
    );
    assert!(!log.to_string().contains("wrong-password"));
    assert!(entries.iter().any(|e| e["action"] == "user.provision"));
    assert!(entries.iter().any(|e| e["action"] == "group.member.sync"));
}

#[tokio::test]
async fn group_memberships_follow_the_directory_but_manual_ones_stay() {
    let s = ldap_server_proost().await;
    let emea = s.group("emea", &[]).await;
    let analysts = s.group("analysts", &[]).await;
    let login = || {
        s.send_as(
            None,
            Method::POST,
            "/api/v1/session",
            Some(json!({"login": "ada", "password": "ada-password", "provider": "ldap"})),
        )
    };
    let (status, body) = login().await;
    assert_eq!(status, 200, "{body}");
    let id = body["user"]["id"].as_str().expect("id").to_owned();
    let (_, user) = s.get(&format!("/api/v1/users/{id}")).await;
    assert_eq!(
        user["groups"],
        json!([{"id": analysts, "name": "analysts", "source": "ldap"},
               {"id": emea, "name": "emea", "source": "ldap"}])
    );
    // An admin also puts Ada in a group by hand.
    let extra = s.group("auditors", &[&id]).await;

    // The directory takes Ada out of emea and analysts (groupOfNames needs a member: Grace).
    for group in ["emea", "analysts"] {
        let ldif = format!(
            "dn: cn={group},ou=groups,dc=proost,dc=test\nchangetype: modify\nreplace: member\nmember: uid=grace,ou=people,dc=proost,dc=test\n"
        );
        let mut child = std::process::Command::new("ldapmodify")
            .args([
                "-x",
                "-H",
                &ldap_server().url,
                "-D",
                "cn=admin,dc=proost,dc=test",
                "-w",
                "admin-password",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("ldapmodify");
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(ldif.as_bytes())
            .expect("ldif");
        assert!(child.wait().expect("ldapmodify").success());
    }
    let (status, body) = login().await;
    assert_eq!(status, 200, "{body}");
    let (_, user) = s.get(&format!("/api/v1/users/{id}")).await;
    assert_eq!(user["groups"].as_array().map(Vec::len), Some(1), "{user}");
    // The directory's memberships are gone; the one made by hand stays.
    assert_eq!(
        user["groups"],
        json!([{"id": extra, "name": "auditors", "source": "manual"}]),
        "{user}"
    );
}

#[tokio::test]
async fn an_identity_with_a_local_accounts_email_never_becomes_that_account() {
    let s = ldap_server_proost().await;
    // A local admin whose email the directory also asserts (for Ada).
    let (status, body) = s
        .post(
            "/api/v1/users",
            json!({"email": "ada@proost.test", "name": "Local Ada", "password": ADMIN_PASSWORD, "role": "admin"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let local = body["id"].as_str().expect("id").to_owned();
    let (status, body) = s
        .send_as(
            None,
            Method::POST,
            "/api/v1/session",
            Some(json!({"login": "ada", "password": "ada-password", "provider": "ldap"})),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(error_code(&body), "sso_email_taken");
    let (_, user) = s.get(&format!("/api/v1/users/{local}")).await;
    assert!(user["sso_provider"].is_null(), "not linked: {user}");
    let (_, users) = s.get("/api/v1/users").await;
    assert!(
        !users.to_string().contains("Ada Lovelace"),
        "no second user: {users}"
    );
    // The admin's own password still works.
    s.token_for("ada@proost.test", ADMIN_PASSWORD).await;

    // An account an admin created for SSO (no password) is linked at first sign-in.
    let (status, body) = s
        .post(
            "/api/v1/users",
            json!({"email": "grace@proost.test", "name": "Grace", "role": "analyst", "sso_enforced": true}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let grace = body["id"].as_str().expect("id").to_owned();
    let (status, body) = s
        .send_as(
            None,
            Method::POST,
            "/api/v1/session",
            Some(json!({"login": "grace", "password": "grace-password", "provider": "ldap"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["id"], grace.as_str());
    assert_eq!(body["user"]["role"], "analyst");
    let _ = ADMIN_EMAIL;
}
