-- Each person's own data key, wrapped under the master key like a connection's: their
-- query history and drafts are sealed with it, and deleting the person shreds it.
CREATE TABLE user_keys (
    user_id     TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    wrapped_dek BLOB NOT NULL
);

-- What a person ran: the statement sealed with their key (literals are theirs alone),
-- when, how long, how many rows, where it was answered from.
CREATE TABLE query_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    connection  TEXT,
    sealed_sql  BLOB NOT NULL,
    elapsed_ms  REAL NOT NULL,
    row_count   INTEGER,
    served_from TEXT NOT NULL,
    error_code  TEXT
);
CREATE INDEX query_history_user_at ON query_history (user_id, at);

-- The SQL editor's text between visits, per person, sealed with their key.
CREATE TABLE drafts (
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    sealed     BLOB NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, name)
);
