//! LDAP / Active Directory: find the user's entry, bind as it, read its groups.

use std::sync::Arc;
use std::time::Duration;

use ldap3::{
    Ldap, LdapConnAsync, LdapConnSettings, LdapError, Scope, SearchEntry, SearchOptions,
    ldap_escape,
};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::{Identity, SsoError, tls};

const TIMEOUT: Duration = Duration::from_secs(10);
/// LDAP result codes this module tells apart.
const RC_INVALID_CREDENTIALS: u32 = 49;
const RC_SIZE_LIMIT_EXCEEDED: u32 = 4;
/// A user in more groups than this is cut off rather than slowing every login down.
const MAX_GROUPS: i32 = 1000;

/// Settings of one directory.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LdapConfig {
    /// `ldap://host:389` or `ldaps://host:636`.
    pub url: String,
    /// The service account that searches for users; `None` searches anonymously.
    pub bind_dn: Option<String>,
    pub bind_password: Option<String>,
    pub user_base_dn: String,
    /// Finds the user; `{login}` is replaced by the escaped login, e.g.
    /// `(|(uid={login})(mail={login}))`, or `(sAMAccountName={login})` for Active Directory.
    pub user_filter: String,
    pub group_base_dn: String,
    /// Finds the user's groups; `{dn}` is replaced by the user's escaped DN and `{login}` by
    /// the escaped login, e.g. `(member={dn})` or `(memberUid={login})`.
    pub group_filter: String,
    pub email_attr: String,
    pub name_attr: String,
    pub group_name_attr: String,
    /// Upgrade `ldap://` with StartTLS before any password is sent.
    pub starttls: bool,
}

impl std::fmt::Debug for LdapConfig {
    // The service password stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LdapConfig")
            .field("url", &self.url)
            .field("bind_dn", &self.bind_dn)
            .field(
                "bind_password",
                &self.bind_password.as_ref().map(|_| "<redacted>"),
            )
            .field("user_base_dn", &self.user_base_dn)
            .field("user_filter", &self.user_filter)
            .field("group_base_dn", &self.group_base_dn)
            .field("group_filter", &self.group_filter)
            .field("starttls", &self.starttls)
            .finish_non_exhaustive()
    }
}

/// A directory users sign in against.
pub struct LdapDirectory {
    config: LdapConfig,
    tls: Option<Arc<rustls::ClientConfig>>,
}

impl std::fmt::Debug for LdapDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LdapDirectory")
            .field("url", &self.config.url)
            .finish_non_exhaustive()
    }
}

impl LdapDirectory {
    /// Checks the config; connects only when someone signs in.
    pub fn new(config: LdapConfig) -> Result<Self, SsoError> {
        let url = Url::parse(&config.url)
            .map_err(|e| SsoError::config("url", format!("{:?}: {e}", config.url)))?;
        let secure = match url.scheme() {
            "ldaps" if config.starttls => {
                return Err(SsoError::config(
                    "starttls",
                    "StartTLS cannot be used with ldaps://, which is already encrypted",
                ));
            }
            "ldaps" => true,
            "ldap" => config.starttls,
            other => {
                return Err(SsoError::config(
                    "url",
                    format!("scheme {other:?} is not ldap:// or ldaps://"),
                ));
            }
        };
        if url.host_str().is_none_or(str::is_empty) {
            return Err(SsoError::config("url", "names no host"));
        }
        match (&config.bind_dn, &config.bind_password) {
            (Some(dn), Some(pw)) if !dn.is_empty() && !pw.is_empty() => {}
            (None, None) => {}
            // A DN with an empty password is an unauthenticated bind: it "succeeds" as
            // anonymous on many servers, which would hide a misconfiguration.
            _ => {
                return Err(SsoError::config(
                    "bind_password",
                    "bind_dn and bind_password must both be set (or neither, for anonymous search)",
                ));
            }
        }
        for (key, value) in [
            ("user_base_dn", &config.user_base_dn),
            ("group_base_dn", &config.group_base_dn),
            ("email_attr", &config.email_attr),
            ("name_attr", &config.name_attr),
            ("group_name_attr", &config.group_name_attr),
        ] {
            if value.trim().is_empty() {
                return Err(SsoError::config(key, "must not be empty"));
            }
        }
        check_filter("user_filter", &config.user_filter, "{login}")?;
        check_filter("group_filter", &config.group_filter, "")?;
        let tls = if secure {
            Some(Arc::new(tls::client_config()?))
        } else {
            None
        };
        Ok(LdapDirectory { config, tls })
    }

    /// Checks `login` and `password` against the directory.
    ///
    /// Fails with `sso_invalid_credentials` when the password is empty or wrong, or when the
    /// login matches no entry or more than one.
    pub async fn authenticate(&self, login: &str, password: &str) -> Result<Identity, SsoError> {
        // Refused before any bind: a simple bind with a DN and an empty password is an
        // "unauthenticated bind" (RFC 4513 §5.1.2) that many servers report as a success.
        if password.is_empty() || login.trim().is_empty() {
            return Err(SsoError::InvalidCredentials);
        }
        let mut ldap = self.connect().await?;
        let result = self.authenticate_on(&mut ldap, login, password).await;
        // The answer is known; a failing unbind changes nothing about it.
        let _ = ldap.unbind().await;
        result
    }

    async fn connect(&self) -> Result<Ldap, SsoError> {
        let mut settings = LdapConnSettings::new()
            .set_conn_timeout(TIMEOUT)
            .set_starttls(self.config.starttls);
        if let Some(tls) = &self.tls {
            settings = settings.set_config(tls.clone());
        }
        let (conn, ldap) = LdapConnAsync::with_settings(settings, &self.config.url)
            .await
            .map_err(unreachable)?;
        ldap3::drive!(conn);
        Ok(ldap)
    }

    async fn authenticate_on(
        &self,
        ldap: &mut Ldap,
        login: &str,
        password: &str,
    ) -> Result<Identity, SsoError> {
        self.service_bind(ldap).await?;

        // The login goes into the filter escaped (RFC 4515): unescaped, `*` would match
        // every user and `*)(uid=*` would rewrite the filter.
        let escaped_login = ldap_escape(login);
        let filter = self.config.user_filter.replace("{login}", &escaped_login);
        let attrs = [
            self.config.email_attr.as_str(),
            self.config.name_attr.as_str(),
        ];
        // Two is enough to know the login is ambiguous.
        let (entries, rc) = search(
            ldap.with_search_options(SearchOptions::new().sizelimit(2)),
            &self.config.user_base_dn,
            &filter,
            &attrs,
        )
        .await?;
        let [user] = <[SearchEntry; 1]>::try_from(entries).map_err(|_| {
            tracing::debug!(rc, "LDAP login matched no entry or several");
            SsoError::InvalidCredentials
        })?;
        if rc == RC_SIZE_LIMIT_EXCEEDED || user.dn.is_empty() {
            return Err(SsoError::InvalidCredentials);
        }

        let bound = ldap
            .with_timeout(TIMEOUT)
            .simple_bind(&user.dn, password)
            .await
            .map_err(unreachable)?;
        match bound.rc {
            0 => {}
            RC_INVALID_CREDENTIALS => return Err(SsoError::InvalidCredentials),
            // Locked, expired or must-change accounts (AD answers 49 with a sub-code, others
            // 50/53): not signed in, and not told apart from a wrong password.
            rc => {
                tracing::debug!(rc, text = %bound.text, "LDAP user bind refused");
                return Err(SsoError::InvalidCredentials);
            }
        }

        // Groups are read as the service account again: users often may not read groups.
        self.service_bind(ldap).await?;
        let group_filter = self
            .config
            .group_filter
            .replace("{dn}", &ldap_escape(user.dn.as_str()))
            .replace("{login}", &escaped_login);
        let (group_entries, _) = search(
            ldap.with_search_options(SearchOptions::new().sizelimit(MAX_GROUPS)),
            &self.config.group_base_dn,
            &group_filter,
            &[self.config.group_name_attr.as_str()],
        )
        .await?;
        let mut groups: Vec<String> = group_entries
            .iter()
            .filter_map(|g| first_value(g, &self.config.group_name_attr))
            .collect();
        groups.sort();
        groups.dedup();

        let email = first_value(&user, &self.config.email_attr)
            .filter(|e| !e.trim().is_empty())
            .ok_or(SsoError::EmailMissing)?;
        let name = first_value(&user, &self.config.name_attr)
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| email.clone());
        Ok(Identity {
            provider: "ldap".into(),
            subject: user.dn,
            email,
            name,
            groups,
        })
    }

    /// Binds as the service account, or anonymously when none is configured.
    async fn service_bind(&self, ldap: &mut Ldap) -> Result<(), SsoError> {
        let (dn, pw) = match (&self.config.bind_dn, &self.config.bind_password) {
            (Some(dn), Some(pw)) => (dn.as_str(), pw.as_str()),
            _ => ("", ""),
        };
        let result = ldap
            .with_timeout(TIMEOUT)
            .simple_bind(dn, pw)
            .await
            .map_err(unreachable)?;
        if result.rc != 0 {
            return Err(SsoError::config(
                "bind_dn",
                format!(
                    "the directory refused the service bind (result {}: {})",
                    result.rc, result.text
                ),
            ));
        }
        Ok(())
    }
}

/// Runs a subtree search; returns the entries (referrals dropped) and the result code.
async fn search(
    ldap: &mut Ldap,
    base: &str,
    filter: &str,
    attrs: &[&str],
) -> Result<(Vec<SearchEntry>, u32), SsoError> {
    let ldap3::SearchResult(entries, result) = ldap
        .with_timeout(TIMEOUT)
        .search(base, Scope::Subtree, filter, attrs.to_vec())
        .await
        .map_err(unreachable)?;
    match result.rc {
        0 | RC_SIZE_LIMIT_EXCEEDED => {}
        // noSuchObject: the base DN does not exist.
        32 => {
            return Err(SsoError::config(
                "user_base_dn",
                format!("{base:?} does not exist"),
            ));
        }
        rc => {
            return Err(SsoError::ProviderUnreachable(format!(
                "search under {base:?} failed (result {rc}: {})",
                result.text
            )));
        }
    }
    let entries = entries
        .into_iter()
        .filter(|e| !e.is_ref())
        .map(SearchEntry::construct)
        .collect();
    Ok((entries, result.rc))
}

/// The first value of an attribute; attribute names are case-insensitive in LDAP.
fn first_value(entry: &SearchEntry, attr: &str) -> Option<String> {
    entry
        .attrs
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(attr))
        .and_then(|(_, values)| values.first().cloned())
}

/// A filter must parse once its placeholders are filled, and the user filter must use the
/// login (a filter without it would match the same user for everyone).
fn check_filter(key: &'static str, filter: &str, required: &str) -> Result<(), SsoError> {
    if !required.is_empty() && !filter.contains(required) {
        return Err(SsoError::config(key, format!("must contain {required}")));
    }
    let sample = filter.replace("{login}", "x").replace("{dn}", "cn=x");
    ldap3::parse_filter(&sample)
        .map(|_| ())
        .map_err(|_| SsoError::config(key, format!("{filter:?} is not a valid LDAP filter")))
}

fn unreachable(e: LdapError) -> SsoError {
    SsoError::ProviderUnreachable(format!("directory: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> LdapConfig {
        LdapConfig {
            url: "ldap://127.0.0.1:389".into(),
            bind_dn: None,
            bind_password: None,
            user_base_dn: "ou=people,dc=proost,dc=test".into(),
            user_filter: "(uid={login})".into(),
            group_base_dn: "ou=groups,dc=proost,dc=test".into(),
            group_filter: "(member={dn})".into(),
            email_attr: "mail".into(),
            name_attr: "cn".into(),
            group_name_attr: "cn".into(),
            starttls: false,
        }
    }

    #[test]
    fn config_errors_name_the_bad_key() {
        let key = |c: LdapConfig| match LdapDirectory::new(c) {
            Err(SsoError::ConfigInvalid { key, .. }) => key,
            other => panic!("expected a config error, got {other:?}"),
        };
        assert_eq!(
            key(LdapConfig {
                url: "http://x".into(),
                ..config()
            }),
            "url"
        );
        assert_eq!(
            key(LdapConfig {
                user_filter: "(uid=ada)".into(),
                ..config()
            }),
            "user_filter"
        );
        assert_eq!(
            key(LdapConfig {
                user_filter: "(uid={login}".into(),
                ..config()
            }),
            "user_filter"
        );
        assert_eq!(
            key(LdapConfig {
                bind_dn: Some("cn=svc".into()),
                bind_password: Some(String::new()),
                ..config()
            }),
            "bind_password"
        );
        assert!(LdapDirectory::new(config()).is_ok());
    }

    #[test]
    fn the_service_password_stays_out_of_debug_output() {
        let config = LdapConfig {
            bind_dn: Some("cn=svc".into()),
            bind_password: Some("s3cr3t".into()),
            ..config()
        };
        assert!(!format!("{config:?}").contains("s3cr3t"));
    }

    #[tokio::test]
    async fn an_empty_password_is_refused_without_contacting_the_directory() {
        // Nothing listens on port 9 (discard): reaching the network would fail differently.
        let directory = LdapDirectory::new(LdapConfig {
            url: "ldap://127.0.0.1:9".into(),
            ..config()
        })
        .unwrap();
        let err = directory.authenticate("ada", "").await.unwrap_err();
        assert_eq!(err.code(), "sso_invalid_credentials");
    }
}
