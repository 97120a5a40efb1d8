//! OpenID Connect: authorization code flow with PKCE (S256).
//!
//! All token checks (JWS signature against the discovered JWKS, issuer, audience, expiry,
//! nonce, access-token hash) are done by `openidconnect`; this module only decides what to
//! ask for and what to believe afterwards.

use std::collections::HashMap;

use chrono::Utc;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessToken, AccessTokenHash, AdditionalClaims, AuthorizationCode, ClientId, ClientSecret,
    CsrfToken, DiscoveryError, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IdTokenFields, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope, StandardErrorResponse,
    StandardTokenResponse, SubjectIdentifier, UserInfoClaims, UserInfoError,
};
use serde::{Deserialize, Serialize};
use url::{Host, Url};

use crate::http::{HttpError, ProviderHttp};
use crate::{Identity, SsoError};

/// How long a started login may take before its callback is refused.
const PENDING_LOGIN_TTL_SECS: i64 = 10 * 60;

/// Settings of one OpenID provider, as registered there for Proost.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcConfig {
    /// The issuer, e.g. `https://accounts.example.com`; discovery is read from
    /// `{issuer_url}/.well-known/openid-configuration`.
    pub issuer_url: String,
    pub client_id: String,
    /// `None` for a public client (PKCE alone).
    pub client_secret: Option<String>,
    /// Proost's callback URL, exactly as registered at the provider.
    pub redirect_url: String,
    /// Scopes to ask for; `openid` is always sent.
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// The claim holding the user's groups (ID token or userinfo).
    #[serde(default = "default_groups_claim")]
    pub groups_claim: String,
}

fn default_scopes() -> Vec<String> {
    ["openid", "email", "profile", "groups"]
        .map(String::from)
        .to_vec()
}

fn default_groups_claim() -> String {
    "groups".into()
}

impl OidcConfig {
    /// A config with the default scopes (`openid email profile groups`) and groups claim.
    pub fn new(
        issuer_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: Option<String>,
        redirect_url: impl Into<String>,
    ) -> Self {
        OidcConfig {
            issuer_url: issuer_url.into(),
            client_id: client_id.into(),
            client_secret,
            redirect_url: redirect_url.into(),
            scopes: default_scopes(),
            groups_claim: default_groups_claim(),
        }
    }
}

impl std::fmt::Debug for OidcConfig {
    // The client secret stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer_url", &self.issuer_url)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("redirect_url", &self.redirect_url)
            .field("scopes", &self.scopes)
            .field("groups_claim", &self.groups_claim)
            .finish()
    }
}

/// A login between [`OidcClient::start`] and [`OidcClient::finish`].
///
/// Keep it server-side, keyed by [`state`](Self::state), and hand it back exactly once: the
/// PKCE verifier in it must never reach the browser, or anyone who intercepts the code could
/// redeem it.
#[derive(Clone, Serialize, Deserialize)]
pub struct PendingLogin {
    state: String,
    nonce: String,
    pkce_verifier: String,
    /// Unix seconds.
    created_at: i64,
}

impl PendingLogin {
    /// The `state` sent to the provider; the key to store this login under.
    pub fn state(&self) -> &str {
        &self.state
    }

    /// True once the login is older than ten minutes (or claims to come from the future).
    pub fn is_expired(&self) -> bool {
        let age = Utc::now().timestamp() - self.created_at;
        !(-60..=PENDING_LOGIN_TTL_SECS).contains(&age)
    }
}

impl std::fmt::Debug for PendingLogin {
    // The nonce and verifier stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingLogin")
            .field("state", &self.state)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

/// Claims beyond the standard ones, kept as JSON so the groups claim can be named in config.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
struct ExtraClaims(HashMap<String, serde_json::Value>);
impl AdditionalClaims for ExtraClaims {}

type ProviderIdTokenFields = IdTokenFields<
    ExtraClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type ProviderTokenResponse = StandardTokenResponse<ProviderIdTokenFields, CoreTokenType>;
type ProviderClient = openidconnect::Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    ProviderTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A client of one OpenID provider, built from its discovery document.
pub struct OidcClient {
    client: ProviderClient,
    http: ProviderHttp,
    scopes: Vec<String>,
    groups_claim: String,
}

impl std::fmt::Debug for OidcClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcClient")
            .field("client_id", &self.client.client_id().as_str())
            .finish_non_exhaustive()
    }
}

impl OidcClient {
    /// Checks the config, then reads the provider's discovery document and signing keys.
    pub async fn discover(config: OidcConfig) -> Result<Self, SsoError> {
        let issuer = checked_url("issuer_url", &config.issuer_url)?;
        checked_url("redirect_url", &config.redirect_url)?;
        if config.client_id.trim().is_empty() {
            return Err(SsoError::config("client_id", "must not be empty"));
        }
        let groups_claim = match config.groups_claim.trim() {
            "" => "groups".to_owned(),
            claim => claim.to_owned(),
        };
        // `openid` is added by the library; sending it twice confuses some providers.
        let scopes = config
            .scopes
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty() && *s != "openid")
            .map(String::from)
            .collect();

        let http = ProviderHttp::new()?;
        // The library compares the document's `issuer` with this URL, so it is kept as given.
        let issuer_url = IssuerUrl::new(config.issuer_url.clone())
            .map_err(|e| SsoError::config("issuer_url", e.to_string()))?;
        let metadata = CoreProviderMetadata::discover_async(issuer_url, &http)
            .await
            .map_err(|e| discovery_error(e, &issuer))?;
        if metadata.token_endpoint().is_none() {
            return Err(SsoError::config(
                "issuer_url",
                "the provider's discovery document has no token endpoint",
            ));
        }
        let redirect = RedirectUrl::new(config.redirect_url.clone())
            .map_err(|e| SsoError::config("redirect_url", e.to_string()))?;
        let secret = config
            .client_secret
            .filter(|s| !s.is_empty())
            .map(ClientSecret::new);
        let client = ProviderClient::from_provider_metadata(
            metadata,
            ClientId::new(config.client_id),
            secret,
        )
        .set_redirect_uri(redirect);
        Ok(OidcClient {
            client,
            http,
            scopes,
            groups_claim,
        })
    }

    /// Where to send the browser, and the login to keep server-side until it comes back.
    pub fn start(&self) -> (Url, PendingLogin) {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = self.client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in &self.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        let pending = PendingLogin {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            created_at: Utc::now().timestamp(),
        };
        (url, pending)
    }

    /// Completes a login from the callback's `state` and `code`.
    ///
    /// `pending` is the login stored under that state; the caller removes it from storage
    /// before calling, so a callback cannot be replayed.
    pub async fn finish(
        &self,
        pending: PendingLogin,
        returned_state: &str,
        code: &str,
    ) -> Result<Identity, SsoError> {
        // Login CSRF: a callback this browser's login did not start is refused before the
        // code is spent.
        if pending.is_expired() || !same_secret(&pending.state, returned_state) {
            return Err(SsoError::StateMismatch);
        }
        if code.is_empty() {
            return Err(SsoError::TokenInvalid(
                "the callback carried no authorization code".into(),
            ));
        }
        let tokens = self.exchange(&pending, code).await?;
        self.identity(&tokens, &pending.nonce).await
    }

    /// Redeems the code at the token endpoint, proving possession of the PKCE verifier.
    async fn exchange(
        &self,
        pending: &PendingLogin,
        code: &str,
    ) -> Result<ProviderTokenResponse, SsoError> {
        let request = self
            .client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| SsoError::config("issuer_url", e.to_string()))?;
        request
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(token_error)
    }

    /// Validates the ID token and reads who it names, completing it from userinfo.
    async fn identity(
        &self,
        tokens: &ProviderTokenResponse,
        nonce: &str,
    ) -> Result<Identity, SsoError> {
        let id_token = tokens
            .extra_fields()
            .id_token()
            .ok_or_else(|| SsoError::TokenInvalid("the provider returned no ID token".into()))?;
        let verifier = self.client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(nonce.to_owned()))
            .map_err(|e| SsoError::TokenInvalid(format!("ID token: {e}")))?;

        // Binds the access token (used for userinfo below) to this ID token.
        if let Some(expected) = claims.access_token_hash() {
            let alg = id_token
                .signing_alg()
                .map_err(|e| SsoError::TokenInvalid(format!("ID token: {e}")))?;
            let key = id_token
                .signing_key(&verifier)
                .map_err(|e| SsoError::TokenInvalid(format!("ID token: {e}")))?;
            let actual = AccessTokenHash::from_token(tokens.access_token(), alg, key)
                .map_err(|e| SsoError::TokenInvalid(format!("ID token: {e}")))?;
            if actual != *expected {
                return Err(SsoError::TokenInvalid(
                    "the access token does not belong to the ID token".into(),
                ));
            }
        }

        let mut found = Found {
            email: claims.email().map(|e| e.as_str().to_owned()),
            email_verified: claims.email_verified(),
            name: claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned()),
            username: claims.preferred_username().map(|u| u.as_str().to_owned()),
            groups: claims
                .additional_claims()
                .0
                .get(&self.groups_claim)
                .cloned(),
        };
        // Many providers put only `sub` in the ID token of the code flow; the rest is in
        // userinfo, which is checked to be about the same subject.
        if found.incomplete() && self.client.user_info_url().is_some() {
            let info = self
                .user_info(tokens.access_token(), claims.subject())
                .await?;
            found.complete_from(&info, &self.groups_claim);
        }
        found.into_identity(claims.subject().as_str())
    }

    async fn user_info(
        &self,
        access_token: &AccessToken,
        subject: &SubjectIdentifier,
    ) -> Result<UserInfoClaims<ExtraClaims, CoreGenderClaim>, SsoError> {
        let request = self
            .client
            .user_info(access_token.clone(), Some(subject.clone()))
            .map_err(|e| SsoError::config("issuer_url", e.to_string()))?;
        request
            .request_async(&self.http)
            .await
            .map_err(|e| match e {
                UserInfoError::Request(e) => {
                    SsoError::ProviderUnreachable(format!("userinfo: {e}"))
                }
                other => SsoError::TokenInvalid(format!("userinfo: {other}")),
            })
    }
}

/// What the provider said about the user, from the ID token and then userinfo.
struct Found {
    email: Option<String>,
    email_verified: Option<bool>,
    name: Option<String>,
    username: Option<String>,
    groups: Option<serde_json::Value>,
}

impl Found {
    fn incomplete(&self) -> bool {
        self.email.is_none() || self.name.is_none() || self.groups.is_none()
    }

    fn complete_from(&mut self, info: &UserInfoClaims<ExtraClaims, CoreGenderClaim>, groups: &str) {
        if self.email.is_none() {
            self.email = info.email().map(|e| e.as_str().to_owned());
            self.email_verified = info.email_verified();
        }
        if self.name.is_none() {
            self.name = info
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned());
        }
        if self.username.is_none() {
            self.username = info.preferred_username().map(|u| u.as_str().to_owned());
        }
        if self.groups.is_none() {
            self.groups = info.additional_claims().0.get(groups).cloned();
        }
    }

    fn into_identity(self, subject: &str) -> Result<Identity, SsoError> {
        // An address the provider says it has not verified could be anyone's: accepting it
        // would let an account there claim a Proost user with that address.
        let email = match (self.email, self.email_verified) {
            (Some(email), Some(true) | None) if !email.trim().is_empty() => email,
            _ => return Err(SsoError::EmailMissing),
        };
        let name = self
            .name
            .or(self.username)
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| email.clone());
        Ok(Identity {
            provider: "oidc".into(),
            subject: subject.to_owned(),
            email,
            name,
            groups: group_names(self.groups),
        })
    }
}

/// A groups claim is a list of names (or, from some providers, a single name).
fn group_names(value: Option<serde_json::Value>) -> Vec<String> {
    let mut groups: Vec<String> = match value {
        Some(serde_json::Value::Array(items)) => items
            .into_iter()
            .filter_map(|item| match item {
                serde_json::Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        Some(serde_json::Value::String(s)) => vec![s],
        _ => Vec::new(),
    };
    groups.sort();
    groups.dedup();
    groups
}

/// An https URL, or http on a loopback address (local providers and tests).
fn checked_url(key: &'static str, value: &str) -> Result<Url, SsoError> {
    let url = Url::parse(value).map_err(|e| SsoError::config(key, format!("{value:?}: {e}")))?;
    let loopback = match url.host() {
        Some(Host::Domain(d)) => d == "localhost",
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err(SsoError::config(
            key,
            format!("{value:?} must use https (plain http is only allowed on localhost)"),
        )),
        _ => Err(SsoError::config(
            key,
            format!("{value:?} is not an https URL"),
        )),
    }
}

/// Compares without an early exit, so the time taken does not tell how much matched.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn discovery_error(e: DiscoveryError<HttpError>, issuer: &Url) -> SsoError {
    match e {
        DiscoveryError::Request(e) => {
            SsoError::ProviderUnreachable(format!("discovery at {issuer}: {e}"))
        }
        DiscoveryError::Response(status, _, _) => {
            SsoError::ProviderUnreachable(format!("discovery at {issuer} answered HTTP {status}"))
        }
        DiscoveryError::Validation(e) => SsoError::config("issuer_url", e),
        other => SsoError::ProviderUnreachable(format!("discovery at {issuer}: {other}")),
    }
}

fn token_error(
    e: RequestTokenError<HttpError, StandardErrorResponse<CoreErrorResponseType>>,
) -> SsoError {
    match e {
        RequestTokenError::Request(e) => SsoError::ProviderUnreachable(format!("token: {e}")),
        // invalid_grant: a code already used, expired, or redeemed without its verifier.
        RequestTokenError::ServerResponse(e) => {
            SsoError::TokenInvalid(format!("the provider refused the code: {e}"))
        }
        other => SsoError::TokenInvalid(format!("token answer: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(created_at: i64) -> PendingLogin {
        PendingLogin {
            state: "s".into(),
            nonce: "n".into(),
            pkce_verifier: "v".into(),
            created_at,
        }
    }

    #[test]
    fn a_pending_login_expires_after_ten_minutes() {
        let now = Utc::now().timestamp();
        assert!(!pending(now).is_expired());
        assert!(!pending(now - 9 * 60).is_expired());
        assert!(pending(now - 11 * 60).is_expired());
        assert!(pending(now + 3600).is_expired());
    }

    #[test]
    fn the_pkce_verifier_and_nonce_stay_out_of_debug_output() {
        let shown = format!("{:?}", pending(0));
        assert!(shown.contains("state"));
        assert!(!shown.contains("pkce_verifier") && !shown.contains("nonce"));
    }

    #[test]
    fn plain_http_is_only_accepted_on_loopback() {
        assert!(checked_url("issuer_url", "http://127.0.0.1:9000").is_ok());
        assert!(checked_url("issuer_url", "http://localhost/x").is_ok());
        assert!(checked_url("issuer_url", "https://id.example.com").is_ok());
        let err = checked_url("issuer_url", "http://id.example.com").unwrap_err();
        assert_eq!(err.code(), "sso_config_invalid");
        assert!(err.to_string().contains("issuer_url"));
        assert!(checked_url("issuer_url", "file:///etc/passwd").is_err());
    }

    #[test]
    fn the_client_secret_stays_out_of_debug_output() {
        let config = OidcConfig::new("https://id", "proost", Some("s3cr3t".into()), "https://p");
        assert!(!format!("{config:?}").contains("s3cr3t"));
    }

    #[test]
    fn groups_claim_accepts_a_list_or_a_single_name() {
        let list = serde_json::json!(["b", "a", "b", 3]);
        assert_eq!(group_names(Some(list)), ["a", "b"]);
        assert_eq!(group_names(Some(serde_json::json!("solo"))), ["solo"]);
        assert!(group_names(None).is_empty());
    }

    #[test]
    fn an_unverified_email_is_not_accepted() {
        let found = |verified| Found {
            email: Some("ada@proost.test".into()),
            email_verified: verified,
            name: None,
            username: None,
            groups: None,
        };
        let err = found(Some(false)).into_identity("ada").unwrap_err();
        assert_eq!(err.code(), "sso_email_missing");
        let ok = found(None).into_identity("ada").unwrap();
        assert_eq!(ok.name, "ada@proost.test");
    }
}

/// Token substitution needs a genuine token issued to someone else, which only a provider can
/// mint, so this test reaches into the flow (`exchange`, `identity`) against the real one.
#[cfg(test)]
mod audience_tests {
    use super::*;
    use crate::test_support as support;

    async fn client_for(client_id: &str) -> OidcClient {
        let config = OidcConfig::new(
            support::oidc_provider().issuer.clone(),
            client_id,
            Some(support::CLIENT_SECRET.into()),
            support::REDIRECT_URI,
        );
        OidcClient::discover(config).await.expect("discovery")
    }

    #[tokio::test]
    async fn an_id_token_issued_to_another_client_is_refused() {
        let proost = client_for(support::CLIENT_ID).await;
        let other = client_for(support::OTHER_CLIENT_ID).await;

        let (auth_url, pending) = other.start();
        let back = support::sign_in_at_provider(&auth_url, "ada", "ada-password").await;
        let tokens = other
            .exchange(&pending, &back.code)
            .await
            .expect("exchange");
        // Genuine for the other client...
        other
            .identity(&tokens, &pending.nonce)
            .await
            .expect("valid for its audience");
        // ...and refused by Proost, whose client id is not its audience.
        let err = proost.identity(&tokens, &pending.nonce).await.unwrap_err();
        assert_eq!(err.code(), "sso_token_invalid");
        assert!(err.to_string().to_lowercase().contains("audience"), "{err}");
    }

    #[tokio::test]
    async fn an_id_token_with_another_nonce_is_refused() {
        let proost = client_for(support::CLIENT_ID).await;
        let (auth_url, pending) = proost.start();
        let back = support::sign_in_at_provider(&auth_url, "ada", "ada-password").await;
        let tokens = proost
            .exchange(&pending, &back.code)
            .await
            .expect("exchange");
        let err = proost.identity(&tokens, "another-nonce").await.unwrap_err();
        assert_eq!(err.code(), "sso_token_invalid");
    }
}
