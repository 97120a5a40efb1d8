//! Single sign-on: OpenID Connect (the browser is sent to the provider and back) and LDAP
//! (a password checked against the directory).
//!
//! `proost-sso` proves who someone is; this module decides what that identity may be in
//! Proost: which user it is (found, linked or created), which groups it is in, and whether
//! it gets a session at all. The rules are security decisions and are written down where
//! they are enforced (see [`find_or_provision`] and [`sync_groups`]).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use proost_sso::{Identity, LdapDirectory, OidcClient, OidcConfig, PendingLogin, SsoError};
use proost_store::{NewUser, Store, StoreError, User, secrets};
use serde::Deserialize;
use serde_json::json;

use super::accounts::{validate_email, validate_name};
use crate::licence::{LicensedThing, check_can_add};
use crate::{App, Config, Error, Result, StartError};

/// OIDC logins under way at once. Each waits at most ten minutes for its callback, so this
/// bounds the memory an anonymous client can make the server hold by starting logins.
const MAX_PENDING_LOGINS: usize = 10_000;

/// The configured providers and the OIDC logins under way.
pub struct Sso {
    oidc: Option<OidcProvider>,
    ldap: Option<LdapDirectory>,
    /// Logins started here, keyed by their `state`; each is taken out exactly once.
    pending: Mutex<HashMap<String, Pending>>,
    default_role: String,
}

struct OidcProvider {
    config: OidcConfig,
    /// Discovered on first use and kept; a failed discovery is retried on the next login.
    client: tokio::sync::Mutex<Option<Arc<OidcClient>>>,
}

struct Pending {
    login: PendingLogin,
    /// Hash of the value of the browser cookie set when the login started.
    browser: String,
}

impl Sso {
    /// Checks the SSO settings without contacting any provider.
    ///
    /// OIDC discovery waits for the first login: an identity provider that is down must not
    /// keep Proost from starting (admins with passwords still need to get in, and a restart
    /// during the provider's outage would otherwise take Proost down with it). Settings that
    /// can be checked offline are checked here, so a typo still stops the start.
    pub async fn from_config(config: &Config, store: &Store) -> Result<Sso, StartError> {
        let oidc = match &config.oidc {
            Some(c) => {
                check_http_url("--oidc-issuer", &c.issuer_url)?;
                check_http_url("--oidc-redirect-url", &c.redirect_url)?;
                if c.client_id.trim().is_empty() {
                    return Err(StartError::Setting(
                        "--oidc-client-id is required with --oidc-issuer".into(),
                    ));
                }
                Some(OidcProvider {
                    config: c.clone(),
                    client: tokio::sync::Mutex::new(None),
                })
            }
            None => None,
        };
        let ldap = match &config.ldap {
            Some(c) => Some(LdapDirectory::new(c.clone()).map_err(|e| match e {
                SsoError::ConfigInvalid { key, reason } => {
                    StartError::Setting(format!("--ldap-{}: {reason}", ldap_flag(key)))
                }
                other => StartError::Setting(other.to_string()),
            })?),
            None => None,
        };
        let role = config.sso_default_role.trim();
        let known =
            matches!(role, "admin" | "analyst" | "viewer") || store.role(role).await?.is_some();
        if !known {
            return Err(StartError::Setting(format!(
                "--sso-default-role: no role named `{role}`; use admin, analyst, viewer or a custom role"
            )));
        }
        Ok(Sso {
            oidc,
            ldap,
            pending: Mutex::new(HashMap::new()),
            default_role: role.to_owned(),
        })
    }

    pub fn oidc_enabled(&self) -> bool {
        self.oidc.is_some()
    }

    pub fn ldap_enabled(&self) -> bool {
        self.ldap.is_some()
    }

    async fn oidc_client(&self) -> Result<Arc<OidcClient>> {
        let provider = self.oidc.as_ref().ok_or_else(not_configured)?;
        // Held across discovery, so a burst of first logins discovers once.
        let mut slot = provider.client.lock().await;
        if let Some(client) = slot.as_ref() {
            return Ok(client.clone());
        }
        let client = Arc::new(OidcClient::discover(provider.config.clone()).await?);
        *slot = Some(client.clone());
        Ok(client)
    }

    fn keep(&self, pending: Pending) -> Result<()> {
        let mut map = self.pending.lock().map_err(Error::internal)?;
        if map.len() >= MAX_PENDING_LOGINS {
            map.retain(|_, p| !p.login.is_expired());
        }
        // Refusing new logins rather than dropping old ones: a flood of started logins must
        // not cancel the ones real people are in the middle of.
        if map.len() >= MAX_PENDING_LOGINS {
            return Err(Error::from_code(
                "sso_busy",
                "too many sign-ins are under way; try again in a few minutes".into(),
            ));
        }
        map.insert(pending.login.state().to_owned(), pending);
        Ok(())
    }

    /// Takes the login started under `state` out of the store: a callback is answered once.
    fn take(&self, state: &str) -> Option<Pending> {
        self.pending.lock().ok()?.remove(state)
    }
}

fn check_http_url(flag: &str, value: &str) -> Result<(), StartError> {
    let ok = ["https://", "http://"]
        .iter()
        .any(|s| value.strip_prefix(s).is_some_and(|rest| !rest.is_empty()));
    if ok {
        Ok(())
    } else {
        Err(StartError::Setting(format!(
            "{flag}: {value:?} is not an http:// or https:// URL"
        )))
    }
}

/// The `serve` flag behind an `LdapConfig` field, for start-up errors that name the flag.
fn ldap_flag(key: &str) -> &str {
    match key {
        "user_base_dn" => "user-base",
        "group_base_dn" => "group-base",
        "user_filter" => "user-filter",
        "group_filter" => "group-filter",
        "bind_password" => "bind-password",
        "email_attr" => "email-attr",
        "name_attr" => "name-attr",
        "group_name_attr" => "group-name-attr",
        other => other,
    }
}

fn not_configured() -> Error {
    Error::from_code(
        "sso_not_configured",
        "this single sign-on method is not configured on this server".into(),
    )
}

/// Checks a password against the directory and signs the identity in; throttling of
/// guesses counts here (not a directory that is down).
pub(crate) async fn ldap_sign_in(app: &App, ip: &str, login: &str, password: &str) -> Result<User> {
    let directory = app.sso.ldap.as_ref().ok_or_else(not_configured)?;
    // The directory refuses empty passwords itself (an "unauthenticated bind" succeeds on
    // many servers); overlong ones are refused before they reach it.
    let result = if password.len() > 1024 {
        Err(SsoError::InvalidCredentials)
    } else {
        directory.authenticate(login.trim(), password).await
    };
    let identity = match result {
        Ok(identity) => identity,
        Err(e) => {
            if matches!(e, SsoError::InvalidCredentials) {
                app.login_limiter.failed(login, ip);
            }
            // The attempted login is not recorded: it may be a password typed in the wrong
            // field.
            login_failed(app, None, ip, "ldap", e.code(), None).await?;
            tracing::info!(%ip, code = e.code(), "failed LDAP login");
            return Err(e.into());
        }
    };
    let user = sign_in(app, &identity, ip).await?;
    app.login_limiter.succeeded(login);
    Ok(user)
}

/// Where to send the browser to sign in at the provider, and the value of the cookie that
/// ties the login to that browser (login CSRF, see [`finish_oidc`]).
pub struct OidcStart {
    pub authorize_url: String,
    pub browser: String,
}

/// Starts an OIDC login.
pub async fn start_oidc(app: &App) -> Result<OidcStart> {
    let client = app.sso.oidc_client().await?;
    let (url, login) = client.start();
    let browser = secrets::new_token();
    app.sso.keep(Pending {
        login,
        browser: secrets::token_hash(&browser),
    })?;
    Ok(OidcStart {
        authorize_url: url.to_string(),
        browser,
    })
}

/// What the provider sent the browser back with.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OidcCallback {
    pub code: Option<String>,
    pub state: Option<String>,
    /// Set by the provider instead of `code` when the sign-in did not happen there.
    pub error: Option<String>,
}

/// Finishes an OIDC login: the user the identity is, with up-to-date groups. `browser` is
/// the cookie value set when this browser started the login.
pub async fn finish_oidc(
    app: &App,
    query: OidcCallback,
    browser: Option<&str>,
    ip: &str,
) -> Result<User> {
    if !app.sso.oidc_enabled() {
        return Err(not_configured());
    }
    let returned_state = query.state.unwrap_or_default();
    // Out of the store before anything else: whatever happens next, this state is spent,
    // so the same callback URL cannot be replayed.
    let pending = app.sso.take(&returned_state);
    if let Some(error) = query.error {
        let error: String = error
            .chars()
            .filter(char::is_ascii_graphic)
            .take(64)
            .collect();
        login_failed(app, None, ip, "oidc", "sso_denied", Some(&error)).await?;
        return Err(Error::from_code(
            "sso_denied",
            format!("the identity provider did not sign you in ({error}); start again"),
        ));
    }
    // Login CSRF: a callback URL carrying someone else's state and code (an attacker's own
    // sign-in, sent to a victim as a link) would sign the victim into the attacker's
    // account. The login only completes in the browser that started it, proven by the
    // cookie set then.
    let browser = browser.map(secrets::token_hash);
    let Some(pending) = pending.filter(|p| browser.as_deref() == Some(p.browser.as_str())) else {
        login_failed(app, None, ip, "oidc", "sso_state_mismatch", None).await?;
        return Err(SsoError::StateMismatch.into());
    };
    let client = app.sso.oidc_client().await?;
    let code = query.code.unwrap_or_default();
    let identity = match client.finish(pending.login, &returned_state, &code).await {
        Ok(identity) => identity,
        Err(e) => {
            login_failed(app, None, ip, "oidc", e.code(), None).await?;
            return Err(e.into());
        }
    };
    sign_in(app, &identity, ip).await
}

async fn login_failed(
    app: &App,
    target: Option<&str>,
    ip: &str,
    provider: &str,
    reason: &str,
    detail: Option<&str>,
) -> Result<()> {
    crate::metrics::login_failed(if provider == "ldap" { "ldap" } else { "oidc" });
    let mut details = json!({"ip": ip, "provider": provider, "reason": reason});
    if let Some(d) = detail {
        details["detail"] = json!(d);
    }
    app.audit(None, "login.failed", target, &details).await?;
    Ok(())
}

/// Turns a vouched-for identity into a Proost user with up-to-date group memberships.
async fn sign_in(app: &App, identity: &Identity, ip: &str) -> Result<User> {
    let provider = identity.provider.as_str();
    let user = find_or_provision(app, identity, ip).await?;
    if !user.active {
        // Deactivating someone in Proost must hold even while the directory still knows them.
        login_failed(
            app,
            Some(&user.id),
            ip,
            provider,
            "account_deactivated",
            None,
        )
        .await?;
        return Err(Error::from_code(
            "account_deactivated",
            "this account is deactivated; ask an administrator".into(),
        ));
    }
    sync_groups(app, &user, identity).await?;
    app.audit(
        Some(&user.id),
        "login",
        Some(&user.id),
        &json!({"ip": ip, "provider": provider}),
    )
    .await?;
    Ok(user)
}

/// Which Proost user an identity is.
///
/// 1. The user already linked to this (provider, subject): the subject is the provider's
///    stable id for the person, unlike an email, which can be reassigned.
/// 2. Else, the user with the same email **only** if an admin created them for SSO
///    (`sso_enforced`) and no identity is linked to them yet: that is how an admin
///    pre-provisions someone with a role and groups before their first sign-in. They get
///    linked, and from then on only this subject is them.
/// 3. Any other user with that email (one who logs in with a password, or is linked to
///    another identity) is never taken over: an identity provider asserting an admin's
///    email must not become that admin (whoever controls an IdP account, or a misconfigured
///    IdP, would own Proost). Emails are unique, so no second user can be created either:
///    the sign-in is refused with `sso_email_taken` and an admin decides.
/// 4. Else a new user: the `--sso-default-role`, SSO-only (`sso_enforced`, no password, so
///    no password login or reset can reach the account).
async fn find_or_provision(app: &App, identity: &Identity, ip: &str) -> Result<User> {
    let store = &app.store;
    let (provider, subject) = (identity.provider.as_str(), identity.subject.as_str());
    if let Some(user) = store.user_by_sso(provider, subject).await? {
        return Ok(user);
    }
    let email = identity.email.trim();
    validate_email(email).map_err(|_| {
        Error::from_code(
            "sso_email_missing",
            "the identity provider gave no usable email address for this account".into(),
        )
    })?;
    if let Some((user, _)) = store.user_for_login(email).await? {
        if user.sso_enforced && user.sso_provider.is_none() {
            store.link_sso(&user.id, provider, subject).await?;
            store
                .audit(
                    None,
                    "user.provision",
                    Some(&user.id),
                    &json!({"provider": provider, "linked": true}),
                )
                .await?;
            app.access.changed();
            return store
                .user(&user.id)
                .await?
                .ok_or_else(|| Error::not_found("user"));
        }
        login_failed(app, Some(&user.id), ip, provider, "sso_email_taken", None).await?;
        return Err(Error::from_code(
            "sso_email_taken",
            "a Proost account with this email already exists and does not sign in through \
             single sign-on; an administrator must enable single sign-on for it first"
                .into(),
        ));
    }
    let name = match identity.name.trim() {
        n if validate_name(n).is_ok() => n.to_owned(),
        _ => email.to_owned(),
    };
    check_can_add(app, LicensedThing::User).await?;
    let created = store
        .create_user(&NewUser {
            email: email.to_owned(),
            name,
            password_hash: None,
            role: app.sso.default_role.clone(),
            sso_provider: Some(provider.to_owned()),
            sso_subject: Some(subject.to_owned()),
            sso_enforced: true,
            ..Default::default()
        })
        .await;
    let user = match created {
        Ok(user) => user,
        // Two first sign-ins of one person at once: the other one created the user.
        Err(StoreError::Conflict(_)) => {
            store.user_by_sso(provider, subject).await?.ok_or_else(|| {
                Error::from_code(
                    "sso_email_taken",
                    "a Proost account with this email already exists".into(),
                )
            })?
        }
        Err(e) => return Err(e.into()),
    };
    store
        .audit(
            None,
            "user.provision",
            Some(&user.id),
            &json!({"provider": provider, "role": user.role_name()}),
        )
        .await?;
    app.access.changed();
    Ok(user)
}

/// Makes the user's memberships from this provider match the groups it names.
///
/// Only groups that already exist in Proost are joined (matched by name, ignoring case):
/// what a group may see is decided by the grants an admin gave it, so a provider can place
/// people in groups but never invent a group. Memberships an admin made by hand
/// (`manual`), or that come from the other provider, are never removed here: each source
/// owns only what it added.
async fn sync_groups(app: &App, user: &User, identity: &Identity) -> Result<()> {
    let store = &app.store;
    let provider = identity.provider.as_str();
    let wanted: HashSet<String> = identity.groups.iter().map(|g| g.to_lowercase()).collect();
    let current = store.groups_of(&user.id).await?;
    let mut added = Vec::new();
    let mut removed = Vec::new();
    for group in store.groups().await? {
        let is_member = current.iter().any(|(g, _)| g.id == group.id);
        if wanted.contains(&group.name.to_lowercase())
            && !is_member
            && store.add_member(&group.id, &user.id, provider).await?
        {
            added.push(group.name);
        }
    }
    for (group, source) in &current {
        if source == provider
            && !wanted.contains(&group.name.to_lowercase())
            && store.remove_member(&group.id, &user.id).await?
        {
            removed.push(group.name.clone());
        }
    }
    if !added.is_empty() || !removed.is_empty() {
        store
            .audit(
                None,
                "group.member.sync",
                Some(&user.id),
                &json!({"provider": provider, "added": added, "removed": removed}),
            )
            .await?;
        app.access.changed();
    }
    Ok(())
}
