//! OpenID Connect sign-in against a real provider (oidc-provider), driven like a browser.

mod support;

use proost_sso::{OidcClient, OidcConfig, PendingLogin};
use support::{
    CLIENT_ID, CLIENT_SECRET, OidcProvider, REDIRECT_URI, oidc_provider,
    oidc_provider_with_claims_in_id_token, sign_in_at_provider,
};

async fn client() -> OidcClient {
    client_of(oidc_provider()).await
}

async fn client_of(provider: &OidcProvider) -> OidcClient {
    let config = OidcConfig::new(
        provider.issuer.clone(),
        CLIENT_ID,
        Some(CLIENT_SECRET.into()),
        REDIRECT_URI,
    );
    OidcClient::discover(config).await.expect("discovery")
}

/// A copy, as a server storing logins as JSON would hold.
fn copy(pending: &PendingLogin) -> PendingLogin {
    serde_json::from_value(serde_json::to_value(pending).unwrap()).unwrap()
}

#[tokio::test]
async fn code_flow_with_pkce_returns_the_identity_with_email_name_and_groups() {
    let client = client().await;
    let (auth_url, pending) = client.start();
    let query: Vec<(String, String)> = auth_url.query_pairs().into_owned().collect();
    let param = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(param("code_challenge_method"), Some("S256"));
    assert_eq!(param("state"), Some(pending.state()));
    assert!(param("nonce").is_some());
    let json = serde_json::to_string(&pending).unwrap();
    let verifier = serde_json::from_str::<serde_json::Value>(&json).unwrap()["pkce_verifier"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        !auth_url.as_str().contains(&verifier),
        "the PKCE verifier must not travel through the browser"
    );

    let back = sign_in_at_provider(&auth_url, "ada@proost.test", "ada-password").await;
    let identity = client
        .finish(pending, &back.state, &back.code)
        .await
        .expect("sign-in");
    assert_eq!(identity.provider, "oidc");
    assert_eq!(identity.subject, "ada");
    assert_eq!(identity.email, "ada@proost.test");
    assert_eq!(identity.name, "Ada Lovelace");
    assert_eq!(identity.groups, ["analysts", "emea"]);
}

#[tokio::test]
async fn claims_carried_in_the_id_token_are_read_from_it() {
    let client = client_of(oidc_provider_with_claims_in_id_token()).await;
    let (auth_url, pending) = client.start();
    let back = sign_in_at_provider(&auth_url, "grace", "grace-password").await;
    let identity = client
        .finish(pending, &back.state, &back.code)
        .await
        .unwrap();
    assert_eq!(identity.email, "grace@proost.test");
    assert_eq!(identity.name, "Grace Hopper");
    assert_eq!(identity.groups, ["admins"]);
}

#[tokio::test]
async fn a_callback_with_another_or_no_state_is_refused() {
    let client = client().await;
    let (auth_url, pending) = client.start();
    let back = sign_in_at_provider(&auth_url, "grace@proost.test", "grace-password").await;

    let err = client
        .finish(copy(&pending), "forged-state", &back.code)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sso_state_mismatch");
    let err = client
        .finish(copy(&pending), "", &back.code)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sso_state_mismatch");
    // Another login's pending state does not fit this callback either.
    let (_, other) = client.start();
    let err = client
        .finish(other, &back.state, &back.code)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sso_state_mismatch");

    // The refusals above did not spend the code.
    let identity = client
        .finish(pending, &back.state, &back.code)
        .await
        .unwrap();
    assert_eq!(identity.groups, ["admins"]);
}

#[tokio::test]
async fn a_replayed_code_is_refused() {
    let client = client().await;
    let (auth_url, pending) = client.start();
    let back = sign_in_at_provider(&auth_url, "ada", "ada-password").await;
    client
        .finish(copy(&pending), &back.state, &back.code)
        .await
        .unwrap();
    let err = client
        .finish(pending, &back.state, &back.code)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sso_token_invalid", "{err}");
}

#[tokio::test]
async fn the_code_cannot_be_redeemed_without_its_pkce_verifier() {
    // The provider requires PKCE; a login finished with a different verifier (as an attacker
    // holding only the intercepted code would) is refused, so the real one is being sent.
    let client = client().await;
    let (auth_url, pending) = client.start();
    let back = sign_in_at_provider(&auth_url, "ada", "ada-password").await;
    let mut tampered = serde_json::to_value(&pending).unwrap();
    tampered["pkce_verifier"] = "x".repeat(43).into();
    let tampered: PendingLogin = serde_json::from_value(tampered).unwrap();
    let err = client
        .finish(tampered, &back.state, &back.code)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sso_token_invalid", "{err}");
}

#[tokio::test]
async fn an_account_without_an_email_cannot_sign_in() {
    let client = client().await;
    let (auth_url, pending) = client.start();
    let back = sign_in_at_provider(&auth_url, "nomail", "nomail-password").await;
    let err = client
        .finish(pending, &back.state, &back.code)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sso_email_missing");
}

#[tokio::test]
async fn a_pending_login_older_than_ten_minutes_is_refused() {
    let client = client().await;
    let (_, pending) = client.start();
    let mut old = serde_json::to_value(&pending).unwrap();
    old["created_at"] = (unix_now() - 11 * 60).into();
    let old: PendingLogin = serde_json::from_value(old).unwrap();
    let err = client
        .finish(old, pending.state(), "some-code")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sso_state_mismatch");
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[tokio::test]
async fn discovery_errors_say_what_is_wrong() {
    let mut config = OidcConfig::new("http://id.example.com", CLIENT_ID, None, REDIRECT_URI);
    let err = OidcClient::discover(config.clone()).await.unwrap_err();
    assert_eq!(err.code(), "sso_config_invalid");

    // Nothing listens on the discard port.
    config.issuer_url = "http://127.0.0.1:9".into();
    let err = OidcClient::discover(config.clone()).await.unwrap_err();
    assert_eq!(err.code(), "sso_provider_unreachable", "{err}");

    // A real provider whose issuer is not the configured URL.
    config.issuer_url = format!(
        "{}/",
        oidc_provider().issuer.replace("127.0.0.1", "localhost")
    );
    let err = OidcClient::discover(config).await.unwrap_err();
    assert_eq!(err.code(), "sso_config_invalid", "{err}");
}
