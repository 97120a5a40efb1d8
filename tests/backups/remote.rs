//! `--backup-to s3://bucket/prefix`: every backup is copied to an S3 bucket (a real S3 server
//! here: moto, installed by scripts/test), retention and shreds are mirrored there, and
//! verify and restore take a backup by its s3:// URL.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::{ok, ps};
use crate::common::{ADMIN_EMAIL, ADMIN_PASSWORD, TestServer, temp_dir};

const BUCKET: &str = "proost-backups";

/// One S3 server per test, on its own port.
struct S3 {
    child: Child,
    endpoint: String,
}

impl S3 {
    async fn start() -> S3 {
        let server = std::env::var("PROOST_MOTO_SERVER")
            .unwrap_or_else(|_| "/var/tmp/proost-tools/moto/bin/moto_server".into());
        assert!(
            Path::new(&server).exists(),
            "no S3 server at {server}: scripts/test installs it (moto), or set PROOST_MOTO_SERVER"
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let s3 = S3 {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        loop {
            let made = reqwest::Client::new()
                .put(format!("{}/{BUCKET}", s3.endpoint))
                .send()
                .await;
            if made.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the S3 server did not start"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        s3
    }

    /// The keys under the bucket.
    async fn keys(&self) -> Vec<String> {
        let text = reqwest::Client::new()
            .get(format!("{}/{BUCKET}?list-type=2", self.endpoint))
            .send()
            .await
            .expect("list")
            .text()
            .await
            .expect("list body");
        text.split("<Key>")
            .skip(1)
            .filter_map(|s| s.split("</Key>").next())
            .map(str::to_owned)
            .collect()
    }

    fn proost(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_proost"))
            .args(args)
            .env_remove("PROOST_MASTER_KEY")
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_ALLOW_HTTP", "true")
            .env("AWS_ACCESS_KEY_ID", "proost-test")
            .env("AWS_SECRET_ACCESS_KEY", "proost-test-secret")
            .env("AWS_REGION", "us-east-1")
            .output()
            .expect("run proost")
    }
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn backups_in(keys: &[String], prefix: &str) -> Vec<String> {
    keys.iter()
        .filter(|k| k.starts_with(prefix) && k.ends_with(".age"))
        .cloned()
        .collect()
}

async fn instance() -> PathBuf {
    let s = TestServer::with_admin(true).await;
    s.user("vera@example.com", "viewer", serde_json::json!({}))
        .await;
    s.stop().await
}

#[tokio::test]
async fn backups_are_copied_to_s3_and_restore_from_there_after_the_data_dir_is_lost() {
    let s3 = S3::start().await;
    let dir = instance().await;
    let to = format!("s3://{BUCKET}/site-a");
    let out = s3.proost(&["backup", "now", "--data-dir", ps(&dir), "--backup-to", &to]);
    ok(&out);
    let keys = s3.keys().await;
    let copied = backups_in(&keys, "site-a/");
    assert_eq!(copied.len(), 1, "{keys:?}");
    assert!(
        keys.contains(&"site-a/manifest.json".to_owned()),
        "{keys:?}"
    );
    // What the bucket holds is the age file: nothing of the instance in clear.
    let raw = reqwest::Client::new()
        .get(format!("{}/{BUCKET}/{}", s3.endpoint, copied[0]))
        .send()
        .await
        .expect("get object")
        .bytes()
        .await
        .expect("object bytes");
    assert!(raw.starts_with(b"age-encryption.org/v1"), "not an age file");
    for clear in [&b"vera@example.com"[..], b"SQLite format 3", b"sample_shop"] {
        assert!(
            !raw.windows(clear.len()).any(|w| w == clear),
            "the bucket holds {:?} in clear",
            String::from_utf8_lossy(clear)
        );
    }
    let listed = ok(&s3.proost(&["backup", "list", "--data-dir", ps(&dir), "--backup-to", &to]));
    assert!(listed.contains("holds 1 backups"), "{listed}");

    // The machine is lost; the key was kept apart, the backup is in the bucket.
    let safe = temp_dir("proost-s3-safe");
    std::fs::copy(dir.join("master.key"), safe.join("master.key")).expect("key");
    std::fs::remove_dir_all(&dir).expect("wipe");
    let url = format!("s3://{BUCKET}/{}", copied[0]);
    let key = safe.join("master.key");
    let out = s3.proost(&[
        "backup",
        "restore",
        "--data-dir",
        ps(&dir),
        "--master-key-file",
        ps(&key),
        &url,
    ]);
    assert!(ok(&out).contains("Restored"));
    let out = s3.proost(&["backup", "verify", "--data-dir", ps(&dir), &url]);
    assert!(ok(&out).contains("intact"), "{}", ok(&out));
    ok(&s3.proost(&["audit", "verify", "--data-dir", ps(&dir)]));
    let mut back = TestServer::start_in(&dir, true).await;
    back.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (_, users) = back.get("/api/v1/users").await;
    assert!(users.to_string().contains("vera@example.com"), "{users}");
    back.stop().await;

    // A name that is not there, and a URL that names no backup file.
    let missing = format!("s3://{BUCKET}/site-a/proost-20000101T000000Z-00000000.age");
    let out = s3.proost(&["backup", "verify", "--data-dir", ps(&dir), &missing]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("backup_not_found"));
    let _ = std::fs::remove_dir_all(safe);
}

#[tokio::test]
async fn retention_is_mirrored_in_the_bucket_and_a_failed_copy_keeps_the_local_backup() {
    let s3 = S3::start().await;
    let dir = instance().await;
    let to = format!("s3://{BUCKET}/pruned");
    for _ in 0..3 {
        ok(&s3.proost(&[
            "backup",
            "now",
            "--data-dir",
            ps(&dir),
            "--backup-to",
            &to,
            "--backup-keep",
            "last=1",
        ]));
    }
    let keys = s3.keys().await;
    let copied = backups_in(&keys, "pruned/");
    assert_eq!(copied.len(), 1, "{keys:?}");
    let local: Vec<String> = std::fs::read_dir(dir.join("backups"))
        .expect("dir")
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| n.ends_with(".age"))
        .collect();
    assert_eq!(local.len(), 1);
    assert_eq!(copied[0], format!("pruned/{}", local[0]));

    // The bucket is unreachable: the backup is still taken and checked here, and the error
    // says it was not copied.
    let out = Command::new(env!("CARGO_BIN_EXE_proost"))
        .args(["backup", "now", "--data-dir", ps(&dir), "--backup-to", &to])
        .env_remove("PROOST_MASTER_KEY")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_ALLOW_HTTP", "true")
        .env("AWS_ACCESS_KEY_ID", "x")
        .env("AWS_SECRET_ACCESS_KEY", "y")
        .env("AWS_REGION", "us-east-1")
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("backup_remote_failed") && err.contains("not copied"),
        "{err}"
    );
    // Plain http to the store only where AWS_ALLOW_HTTP allows it.
    let out = Command::new(env!("CARGO_BIN_EXE_proost"))
        .args(["backup", "now", "--data-dir", ps(&dir), "--backup-to", &to])
        .env_remove("PROOST_MASTER_KEY")
        .env_remove("AWS_ALLOW_HTTP")
        .env("AWS_ENDPOINT_URL", &s3.endpoint)
        .env("AWS_ACCESS_KEY_ID", "x")
        .env("AWS_SECRET_ACCESS_KEY", "y")
        .env("AWS_REGION", "us-east-1")
        .output()
        .expect("run");
    assert!(
        !out.status.success(),
        "plain http was used without AWS_ALLOW_HTTP"
    );
    for bad in ["s3://", "s3:///prefix", "ftp://host/x"] {
        let out = s3.proost(&["backup", "list", "--data-dir", ps(&dir), "--backup-to", bad]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains("backup_destination_invalid"),
            "{bad}: {err}"
        );
    }
}
