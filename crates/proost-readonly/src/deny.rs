//! Functions a read-only query may not call, per dialect. A SELECT can write, lock, sleep,
//! read server files or reach other servers through a function call. The read-only
//! transaction stops some of these but not all (dblink writes through a connection of its
//! own; pg_terminate_backend, pg_sleep and pg_read_file write nothing), so they are refused by
//! name, with a reason the user can read.
//!
//! Names are matched on the last part of the (lower-cased) function name, so
//! `pg_catalog.set_config` and `SET_CONFIG` are caught like `set_config`. A pattern ending in
//! `*` matches by prefix.

use crate::Dialect;

pub(crate) enum Denied {
    /// Refused with `function_not_allowed`; the text completes "it …".
    Function(&'static str),
    /// Refused with `file_access`.
    FileAccess,
}

const SETTINGS: &str = "changes server or session settings";
const WRITES: &str = "changes data or database state";
const FILES: &str = "reads or writes files on the database server";
const SERVER: &str = "acts on other sessions or on the server itself";
const REPLICATION: &str = "changes replication state";
const LOCKS: &str = "takes locks that outlive the query";
const WAITS: &str = "waits or burns time on purpose, tying up the server";
const NETWORK: &str = "connects to other servers";
const HIDDEN_SQL: &str = "runs SQL given as text, which this check cannot see";
const CODE: &str = "loads or runs code on the database server";

const POSTGRES: &[(&str, &str)] = &[
    ("set_config", SETTINGS),
    ("pg_reload_conf", SETTINGS),
    ("nextval", WRITES),
    ("setval", WRITES),
    ("txid_current", WRITES),
    ("pg_current_xact_id", WRITES),
    ("pg_export_snapshot", WRITES),
    ("pg_notify", WRITES),
    ("pg_import_system_collations", WRITES),
    ("pg_stat_reset*", WRITES),
    ("pg_stat_statements_reset", WRITES),
    ("brin_summarize_new_values", WRITES),
    ("brin_summarize_range", WRITES),
    ("brin_desummarize_range", WRITES),
    ("gin_clean_pending_list", WRITES),
    ("pg_truncate_visibility_map", WRITES),
    ("pg_prewarm", WRITES),
    ("lo_*", FILES),
    ("lowrite", WRITES),
    ("pg_read_file", FILES),
    ("pg_read_binary_file", FILES),
    ("pg_ls_*", FILES),
    ("pg_stat_file", FILES),
    ("pg_file_*", FILES),
    ("pg_logdir_ls", FILES),
    ("pg_terminate_backend", SERVER),
    ("pg_cancel_backend", SERVER),
    ("pg_rotate_logfile*", SERVER),
    ("pg_promote", SERVER),
    ("pg_switch_wal", SERVER),
    ("pg_switch_xlog", SERVER),
    ("pg_create_restore_point", SERVER),
    ("pg_backup_start", SERVER),
    ("pg_backup_stop", SERVER),
    ("pg_start_backup", SERVER),
    ("pg_stop_backup", SERVER),
    ("pg_wal_replay_pause", SERVER),
    ("pg_wal_replay_resume", SERVER),
    ("pg_log_backend_memory_contexts", SERVER),
    ("pg_log_standby_snapshot", SERVER),
    ("pg_logical_emit_message", REPLICATION),
    ("pg_create_logical_replication_slot", REPLICATION),
    ("pg_create_physical_replication_slot", REPLICATION),
    ("pg_drop_replication_slot", REPLICATION),
    ("pg_copy_logical_replication_slot", REPLICATION),
    ("pg_copy_physical_replication_slot", REPLICATION),
    ("pg_replication_slot_advance", REPLICATION),
    ("pg_logical_slot_*", REPLICATION),
    ("pg_replication_origin_*", REPLICATION),
    ("pg_advisory_*", LOCKS),
    ("pg_try_advisory_*", LOCKS),
    ("pg_sleep*", WAITS),
    ("dblink*", NETWORK),
    ("http", NETWORK),
    ("http_*", NETWORK),
    ("query_to_xml*", HIDDEN_SQL),
    ("cursor_to_xml*", HIDDEN_SQL),
    ("ts_stat", HIDDEN_SQL),
    ("ts_rewrite", HIDDEN_SQL),
];

const MYSQL: &[(&str, &str)] = &[
    ("load_file", FILES),
    ("sleep", WAITS),
    ("benchmark", WAITS),
    ("master_pos_wait", WAITS),
    ("source_pos_wait", WAITS),
    ("master_gtid_wait", WAITS),
    ("wait_for_executed_gtid_set", WAITS),
    ("wait_until_sql_thread_after_gtids", WAITS),
    ("get_lock", LOCKS),
    ("release_lock", LOCKS),
    ("release_all_locks", LOCKS),
    ("service_get_*", LOCKS),
    ("service_release_*", LOCKS),
    ("version_tokens_*", LOCKS),
    ("sys_*", CODE),
    ("lib_mysqludf_*", CODE),
    ("last_insert_id", SETTINGS),
    ("nextval", WRITES),
    ("setval", WRITES),
    ("keyring_*", WRITES),
    ("audit_log_*", WRITES),
    ("mysql_firewall_*", WRITES),
    ("set_firewall_mode", WRITES),
    ("group_replication_*", REPLICATION),
    ("asynchronous_connection_failover_*", REPLICATION),
];

const SQLITE: &[(&str, &str)] = &[
    ("load_extension", CODE),
    ("fts3_tokenizer", CODE),
    ("readfile", FILES),
    ("writefile", FILES),
    ("edit", FILES),
    ("fsdir", FILES),
    ("zipfile", FILES),
    ("fileio_*", FILES),
    ("lines_read", FILES),
    ("eval", HIDDEN_SQL),
    ("define", WRITES),
    ("undefine", WRITES),
    ("define_free", WRITES),
];

/// Engine functions that read files or URLs (DataFusion and its usual extensions).
const ENGINE_FILE_READERS: &[&str] = &[
    "read_*",
    "parquet_metadata",
    "parquet_schema",
    "parquet_file_metadata",
    "parquet_kv_metadata",
    "sniff_csv",
    "glob",
    "delta_scan",
    "iceberg_scan",
    "iceberg_metadata",
    "metadata_cache",
    "statistics_cache",
    "list_files",
];

/// Table functions the engine may call in FROM; every other table function is refused
/// because a table function can be a data source of its own, outside the governed catalog.
const ENGINE_TABLE_FUNCTIONS: &[&str] = &["generate_series", "range", "unnest"];

fn matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => name == pattern,
    }
}

/// `parts` are the lower-cased parts of a function name.
pub(crate) fn function(dialect: Dialect, parts: &[String]) -> Option<Denied> {
    let name = parts.last()?.as_str();
    let listed = |list: &[(&str, &'static str)]| {
        list.iter()
            .find(|(pattern, _)| matches(pattern, name))
            .map(|(_, reason)| Denied::Function(reason))
    };
    match dialect {
        Dialect::Postgres => listed(POSTGRES),
        Dialect::MySql => {
            // The `sys` schema holds procedures and functions that change settings and
            // instruments (sys.ps_setup_enable_thread, …).
            if parts.len() > 1 && parts.iter().rev().skip(1).any(|p| p == "sys") {
                return Some(Denied::Function(SETTINGS));
            }
            listed(MYSQL)
        }
        Dialect::Sqlite => listed(SQLITE),
        Dialect::Engine => ENGINE_FILE_READERS
            .iter()
            .any(|pattern| matches(pattern, name))
            .then_some(Denied::FileAccess),
    }
}

pub(crate) fn engine_table_function_allowed(parts: &[String]) -> bool {
    parts
        .last()
        .is_some_and(|name| ENGINE_TABLE_FUNCTIONS.contains(&name.as_str()))
}
