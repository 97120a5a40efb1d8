//! The one place metrics are named. Services call these where the work happens; the HTTP
//! front renders them for Prometheus (`/metrics`). Names and labels follow Prometheus
//! conventions: base units (seconds, bytes), `_total` for counters, few label values.

use metrics::{counter, gauge, histogram};

/// A query answered: `path` is `engine` or `native`; `served` says where the rows came
/// from (`cache`, `replica`, `live`, `replica+live`, `native`).
pub fn query_done(path: &'static str, served: &str, seconds: f64) {
    let served: &'static str = match served {
        "cache" => "cache",
        "replica" => "replica",
        "live" => "live",
        "replica+live" => "replica+live",
        "native" => "native",
        "engine" => "engine",
        _ => "other",
    };
    histogram!("proost_query_duration_seconds", "path" => path, "served_from" => served)
        .record(seconds);
}

/// A query that failed, by its error code (a bounded set).
pub fn query_failed(path: &'static str, code: &'static str) {
    counter!("proost_query_errors_total", "path" => path, "code" => code).increment(1);
}

/// A result-cache lookup on the engine path: `hit`, `stale`, `miss` or `bypass`.
pub fn cache_lookup(result: &'static str) {
    counter!("proost_cache_lookups_total", "result" => result).increment(1);
}

/// The cache's size, set when metrics are rendered.
pub(crate) fn cache_size(bytes: usize, entries: usize) {
    gauge!("proost_cache_size_bytes").set(bytes as f64);
    gauge!("proost_cache_entries").set(entries as f64);
}

/// One table synced into a replica.
pub fn sync_done(status: &'static str, rows: u64, seconds: f64) {
    counter!("proost_sync_tables_total", "status" => status).increment(1);
    counter!("proost_sync_rows_total").increment(rows);
    histogram!("proost_sync_duration_seconds").record(seconds);
}

/// A table's columns classified for personal data.
pub fn scan_done(columns: u64, seconds: f64) {
    counter!("proost_scan_columns_total").increment(columns);
    histogram!("proost_scan_duration_seconds").record(seconds);
}

/// A backup taken (or not).
pub fn backup_done(ok: bool, size: u64) {
    counter!("proost_backups_total", "result" => if ok { "ok" } else { "failed" }).increment(1);
    if ok {
        gauge!("proost_backup_size_bytes").set(size as f64);
    }
}

/// The newest backup's age, set when metrics are rendered (absent before the first).
pub(crate) fn backup_age(seconds: f64) {
    gauge!("proost_backup_age_seconds").set(seconds);
}

/// A sign-in refused: `method` is `password`, `ldap` or `oidc`.
pub fn login_failed(method: &'static str) {
    counter!("proost_login_failures_total", "method" => method).increment(1);
}

/// The app database's connection pool, set when metrics are rendered.
pub(crate) fn app_db_pool(size: u32, idle: usize) {
    gauge!("proost_app_db_connections", "state" => "idle").set(idle as f64);
    gauge!(
        "proost_app_db_connections",
        "state" => "in_use"
    )
    .set(f64::from(size).max(idle as f64) - idle as f64);
}
