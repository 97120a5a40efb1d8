-- Personal-data scans of a connection: when, why, what they covered. The sampled values
-- themselves are never stored anywhere.
CREATE TABLE scans (
    id            TEXT PRIMARY KEY,
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    reason        TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    tables        INTEGER NOT NULL DEFAULT 0,
    columns       INTEGER NOT NULL DEFAULT 0,
    flagged       INTEGER NOT NULL DEFAULT 0,
    error         TEXT
);
CREATE INDEX scans_by_connection ON scans (connection_id, started_at);
