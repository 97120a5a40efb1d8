//! TPC-H for the integration tests: the 8 tables (bench/tpch/schema.sql, with primary keys)
//! loaded in-process at a small scale factor with the `tpchgen` crate, and the 22 queries
//! of bench/tpch/queries with their `{{prefix}}` filled in.
//!
//! A submodule of `tests/common` (`pub mod tpch;`); uses only tokio-postgres and futures.

use std::fmt::Display;
use std::io::Cursor;

use futures::SinkExt;
use tokio_postgres::Client;
use tpchgen::generators::{
    CustomerGenerator, LineItemGenerator, NationGenerator, OrderGenerator, PartGenerator,
    PartSuppGenerator, RegionGenerator, SupplierGenerator,
};

/// The DDL shared with bench/tpch/load.py.
pub const SCHEMA_SQL: &str = include_str!("../../bench/tpch/schema.sql");

/// The 8 tables, in load order.
pub const TABLES: [&str; 8] = [
    "region", "nation", "part", "supplier", "partsupp", "customer", "orders", "lineitem",
];

const QUERY_TEXTS: [(&str, &str); 22] = [
    ("q01", include_str!("../../bench/tpch/queries/q01.sql")),
    ("q02", include_str!("../../bench/tpch/queries/q02.sql")),
    ("q03", include_str!("../../bench/tpch/queries/q03.sql")),
    ("q04", include_str!("../../bench/tpch/queries/q04.sql")),
    ("q05", include_str!("../../bench/tpch/queries/q05.sql")),
    ("q06", include_str!("../../bench/tpch/queries/q06.sql")),
    ("q07", include_str!("../../bench/tpch/queries/q07.sql")),
    ("q08", include_str!("../../bench/tpch/queries/q08.sql")),
    ("q09", include_str!("../../bench/tpch/queries/q09.sql")),
    ("q10", include_str!("../../bench/tpch/queries/q10.sql")),
    ("q11", include_str!("../../bench/tpch/queries/q11.sql")),
    ("q12", include_str!("../../bench/tpch/queries/q12.sql")),
    ("q13", include_str!("../../bench/tpch/queries/q13.sql")),
    ("q14", include_str!("../../bench/tpch/queries/q14.sql")),
    ("q15", include_str!("../../bench/tpch/queries/q15.sql")),
    ("q16", include_str!("../../bench/tpch/queries/q16.sql")),
    ("q17", include_str!("../../bench/tpch/queries/q17.sql")),
    ("q18", include_str!("../../bench/tpch/queries/q18.sql")),
    ("q19", include_str!("../../bench/tpch/queries/q19.sql")),
    ("q20", include_str!("../../bench/tpch/queries/q20.sql")),
    ("q21", include_str!("../../bench/tpch/queries/q21.sql")),
    ("q22", include_str!("../../bench/tpch/queries/q22.sql")),
];

/// `(name, sql)` for q01..q22, every `{{prefix}}` replaced by `prefix` (e.g. `"tpch.public."`
/// for Proost's engine, `""` for PostgreSQL itself). Each text starts with `--` comment lines
/// naming the query and its substitution parameters.
pub fn queries(prefix: &str) -> Vec<(String, String)> {
    QUERY_TEXTS
        .iter()
        .map(|(name, sql)| (name.to_string(), sql.replace("{{prefix}}", prefix)))
        .collect()
}

/// Creates the 8 TPC-H tables (with primary keys) in the database `client` is connected to,
/// which should be fresh, and loads them at `scale` (e.g. 0.01: 60,175 lineitem rows) with
/// `COPY ... FROM STDIN`, then `ANALYZE`s. Panics on any error.
pub async fn load_tpch(client: &Client, scale: f64) {
    client
        .batch_execute(SCHEMA_SQL)
        .await
        .expect("create the TPC-H tables");
    // Each table in one part (part 1 of 1).
    copy_tbl(client, "region", RegionGenerator::new(scale, 1, 1).iter()).await;
    copy_tbl(client, "nation", NationGenerator::new(scale, 1, 1).iter()).await;
    copy_tbl(client, "part", PartGenerator::new(scale, 1, 1).iter()).await;
    copy_tbl(
        client,
        "supplier",
        SupplierGenerator::new(scale, 1, 1).iter(),
    )
    .await;
    copy_tbl(
        client,
        "partsupp",
        PartSuppGenerator::new(scale, 1, 1).iter(),
    )
    .await;
    copy_tbl(
        client,
        "customer",
        CustomerGenerator::new(scale, 1, 1).iter(),
    )
    .await;
    copy_tbl(client, "orders", OrderGenerator::new(scale, 1, 1).iter()).await;
    copy_tbl(
        client,
        "lineitem",
        LineItemGenerator::new(scale, 1, 1).iter(),
    )
    .await;
    client.batch_execute("ANALYZE").await.expect("ANALYZE");
}

/// Streams rows into `table` with COPY in PostgreSQL's text format, `|` as delimiter. A
/// generator row's `Display` is the classic `.tbl` line: fields separated by `|` with a
/// trailing `|`, which is dropped here. TPC-H text has no `\`, tab or newline to escape.
async fn copy_tbl<R: Display>(client: &Client, table: &str, rows: impl Iterator<Item = R>) {
    const CHUNK: usize = 1 << 20;
    let sink = client
        .copy_in::<_, Cursor<Vec<u8>>>(&format!(
            "COPY {table} FROM STDIN WITH (FORMAT text, DELIMITER '|')"
        ))
        .await
        .unwrap_or_else(|e| panic!("COPY {table} FROM STDIN: {e}"));
    let mut sink = std::pin::pin!(sink);
    let mut buf = String::with_capacity(CHUNK + 4096);
    let mut sent = 0u64;
    for row in rows {
        use std::fmt::Write;
        let start = buf.len();
        write!(buf, "{row}").expect("format a row");
        if buf.ends_with('|') {
            buf.pop();
        }
        debug_assert!(!buf[start..].contains(['\\', '\t', '\n']));
        buf.push('\n');
        sent += 1;
        if buf.len() >= CHUNK {
            let chunk = std::mem::replace(&mut buf, String::with_capacity(CHUNK + 4096));
            sink.send(Cursor::new(chunk.into_bytes()))
                .await
                .unwrap_or_else(|e| panic!("COPY {table}: {e}"));
        }
    }
    if !buf.is_empty() {
        sink.send(Cursor::new(buf.into_bytes()))
            .await
            .unwrap_or_else(|e| panic!("COPY {table}: {e}"));
    }
    let copied = sink
        .as_mut()
        .finish()
        .await
        .unwrap_or_else(|e| panic!("COPY {table}: {e}"));
    assert_eq!(copied, sent, "COPY {table}: rows copied");
}
