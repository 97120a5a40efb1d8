//! TLS to real sources: a private PostgreSQL and a private MariaDB, each started here with
//! a throwaway CA and a server certificate for `localhost` (rcgen). Every mode is tried
//! against them: what must succeed does, over TLS (the server says so), and what must not —
//! a wrong host name, an untrusted CA, a server without TLS — fails with
//! `source_tls_failed`, never in plaintext.
//!
//! Needs root (PostgreSQL runs as the `postgres` user, MariaDB as root) and the servers'
//! binaries, which `scripts/test` installs.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow::util::display::array_value_to_string;
use proost_connect::{BoundSql, ConnectionKind, ConnectionParams, Limits, Source, SourcePolicy};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};

fn unique(prefix: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("{prefix}-{}-{n}", std::process::id()))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A CA that signed the server's certificate, and another CA nobody trusts.
struct Pki {
    dir: PathBuf,
}

impl Pki {
    fn new() -> Self {
        let dir = unique("proost-tls-pki");
        std::fs::create_dir_all(&dir).expect("pki dir");
        let dir = dir.canonicalize().expect("canonical");
        let (ca_pem, issuer) = ca("Proost test CA");
        let (other_pem, _) = ca("Somebody else's CA");
        let key = KeyPair::generate().expect("server key");
        let mut params = CertificateParams::new(vec!["localhost".to_string()]).expect("params");
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        let cert = params.signed_by(&key, &issuer).expect("server cert");
        std::fs::write(dir.join("ca.pem"), ca_pem).expect("write");
        std::fs::write(dir.join("other-ca.pem"), other_pem).expect("write");
        std::fs::write(dir.join("server.crt"), cert.pem()).expect("write");
        std::fs::write(dir.join("server.key"), key.serialize_pem()).expect("write");
        set_mode(&dir.join("server.key"), 0o600);
        Pki { dir }
    }

    fn policy(&self) -> SourcePolicy {
        SourcePolicy {
            ca_roots: vec![self.dir.clone()],
            ..SourcePolicy::default()
        }
    }
}

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn ca(name: &str) -> (String, Issuer<'static, KeyPair>) {
    let key = KeyPair::generate().expect("ca key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let cert = params.self_signed(&key).expect("ca cert");
    (cert.pem(), Issuer::new(params, key))
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn source(kind: ConnectionKind, url: &str, pki: &Pki) -> Arc<dyn Source> {
    let params = ConnectionParams::parse(kind, url, &pki.policy()).expect(url);
    proost_connect::open(&params)
}

async fn first_value(source: &dyn Source, sql: &str) -> proost_connect::Result<String> {
    let out = source
        .query(
            &BoundSql::text(sql),
            None,
            &Limits::new(Duration::from_secs(20), 10),
        )
        .await?;
    let batch = out.batches.first().expect("a batch");
    Ok(array_value_to_string(batch.column(0), 0).expect("a value"))
}

async fn tls_fails(source: &dyn Source, sql: &str, why: &str) -> String {
    match first_value(source, sql).await {
        Ok(v) => panic!("{why}: connected and read {v}"),
        Err(e) => {
            assert_eq!(e.code(), "source_tls_failed", "{why}: {e}");
            e.to_string()
        }
    }
}

// ------------------------------------------------------------------ PostgreSQL ----

struct PrivatePostgres {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
}

impl PrivatePostgres {
    fn start(pki: &Pki) -> Self {
        let bin = glob_newest("/usr/lib/postgresql", "bin/initdb")
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .expect(
                "PostgreSQL server binaries under /usr/lib/postgresql (scripts/test installs them)",
            );
        let dir = unique("proost-tls-pg");
        std::fs::create_dir_all(&dir).expect("pg dir");
        // PostgreSQL refuses to run as root: the server and its key belong to `postgres`.
        let as_postgres = is_root();
        for f in ["server.crt", "server.key"] {
            std::fs::copy(pki.dir.join(f), dir.join(f)).expect("copy cert");
        }
        set_mode(&dir.join("server.key"), 0o600);
        if as_postgres {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir));
        }
        let cmd = |program: &str| {
            let mut c = if as_postgres {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(bin.join(program));
                c
            } else {
                Command::new(bin.join(program))
            };
            c.env_remove("PGDATA");
            c
        };
        let data = dir.join("data");
        run(cmd("initdb")
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"])
            .arg(&data));
        // TLS in postgresql.conf, not on the command line, so ALTER SYSTEM can turn it off.
        let conf = format!(
            "\nssl = on\nssl_cert_file = '{dir}/server.crt'\nssl_key_file = '{dir}/server.key'\n",
            dir = dir.display()
        );
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"))
            .expect("postgresql.conf");
        std::io::Write::write_all(&mut file, conf.as_bytes()).expect("write postgresql.conf");
        let port = free_port();
        let opts = format!(
            "-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off",
            dir = dir.display()
        );
        run(cmd("pg_ctl")
            .args(["-w", "-t", "60", "-l"])
            .arg(dir.join("log"))
            .arg("-D")
            .arg(&data)
            .args(["-o", &opts, "start"]));
        PrivatePostgres { dir, bin, port }
    }

    fn url(&self, host: &str, query: &str) -> String {
        format!("postgres://postgres@{host}:{}/postgres?{query}", self.port)
    }

    fn stop(&self) {
        let mut c = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"])
                .arg(self.bin.join("pg_ctl"));
            c
        } else {
            Command::new(self.bin.join("pg_ctl"))
        };
        let _ = c
            .args(["-m", "immediate", "-D"])
            .arg(self.dir.join("data"))
            .arg("stop")
            .output();
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn glob_newest(root: &str, tail: &str) -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir(root)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let path = e.path().join(tail);
            path.exists().then_some((version, path))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, p)| p)
}

const PG_SSL: &str = "SELECT CASE WHEN ssl THEN 'tls' ELSE 'plain' END FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

#[tokio::test(flavor = "multi_thread")]
async fn postgres_tls_modes_verify_what_they_promise_and_never_fall_back() {
    let pki = Pki::new();
    let pg = PrivatePostgres::start(&pki);
    let ca = format!("sslrootcert={}", pki.dir.join("ca.pem").display());
    let pg_source = |host: &str, q: &str| source(ConnectionKind::Postgres, &pg.url(host, q), &pki);

    // verify-full: the CA and the host name match.
    let s = pg_source("localhost", &format!("sslmode=verify-full&{ca}"));
    assert_eq!(first_value(&*s, PG_SSL).await.expect("verify-full"), "tls");
    // A relative name is taken inside the CA directory.
    let s = pg_source("localhost", "sslmode=verify-full&sslrootcert=ca.pem");
    assert_eq!(first_value(&*s, PG_SSL).await.expect("relative CA"), "tls");

    // The certificate is for `localhost`, not for 127.0.0.1.
    let s = pg_source("127.0.0.1", &format!("sslmode=verify-full&{ca}"));
    let e = tls_fails(&*s, PG_SSL, "wrong host name").await;
    assert!(e.contains("not valid for name"), "{e}");
    // verify-ca checks the chain only.
    let s = pg_source("127.0.0.1", &format!("sslmode=verify-ca&{ca}"));
    assert_eq!(first_value(&*s, PG_SSL).await.expect("verify-ca"), "tls");

    // A CA that did not sign the server's certificate, and the system's roots.
    let other = format!("sslrootcert={}", pki.dir.join("other-ca.pem").display());
    for q in [
        format!("sslmode=verify-full&{other}"),
        format!("sslmode=verify-ca&{other}"),
        format!("sslmode=require&{other}"),
        "sslmode=verify-full".to_string(),
    ] {
        let s = pg_source("localhost", &q);
        let e = tls_fails(&*s, PG_SSL, &q).await;
        assert!(
            e.contains("UnknownIssuer") || e.contains("issuer"),
            "{q}: {e}"
        );
    }

    // require: encrypted, whoever answers.
    let s = pg_source("127.0.0.1", "sslmode=require");
    assert_eq!(first_value(&*s, PG_SSL).await.expect("require"), "tls");
    // Cancelling a statement over a TLS session works (the cancel request goes over TLS).
    let slow = s
        .query(
            &BoundSql::text(
                "SELECT count(*) FROM generate_series(1::bigint, 100000000000::bigint)",
            ),
            None,
            &Limits::new(Duration::from_millis(500), 10),
        )
        .await;
    assert_eq!(slow.expect_err("timed out").code(), "query_timeout");

    // The server stops offering TLS: `require` refuses rather than read in plaintext.
    let admin = pg_source("127.0.0.1", "sslmode=disable");
    assert_eq!(
        first_value(&*admin, PG_SSL).await.expect("disable"),
        "plain"
    );
    let mut c = Command::new("psql");
    c.args(["-X", "-q", "-h", "127.0.0.1", "-p", &pg.port.to_string()])
        .args(["-U", "postgres", "-d", "postgres", "-c"])
        .arg("ALTER SYSTEM SET ssl = off")
        .args(["-c", "SELECT pg_reload_conf()"]);
    run(&mut c);
    tokio::time::sleep(Duration::from_millis(500)).await;
    for q in ["sslmode=require", "sslmode=verify-full&sslrootcert=ca.pem"] {
        let s = pg_source("localhost", q);
        let e = tls_fails(&*s, PG_SSL, q).await;
        assert!(e.contains("does not support TLS"), "{q}: {e}");
    }
    assert_eq!(
        first_value(&*admin, PG_SSL).await.expect("disable"),
        "plain"
    );
}

// --------------------------------------------------------------------- MariaDB ----

struct PrivateMariaDb {
    dir: PathBuf,
    port: u16,
    child: std::process::Child,
}

impl PrivateMariaDb {
    fn start(pki: &Pki) -> Self {
        let dir = unique("proost-tls-my");
        std::fs::create_dir_all(&dir).expect("mariadb dir");
        let data = dir.join("data");
        let user = if is_root() { "root" } else { "" };
        let mut install = Command::new("mariadb-install-db");
        install
            .arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .args(["--auth-root-authentication-method=normal", "--skip-test-db"]);
        if !user.is_empty() {
            install.arg(format!("--user={user}"));
        }
        run(&mut install);
        let port = free_port();
        let socket = dir.join("sock");
        let mut server = Command::new("/usr/sbin/mariadbd");
        server
            .arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--socket={}", socket.display()))
            .arg(format!("--port={port}"))
            .args(["--bind-address=127.0.0.1", "--skip-name-resolve"])
            .arg(format!(
                "--ssl-cert={}",
                pki.dir.join("server.crt").display()
            ))
            .arg(format!(
                "--ssl-key={}",
                pki.dir.join("server.key").display()
            ))
            .arg(format!("--ssl-ca={}", pki.dir.join("ca.pem").display()))
            .arg(format!("--log-error={}", dir.join("log").display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        if !user.is_empty() {
            server.arg(format!("--user={user}"));
        }
        let child = server.spawn().expect("start mariadbd");
        let me = PrivateMariaDb { dir, port, child };
        let started = Instant::now();
        loop {
            let out = Command::new("mariadb")
                .arg("--no-defaults")
                .arg(format!("--socket={}", socket.display()))
                .args(["-uroot", "-e"])
                .arg(
                    "CREATE USER IF NOT EXISTS 'proost'@'%' IDENTIFIED BY 'tls-pw'; \
                     GRANT SELECT ON *.* TO 'proost'@'%'",
                )
                .output()
                .expect("mariadb client");
            if out.status.success() {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "mariadbd did not start: {}",
                std::fs::read_to_string(me.dir.join("log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(250));
        }
        me
    }

    fn url(&self, host: &str, query: &str) -> String {
        format!("mysql://proost:tls-pw@{host}:{}/mysql?{query}", self.port)
    }
}

impl Drop for PrivateMariaDb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const MY_SSL: &str = "SELECT CASE WHEN VARIABLE_VALUE <> '' THEN 'tls' ELSE 'plain' END \
     FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_CIPHER'";

#[tokio::test(flavor = "multi_thread")]
async fn mariadb_tls_modes_verify_what_they_promise_and_never_fall_back() {
    let pki = Pki::new();
    let my = PrivateMariaDb::start(&pki);
    let my_source = |host: &str, q: &str| source(ConnectionKind::Mysql, &my.url(host, q), &pki);

    let s = my_source("localhost", "ssl-mode=VERIFY_IDENTITY&ssl-ca=ca.pem");
    assert_eq!(
        first_value(&*s, MY_SSL).await.expect("VERIFY_IDENTITY"),
        "tls"
    );

    let s = my_source("127.0.0.1", "ssl-mode=VERIFY_IDENTITY&ssl-ca=ca.pem");
    tls_fails(&*s, MY_SSL, "wrong host name").await;
    for q in [
        "ssl-mode=VERIFY_IDENTITY&ssl-ca=other-ca.pem",
        "ssl-mode=VERIFY_IDENTITY",
    ] {
        let s = my_source("localhost", q);
        tls_fails(&*s, MY_SSL, q).await;
    }

    let s = my_source("127.0.0.1", "ssl-mode=REQUIRED");
    assert_eq!(first_value(&*s, MY_SSL).await.expect("REQUIRED"), "tls");
    let s = my_source("127.0.0.1", "ssl-mode=DISABLED");
    assert_eq!(first_value(&*s, MY_SSL).await.expect("DISABLED"), "plain");
}

/// The machine's own MariaDB runs without TLS: REQUIRED must refuse it.
#[tokio::test(flavor = "multi_thread")]
async fn required_tls_refuses_a_mariadb_without_tls() {
    let base =
        std::env::var("PROOST_TEST_MYSQL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".into());
    let pki = Pki::new();
    let s = source(
        ConnectionKind::Mysql,
        &format!("{base}/mysql?ssl-mode=REQUIRED"),
        &pki,
    );
    let plain = source(ConnectionKind::Mysql, &format!("{base}/mysql"), &pki);
    // Should the machine's server offer TLS after all, there is nothing to show here.
    if first_value(&*plain, MY_SSL).await.expect("plain read") == "tls" {
        return;
    }
    let e = tls_fails(&*s, MY_SSL, "server without TLS").await;
    assert!(e.contains("does not offer TLS"), "{e}");
}
