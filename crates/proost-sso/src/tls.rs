//! TLS settings shared by the OIDC and LDAP clients.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;

use crate::SsoError;

/// ring, named explicitly rather than taken from the process default: rustls refuses to pick
/// one when another crate in the binary also enables aws-lc-rs.
pub(crate) fn crypto_provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A client config trusting the operating system's root certificates.
pub(crate) fn client_config() -> Result<rustls::ClientConfig, SsoError> {
    let mut roots = rustls::RootCertStore::empty();
    let found = rustls_native_certs::load_native_certs();
    for cert in found.certs {
        // One unparsable system certificate must not disable TLS altogether.
        let _ = roots.add(cert);
    }
    if roots.is_empty() {
        return Err(SsoError::ProviderUnreachable(
            "no trusted root certificates found on this system (install ca-certificates)".into(),
        ));
    }
    rustls::ClientConfig::builder_with_provider(crypto_provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| SsoError::ProviderUnreachable(format!("TLS setup failed: {e}")))
        .map(|builder| builder.with_root_certificates(roots).with_no_client_auth())
}
