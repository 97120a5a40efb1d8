//! `--backup-replicas`: the replica files go into the backup (compressed and encrypted with
//! the rest), come back on restore, and answer queries with the source gone.

use serde_json::json;

use super::{index, newest_file, ok, ps, restore};
use crate::common::{ADMIN_EMAIL, ADMIN_PASSWORD, PgDb, TestServer, files_under, temp_dir};

#[tokio::test]
async fn with_backup_replicas_a_restored_instance_answers_from_its_replicas_without_the_source() {
    let db = PgDb::create(
        "CREATE TABLE people (id int PRIMARY KEY, name text, note text);
         INSERT INTO people SELECT g, 'person-' || g, repeat('a long repeated note ', 20)
         FROM generate_series(1, 3000) g;",
    )
    .await;
    let s = TestServer::with_admin_using(false, |c| {
        c.backup.replicas = Some(c.data_dir.join("replicas"));
    })
    .await;
    let id = s.add_connection("crm", "postgres", &db.url).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    s.add_replica(&id, json!({"table": "public.people", "mode": "full"}))
        .await;
    assert_eq!(s.sync(&id).await[0]["status"], "synced");
    let (status, taken) = s.post("/api/v1/backups", json!({})).await;
    assert_eq!(status, 201, "{taken}");
    let held = taken["replica_files"].as_u64().expect("replica_files");
    let (_, list) = s.get("/api/v1/backups").await;
    assert_eq!(list["replicas"], true, "{list}");
    let dir = s.stop().await;
    let on_disk = files_under(&dir.join("replicas")).len() as u64;
    assert!(
        held >= 1 && held == on_disk,
        "{held} of {on_disk} replica files"
    );
    assert_eq!(index(&dir)[0]["replica_files"], held);

    // Compressed before it is encrypted: smaller than what it holds.
    let file = newest_file(&dir);
    let held_bytes: u64 = files_under(&dir.join("replicas"))
        .iter()
        .chain(std::iter::once(&dir.join("proost.db")))
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    let size = std::fs::metadata(&file).expect("backup").len();
    assert!(size < held_bytes, "{size} bytes for {held_bytes} held");

    let safe = temp_dir("proost-safe-replicas");
    std::fs::copy(dir.join("master.key"), safe.join("master.key")).expect("key");
    std::fs::copy(&file, safe.join("backup.age")).expect("backup");
    std::fs::remove_dir_all(&dir).expect("wipe");
    db.drop_db().await;
    let out = restore(
        ps(&dir),
        ps(&safe.join("master.key")),
        ps(&safe.join("backup.age")),
    );
    ok(&out);
    assert_eq!(files_under(&dir.join("replicas")).len() as u64, held);

    let mut back = TestServer::start_in(&dir, false).await;
    back.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (status, b) = back
        .query("SELECT count(*) FROM crm.public.people", None)
        .await;
    assert_eq!(status, 200, "{b}");
    assert_eq!(b["rows"][0][0], 3000);
    assert_eq!(b["sources"][0]["served_from"], "replica");
    back.stop().await;
    let _ = std::fs::remove_dir_all(safe);
}

#[tokio::test]
async fn without_backup_replicas_no_replica_file_is_held() {
    let s = TestServer::with_admin(false).await;
    let (status, taken) = s.post("/api/v1/backups", json!({})).await;
    assert_eq!(status, 201, "{taken}");
    assert_eq!(taken["replica_files"], 0);
    s.stop().await;
}
