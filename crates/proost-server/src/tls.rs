//! Serving HTTPS: a certificate and key from PEM files, re-read on SIGHUP without dropping a
//! connection, or a self-signed certificate made on first start and kept in the data dir.
//! rustls on ring, the one provider of the whole tree.

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::serve::ListenerExt;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use sha2::{Digest, Sha256};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// A client that has not finished its handshake by then is dropped (it holds no worker).
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Browsers remember to use HTTPS for a year.
const HSTS: &str = "max-age=31536000";

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The certificate served, swapped whole on reload; handshakes under way keep the old one.
#[derive(Debug)]
pub struct Certificates {
    cert: PathBuf,
    key: PathBuf,
    current: RwLock<Arc<CertifiedKey>>,
}

impl Certificates {
    /// Reads and checks the pair (the key must match the certificate).
    pub fn load(cert: &Path, key: &Path) -> io::Result<Arc<Certificates>> {
        let current = read_pair(cert, key)?;
        Ok(Arc::new(Certificates {
            cert: cert.to_path_buf(),
            key: key.to_path_buf(),
            current: RwLock::new(Arc::new(current)),
        }))
    }

    /// Re-reads the files; on any error the certificate served stays as it was.
    pub fn reload(&self) -> io::Result<String> {
        let fresh = Arc::new(read_pair(&self.cert, &self.key)?);
        let shown = fingerprint_of(&fresh);
        match self.current.write() {
            Ok(mut current) => *current = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(shown)
    }

    /// SHA-256 of the served end-entity certificate, as `AB:CD:…` (what browsers show).
    pub fn fingerprint(&self) -> String {
        fingerprint_of(&self.served())
    }

    pub fn cert_path(&self) -> &Path {
        &self.cert
    }

    fn served(&self) -> Arc<CertifiedKey> {
        match self.current.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

impl ResolvesServerCert for Certificates {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.served())
    }
}

fn fingerprint_of(key: &CertifiedKey) -> String {
    let der = key.cert.first().map(|c| c.as_ref()).unwrap_or_default();
    fingerprint(der)
}

/// SHA-256 of a DER certificate as colon-separated upper-case hex.
pub fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn read_pair(cert: &Path, key: &Path) -> io::Result<CertifiedKey> {
    let bad = |path: &Path, what: &str| io::Error::other(format!("{}: {what}", path.display()));
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| bad(cert, &format!("cannot read the certificate ({e})")))?
        .collect::<Result<_, _>>()
        .map_err(|e| bad(cert, &format!("not a PEM certificate chain ({e})")))?;
    if chain.is_empty() {
        return Err(bad(cert, "holds no certificate"));
    }
    let private = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| bad(key, &format!("not a PEM private key ({e})")))?;
    CertifiedKey::from_der(chain, private, &provider())
        .map_err(|e| bad(key, &format!("does not fit the certificate ({e})")))
}

/// The certificate kept in `<dir>` (made on first start for `names`): (cert, key) paths.
/// The key is written 0600 under a temporary name and renamed, so a crash never leaves half a
/// pair that a later start would take.
pub fn self_signed(dir: &Path, names: &[String]) -> io::Result<(PathBuf, PathBuf)> {
    let (cert, key) = (dir.join("self-signed.pem"), dir.join("self-signed.key"));
    if cert.exists() && key.exists() {
        return Ok((cert, key));
    }
    std::fs::create_dir_all(dir)?;
    let made = rcgen::generate_simple_self_signed(names.to_vec())
        .map_err(|e| io::Error::other(format!("cannot make a certificate: {e}")))?;
    write_new(&key, made.signing_key.serialize_pem().as_bytes(), 0o600)?;
    write_new(&cert, made.cert.pem().as_bytes(), 0o644)?;
    Ok((cert, key))
}

fn write_new(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    use std::io::Write;
    let temp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(&temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temp, path)
}

/// Accepted connections whose handshake finished, so one slow client never holds up another.
struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(conn) => conn,
            // The accepting task only ends when this listener is dropped.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.local)
    }
}

fn tls_listener(tcp: TcpListener, certs: Arc<Certificates>) -> io::Result<TlsListener> {
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_no_client_auth()
        .with_cert_resolver(certs);
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let local = tcp.local_addr()?;
    let (tx, ready) = mpsc::channel(64);
    tokio::spawn(async move {
        loop {
            let (stream, peer) = tokio::select! {
                () = tx.closed() => break,
                accepted = tcp.accept() => match accepted {
                    Ok(conn) => conn,
                    Err(e) => {
                        // Out of file descriptors and the like: back off, keep serving.
                        tracing::warn!("accepting a connection failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
            };
            let (acceptor, tx) = (acceptor.clone(), tx.clone());
            tokio::spawn(async move {
                match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                    Ok(Ok(tls)) => {
                        let _ = tx.send((tls, peer)).await;
                    }
                    Ok(Err(e)) => tracing::debug!(%peer, "TLS handshake failed: {e}"),
                    Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                }
            });
        }
    });
    Ok(TlsListener { ready, local })
}

/// Serves HTTPS until `shutdown` resolves; every response tells browsers to stay on HTTPS.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    certs: Arc<Certificates>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let router = router.layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
        axum::http::header::STRICT_TRANSPORT_SECURITY,
        axum::http::HeaderValue::from_static(HSTS),
    ));
    // `tap_io` gives the listener the `SocketAddr` connect info handlers read.
    let listener = tls_listener(listener, certs)?.tap_io(|_| {});
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
