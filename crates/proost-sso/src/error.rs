/// Why a sign-in failed. Messages are for people; [`SsoError::code`] is for programs.
///
/// Messages never say whether an account exists or which of login and password was wrong.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    /// The SSO settings are unusable; `key` names the setting.
    #[error("SSO setting `{key}` is invalid: {reason}")]
    ConfigInvalid { key: &'static str, reason: String },
    /// The identity provider or directory could not be reached or answered nonsense.
    #[error("the identity provider could not be reached: {0}")]
    ProviderUnreachable(String),
    /// The login that came back is not one this server started, or it took too long.
    #[error("this sign-in was not started here or has expired; start again")]
    StateMismatch,
    /// The provider's answer (code exchange or ID token) did not check out.
    #[error("the identity provider's answer was rejected: {0}")]
    TokenInvalid(String),
    /// Wrong login or password, or the login does not name exactly one account.
    #[error("invalid login or password")]
    InvalidCredentials,
    /// The account is genuine but has no (verified) email address, which Proost needs.
    #[error("the identity provider gave no verified email address for this account")]
    EmailMissing,
}

impl SsoError {
    /// The stable error code, for `{"error":{"code":…}}` answers and audit entries.
    pub fn code(&self) -> &'static str {
        match self {
            SsoError::ConfigInvalid { .. } => "sso_config_invalid",
            SsoError::ProviderUnreachable(_) => "sso_provider_unreachable",
            SsoError::StateMismatch => "sso_state_mismatch",
            SsoError::TokenInvalid(_) => "sso_token_invalid",
            SsoError::InvalidCredentials => "sso_invalid_credentials",
            SsoError::EmailMissing => "sso_email_missing",
        }
    }

    pub(crate) fn config(key: &'static str, reason: impl Into<String>) -> Self {
        SsoError::ConfigInvalid {
            key,
            reason: reason.into(),
        }
    }
}
