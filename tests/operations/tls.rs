//! Served TLS: a self-signed certificate a client pins by the fingerprint Proost prints, HSTS
//! and secure cookies, certificate files re-read on SIGHUP without dropping a connection.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use crate::common::{ADMIN_EMAIL, ADMIN_PASSWORD, temp_dir};

fn fingerprint(der: &[u8]) -> String {
    let hex: Vec<String> = Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    hex.join(":")
}

fn file_fingerprint(pem: &Path) -> String {
    let der = CertificateDer::from_pem_file(pem).expect("a PEM certificate");
    fingerprint(der.as_ref())
}

/// Trusts exactly one certificate, named by its SHA-256 fingerprint (signatures still checked).
#[derive(Debug)]
struct Pinned {
    fingerprint: String,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if fingerprint(end_entity.as_ref()) == self.fingerprint {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General("not the pinned certificate".into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// One keep-alive HTTPS connection speaking plain HTTP/1.1 requests.
struct Conn(TlsStream<TcpStream>);

impl Conn {
    async fn open(addr: &str, pinned: &str) -> Result<Conn, std::io::Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = Pinned {
            fingerprint: pinned.to_owned(),
            provider: provider.clone(),
        };
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        let tcp = TcpStream::connect(addr).await?;
        let name = ServerName::try_from("localhost").expect("server name");
        let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await?;
        Ok(Conn(tls))
    }

    /// (status, lower-cased headers, body)
    async fn send(&mut self, method: &str, path: &str, body: Option<Value>) -> Response {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n",
            body.len()
        );
        self.0
            .write_all(format!("{head}{body}").as_bytes())
            .await
            .expect("write request");
        let mut buf = Vec::new();
        let mut chunk = [0u8; 8192];
        let end = loop {
            if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            let n = self.0.read(&mut chunk).await.expect("read response");
            assert!(n > 0, "connection closed before the response");
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..end]).to_string();
        let mut lines = head.lines();
        let status: u16 = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .expect("status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let length: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or_else(|| panic!("no content-length in {head}"));
        while buf.len() < end + length {
            let n = self.0.read(&mut chunk).await.expect("read body");
            assert!(n > 0, "connection closed inside the body");
            buf.extend_from_slice(&chunk[..n]);
        }
        Response {
            status,
            headers,
            body: serde_json::from_slice(&buf[end..end + length]).unwrap_or(Value::Null),
        }
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `proost serve` over TLS: the child, its address (host:port), printed fingerprint and
/// setup token.
struct Tls {
    child: Child,
    addr: String,
    fingerprint: String,
    token: String,
}

impl Tls {
    fn start(data: &Path, extra: &[&str]) -> Tls {
        let first_start = !data.join("proost.db").exists();
        let mut child = Command::new(env!("CARGO_BIN_EXE_proost"))
            .args(["serve", "--no-demo", "--listen", "127.0.0.1:0"])
            .args(extra)
            .arg("--data-dir")
            .arg(data)
            .env_remove("PROOST_MASTER_KEY")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn proost");
        let stdout = child.stdout.take().expect("stdout");
        let (mut addr, mut fingerprint, mut token) = (String::new(), String::new(), String::new());
        for line in BufReader::new(stdout).lines().take(10) {
            let line = line.expect("line");
            if let Some(rest) = line.split("listening on https://").nth(1) {
                addr = rest.trim().to_owned();
            }
            if let Some(rest) = line.split("fingerprint ").nth(1) {
                fingerprint = rest.trim_end_matches(')').trim().to_owned();
            }
            if let Some(rest) = line.split("token=").nth(1) {
                token = rest.split_whitespace().next().unwrap_or("").to_owned();
            }
            // A setup link follows only on a first start.
            if !addr.is_empty() && !fingerprint.is_empty() && (!first_start || !token.is_empty()) {
                break;
            }
        }
        assert!(
            !addr.is_empty() && !fingerprint.is_empty(),
            "no https address or fingerprint printed"
        );
        Tls {
            child,
            addr,
            fingerprint,
            token,
        }
    }

    fn signal(&self, name: &str) {
        let ok = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill")
            .success();
        assert!(ok, "SIG{name} not sent");
    }

    fn stop(&mut self) {
        self.signal("TERM");
        let started = Instant::now();
        while self.child.try_wait().expect("wait").is_none() {
            assert!(started.elapsed() < Duration::from_secs(30), "did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tls {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn a_self_signed_certificate_is_served_pinned_by_its_fingerprint_with_hsts_and_secure_cookies()
 {
    let dir = temp_dir("tls-self-signed");
    let data = dir.join("data");
    let mut served = Tls::start(&data, &["--tls-self-signed"]);
    let kept = data.join("tls/self-signed.pem");
    assert_eq!(
        served.fingerprint,
        file_fingerprint(&kept),
        "the fingerprint printed is the certificate's"
    );
    let key_mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(data.join("tls/self-signed.key"))
            .expect("key file")
            .permissions(),
    );
    assert_eq!(
        key_mode & 0o077,
        0,
        "the private key is for Proost's user only"
    );

    let mut conn = Conn::open(&served.addr, &served.fingerprint)
        .await
        .expect("a client pinning the fingerprint connects");
    let health = conn.send("GET", "/api/v1/health", None).await;
    assert_eq!(health.status, 200);
    assert_eq!(
        health.header("strict-transport-security"),
        Some("max-age=31536000")
    );
    let setup = conn
        .send(
            "POST",
            "/api/v1/setup",
            Some(json!({"token": served.token, "email": ADMIN_EMAIL, "name": "Ada", "password": ADMIN_PASSWORD})),
        )
        .await;
    assert_eq!(setup.status, 201, "{}", setup.body);
    let login = conn
        .send(
            "POST",
            "/api/v1/session",
            Some(json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})),
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.body);
    let cookie = login.header("set-cookie").expect("a session cookie");
    assert!(
        cookie.contains("; Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );

    let wrong = "00:".repeat(31) + "00";
    assert!(
        Conn::open(&served.addr, &wrong).await.is_err(),
        "a client pinning another certificate refuses the connection"
    );
    // Plain HTTP on the TLS port gets no HTTP answer.
    let mut plain = TcpStream::connect(&served.addr).await.expect("tcp");
    plain
        .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .expect("write");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), plain.read_to_end(&mut answer)).await;
    assert!(!answer.starts_with(b"HTTP/"), "plain HTTP was answered");

    // The certificate is kept: a restart serves the same one.
    let first = served.fingerprint.clone();
    served.stop();
    drop(served);
    let again = Tls::start(&data, &["--tls-self-signed"]);
    assert_eq!(again.fingerprint, first);
    let mut conn = Conn::open(&again.addr, &first).await.expect("connects");
    assert_eq!(conn.send("GET", "/api/v1/ready", None).await.status, 200);
    drop(again);
    let _ = std::fs::remove_dir_all(dir);
}

fn write_pair(dir: &Path, name: &str) -> (PathBuf, PathBuf, String) {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("cert");
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    // Replaced the way certificate tools do: new files renamed over the old.
    let (cert_tmp, key_tmp) = (
        dir.join(format!("{name}.pem")),
        dir.join(format!("{name}.key")),
    );
    std::fs::write(&cert_tmp, made.cert.pem()).expect("write cert");
    std::fs::write(&key_tmp, made.signing_key.serialize_pem()).expect("write key");
    std::fs::rename(&key_tmp, &key).expect("rename key");
    std::fs::rename(&cert_tmp, &cert).expect("rename cert");
    (cert, key, fingerprint(made.cert.der().as_ref()))
}

#[tokio::test]
async fn certificate_files_are_reread_on_sighup_without_dropping_a_connection() {
    let dir = temp_dir("tls-reload");
    std::fs::create_dir_all(&dir).expect("dir");
    let (cert, key, first) = write_pair(&dir, "first");
    let (cert_arg, key_arg) = (cert.to_string_lossy(), key.to_string_lossy());
    let served = Tls::start(
        &dir.join("data"),
        &["--tls-cert", &cert_arg, "--tls-key", &key_arg],
    );
    assert_eq!(served.fingerprint, first);
    let mut open = Conn::open(&served.addr, &first).await.expect("connects");
    assert_eq!(open.send("GET", "/api/v1/health", None).await.status, 200);

    let (_, _, second) = write_pair(&dir, "second");
    served.signal("HUP");
    let started = Instant::now();
    let mut fresh = loop {
        if let Ok(conn) = Conn::open(&served.addr, &second).await {
            break conn;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the new certificate was never served"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(fresh.send("GET", "/api/v1/health", None).await.status, 200);
    assert_eq!(
        open.send("GET", "/api/v1/health", None).await.status,
        200,
        "the connection opened before the reload still serves"
    );

    // A broken file on reload keeps the certificate served.
    std::fs::write(&cert, "not a certificate").expect("write");
    served.signal("HUP");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut still = Conn::open(&served.addr, &second)
        .await
        .expect("the last good certificate is still served");
    assert_eq!(still.send("GET", "/api/v1/health", None).await.status, 200);
    drop(served);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_certificate_that_does_not_load_stops_the_start_naming_the_file() {
    let dir = temp_dir("tls-bad");
    std::fs::create_dir_all(&dir).expect("dir");
    let (_, key, _) = write_pair(&dir, "one");
    let other = dir.join("other");
    std::fs::create_dir_all(&other).expect("dir");
    let (cert, _, _) = write_pair(&other, "two");
    let out = Command::new(env!("CARGO_BIN_EXE_proost"))
        .args([
            "serve",
            "--no-demo",
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
        ])
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .env_remove("PROOST_MASTER_KEY")
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("key.pem") && err.contains("does not fit the certificate"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
