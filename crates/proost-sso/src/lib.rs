//! Single sign-on clients for Proost.
//!
//! Two ways for a person to prove who they are without a Proost password:
//!
//! - [`OidcClient`]: OpenID Connect, authorization code flow with PKCE (S256). The ID token is
//!   validated by `openidconnect` (signature against the provider's JWKS, issuer, audience,
//!   expiry, nonce); `state` is checked here.
//! - [`LdapDirectory`]: LDAP / Active Directory. The user's entry is found with a service (or
//!   anonymous) bind, then the user's own password is checked by binding as that entry, and
//!   their groups are read.
//!
//! Both return an [`Identity`]. What this crate is not: it creates no sessions, stores no
//! pending logins and maps no groups to Proost grants. The server does that: it keeps each
//! [`PendingLogin`] server-side, keyed by its state, and decides what an identity may do.
//!
//! Every failure is an [`SsoError`] whose [`code`](SsoError::code) is stable.
#![forbid(unsafe_code)]

mod error;
mod http;
mod ldap;
mod oidc;
mod tls;

/// The real servers of the integration tests, for the unit tests that need one.
#[cfg(test)]
#[path = "../tests/support/mod.rs"]
mod test_support;

pub use error::SsoError;
pub use ldap::{LdapConfig, LdapDirectory};
pub use oidc::{OidcClient, OidcConfig, PendingLogin};

/// Who signed in, as the identity provider vouches for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `"oidc"` or `"ldap"`.
    pub provider: String,
    /// Stable identifier at the provider: the OIDC `sub`, or the LDAP entry's DN.
    pub subject: String,
    pub email: String,
    pub name: String,
    /// Group names, sorted, without duplicates.
    pub groups: Vec<String>,
}
