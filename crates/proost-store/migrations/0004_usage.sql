-- Usage analytics (the privacy notice's "Usage Data and Analytics Data"): what was used,
-- by whom, how fast. Never a result value, never a literal from a statement: `statement`
-- is a fingerprint with every literal replaced by `?`.
--
-- Raw events go with their user (ON DELETE CASCADE): deleting a person removes their
-- timestamps, addresses and statements rather than leaving an unlinked trail that the
-- address could re-identify. The daily aggregate keeps only anonymous counts
-- (ON DELETE SET NULL).
CREATE TABLE usage_events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    at               TEXT NOT NULL,
    user_id          TEXT REFERENCES users(id) ON DELETE CASCADE,
    -- page, query, field_added, connection_added, ...
    kind             TEXT NOT NULL,
    path             TEXT,
    statement        TEXT,
    statement_hash   TEXT,
    elapsed_ms       REAL,
    rows             INTEGER,
    -- JSON arrays: where each table was answered from, and the kinds of source read
    served_from      TEXT,
    connection_kinds TEXT,
    cache            TEXT,
    -- `engine`, or `native` when the statement went to the source as written
    target           TEXT,
    ip               TEXT,
    -- set once the address was cut to its network (IPv4 /24, IPv6 /48)
    ip_truncated     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX usage_events_at ON usage_events(at);
CREATE INDEX usage_events_user ON usage_events(user_id, at);
CREATE INDEX usage_events_statement ON usage_events(statement_hash);

-- Events older than the retention period, folded into counts per day, user and kind
-- before they are deleted.
CREATE TABLE usage_daily (
    day      TEXT NOT NULL,
    user_id  TEXT REFERENCES users(id) ON DELETE SET NULL,
    kind     TEXT NOT NULL,
    count    INTEGER NOT NULL,
    total_ms REAL NOT NULL DEFAULT 0
);
CREATE INDEX usage_daily_day ON usage_daily(day, kind);
