//! TLS to sources, on rustls with the ring provider (the one provider of the whole tree).
//!
//! The modes follow libpq's `sslmode`: `require` encrypts without checking who answers
//! (unless a CA is named, then it checks the chain as libpq does), `verify-ca` checks the
//! chain up to a trusted root, `verify-full` also the host name. A mode that asks for TLS
//! never falls back to plaintext. Trusted roots are a CA file the admin placed in an allowed
//! directory, or the system's. The CA's PEM is kept in the (sealed) connection parameters,
//! so a restored backup still connects on another machine.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use serde::{Deserialize, Serialize};

use crate::{ConnectError, Result};

/// How a connection uses TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    #[default]
    Disable,
    /// TLS when the server offers it, without verification (PostgreSQL only).
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl TlsMode {
    pub fn as_postgres(self) -> &'static str {
        match self {
            TlsMode::Disable => "disable",
            TlsMode::Prefer => "prefer",
            TlsMode::Require => "require",
            TlsMode::VerifyCa => "verify-ca",
            TlsMode::VerifyFull => "verify-full",
        }
    }

    pub fn as_mysql(self) -> &'static str {
        match self {
            TlsMode::Disable => "DISABLED",
            TlsMode::Prefer => "PREFERRED",
            TlsMode::Require => "REQUIRED",
            TlsMode::VerifyCa => "VERIFY_CA",
            TlsMode::VerifyFull => "VERIFY_IDENTITY",
        }
    }
}

/// A connection's TLS settings. Stored with the connection's other parameters; parameters
/// stored before TLS existed read as `disable`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceTls {
    #[serde(default)]
    pub mode: TlsMode,
    /// Trusted roots; the system's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca: Option<CaBundle>,
}

/// A CA file's certificates, read once when the connection was defined.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct CaBundle {
    /// The file name as given (`sslrootcert=` / `ssl-ca=`), shown back to the admin.
    pub name: String,
    pub pem: String,
}

impl std::fmt::Debug for CaBundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CaBundle({})", self.name)
    }
}

impl SourceTls {
    pub fn enabled(&self) -> bool {
        self.mode != TlsMode::Disable
    }

    /// Whether the chain is checked: `verify-*`, and `require` with a CA named (as libpq).
    fn verifies_chain(&self) -> bool {
        matches!(self.mode, TlsMode::VerifyCa | TlsMode::VerifyFull)
            || (self.mode == TlsMode::Require && self.ca.is_some())
    }

    /// The certificates of the CA bundle, or none (system roots).
    pub(crate) fn ca_certificates(&self) -> Result<Vec<CertificateDer<'static>>> {
        match &self.ca {
            None => Ok(Vec::new()),
            Some(ca) => certificates(ca.pem.as_bytes(), &ca.name),
        }
    }

    /// The rustls client configuration for this connection (`None` when TLS is off); with
    /// `verify-full` and no CA file, also what other outbound clients (backup buckets) use.
    pub fn client_config(&self) -> Result<Option<Arc<ClientConfig>>> {
        if !self.enabled() {
            return Ok(None);
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| ConnectError::Internal(format!("TLS set-up: {e}")))?;
        let config = if !self.verifies_chain() {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(EncryptOnly(provider)))
                .with_no_client_auth()
        } else {
            let roots = Arc::new(self.roots()?);
            if self.mode == TlsMode::VerifyFull {
                builder.with_root_certificates(roots).with_no_client_auth()
            } else {
                let chain = WebPkiServerVerifier::builder_with_provider(roots, provider)
                    .build()
                    .map_err(|e| {
                        ConnectError::Tls(format!("the trusted roots are unusable: {e}"))
                    })?;
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(AnyHostName(chain)))
                    .with_no_client_auth()
            }
        };
        Ok(Some(Arc::new(config)))
    }

    /// The trusted roots: the CA file's certificates, else the system's.
    pub(crate) fn root_certificates(&self) -> Result<Vec<CertificateDer<'static>>> {
        if self.ca.is_some() {
            return self.ca_certificates();
        }
        let found = rustls_native_certs::load_native_certs();
        if found.certs.is_empty() {
            return Err(ConnectError::Tls(
                "no system CA certificates were found; name the source's CA file with sslrootcert (PostgreSQL) or ssl-ca (MySQL)".into(),
            ));
        }
        Ok(found.certs)
    }

    fn roots(&self) -> Result<RootCertStore> {
        let mut roots = RootCertStore::empty();
        if self.ca.is_some() {
            for cert in self.ca_certificates()? {
                roots.add(cert).map_err(|e| {
                    ConnectError::Tls(format!(
                        "the CA file holds a certificate that cannot be a trust root: {e}"
                    ))
                })?;
            }
        } else {
            roots.add_parsable_certificates(self.root_certificates()?);
        }
        Ok(roots)
    }

    /// mysql_async's TLS options for the same modes: it builds its own rustls client (on
    /// the process's one provider, ring) from these.
    pub(crate) fn mysql_opts(&self) -> Result<Option<mysql_async::SslOpts>> {
        if !self.enabled() {
            return Ok(None);
        }
        // The driver builds a chain verifier even when told to accept any certificate, and
        // that needs a root: its built-in ones serve there, and are never trusted.
        if !self.verifies_chain() {
            return Ok(Some(
                mysql_async::SslOpts::default().with_danger_accept_invalid_certs(true),
            ));
        }
        let opts = mysql_async::SslOpts::default().with_disable_built_in_roots(true);
        let roots = self
            .root_certificates()?
            .into_iter()
            .map(|c| c.to_vec().into())
            .collect();
        let opts = opts.with_root_certs(roots);
        Ok(Some(if self.mode == TlsMode::VerifyFull {
            opts
        } else {
            opts.with_danger_skip_domain_validation(true)
        }))
    }
}

fn certificates(pem: &[u8], name: &str) -> Result<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| ca_invalid(format!("the CA file `{name}` is not valid PEM: {e}")))?;
    if certs.is_empty() {
        return Err(ca_invalid(format!(
            "the CA file `{name}` holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
        )));
    }
    Ok(certs)
}

fn ca_invalid(message: String) -> ConnectError {
    ConnectError::invalid("connection_ca_invalid", message)
}

/// The largest CA file read: a bundle of a few hundred certificates fits.
const MAX_CA_FILE: u64 = 1024 * 1024;

/// Reads the CA file a connection names. Only files inside `roots` are read (a connection
/// URL must not become a way to read the server's files), a relative name is taken inside
/// the first root, and the file must hold PEM certificates that can be trust roots.
pub(crate) fn load_ca(value: &str, roots: &[PathBuf]) -> Result<CaBundle> {
    let Some(first) = roots.first() else {
        return Err(ConnectError::invalid(
            "connection_option_not_allowed",
            "CA files are not allowed on this server: no CA directory is configured",
        ));
    };
    let named = Path::new(value);
    let candidate = if named.is_absolute() {
        named.to_path_buf()
    } else {
        first.join(named)
    };
    let outside = || {
        ConnectError::invalid(
            "connection_option_not_allowed",
            format!(
                "the CA file must be inside {}; copy the source's CA certificate there",
                roots
                    .iter()
                    .map(|r| r.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        )
    };
    let canonical = match candidate.canonicalize() {
        Ok(c) => c,
        Err(_) if roots.iter().any(|r| lexically_inside(&candidate, r)) => {
            return Err(ca_invalid(format!("there is no CA file `{value}`")));
        }
        Err(_) => return Err(outside()),
    };
    let allowed = roots.iter().any(|root| {
        root.canonicalize()
            .map(|r| canonical.starts_with(&r) && canonical != r)
            .unwrap_or(false)
    });
    if !allowed {
        return Err(outside());
    }
    let meta = std::fs::metadata(&canonical)
        .map_err(|e| ca_invalid(format!("the CA file `{value}` cannot be read: {e}")))?;
    if !meta.is_file() {
        return Err(ca_invalid(format!("`{value}` is not a file")));
    }
    if meta.len() > MAX_CA_FILE {
        return Err(ca_invalid(format!(
            "the CA file `{value}` is larger than 1 MiB"
        )));
    }
    let bytes = std::fs::read(&canonical)
        .map_err(|e| ca_invalid(format!("the CA file `{value}` cannot be read: {e}")))?;
    let pem = String::from_utf8(bytes)
        .map_err(|_| ca_invalid(format!("the CA file `{value}` is not PEM text")))?;
    let mut store = RootCertStore::empty();
    for cert in certificates(pem.as_bytes(), value)? {
        store.add(cert).map_err(|e| {
            ca_invalid(format!(
                "the CA file `{value}` holds a certificate that cannot be a trust root: {e}"
            ))
        })?;
    }
    Ok(CaBundle {
        name: value.to_string(),
        pem,
    })
}

fn lexically_inside(path: &Path, root: &Path) -> bool {
    path.starts_with(root)
        && !path
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
}

/// `require` without a CA: the channel is encrypted and the handshake's signatures are
/// checked, but not who signed the certificate — libpq's `require`, MySQL's `REQUIRED`.
#[derive(Debug)]
struct EncryptOnly(Arc<CryptoProvider>);

impl ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the whole chain is checked, only a name mismatch is let through.
#[derive(Debug)]
struct AnyHostName(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for AnyHostName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// tokio-postgres's TLS hook over tokio-rustls. Channel binding is not offered
/// (SCRAM-SHA-256 without `-PLUS`), as with most clients.
pub(crate) mod postgres {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::Arc;
    use std::task::{Context, Poll};

    use rustls::ClientConfig;
    use rustls::pki_types::ServerName;
    use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
    use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect};
    use tokio_rustls::TlsConnector;

    #[derive(Clone)]
    pub(crate) struct MakeRustls(pub(crate) Arc<ClientConfig>);

    pub(crate) struct Connect {
        connector: TlsConnector,
        name: Result<ServerName<'static>, String>,
    }

    pub(crate) struct Stream<S>(tokio_rustls::client::TlsStream<S>);

    impl<S> MakeTlsConnect<S> for MakeRustls
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        type Stream = Stream<S>;
        type TlsConnect = Connect;
        type Error = std::io::Error;

        fn make_tls_connect(&mut self, domain: &str) -> std::io::Result<Connect> {
            let name = ServerName::try_from(domain.to_string())
                .map_err(|_| format!("`{domain}` is not a valid host name for TLS"));
            Ok(Connect {
                connector: TlsConnector::from(self.0.clone()),
                name,
            })
        }
    }

    impl<S> TlsConnect<S> for Connect
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        type Stream = Stream<S>;
        type Error = std::io::Error;
        type Future = Pin<Box<dyn Future<Output = std::io::Result<Stream<S>>> + Send>>;

        fn connect(self, stream: S) -> Self::Future {
            Box::pin(async move {
                let name = self
                    .name
                    .map_err(|m| std::io::Error::new(std::io::ErrorKind::InvalidInput, m))?;
                self.connector.connect(name, stream).await.map(Stream)
            })
        }
    }

    impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for Stream<S> {
        fn poll_read(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<std::io::Result<()>> {
            Pin::new(&mut self.0).poll_read(cx, buf)
        }
    }

    impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for Stream<S> {
        fn poll_write(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<std::io::Result<usize>> {
            Pin::new(&mut self.0).poll_write(cx, buf)
        }

        fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Pin::new(&mut self.0).poll_flush(cx)
        }

        fn poll_shutdown(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<std::io::Result<()>> {
            Pin::new(&mut self.0).poll_shutdown(cx)
        }
    }

    impl<S: AsyncRead + AsyncWrite + Unpin> tokio_postgres::tls::TlsStream for Stream<S> {
        fn channel_binding(&self) -> ChannelBinding {
            ChannelBinding::none()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_stored_before_tls_read_as_disable() {
        let tls: SourceTls = serde_json::from_str("{}").expect("old params");
        assert_eq!(tls, SourceTls::default());
        assert!(!tls.enabled());
    }

    #[test]
    fn ca_files_outside_the_allowed_directory_are_never_read() {
        let dir = std::env::temp_dir().join(format!("proost-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let roots = vec![dir.clone()];
        for hostile in ["/etc/passwd", "../../etc/passwd", "/proc/self/environ"] {
            let e = load_ca(hostile, &roots).expect_err(hostile);
            assert_eq!(e.code(), "connection_option_not_allowed", "{hostile}");
        }
        std::fs::write(dir.join("not-a-cert.pem"), "hello").expect("write");
        let e = load_ca("not-a-cert.pem", &roots).expect_err("not pem");
        assert_eq!(e.code(), "connection_ca_invalid");
        let e = load_ca("missing.pem", &roots).expect_err("missing");
        assert_eq!(e.code(), "connection_ca_invalid");
        let e = load_ca("x.pem", &[]).expect_err("no roots");
        assert_eq!(e.code(), "connection_option_not_allowed");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
