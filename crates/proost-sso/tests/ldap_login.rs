//! LDAP sign-in against a real OpenLDAP server (scripts/sso/slapd-start).

mod support;

use proost_sso::{LdapConfig, LdapDirectory};
use support::ldap_server;

fn config() -> LdapConfig {
    LdapConfig {
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
    }
}

fn directory() -> LdapDirectory {
    LdapDirectory::new(config()).expect("valid config")
}

#[tokio::test]
async fn a_user_signs_in_with_uid_or_mail_and_gets_their_groups() {
    let directory = directory();
    for login in ["ada", "ada@proost.test"] {
        let identity = directory
            .authenticate(login, "ada-password")
            .await
            .expect(login);
        assert_eq!(identity.provider, "ldap");
        assert_eq!(identity.subject, "uid=ada,ou=people,dc=proost,dc=test");
        assert_eq!(identity.email, "ada@proost.test");
        assert_eq!(identity.name, "Ada Lovelace");
        assert_eq!(identity.groups, ["analysts", "emea"]);
    }
    let grace = directory
        .authenticate("grace", "grace-password")
        .await
        .unwrap();
    assert_eq!(grace.groups, ["admins"]);
}

#[tokio::test]
async fn anonymous_search_works_when_no_service_account_is_set() {
    let directory = LdapDirectory::new(LdapConfig {
        bind_dn: None,
        bind_password: None,
        ..config()
    })
    .unwrap();
    let identity = directory.authenticate("ada", "ada-password").await.unwrap();
    assert_eq!(identity.groups, ["analysts", "emea"]);
}

#[tokio::test]
async fn a_wrong_password_is_refused() {
    let err = directory()
        .authenticate("ada", "grace-password")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sso_invalid_credentials");
    assert_eq!(err.to_string(), "invalid login or password");
}

#[tokio::test]
async fn an_empty_password_is_refused_even_where_the_server_allows_unauthenticated_binds() {
    // slapd answers an unauthenticated bind (DN, empty password) with success unless it is
    // configured not to; the check must not rely on the server.
    let err = directory().authenticate("ada", "").await.unwrap_err();
    assert_eq!(err.code(), "sso_invalid_credentials");
    let err = directory().authenticate("", "").await.unwrap_err();
    assert_eq!(err.code(), "sso_invalid_credentials");
}

#[tokio::test]
async fn filter_metacharacters_in_the_login_match_nobody() {
    // Unescaped, `*` matches every entry and `*)(uid=*` closes the filter early; with one
    // password shared by two entries, `twin*` would also match as a prefix.
    for login in [
        "*",
        "*)(uid=*",
        "ada)(|(uid=*",
        "ad*",
        "twin*",
        "ada\\",
        "(uid=ada)",
        "ada\0",
    ] {
        for password in ["ada-password", "twin-password"] {
            let err = directory().authenticate(login, password).await.unwrap_err();
            assert_eq!(err.code(), "sso_invalid_credentials", "login {login:?}");
        }
    }
}

#[tokio::test]
async fn an_unknown_user_is_refused_like_a_wrong_password() {
    let err = directory()
        .authenticate("nobody", "whatever")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sso_invalid_credentials");
    assert_eq!(err.to_string(), "invalid login or password");
}

#[tokio::test]
async fn a_login_matching_two_entries_is_refused() {
    // twin1 and twin2 share the mail address and the password.
    let err = directory()
        .authenticate("twin@proost.test", "twin-password")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sso_invalid_credentials");
    // Each one alone is fine (and in no group).
    let twin = directory()
        .authenticate("twin1", "twin-password")
        .await
        .unwrap();
    assert!(twin.groups.is_empty());
}

#[tokio::test]
async fn an_account_without_an_email_cannot_sign_in() {
    let err = directory()
        .authenticate("nomail", "nomail-password")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sso_email_missing");
    // ...but only once the password checked out: no hint for a guesser.
    let err = directory()
        .authenticate("nomail", "wrong")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sso_invalid_credentials");
}

#[tokio::test]
async fn a_wrong_service_password_is_a_configuration_error() {
    let directory = LdapDirectory::new(LdapConfig {
        bind_password: Some("not-it".into()),
        ..config()
    })
    .unwrap();
    let err = directory
        .authenticate("ada", "ada-password")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sso_config_invalid");
    assert!(err.to_string().contains("bind_dn"), "{err}");
}

#[tokio::test]
async fn an_unreachable_directory_is_reported_as_such() {
    let directory = LdapDirectory::new(LdapConfig {
        url: "ldap://127.0.0.1:9".into(),
        ..config()
    })
    .unwrap();
    let err = directory
        .authenticate("ada", "ada-password")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sso_provider_unreachable");
}
