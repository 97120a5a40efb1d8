//! TPC-H: the 22 queries give the same answers from the encrypted replicas as from the
//! live PostgreSQL source (scale factor 0.01, generated in-process with `tpchgen`).

use crate::common::{PgDb, TestServer, tpch};
use serde_json::{Value, json};

/// Numbers compared with a relative tolerance (float sums may differ in the last bits
/// when partial aggregates are combined in another order); everything else exactly.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        _ => a == b,
    }
}

#[tokio::test]
async fn the_22_tpch_queries_answer_the_same_from_replicas_as_from_the_live_source() {
    let db = PgDb::create("").await;
    tpch::load_tpch(&db.client().await, 0.01).await;
    let s = TestServer::with_admin(false).await;
    let id = s.add_connection("tpch", "postgres", &db.url).await["id"]
        .as_str()
        .expect("id")
        .to_string();
    let queries = tpch::queries("tpch.public.");
    let run = |sql: String| {
        let s = &s;
        async move {
            let (status, body) = s
                .post("/api/v1/query", json!({"sql": sql, "limit": 100_000}))
                .await;
            assert_eq!(status, 200, "{body}");
            body
        }
    };
    let mut live = Vec::new();
    for (name, sql) in &queries {
        let body = run(sql.clone()).await;
        assert!(
            body["sources"]
                .as_array()
                .expect("sources")
                .iter()
                .all(|s| s["served_from"] == "live"),
            "{name}"
        );
        live.push(body);
    }
    for table in tpch::TABLES {
        let (status, b) = s
            .post(
                &format!("/api/v1/connections/{id}/replicas"),
                json!({"table": format!("public.{table}"), "mode": "full"}),
            )
            .await;
        assert_eq!(status, 201, "{b}");
    }
    let (status, synced) = s
        .post(
            &format!("/api/v1/connections/{id}/sync?wait=true"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{synced}");
    for r in synced["results"].as_array().expect("results") {
        assert_eq!(r["status"], "synced", "{r}");
    }
    for ((name, sql), live) in queries.iter().zip(&live) {
        let replica = run(sql.clone()).await;
        assert!(
            replica["sources"]
                .as_array()
                .expect("sources")
                .iter()
                .all(|s| s["served_from"] == "replica"),
            "{name}: {}",
            replica["sources"]
        );
        assert_eq!(replica["columns"], live["columns"], "{name}");
        assert!(
            !live["rows"].as_array().expect("rows").is_empty() || name == "q22",
            "{name} returns rows"
        );
        assert!(
            same(&replica["rows"], &live["rows"]),
            "{name}: replica {} vs live {}",
            replica["rows"],
            live["rows"]
        );
    }
    s.stop().await;
    db.drop_db().await;
}
