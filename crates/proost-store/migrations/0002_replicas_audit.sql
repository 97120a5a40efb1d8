-- Replicas: tables an admin chose to copy, encrypted, into the data dir.
CREATE TABLE replicas (
    id              TEXT PRIMARY KEY,
    connection_id   TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    schema_name     TEXT NOT NULL,
    table_name      TEXT NOT NULL,
    mode            TEXT NOT NULL CHECK (mode IN ('full', 'incremental')),
    cursor_column   TEXT,
    -- incremental: rows re-read with a key already in the replica replace the old row
    key_column      TEXT,
    schedule        TEXT,
    max_staleness_s INTEGER,
    keep_versions   INTEGER NOT NULL DEFAULT 3,
    current_version INTEGER,
    last_sync_at    TEXT,
    last_attempt_at TEXT,
    last_error      TEXT,
    last_duration_ms INTEGER,
    created_at      TEXT NOT NULL,
    created_by      TEXT REFERENCES users(id) ON DELETE SET NULL,
    UNIQUE (connection_id, schema_name, table_name)
);

-- Published versions of a replica. The file list is the version: committing a row here is
-- the swap that makes a sync visible. The cursor is sealed with the connection's data key
-- (it is a value from the source).
CREATE TABLE replica_versions (
    replica_id    TEXT NOT NULL REFERENCES replicas(id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    files         TEXT NOT NULL,
    columns       TEXT NOT NULL,
    rows          INTEGER NOT NULL,
    bytes         INTEGER NOT NULL,
    sealed_cursor BLOB,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (replica_id, version)
);

-- Append-only, hash-chained record of what happened (key operations, deletions, ...).
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor     TEXT,
    action    TEXT NOT NULL,
    target    TEXT,
    details   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
