-- Users of Proost. Passwords are argon2id PHC strings; there is no default user.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    password_hash TEXT,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

-- Server-side sessions. Only a SHA-256 of the bearer token is stored, so a copy of the
-- database does not hand out live sessions.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- The one-time first-run setup token (hashed). Deleted when used.
CREATE TABLE setup_token (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Connections. Parameters (credentials included) are sealed with the connection's data
-- key; the data key is stored only wrapped by the master key.
CREATE TABLE connections (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,
    sealed_params BLOB NOT NULL,
    wrapped_dek   BLOB NOT NULL,
    key_id        TEXT NOT NULL,
    warnings      TEXT NOT NULL DEFAULT '[]',
    demo          INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    created_by    TEXT REFERENCES users(id) ON DELETE SET NULL
);
