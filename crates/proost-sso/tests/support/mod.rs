//! Real identity servers for the tests: oidc-provider on Node.js and OpenLDAP's slapd.
//!
//! Each test process (nextest runs one per test) starts its own servers on free ports, once,
//! in a temp dir. A watchdog shell kills them when the test process exits, since statics are
//! never dropped.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

pub const CLIENT_ID: &str = "proost";
pub const OTHER_CLIENT_ID: &str = "other-app";
pub const CLIENT_SECRET: &str = "proost-test-secret";
pub const REDIRECT_URI: &str = "http://127.0.0.1:1/auth/oidc/callback";

pub struct OidcProvider {
    pub issuer: String,
    /// Held so the process is owned for the life of the test; the watchdog ends it.
    _process: Child,
}

pub struct LdapServer {
    pub url: String,
}

/// `scripts/sso` of the workspace; this file is shared by proost-sso's tests and the
/// server's (tests/sso.rs), whose manifest dirs differ.
fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("scripts/sso"))
        .find(|dir| dir.is_dir())
        .expect("scripts/sso above the crate")
}

fn temp_dir(kind: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "proost-sso-{kind}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    ));
    std::fs::create_dir_all(&dir).expect("create a temp dir");
    dir
}

/// Kills `pid` and removes `dir` once this test process is gone. The watchdog loop runs in
/// the background of a shell that exits at once, so it is reaped here and outlives this
/// process.
fn kill_when_test_exits(pid: u32, dir: &Path) {
    let status = Command::new("bash")
        .args([
            "-c",
            r#"(while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 0.5; done
                kill "$2" 2>/dev/null
                for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$2" 2>/dev/null || break; sleep 0.2; done
                rm -rf "$3") &"#,
            "watchdog",
            &std::process::id().to_string(),
            &pid.to_string(),
        ])
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("start the watchdog");
    assert!(status.success(), "the watchdog did not start");
}

/// The provider as most are set up for the code flow: the ID token carries `sub`, the other
/// claims come from userinfo.
pub fn oidc_provider() -> &'static OidcProvider {
    static PROVIDER: OnceLock<OidcProvider> = OnceLock::new();
    PROVIDER.get_or_init(|| start_oidc_provider(false))
}

/// A provider that puts email, name and groups in the ID token itself.
pub fn oidc_provider_with_claims_in_id_token() -> &'static OidcProvider {
    static PROVIDER: OnceLock<OidcProvider> = OnceLock::new();
    PROVIDER.get_or_init(|| start_oidc_provider(true))
}

/// A provider of its own whose client `proost` may redirect to `redirect_uri` only (the
/// server tests' callback).
pub fn oidc_provider_for(redirect_uri: &str) -> OidcProvider {
    start_oidc_provider_with(false, redirect_uri)
}

fn start_oidc_provider(claims_in_id_token: bool) -> OidcProvider {
    start_oidc_provider_with(claims_in_id_token, REDIRECT_URI)
}

fn start_oidc_provider_with(claims_in_id_token: bool, redirect_uri: &str) -> OidcProvider {
    let dir = scripts().join("oidc");
    if !dir.join("node_modules").is_dir() {
        // flock: parallel test processes must not run `npm ci` over each other.
        let status = Command::new("flock")
            .arg(dir.join(".npm-ci.lock"))
            .args([
                "sh",
                "-c",
                "[ -d node_modules ] || npm ci --no-audit --no-fund",
            ])
            .current_dir(&dir)
            .status()
            .expect("run npm ci (is Node.js installed?)");
        assert!(status.success(), "npm ci in {} failed", dir.display());
    }
    let run_dir = temp_dir("oidc");
    let log = run_dir.join("provider.log");
    let mut child = Command::new("node")
        .arg("server.mjs")
        .arg("0")
        .current_dir(&dir)
        .env("OIDC_CLIENT_ID", CLIENT_ID)
        .env("OIDC_OTHER_CLIENT_ID", OTHER_CLIENT_ID)
        .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
        .env("OIDC_REDIRECT_URI", redirect_uri)
        .env(
            "OIDC_CLAIMS_IN_ID_TOKEN",
            if claims_in_id_token { "1" } else { "0" },
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).expect("create the provider log"))
        .spawn()
        .expect("start node scripts/sso/oidc/server.mjs");
    kill_when_test_exits(child.id(), &run_dir);
    let stdout = child.stdout.take().expect("provider stdout");
    // Read the first line on a thread of its own so a provider that never answers fails the
    // test after a minute with its log, instead of hanging it until nextest kills it.
    let (first_line, line_read) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut stdout = BufReader::new(stdout);
        let mut line = String::new();
        let _ = stdout.read_line(&mut line);
        let _ = first_line.send(line);
        // Keep draining: the provider logs notices to stdout, and Node dies on a closed pipe.
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
    });
    let line = line_read
        .recv_timeout(std::time::Duration::from_secs(60))
        .unwrap_or_else(|_| {
            let errors = std::fs::read_to_string(&log).unwrap_or_default();
            panic!("the OpenID provider printed nothing within 60 s\n{errors}")
        });
    let issuer = line
        .trim()
        .strip_prefix("listening ")
        .unwrap_or_else(|| {
            let errors = std::fs::read_to_string(&log).unwrap_or_default();
            panic!("the OpenID provider did not start: {line:?}\n{errors}")
        })
        .to_owned();
    OidcProvider {
        issuer,
        _process: child,
    }
}

pub fn ldap_server() -> &'static LdapServer {
    static SERVER: OnceLock<LdapServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        // Another process may take the port between probing and slapd binding it: retry.
        let mut last_error = String::new();
        for _ in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("find a free port")
                .port();
            let run_dir = temp_dir("ldap");
            let output = Command::new(scripts().join("slapd-start"))
                .arg(&run_dir)
                .arg(port.to_string())
                .stdin(Stdio::null())
                .output()
                .expect("run scripts/sso/slapd-start (bash)");
            if output.status.success() {
                let pid: u32 = String::from_utf8_lossy(&output.stdout)
                    .trim()
                    .parse()
                    .expect("slapd-start prints the pid");
                kill_when_test_exits(pid, &run_dir);
                return LdapServer {
                    url: format!("ldap://127.0.0.1:{port}"),
                };
            }
            last_error = String::from_utf8_lossy(&output.stderr).into_owned();
            let _ = std::fs::remove_dir_all(&run_dir);
        }
        panic!("slapd did not start: {last_error}");
    })
}

/// What the provider's redirect back to Proost carried.
pub struct Callback {
    pub state: String,
    pub code: String,
}

/// Plays the browser: follows `auth_url`, submits the login form and the consent form, and
/// returns the redirect to [`REDIRECT_URI`] (which is never fetched).
pub async fn sign_in_at_provider(auth_url: &url::Url, login: &str, password: &str) -> Callback {
    sign_in_at_provider_to(auth_url, REDIRECT_URI, login, password).await
}

/// Like [`sign_in_at_provider`], stopping at the redirect to `redirect_uri`.
pub async fn sign_in_at_provider_to(
    auth_url: &url::Url,
    redirect_uri: &str,
    login: &str,
    password: &str,
) -> Callback {
    let redirect = redirect_uri.to_owned();
    // Bounded like the product's own client: a stuck exchange fails the test with a message.
    let browser = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.url().as_str().starts_with(&redirect) {
                attempt.stop()
            } else {
                attempt.follow()
            }
        }))
        .build()
        .expect("build the browser client");

    let mut page = browser
        .get(auth_url.clone())
        .send()
        .await
        .expect("open the auth URL");
    let mut submitted = 0;
    loop {
        if page.status().is_redirection() {
            let location = page
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .expect("a redirect has a Location");
            let back = url::Url::parse(location).expect("the callback URL parses");
            let param = |name: &str| {
                back.query_pairs()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            };
            return Callback {
                state: param("state"),
                code: param("code"),
            };
        }
        let base = page.url().clone();
        let html = page.text().await.expect("read the page");
        assert!(submitted < 4, "the provider kept showing forms:\n{html}");
        assert!(
            !html.contains("Invalid login"),
            "the provider refused the login:\n{html}"
        );
        let action = html
            .split("action=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("no form on the page:\n{html}"));
        let target = base.join(action).expect("the form action resolves");
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        if html.contains("name=\"password\"") {
            form.append_pair("login", login)
                .append_pair("password", password);
        }
        page = browser
            .post(target)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.finish())
            .send()
            .await
            .expect("submit the form");
        submitted += 1;
    }
}
