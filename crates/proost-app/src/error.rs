//! The one error type of Proost's services: a stable `code` clients match on, plain words a
//! person can act on, and a transport-neutral [`Kind`] each front maps once (HTTP status
//! in the server; SQLSTATE in the coming PostgreSQL wire endpoint). The table from codes of
//! the domain crates to kinds lives here, and only here.

/// What sort of failure an error is, whatever the front that reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The request is malformed or names something unacceptable; the caller can fix it.
    Invalid,
    /// Nobody is signed in, or the credentials are wrong.
    Unauthenticated,
    /// The caller is known but may not do this.
    Forbidden,
    NotFound,
    /// It exists already, or would break a rule about what exists (the last admin).
    Conflict,
    /// Too many attempts; try again later.
    RateLimited,
    /// The work ran longer than its limit and was stopped.
    Timeout,
    /// The work needs more than its memory limit.
    TooLarge,
    /// A source database could not be reached or refused the account.
    SourceUnavailable,
    /// An outside service (an identity provider, a backup bucket) could not be reached or
    /// answered wrongly.
    ProviderUnavailable,
    /// Busy now; try again.
    Busy,
    /// Proost's own fault: logged, reported without detail.
    Internal,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: Kind,
    pub code: &'static str,
    pub message: String,
    /// For [`Kind::RateLimited`]: when to try again.
    pub retry_after: Option<std::time::Duration>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: Kind, code: &'static str, message: impl Into<String>) -> Self {
        Error {
            kind,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Kind::Invalid, code, message)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            Kind::Unauthenticated,
            "unauthenticated",
            "log in first: send a session cookie or an `Authorization: Bearer` token",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(Kind::Forbidden, "forbidden", message)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(Kind::NotFound, "not_found", format!("{what} not found"))
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    /// Logs the detail; the caller only learns that something failed.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "internal error");
        Self::new(
            Kind::Internal,
            "internal_error",
            "something went wrong on the server; the details are in its log",
        )
    }

    /// Maps a stable code from any crate to its kind. Codes not listed are the caller's
    /// to fix.
    pub fn from_code(code: &'static str, message: String) -> Self {
        let kind = match code {
            "internal_error" => return Self::internal(message),
            "source_unreachable" | "source_auth_failed" | "source_tls_failed" => {
                Kind::SourceUnavailable
            }
            "query_timeout" => Kind::Timeout,
            "table_not_found" | "not_found" => Kind::NotFound,
            "conflict" | "last_admin" | "sso_email_taken" | "query_cancelled" => Kind::Conflict,
            "memory_limit_exceeded" => Kind::TooLarge,
            "setup_token_invalid"
            | "permission_denied"
            | "licence_expired"
            | "licence_limit_exceeded" => Kind::Forbidden,
            "sso_email_missing" | "sso_required" | "sso_denied" | "account_deactivated" => {
                Kind::Forbidden
            }
            "sso_invalid_credentials" | "sso_token_invalid" => Kind::Unauthenticated,
            "sso_provider_unreachable" => Kind::ProviderUnavailable,
            "sso_not_configured" => Kind::NotFound,
            "sso_busy" => Kind::Busy,
            _ => Kind::Invalid,
        };
        Self::new(kind, code, message)
    }
}

impl From<proost_store::StoreError> for Error {
    fn from(e: proost_store::StoreError) -> Self {
        Error::from_code(e.code(), e.to_string())
    }
}

impl From<proost_connect::ConnectError> for Error {
    fn from(e: proost_connect::ConnectError) -> Self {
        Error::from_code(e.code(), e.to_string())
    }
}

impl From<proost_query::QueryError> for Error {
    fn from(e: proost_query::QueryError) -> Self {
        Error::from_code(e.code(), e.to_string())
    }
}

impl From<proost_readonly::Refusal> for Error {
    fn from(e: proost_readonly::Refusal) -> Self {
        Error::from_code(e.code, e.message)
    }
}

impl From<proost_keys::KeyError> for Error {
    fn from(e: proost_keys::KeyError) -> Self {
        Error::internal(e)
    }
}

impl From<proost_replica::ReplicaError> for Error {
    fn from(e: proost_replica::ReplicaError) -> Self {
        match e {
            proost_replica::ReplicaError::Source(c) => c.into(),
            other => Error::from_code(other.code(), other.to_string()),
        }
    }
}

impl From<proost_sso::SsoError> for Error {
    fn from(e: proost_sso::SsoError) -> Self {
        match e {
            // A bad setting is the operator's to fix: the detail (which may name internal
            // hosts) goes to the log, the person signing in learns only that SSO is broken.
            proost_sso::SsoError::ConfigInvalid { .. } => {
                tracing::error!(error = %e, "single sign-on is misconfigured");
                Error::new(
                    Kind::Internal,
                    e.code(),
                    "single sign-on is misconfigured on this server; the details are in its log",
                )
            }
            // The provider's own words may describe its internals; log them, answer plainly.
            proost_sso::SsoError::ProviderUnreachable(_)
            | proost_sso::SsoError::TokenInvalid(_) => {
                tracing::warn!(error = %e, "single sign-on failed at the provider");
                let message = if e.code() == "sso_provider_unreachable" {
                    "the identity provider could not be reached; try again later"
                } else {
                    "the identity provider's answer was rejected; start the sign-in again"
                };
                Error::from_code(e.code(), message.into())
            }
            other => Error::from_code(other.code(), other.to_string()),
        }
    }
}

/// Why an instance could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the data directory {path} cannot be used: {source}")]
    DataDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Key(#[from] proost_keys::KeyError),
    #[error(transparent)]
    Store(#[from] proost_store::StoreError),
    #[error("creating the demo database failed: {0}")]
    Demo(String),
    #[error("invalid setting: {0}")]
    Setting(String),
    #[error("licence: {0}")]
    Licence(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_the_domain_crates_map_to_kinds() {
        let kind = |c| Error::from_code(c, String::new()).kind;
        assert_eq!(kind("source_unreachable"), Kind::SourceUnavailable);
        assert_eq!(kind("query_timeout"), Kind::Timeout);
        assert_eq!(kind("table_not_found"), Kind::NotFound);
        assert_eq!(kind("last_admin"), Kind::Conflict);
        assert_eq!(kind("sql_parse_error"), Kind::Invalid);
        assert_eq!(kind("internal_error"), Kind::Internal);
    }
}
