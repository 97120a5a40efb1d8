//! Replicas, the result cache and crypto-shredding, against a real PostgreSQL: data is
//! copied encrypted and answers queries; nothing of it is readable in the data dir; a
//! crash at any point of a sync leaves the previous version serving; deleting a connection
//! leaves nothing decryptable, even in a copy of the old data dir.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{ADMIN_EMAIL, ADMIN_PASSWORD, PgDb, TestServer, error_code, files_under};
use serde_json::{Value, json};

/// Values that must never appear in plaintext anywhere in the data dir.
const MARKERS: [&str; 3] = [
    "MARKER-4b1d-secret-name",
    "MARKER-9c2e-secret-note",
    "marker.7e3f@example.org",
];

/// A PostgreSQL database with `rows` people and the three markers in one more row; the
/// row count and the markers are bound parameters, never SQL text.
async fn people_db(rows: usize) -> PgDb {
    let db = PgDb::create(
        "CREATE TABLE people (id bigint PRIMARY KEY, name text, email text, note text, amount numeric(12,2), updated_at timestamptz);",
    )
    .await;
    let c = db.client().await;
    let n = rows as i64;
    c.execute(
        "INSERT INTO people SELECT g, 'person ' || g, 'p' || g || '@example.com', NULL, g * 1.5, \
         timestamptz '2024-01-01' + g * interval '1 minute' FROM generate_series(1, $1::bigint) g",
        &[&n],
    )
    .await
    .expect("people");
    c.execute(
        "INSERT INTO people VALUES ($1, $2, $3, $4, 42.00, timestamptz '2020-01-01')",
        &[&(n + 1), &MARKERS[0], &MARKERS[2], &MARKERS[1]],
    )
    .await
    .expect("the marked person");
    db
}

/// Adds a PostgreSQL connection; returns its id.
async fn connect(s: &TestServer, name: &str, url: &str) -> String {
    s.add_connection(name, "postgres", url).await["id"]
        .as_str()
        .expect("id")
        .to_string()
}

/// Every file under `dir` that contains `needle` as bytes.
fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|p| {
            std::fs::read(p).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
        })
        .collect()
}

fn served(body: &Value) -> Vec<(String, String)> {
    body["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .map(|s| {
            (
                s["table"].as_str().unwrap_or_default().to_string(),
                s["served_from"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_synced_replica_answers_queries_and_no_marker_is_in_the_data_dir_in_plaintext() {
    let db = people_db(2_000).await;
    let s = TestServer::with_admin(false).await;
    let id = connect(&s, "crm", &db.url).await;
    let sql = "SELECT id, name, email, note, amount FROM crm.public.people ORDER BY id";
    let q = json!({"sql": sql, "limit": 10_000});
    let (status, live) = s.post("/api/v1/query", q.clone()).await;
    assert_eq!(status, 200, "{live}");
    assert_eq!(
        served(&live),
        vec![("crm.public.people".into(), "live".into())]
    );

    let r = s
        .add_replica(&id, json!({"table": "public.people", "mode": "full"}))
        .await;
    assert_eq!(r["state"], "pending");
    let results = s.sync(&id).await;
    assert_eq!(results[0]["status"], "synced", "{results:?}");
    assert_eq!(results[0]["rows"], 2_001);
    assert_eq!(results[0]["version"], 1);

    let (status, from_replica) = s.post("/api/v1/query", q.clone()).await;
    assert_eq!(status, 200, "{from_replica}");
    assert_eq!(from_replica["sources"][0]["served_from"], "replica");
    assert_eq!(from_replica["sources"][0]["version"], 1);
    assert_eq!(
        from_replica["rows"], live["rows"],
        "replica and live answers differ"
    );
    assert_eq!(from_replica["columns"], live["columns"]);
    let text = from_replica["rows"].to_string();
    for m in MARKERS {
        assert!(text.contains(m), "the query returns {m}");
    }
    // Filters, aggregates and joins on the replica.
    let (_, agg) = s
        .query(
            "SELECT count(*), sum(amount) FROM crm.public.people WHERE id > 1000",
            None,
        )
        .await;
    assert_eq!(agg["rows"][0][0], 1001);

    let (status, list) = s.get(&format!("/api/v1/connections/{id}/replicas")).await;
    assert_eq!(status, 200);
    let listed = &list["replicas"][0];
    assert_eq!(listed["state"], "ready");
    assert_eq!(listed["rows"], 2_001);
    assert!(listed["bytes"].as_i64().expect("bytes") > 0);
    assert!(listed["last_sync"].is_string());

    let dir = s.stop().await;
    for m in MARKERS {
        let found = files_containing(&dir, m);
        assert!(found.is_empty(), "{m} in plaintext in {found:?}");
    }
    // The replica files exist and are Parquet with an encrypted footer ("PARE").
    let parquet: Vec<PathBuf> = files_under(&dir.join("replicas"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    assert!(!parquet.is_empty());
    for p in &parquet {
        let bytes = std::fs::read(p).expect("read");
        assert_eq!(
            &bytes[bytes.len() - 4..],
            b"PARE",
            "{} is not encrypted",
            p.display()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    db.drop_db().await;
}

#[tokio::test]
async fn incremental_syncs_read_only_new_rows_and_keep_the_last_versions() {
    let db = people_db(100).await;
    let s = TestServer::with_admin(false).await;
    let id = connect(&s, "inc", &db.url).await;
    s.add_replica(&id,
        json!({"table": "public.people", "mode": "incremental", "cursor_column": "id", "keep_versions": 2}),
    )
    .await;
    let first = s.sync(&id).await;
    assert_eq!(first[0]["rows"], 101);
    db.client()
        .await
        .batch_execute(
            "INSERT INTO people (id, name) SELECT g, 'new ' || g FROM generate_series(200, 209) g",
        )
        .await
        .expect("insert");
    let second = s.sync(&id).await;
    assert_eq!(second[0]["status"], "synced");
    assert_eq!(second[0]["rows_read"], 10, "only the new rows are read");
    assert_eq!(second[0]["rows"], 111);
    assert_eq!(second[0]["version"], 2);
    let third = s.sync(&id).await;
    assert_eq!(third[0]["status"], "unchanged");
    assert_eq!(third[0]["version"], 2);
    db.client()
        .await
        .batch_execute("INSERT INTO people (id, name) VALUES (300, 'late')")
        .await
        .expect("insert");
    let fourth = s.sync(&id).await;
    assert_eq!(fourth[0]["version"], 3);
    let (_, count) = s
        .query("SELECT count(*) FROM inc.public.people", None)
        .await;
    assert_eq!(count["rows"][0][0], 112);
    assert_eq!(count["sources"][0]["served_from"], "replica");
    let (_, list) = s.get(&format!("/api/v1/connections/{id}/replicas")).await;
    let versions: Vec<i64> = list["replicas"][0]["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| v["version"].as_i64().expect("n"))
        .collect();
    assert_eq!(versions, vec![3, 2], "keep_versions = 2");
    // Every sync someone asked for is in the audit log with its outcome.
    let (_, audit) = s.get("/api/v1/audit?action=replica.sync").await;
    let syncs = audit["entries"].as_array().expect("entries");
    assert_eq!(syncs.len(), 4);
    assert!(
        syncs
            .iter()
            .all(|e| e["actor"].is_string() && e["target"] == id.as_str())
    );
    assert_eq!(syncs[2]["details"]["results"][0]["status"], "unchanged");
    // Versions share files (v3 = v1's files + two deltas), and nothing else is on disk.
    let current_files = list["replicas"][0]["versions"][0]["files"]
        .as_u64()
        .expect("files");
    let dir = s.data_dir.join("replicas").join(&id);
    let files = files_under(&dir);
    assert_eq!(files.len() as u64, current_files, "{files:?}");
    s.stop().await;
    db.drop_db().await;
}

#[tokio::test]
async fn replica_definitions_are_validated_with_stable_codes() {
    let db = people_db(10).await;
    let s = TestServer::with_admin(false).await;
    let id = connect(&s, "val", &db.url).await;
    let path = format!("/api/v1/connections/{id}/replicas");
    for (body, status, code) in [
        (
            json!({"table": "people", "mode": "full"}),
            400,
            "replica_table_invalid",
        ),
        (
            json!({"table": "public.nope", "mode": "full"}),
            404,
            "table_not_found",
        ),
        (
            json!({"table": "public.people", "mode": "mirror"}),
            400,
            "replica_mode_invalid",
        ),
        (
            json!({"table": "public.people", "mode": "incremental"}),
            400,
            "cursor_column_required",
        ),
        (
            json!({"table": "public.people", "mode": "incremental", "cursor_column": "nope"}),
            400,
            "cursor_column_invalid",
        ),
        (
            json!({"table": "public.people", "mode": "full", "schedule": "often"}),
            400,
            "schedule_invalid",
        ),
        (
            json!({"table": "public.people", "mode": "full", "keep_versions": 0}),
            400,
            "keep_versions_invalid",
        ),
        (
            json!({"table": "public.people", "mode": "full", "hex_key": "00"}),
            400,
            "invalid_body",
        ),
    ] {
        let (got, b) = s.post(&path, body.clone()).await;
        assert_eq!(got, status, "{body}: {b}");
        assert_eq!(error_code(&b), code, "{body}");
    }
    s.add_replica(&id, json!({"table": "public.people", "mode": "full"}))
        .await;
    let (got, b) = s
        .post(&path, json!({"table": "public.people", "mode": "full"}))
        .await;
    assert_eq!((got, error_code(&b).as_str()), (409, "conflict"));
    let (got, _) = s
        .post(
            "/api/v1/connections/nope/replicas",
            json!({"table": "public.people", "mode": "full"}),
        )
        .await;
    assert_eq!(got, 404);
    let (got, _) = s
        .delete(&format!("/api/v1/connections/{id}/replicas/nope"))
        .await;
    assert_eq!(got, 404);
    s.stop().await;
    db.drop_db().await;
}

#[tokio::test]
async fn a_stale_replica_falls_back_to_the_live_source_and_schedules_sync_it() {
    let db = people_db(10).await;
    let s = TestServer::with_admin(false).await;
    let id = connect(&s, "fresh", &db.url).await;
    s.add_replica(
        &id,
        json!({"table": "public.people", "mode": "full", "max_staleness": "5s", "schedule": "1h"}),
    )
    .await;
    // The schedule runs a first sync on its own (the scheduler ticks every 5 s).
    let mut version = Value::Null;
    for _ in 0..40 {
        let (_, list) = s.get(&format!("/api/v1/connections/{id}/replicas")).await;
        version = list["replicas"][0]["version"].clone();
        if !version.is_null() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert_eq!(version, 1, "the scheduled sync ran");
    let sql = "SELECT count(*) FROM fresh.public.people";
    let (_, b) = s.query(sql, None).await;
    assert_eq!(b["sources"][0]["served_from"], "replica", "{b}");
    tokio::time::sleep(std::time::Duration::from_millis(5500)).await;
    let (_, b) = s.query(sql, None).await;
    assert_eq!(
        b["sources"][0]["served_from"], "live",
        "older than max_staleness: {b}"
    );
    s.stop().await;
    db.drop_db().await;
}

#[tokio::test]
async fn cached_results_hit_are_sealed_and_a_new_version_invalidates_them() {
    let db = people_db(500).await;
    let s = TestServer::with_admin(false).await;
    let id = connect(&s, "cached", &db.url).await;
    s.add_replica(&id, json!({"table": "public.people", "mode": "full"}))
        .await;
    s.sync(&id).await;
    let sql = "SELECT count(*) AS n, max(name) AS last FROM cached.public.people";
    let (_, first) = s.query(sql, None).await;
    assert_eq!(first["cache"], "miss", "{first}");
    let (_, second) = s.query(sql, None).await;
    assert_eq!(second["cache"], "hit");
    assert_eq!(second["rows"], first["rows"]);
    assert_eq!(second["sources"], first["sources"]);
    // Another spelling of the same plan shares the entry once planned.
    let (_, respelled) = s
        .query(
            "select   count(*) as n, max(name) as last from cached.public.people",
            None,
        )
        .await;
    assert_eq!(respelled["cache"], "hit", "{respelled}");
    // `Cache-Control: no-cache` computes afresh.
    let (_, fresh) = s
        .send(
            s.client
                .post(format!("{}/api/v1/query", s.base))
                .header("cache-control", "no-cache")
                .json(&json!({"sql": sql})),
        )
        .await;
    assert_eq!(fresh["cache"], "bypass", "{fresh}");
    // A new version invalidates: the next answer is computed from it.
    db.client()
        .await
        .batch_execute("INSERT INTO people (id, name) VALUES (9999, 'zz last')")
        .await
        .expect("insert");
    s.sync(&id).await;
    let (_, after) = s.query(sql, None).await;
    assert_eq!(after["cache"], "miss");
    assert_eq!(after["rows"][0][0], 502);
    assert_eq!(after["rows"][0][1], "zz last");
    assert_eq!(after["sources"][0]["version"], 2);
    // Native SQL goes to the source as written: never cached.
    let (status, live) = s.query("SELECT count(*) FROM people", Some("cached")).await;
    assert_eq!(status, 200, "{live}");
    assert_eq!(live["cache"], "bypass");
    s.stop().await;
    db.drop_db().await;
}

#[tokio::test]
async fn live_results_can_be_cached_and_different_row_limits_do_not_share_entries() {
    let db = people_db(50).await;
    let s = TestServer::with_admin_using(false, |c| c.cache_live = true).await;
    s.add_connection("lc", "postgres", &db.url).await;
    let sql = "SELECT id FROM lc.public.people ORDER BY id";
    let (_, a) = s.query(sql, None).await;
    assert_eq!(a["cache"], "miss");
    let (_, b) = s.query(sql, None).await;
    assert_eq!(b["cache"], "hit");
    let (_, c) = s
        .post("/api/v1/query", json!({"sql": sql, "limit": 5}))
        .await;
    assert_eq!(c["cache"], "miss");
    assert_eq!(c["rows"].as_array().expect("rows").len(), 5);
    assert_eq!(c["truncated"], true);
    s.stop().await;
    db.drop_db().await;
}

fn proost() -> Command {
    Command::new(env!("CARGO_BIN_EXE_proost"))
}

async fn restart(dir: &Path) -> TestServer {
    let mut s = TestServer::start_in(dir, false).await;
    s.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    s
}

#[tokio::test]
async fn a_sync_killed_at_any_point_leaves_the_previous_version_serving() {
    let db = people_db(3_000).await;
    let s = TestServer::with_admin(false).await;
    let id = connect(&s, "crash", &db.url).await;
    s.add_replica(&id, json!({"table": "public.people", "mode": "full"}))
        .await;
    s.sync(&id).await;
    let dir = s.stop().await;
    db.client()
        .await
        .batch_execute("INSERT INTO people (id, name) VALUES (50000, 'after v1')")
        .await
        .expect("insert");
    let sql = "SELECT count(*) FROM crash.public.people";
    let mut expected_version = 1;
    for point in [
        "sync_mid_write",
        "sync_before_publish",
        "sync_after_publish",
    ] {
        let out = {
            proost()
                .args(["sync", "--data-dir"])
                .arg(&dir)
                .env("PROOST_FAILPOINT", point)
                .output()
                .expect("run proost sync")
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{point}: the process died");
        assert!(
            !stderr.contains("another Proost process") && !stderr.contains("database is locked"),
            "{point}: the sync never started: {stderr}"
        );
        if point == "sync_after_publish" {
            expected_version += 1;
        }
        let s = restart(&dir).await;
        let (status, b) = s.query(sql, None).await;
        assert_eq!(status, 200, "{point}: {b}");
        assert_eq!(b["sources"][0]["served_from"], "replica", "{point}");
        assert_eq!(b["sources"][0]["version"], expected_version, "{point}");
        let rows = if expected_version == 1 { 3_001 } else { 3_002 };
        assert_eq!(b["rows"][0][0], rows, "{point}");
        s.stop().await;
        // Nothing half-written is left, and every file on disk belongs to a version.
        let left: Vec<PathBuf> = files_under(&dir.join("replicas"))
            .into_iter()
            .filter(|p| !p.to_string_lossy().ends_with(".parquet"))
            .collect();
        assert!(left.is_empty(), "{point}: {left:?}");
    }
    // The next sync recovers and publishes; even its trace log holds no value of the table.
    let out = {
        proost()
            .args(["sync", "--data-dir"])
            .arg(&dir)
            .env("PROOST_LOG", "trace")
            .output()
            .expect("run proost sync")
    };
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.len() > 1000, "trace logging is on");
    for m in MARKERS {
        assert!(!log.contains(m), "{m} in the sync's log");
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.contains("public.people"), "{printed}");
    let s = restart(&dir).await;
    let (_, b) = s.query(sql, None).await;
    assert_eq!(b["sources"][0]["version"], expected_version + 1);
    assert_eq!(b["rows"][0][0], 3_002);
    s.stop().await;
    db.drop_db().await;
}

#[tokio::test]
async fn kill_9_during_a_long_sync_and_during_a_key_rotation_loses_nothing() {
    let db = people_db(400_000).await;
    let s = TestServer::with_admin(false).await;
    let id = connect(&s, "big", &db.url).await;
    s.add_replica(&id, json!({"table": "public.people", "mode": "full"}))
        .await;
    assert_eq!(s.sync(&id).await[0]["rows"], 400_001);
    let dir = s.stop().await;
    // A real SIGKILL while the files are being written.
    let mut child = proost()
        .args(["sync", "--data-dir"])
        .arg(&dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn proost sync");
    let replica_dir = dir.join("replicas").join(&id);
    let started = std::time::Instant::now();
    while !files_under(&replica_dir)
        .iter()
        .any(|p| p.to_string_lossy().ends_with(".tmp"))
    {
        assert!(
            started.elapsed().as_secs() < 60,
            "the sync never started writing"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().expect("kill -9");
    let _ = child.wait();
    // And a rotation killed after its commit.
    let status = proost()
        .args(["keys", "rotate", "--data-dir"])
        .arg(&dir)
        .env("PROOST_FAILPOINT", "rotate_after_commit")
        .status()
        .expect("rotate");
    assert!(!status.success());
    let s = restart(&dir).await;
    let (status, b) = s
        .query("SELECT count(*) FROM big.public.people", None)
        .await;
    assert_eq!(status, 200, "{b}");
    assert_eq!(b["sources"][0]["served_from"], "replica");
    assert_eq!(b["sources"][0]["version"], 1);
    assert_eq!(b["rows"][0][0], 400_001);
    let leftovers: Vec<PathBuf> = files_under(&replica_dir)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    s.stop().await;
    db.drop_db().await;
}

fn copy_dir(from: &Path, to: &Path) {
    for f in files_under(from) {
        let rel = f.strip_prefix(from).expect("inside");
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&f, &target).expect("copy");
    }
}

#[tokio::test]
async fn deleting_a_connection_crypto_shreds_it_even_for_a_copy_of_the_old_data_dir() {
    let db = people_db(1_000).await;
    let s = TestServer::with_admin(false).await;
    let id = connect(&s, "doomed", &db.url).await;
    s.add_replica(&id, json!({"table": "public.people", "mode": "full"}))
        .await;
    s.sync(&id).await;
    let sql = "SELECT name FROM doomed.public.people WHERE id = 1001";
    let (_, b) = s.query(sql, None).await;
    assert_eq!(b["rows"][0][0], MARKERS[0]);
    let (_, b) = s.query(sql, None).await;
    assert_eq!(b["cache"], "hit");
    // A backup taken while the connection existed.
    let saved = crate::common::temp_dir("proost-saved");
    copy_dir(&s.data_dir, &saved);
    let (status, _) = s.delete(&format!("/api/v1/connections/{id}")).await;
    assert_eq!(status, 204);
    let (status, b) = s.query(sql, None).await;
    assert_eq!(status, 404, "{b}");
    assert_eq!(error_code(&b), "table_not_found");
    let dir = s.stop().await;
    assert!(
        !dir.join("replicas").join(&id).exists(),
        "replica files removed"
    );

    // The audit entry names what was destroyed.
    let store = proost_store::Store::open(&dir.join("proost.db"))
        .await
        .expect("store");
    let shreds = store
        .audit_entries(Some("connection.shred"))
        .await
        .expect("audit");
    assert_eq!(shreds.len(), 1);
    let d = &shreds[0].details;
    assert_eq!(d["connection"]["id"], id.as_str());
    assert!(
        d["data_key_id"].as_str().is_some_and(|k| k.len() == 16),
        "{d}"
    );
    assert!(
        !d["destroyed"]["replica_files"]
            .as_array()
            .expect("files")
            .is_empty()
    );
    assert_eq!(d["destroyed"]["cache_entries"], 1);
    assert_eq!(d["master_key"]["rotated"], true);
    assert!(shreds[0].actor.is_some());
    assert_eq!(store.audit_verify().await.expect("verify"), None);
    assert!(
        store
            .wrapped_keys()
            .await
            .expect("keys")
            .iter()
            .all(|(c, _)| c != &id)
    );
    drop(store);

    // The saved copy still holds the wrapped data key and the replica files, but the
    // current master key no longer unwraps it.
    let current = proost_keys::MasterKey::load(&dir.join("master.key")).expect("current key");
    let old_store = proost_store::Store::open(&saved.join("proost.db"))
        .await
        .expect("saved store");
    let (_, wrapped) = old_store
        .wrapped_keys()
        .await
        .expect("keys")
        .into_iter()
        .find(|(c, _)| c == &id)
        .expect("the copy has the wrapped key");
    assert!(
        current
            .unwrap_key(&wrapped, &format!("connection:{id}"))
            .is_err()
    );
    let old_files = files_under(&saved.join("replicas").join(&id));
    assert!(!old_files.is_empty());
    for m in MARKERS {
        assert!(
            files_containing(&saved, m).is_empty(),
            "{m} readable in the copy"
        );
    }
    // Nothing of it is left in the live dir's bytes either.
    assert!(
        files_containing(&dir, &id)
            .iter()
            .all(|p| !p.starts_with(dir.join("replicas")))
    );
    drop(old_store);
    let _ = std::fs::remove_dir_all(&saved);
    db.drop_db().await;
}

#[tokio::test]
async fn replicas_answer_while_the_source_is_gone_and_an_old_version_can_be_rolled_back_to() {
    let db = people_db(100).await;
    let s = TestServer::with_admin(false).await;
    let id = connect(&s, "gone", &db.url).await;
    let r = s
        .add_replica(&id, json!({"table": "public.people", "mode": "full"}))
        .await;
    let rid = r["id"].as_str().expect("replica id").to_string();
    s.sync(&id).await;
    db.client()
        .await
        .batch_execute("DELETE FROM people WHERE id > 50")
        .await
        .expect("delete");
    assert_eq!(s.sync(&id).await[0]["rows"], 50);
    let sql = "SELECT count(*) FROM gone.public.people";
    let (_, b) = s.query(sql, None).await;
    assert_eq!(
        (b["rows"][0][0].clone(), b["sources"][0]["version"].clone()),
        (json!(50), json!(2))
    );
    // Roll back to version 1: the rows as they were.
    let path = format!("/api/v1/connections/{id}/replicas/{rid}/rollback");
    let (status, rolled) = s.post(&path, json!({"version": 1})).await;
    assert_eq!(status, 200, "{rolled}");
    assert_eq!(rolled["version"], 1);
    let (_, b) = s.query(sql, None).await;
    assert_eq!(
        (b["rows"][0][0].clone(), b["sources"][0]["version"].clone()),
        (json!(101), json!(1))
    );
    let (status, b) = s.post(&path, json!({"version": 7})).await;
    assert_eq!((status, error_code(&b).as_str()), (400, "version_not_kept"));
    let dir = s.stop().await;
    // The source disappears; a restarted server (nothing cached) still answers from the
    // replica.
    db.drop_db().await;
    let s = restart(&dir).await;
    let (status, b) = s.query(sql, None).await;
    assert_eq!(status, 200, "{b}");
    assert_eq!(b["rows"][0][0], 101);
    assert_eq!(b["sources"][0]["served_from"], "replica");
    s.stop().await;
}

#[tokio::test]
async fn a_stale_cached_result_is_served_while_it_is_recomputed() {
    let db = people_db(10).await;
    let s = TestServer::with_admin_using(false, |c| {
        c.cache_ttl = std::time::Duration::from_secs(3);
        c.cache_stale_for = std::time::Duration::from_secs(600);
    })
    .await;
    let id = connect(&s, "swr", &db.url).await;
    s.add_replica(&id, json!({"table": "public.people", "mode": "full"}))
        .await;
    s.sync(&id).await;
    let sql = "SELECT count(*) FROM swr.public.people";
    assert_eq!(s.query(sql, None).await.1["cache"], "miss");
    assert_eq!(s.query(sql, None).await.1["cache"], "hit");
    tokio::time::sleep(std::time::Duration::from_millis(3_200)).await;
    let (_, stale) = s.query(sql, None).await;
    assert_eq!(stale["cache"], "stale", "{stale}");
    assert_eq!(stale["rows"][0][0], 11);
    // The background refresh stores a fresh entry.
    let mut outcome = Value::Null;
    for _ in 0..50 {
        outcome = s.query(sql, None).await.1["cache"].clone();
        if outcome == "hit" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(outcome, "hit");
    s.stop().await;
    db.drop_db().await;
}

#[tokio::test]
async fn an_incremental_replica_with_a_key_merges_updated_rows() {
    let db = people_db(1_000).await;
    let s = TestServer::with_admin(false).await;
    let id = connect(&s, "merge", &db.url).await;
    s.add_replica(&id,
        json!({"table": "public.people", "mode": "incremental", "cursor_column": "updated_at", "key_column": "id"}),
    )
    .await;
    assert_eq!(s.sync(&id).await[0]["rows"], 1_001);
    db.client()
        .await
        .batch_execute(
            "UPDATE people SET name = 'renamed', updated_at = now() WHERE id IN (3, 700);
             INSERT INTO people (id, name, updated_at) VALUES (5000, 'brand new', now());",
        )
        .await
        .expect("update");
    let second = s.sync(&id).await;
    assert_eq!(second[0]["rows_read"], 3, "{second:?}");
    assert_eq!(
        second[0]["rows"], 1_002,
        "updated rows replace their old copies"
    );
    let (_, b) = s
        .query(
            "SELECT id, name FROM merge.public.people WHERE id IN (3, 700, 5000) ORDER BY id",
            None,
        )
        .await;
    assert_eq!(b["sources"][0]["served_from"], "replica");
    assert_eq!(
        b["rows"],
        json!([[3, "renamed"], [700, "renamed"], [5000, "brand new"]])
    );
    let (_, b) = s
        .query(
            "SELECT count(*), count(DISTINCT id) FROM merge.public.people",
            None,
        )
        .await;
    assert_eq!(b["rows"][0], json!([1002, 1002]));
    // The key column is checked.
    let (status, b) = s
        .post(
            &format!("/api/v1/connections/{id}/replicas"),
            json!({"table": "public.people", "mode": "full", "key_column": "id"}),
        )
        .await;
    assert_eq!(
        (status, error_code(&b).as_str()),
        (400, "key_column_not_allowed")
    );
    s.stop().await;
    db.drop_db().await;
}

#[tokio::test]
async fn a_shred_killed_after_the_delete_is_finished_on_the_next_start() {
    use std::io::BufRead;
    let db = people_db(100).await;
    let dir = crate::common::temp_dir("proost-shred-crash");
    let mut child = proost()
        .args([
            "serve",
            "--no-demo",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
        ])
        .arg(&dir)
        .env("PROOST_FAILPOINT", "shred_after_delete")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start proost serve");
    let out = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut base = String::new();
    let mut token = String::new();
    for line in out.lines().map_while(Result::ok) {
        if let Some(rest) = line.strip_prefix("Proost is listening on ") {
            base = rest.trim().to_string();
        }
        if let Some((_, t)) = line.split_once("token=") {
            token = t.split_whitespace().next().expect("token").to_string();
            break;
        }
    }
    let http = reqwest::Client::new();
    let post = |path: &str, body: Value, bearer: Option<&str>| {
        let mut rb = http.post(format!("{base}{path}")).json(&body);
        if let Some(b) = bearer {
            rb = rb.bearer_auth(b);
        }
        rb.send()
    };
    let setup =
        json!({"token": token, "email": ADMIN_EMAIL, "name": "Ada", "password": ADMIN_PASSWORD});
    assert_eq!(
        post("/api/v1/setup", setup, None)
            .await
            .expect("setup")
            .status(),
        201
    );
    let login: Value = post(
        "/api/v1/session",
        json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
        None,
    )
    .await
    .expect("login")
    .json()
    .await
    .expect("json");
    let bearer = login["token"].as_str().expect("token").to_string();
    let conn: Value = post(
        "/api/v1/connections",
        json!({"name": "doomed", "kind": "postgres", "url": db.url}),
        Some(&bearer),
    )
    .await
    .expect("add")
    .json()
    .await
    .expect("json");
    let id = conn["id"].as_str().expect("id").to_string();
    let r = post(
        &format!("/api/v1/connections/{id}/replicas"),
        json!({"table": "public.people", "mode": "full"}),
        Some(&bearer),
    )
    .await
    .expect("replica");
    assert_eq!(r.status(), 201);
    let r = post(
        &format!("/api/v1/connections/{id}/sync?wait=true"),
        json!({}),
        Some(&bearer),
    )
    .await
    .expect("sync");
    assert_eq!(r.status(), 200);
    let key_before = std::fs::read(dir.join("master.key")).expect("key");
    // The server dies right after the delete commits, before files, cache and key rotation.
    let killed = http
        .delete(format!("{base}/api/v1/connections/{id}"))
        .bearer_auth(&bearer)
        .send()
        .await;
    assert!(killed.is_err() || killed.is_ok_and(|r| r.status().is_server_error()));
    let _ = child.wait();
    assert!(
        dir.join("shred.pending").exists(),
        "the shred was cut short"
    );
    assert!(
        dir.join("replicas").join(&id).exists(),
        "its files are still there"
    );

    let s = restart(&dir).await;
    assert!(!dir.join("shred.pending").exists());
    assert!(
        !dir.join("replicas").join(&id).exists(),
        "the next start removed them"
    );
    assert_ne!(
        std::fs::read(dir.join("master.key")).expect("key"),
        key_before,
        "and rotated the master key"
    );
    let (_, audit) = s
        .get("/api/v1/audit?action=connection.shred.finished")
        .await;
    let entries = audit["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{audit}");
    assert_eq!(entries[0]["target"], id.as_str());
    assert_eq!(entries[0]["details"]["master_key"]["rotated"], true);
    assert_eq!(audit["chain_intact"], true);
    s.stop().await;
    db.drop_db().await;
}
