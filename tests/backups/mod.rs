//! Backups: taken consistent and encrypted, checked, pruned; restored whole into a new data
//! dir or not at all; never a way back for a shredded connection.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

use crate::common::{ADMIN_EMAIL, ADMIN_PASSWORD, TestServer, error_code, temp_dir};

mod remote;
mod replicas;

fn proost(args: &[&str]) -> Output {
    {
        Command::new(env!("CARGO_BIN_EXE_proost"))
            .args(args)
            .env_remove("PROOST_MASTER_KEY")
            .output()
            .expect("run proost")
    }
}

/// `proost backup restore --data-dir INTO --master-key-file KEY FILE`.
fn restore(into: &str, key: &str, file: &str) -> Output {
    proost(&[
        "backup",
        "restore",
        "--data-dir",
        into,
        "--master-key-file",
        key,
        file,
    ])
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn failed_with(out: &Output, code: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "expected {code}, it worked");
    assert!(stderr.contains(code), "expected {code}: {stderr}");
}

fn ps(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn index(data_dir: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(data_dir.join("backups/manifest.json")).unwrap_or_default();
    if text.is_empty() {
        return Vec::new();
    }
    let v: Value = serde_json::from_str(&text).expect("the index parses");
    v["backups"].as_array().cloned().unwrap_or_default()
}

fn newest_file(data_dir: &Path) -> PathBuf {
    let all = index(data_dir);
    let newest = all
        .iter()
        .max_by_key(|e| e["taken_at"].as_str().unwrap_or("").to_string())
        .expect("a backup");
    data_dir
        .join("backups")
        .join(newest["file"].as_str().expect("file"))
}

async fn table_counts(db: &Path) -> std::collections::BTreeMap<String, i64> {
    let store = proost_store::Store::open_snapshot(db).await.expect("open");
    let out = store.row_counts().await.expect("counts");
    store.close().await;
    out
}

#[tokio::test]
async fn a_backup_restores_after_a_wipe_with_everything_back_and_the_chain_verifying() {
    let s = TestServer::with_admin(true).await;
    let (vera, _) = s
        .user("vera@example.com", "viewer", json!({"region": "EU"}))
        .await;
    let group = s.group("Analysts", &[&vera]).await;
    s.grant(json!({"principal": {"group": group}, "connection": "sample_shop", "level": "query"}))
        .await;
    let (status, taken) = s.post("/api/v1/backups", json!({})).await;
    assert_eq!(status, 201, "{taken}");
    assert!(
        taken["verified_at"].is_string(),
        "checked before pruning: {taken}"
    );
    assert_eq!(taken["recipient"], "master");
    let (status, list) = s.get("/api/v1/backups").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["encrypted_to"], "master");
    assert_eq!(
        (&list["copied_to"], &list["replicas"]),
        (&Value::Null, &json!(false))
    );
    assert_eq!(list["backups"].as_array().map(Vec::len), Some(1));
    let dir = s.stop().await;
    let file = newest_file(&dir);
    let expected = index(&dir)[0]["tables"].clone();

    // The operator keeps the master key and the backup elsewhere, then loses the data dir.
    let safe = temp_dir("proost-safe");
    std::fs::copy(dir.join("master.key"), safe.join("master.key")).expect("key");
    std::fs::copy(&file, safe.join("backup.age")).expect("backup");
    std::fs::remove_dir_all(&dir).expect("wipe");
    let out = restore(
        ps(&dir),
        ps(&safe.join("master.key")),
        ps(&safe.join("backup.age")),
    );
    assert!(ok(&out).contains("Restored"), "{}", ok(&out));
    let counts = table_counts(&dir.join("proost.db")).await;
    for (table, n) in expected.as_object().expect("tables") {
        let extra = if table == "audit_log" { 1 } else { 0 };
        assert_eq!(counts[table], n.as_i64().expect("n") + extra, "{table}");
    }
    assert!(counts["users"] >= 2 && counts["grants"] >= 1 && counts["connections"] == 1);
    ok(&proost(&["audit", "verify", "--data-dir", ps(&dir)]));

    // The restored instance serves: the people, groups and grants are back.
    std::fs::create_dir_all(dir.join("sources")).expect("sources");
    std::fs::copy(
        crate::common::shared_sample(),
        dir.join("sources/sample_shop.db"),
    )
    .expect("sample");
    let mut back = TestServer::start_in(&dir, true).await;
    back.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (status, users) = back.get("/api/v1/users").await;
    assert_eq!(status, 200, "{users}");
    assert!(users.to_string().contains("vera@example.com"), "{users}");
    let (status, b) = back
        .query("SELECT COUNT(*) FROM orders", Some("sample_shop"))
        .await;
    assert_eq!(
        status, 200,
        "the sealed connection opens with the kept key: {b}"
    );
    let (_, audit) = back.get("/api/v1/audit?action=backup.restore").await;
    assert!(audit.to_string().contains("backup.restore"), "{audit}");
    back.stop().await;
}

#[tokio::test]
async fn verify_catches_a_corrupted_and_a_truncated_backup_and_restore_refuses_a_tampered_one() {
    let s = TestServer::with_admin(true).await;
    let dir = s.stop().await;
    let d = ps(&dir).to_string();
    ok(&proost(&["backup", "now", "--data-dir", &d]));
    let file = newest_file(&dir);
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .expect("name")
        .to_string();
    let out = ok(&proost(&["backup", "verify", "--data-dir", &d]));
    assert!(
        out.contains("intact") && out.contains("every data key opens"),
        "{out}"
    );
    let good = std::fs::read(&file).expect("read");

    // One byte changed in the middle.
    let mut bad = good.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x01;
    std::fs::write(&file, &bad).expect("write");
    failed_with(
        &proost(&["backup", "verify", "--data-dir", &d, &name]),
        "backup_corrupt",
    );
    // Restoring the changed file from elsewhere (no index to compare with): age refuses it.
    let elsewhere = temp_dir("proost-elsewhere").join("tampered.age");
    std::fs::write(&elsewhere, &bad).expect("write");
    let target = temp_dir("proost-target").join("new");
    failed_with(
        &restore(ps(&target), &format!("{d}/master.key"), ps(&elsewhere)),
        "backup_unauthenticated",
    );
    assert!(!target.exists(), "nothing half-restored");
    // Cut off.
    std::fs::write(&file, &good[..good.len() - 100]).expect("write");
    failed_with(
        &proost(&["backup", "verify", "--data-dir", &d, &name]),
        "backup_corrupt",
    );
    std::fs::write(&elsewhere, &good[..good.len() - 100]).expect("write");
    failed_with(
        &restore(ps(&target), &format!("{d}/master.key"), ps(&elsewhere)),
        "backup_unauthenticated",
    );
    // Put back, it verifies again.
    std::fs::write(&file, &good).expect("write");
    ok(&proost(&["backup", "verify", "--data-dir", &d, &name]));
    // Only backups and nothing a check wrote are left.
    let left: Vec<_> = std::fs::read_dir(dir.join("backups"))
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn restore_refuses_another_master_key_a_non_empty_target_and_a_newer_schema() {
    let s = TestServer::with_admin(true).await;
    let dir = s.stop().await;
    let d = ps(&dir).to_string();
    ok(&proost(&["backup", "now", "--data-dir", &d]));
    let file = newest_file(&dir);
    let work = temp_dir("proost-restore-refusals");
    let other_key = work.join("other.key");
    proost_keys::MasterKey::create(&other_key).expect("a key");
    failed_with(
        &restore(ps(&work.join("a")), ps(&other_key), ps(&file)),
        "backup_wrong_key",
    );
    failed_with(
        &proost(&[
            "backup",
            "restore",
            "--data-dir",
            ps(&work.join("a")),
            ps(&file),
        ]),
        "backup_master_key_required",
    );
    std::fs::create_dir_all(work.join("full")).expect("dir");
    std::fs::write(work.join("full/something"), b"x").expect("file");
    failed_with(
        &restore(
            ps(&work.join("full")),
            &format!("{d}/master.key"),
            ps(&file),
        ),
        "backup_target_exists",
    );
    assert!(work.join("full/something").exists());

    // A backup of a database a newer Proost migrated.
    let newer = work.join("newer.db");
    std::fs::copy(dir.join("proost.db"), &newer).expect("copy");
    let c = rusqlite::Connection::open(&newer).expect("open");
    c.execute_batch("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99999, 'from the future', 1, x'00', 0)").expect("insert");
    drop(c);
    let store = proost_store::Store::open_snapshot(&newer)
        .await
        .expect("snapshot");
    let master = proost_keys::MasterKey::load(&dir.join("master.key")).expect("key");
    let mut config = proost_app::backup::BackupConfig::in_data_dir(&work);
    config.interval = None;
    // This version writes it, then cannot check it: the take reports so, the file stays.
    let refused = proost_app::backup::take(&store, &master, &config)
        .await
        .expect_err("a newer schema cannot be checked");
    assert_eq!(refused.code, "backup_schema_newer");
    store.close().await;
    let entry = proost_app::backup::list(&config)
        .expect("list")
        .into_iter()
        .next()
        .expect("the backup was written");
    assert_eq!(entry.contents.schema_version, 99999);
    failed_with(
        &restore(
            ps(&work.join("b")),
            &format!("{d}/master.key"),
            ps(&work.join("backups").join(&entry.file)),
        ),
        "backup_schema_newer",
    );
    assert!(!work.join("b").exists());
}

#[tokio::test]
async fn after_a_master_key_rotation_the_newest_backup_restores_with_the_new_key() {
    let s = TestServer::with_admin(true).await;
    let dir = s.stop().await;
    let d = ps(&dir).to_string();
    ok(&proost(&["backup", "now", "--data-dir", &d]));
    let before = newest_file(&dir);
    // Keep both (retention would keep one a day).
    let out = ok(&proost(&[
        "keys",
        "rotate",
        "--data-dir",
        &d,
        "--backup-keep",
        "7d,5l",
    ]));
    assert!(out.contains("under the new key"), "{out}");
    let after = newest_file(&dir);
    assert_ne!(before, after);
    let work = temp_dir("proost-rotated");
    let key = format!("{d}/master.key");
    ok(&restore(ps(&work.join("new")), &key, ps(&after)));
    // The backup from before the rotation opens only with the retired key.
    failed_with(
        &restore(ps(&work.join("old")), &key, ps(&before)),
        "backup_wrong_key",
    );
    let listed = ok(&proost(&["backup", "list", "--data-dir", &d]));
    assert_eq!(listed.lines().count(), 2, "{listed}");
}

#[tokio::test]
async fn a_shred_drops_every_backup_holding_the_connection_and_takes_a_fresh_one() {
    let s = TestServer::with_admin(true).await;
    let other = s.data_dir.join("sources/doomed.db");
    std::fs::copy(crate::common::shared_sample(), &other).expect("copy");
    let conn = s
        .add_connection("doomed", "sqlite", &format!("sqlite://{}", other.display()))
        .await;
    let id = conn["id"].as_str().expect("id").to_string();
    let (status, first) = s.post("/api/v1/backups", json!({})).await;
    assert_eq!(status, 201, "{first}");
    let (status, second) = s.post("/api/v1/backups", json!({})).await;
    assert_eq!(status, 201, "{second}");
    let (_, before) = s.get("/api/v1/backups").await;
    let held = before["backups"].as_array().map(Vec::len);
    let (status, _) = s.delete(&format!("/api/v1/connections/{id}")).await;
    assert_eq!(status, 204);
    let (_, list) = s.get("/api/v1/backups").await;
    let files: Vec<&str> = list["backups"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|b| b["file"].as_str())
        .collect();
    assert_eq!(files.len(), 1, "{list}");
    assert!(
        !files.contains(&first["file"].as_str().expect("f"))
            && !files.contains(&second["file"].as_str().expect("f"))
    );
    let (_, audit) = s.get("/api/v1/audit?action=connection.shred").await;
    let details = &audit["entries"][0]["details"]["backups"];
    assert_eq!(details["dropped"].as_array().map(Vec::len), held, "{audit}");
    assert_eq!(details["new_backup"], files[0]);
    let dir = s.stop().await;
    // Every backup left on disk, decrypted: none holds the connection or its wrapped key.
    let key = dir.join("master.key");
    for entry in std::fs::read_dir(dir.join("backups"))
        .expect("dir")
        .flatten()
    {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("age") {
            continue;
        }
        let into = temp_dir("proost-shred-check").join("restored");
        ok(&restore(ps(&into), ps(&key), ps(&path)));
        let c = rusqlite::Connection::open(into.join("proost.db")).expect("open");
        let n: i64 = c
            .query_row(
                "SELECT COUNT(*) FROM connections WHERE id = ?1",
                [&id],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(
            n,
            0,
            "{} still holds the shredded connection",
            path.display()
        );
    }
}

#[tokio::test]
async fn a_recovery_recipient_makes_backups_the_master_key_alone_cannot_open() {
    let work = temp_dir("proost-recovery");
    let identity = ok(&proost(&["backup", "keygen"]));
    let recipient = identity
        .lines()
        .find_map(|l| l.strip_prefix("# recipient: "))
        .expect("the recipient is printed")
        .to_string();
    std::fs::write(work.join("identity.txt"), &identity).expect("write");
    let s = TestServer::with_admin(true).await;
    let dir = s.stop().await;
    let d = ps(&dir).to_string();
    ok(&proost(&[
        "backup",
        "now",
        "--data-dir",
        &d,
        "--backup-recipient",
        &recipient,
    ]));
    failed_with(
        &proost(&["backup", "verify", "--data-dir", &d]),
        "backup_wrong_key",
    );
    let id = ps(&work.join("identity.txt")).to_string();
    ok(&proost(&[
        "backup",
        "verify",
        "--data-dir",
        &d,
        "--identity",
        &id,
    ]));
    ok(&proost(&[
        "backup",
        "restore",
        "--data-dir",
        ps(&work.join("new")),
        "--identity",
        &id,
        "--master-key-file",
        &format!("{d}/master.key"),
        ps(&newest_file(&dir)),
    ]));
    // The identity opens the file, but a master key that does not unwrap the data keys is refused.
    let other = work.join("other.key");
    proost_keys::MasterKey::create(&other).expect("key");
    failed_with(
        &proost(&[
            "backup",
            "restore",
            "--data-dir",
            ps(&work.join("x")),
            "--identity",
            &id,
            "--master-key-file",
            ps(&other),
            ps(&newest_file(&dir)),
        ]),
        "backup_keys_unopenable",
    );
}

#[tokio::test]
async fn the_server_backs_up_at_start_and_only_admins_reach_backups() {
    let s = TestServer::with_admin_using(true, |c| {
        c.backup.interval = Some(std::time::Duration::from_secs(3600));
    })
    .await;
    // The scheduler lists the backup in the index, then records it in the audit log.
    let (mut taken, mut audit) = (Vec::new(), Value::Null);
    for _ in 0..100 {
        taken = index(&s.data_dir);
        audit = s.get("/api/v1/audit?action=backup.create").await.1;
        if !taken.is_empty() && audit.to_string().contains("schedule") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(taken.len(), 1, "a backup at start-up");
    assert!(audit.to_string().contains("schedule"), "{audit}");
    let file = taken[0]["file"].as_str().expect("file").to_string();
    let (status, r) = s
        .post(&format!("/api/v1/backups/{file}/verify"), json!({}))
        .await;
    assert_eq!(status, 200, "{r}");
    for hostile in [
        "..%2Fproost.db",
        "manifest.json",
        ".tmp-x.age",
        "proost-..%2F..%2Fetc.age",
    ] {
        let (status, b) = s
            .post(&format!("/api/v1/backups/{hostile}/verify"), json!({}))
            .await;
        assert_eq!(status, 404, "{hostile}: {b}");
        assert_eq!(error_code(&b), "backup_not_found");
    }
    let (status, b) = s
        .post(
            &format!("/api/v1/backups/{file}/restore"),
            json!({"data_dir": "relative/dir"}),
        )
        .await;
    assert_eq!(status, 400, "{b}");
    let target = temp_dir("proost-api-restore").join("new");
    let (status, b) = s
        .post(
            &format!("/api/v1/backups/{file}/restore"),
            json!({"data_dir": target}),
        )
        .await;
    assert_eq!(status, 201, "{b}");
    assert!(target.join("proost.db").is_file() && target.join("master.key").is_file());
    let (_, token) = s.user("val@example.com", "analyst", json!({})).await;
    for (method, path) in [
        (reqwest::Method::GET, "/api/v1/backups".to_string()),
        (reqwest::Method::POST, "/api/v1/backups".into()),
        (
            reqwest::Method::POST,
            format!("/api/v1/backups/{file}/verify"),
        ),
    ] {
        let (status, b) = s
            .send_as(Some(&token), method.clone(), &path, Some(json!({})))
            .await;
        assert_eq!(status, 403, "{method} {path}: {b}");
    }
    s.stop().await;
}

/// A small seeded generator, so a failing kill point can be replayed.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Runs `args` and kills it with SIGKILL after `after`, unless it ended first.
fn kill_after(args: &[&str], after: std::time::Duration) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_proost"))
        .args(args)
        .env_remove("PROOST_MASTER_KEY")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn proost");
    std::thread::sleep(after);
    let _ = child.kill();
    let _ = child.wait();
}

fn with_failpoint(args: &[&str], point: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_proost"))
        .args(args)
        .env_remove("PROOST_MASTER_KEY")
        .env("PROOST_FAILPOINT", point)
        .output()
        .expect("run proost")
}

/// Every backup the index lists is whole; nothing else is taken for one.
fn check_backups(d: &str) {
    let listed = ok(&proost(&["backup", "list", "--data-dir", d]));
    for line in listed.lines().filter(|l| l.starts_with("proost-")) {
        let name = line.split_whitespace().next().expect("name");
        ok(&proost(&["backup", "verify", "--data-dir", d, name]));
    }
}

#[tokio::test]
async fn backups_and_restores_killed_at_any_point_leave_whole_files_or_none() {
    let s = TestServer::with_admin(true).await;
    let dir = s.stop().await;
    let d = ps(&dir).to_string();
    let started = std::time::Instant::now();
    ok(&proost(&["backup", "now", "--data-dir", &d]));
    let full = started.elapsed().as_millis() as u64;
    let seed = 20_261_206;
    let mut rng = Lcg(seed);

    for point in [
        "backup_after_snapshot",
        "backup_before_rename",
        "backup_before_index",
    ] {
        let out = with_failpoint(&["backup", "now", "--data-dir", &d], point);
        assert!(!out.status.success(), "{point}: the failpoint stops it");
        check_backups(&d);
    }
    for i in 0..20 {
        let after = rng.below(full + 20);
        kill_after(
            &["backup", "now", "--data-dir", &d],
            std::time::Duration::from_millis(after),
        );
        eprintln!("seed {seed}, backup kill {i} after {after} ms");
        check_backups(&d);
    }
    ok(&proost(&["backup", "now", "--data-dir", &d]));
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("backups"))
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with(".tmp-")
                || (n.ends_with(".age") && !index(&dir).iter().any(|e| e["file"] == n.as_str()))
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // The live app database was never touched.
    ok(&proost(&["audit", "verify", "--data-dir", &d]));

    let file = newest_file(&dir);
    let key = format!("{d}/master.key");
    let work = temp_dir("proost-killed-restore");
    let target = work.join("new");
    let args = [
        "backup",
        "restore",
        "--data-dir",
        ps(&target),
        "--master-key-file",
        &key,
        ps(&file),
    ];
    let started = std::time::Instant::now();
    ok(&proost(&args));
    let full = started.elapsed().as_millis() as u64;
    std::fs::remove_dir_all(&target).expect("clear");
    for point in ["restore_after_unpack", "restore_before_rename"] {
        let out = with_failpoint(&args, point);
        assert!(!out.status.success(), "{point}");
        assert!(!target.exists(), "{point}: never half-restored");
    }
    for i in 0..20 {
        let after = rng.below(full + 20);
        kill_after(&args, std::time::Duration::from_millis(after));
        eprintln!("seed {seed}, restore kill {i} after {after} ms");
        if target.exists() {
            // It finished before the kill: whole, with its chain.
            ok(&proost(&["audit", "verify", "--data-dir", ps(&target)]));
            std::fs::remove_dir_all(&target).expect("clear");
        }
    }
    ok(&proost(&args));
    ok(&proost(&["audit", "verify", "--data-dir", ps(&target)]));
    let stale: Vec<_> = std::fs::read_dir(&work)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".restoring-"))
        .collect();
    assert!(
        stale.is_empty(),
        "a later restore clears what a killed one left: {stale:?}"
    );
}

/// A backup's table names come from a file that may have been tampered with: a table whose
/// name is SQL is counted as a table, nothing it says runs, and a name that is no table is
/// refused rather than formatted in.
#[tokio::test]
async fn row_counts_treat_hostile_table_names_as_names() {
    let dir = temp_dir("proost-hostile-names");
    let db = dir.join("proost.db");
    proost_store::Store::open(&db)
        .await
        .expect("open")
        .close()
        .await;
    let hostile = "x\"; DROP TABLE users; --";
    let c = rusqlite::Connection::open(&db).expect("open");
    // Identifiers through the one quoting function; the rows' values bound.
    let make = |name: &str, rows: i64| {
        let table = proost_connect::quote_identifier(proost_connect::Dialect::Sqlite, name);
        c.execute_batch(&format!("CREATE TABLE {table} (a INTEGER);"))
            .expect("create");
        for i in 0..rows {
            c.execute(&format!("INSERT INTO {table} (a) VALUES (?1)"), [i])
                .expect("insert");
        }
    };
    make(hostile, 2);
    // Fuzzed names (seeded, so a failure replays): quotes, brackets, comments, keywords.
    let pieces = [
        "\"", "'", "`", "[", "]", ";", "--", "/*", "*/", " ", "\\", "(", ")", "DROP", "TABLE",
        "users", "é", "\n", "0", "x", "%", "_",
    ];
    let mut rng = Lcg(0x5eed_7ab1e);
    let mut fuzzed = std::collections::BTreeMap::new();
    while fuzzed.len() < 60 {
        let len = 1 + rng.below(6) as usize;
        let name: String = (0..len)
            .map(|_| pieces[rng.below(pieces.len() as u64) as usize])
            .collect();
        let lower = name.to_lowercase();
        if name.trim().is_empty()
            || lower.starts_with("sqlite_")
            || fuzzed.keys().any(|k: &String| k.to_lowercase() == lower)
            || lower == "users"
            || lower == hostile.to_lowercase()
        {
            continue;
        }
        let rows = rng.below(4) as i64;
        make(&name, rows);
        fuzzed.insert(name, rows);
    }
    drop(c);
    let store = proost_store::Store::open_snapshot(&db)
        .await
        .expect("snapshot");
    let counts = store.row_counts().await.expect("counts");
    assert_eq!(counts.get(hostile), Some(&2), "{counts:?}");
    for (name, rows) in &fuzzed {
        assert_eq!(counts.get(name), Some(rows), "{name:?}");
    }
    assert_eq!(
        counts.get("users"),
        Some(&0),
        "users is still there: {counts:?}"
    );
    for not_a_table in ["users\"; DROP TABLE users; --", "nosuch", "users WHERE 1=0"] {
        assert!(
            store.count_rows(not_a_table).await.is_err(),
            "{not_a_table}"
        );
    }
    assert!(
        store
            .table_names()
            .await
            .expect("names")
            .contains(&"users".to_string())
    );
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
