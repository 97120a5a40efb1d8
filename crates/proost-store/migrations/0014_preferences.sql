-- Communication preferences: one row per user who changed one (no row: everything on).
CREATE TABLE user_preferences (
    user_id         TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    product_notices INTEGER NOT NULL DEFAULT 1,
    subscriptions   INTEGER NOT NULL DEFAULT 1,
    mentions        INTEGER NOT NULL DEFAULT 1,
    usage_analytics INTEGER NOT NULL DEFAULT 1,
    updated_at      TEXT NOT NULL
);

-- One-click unsubscribe links already used (a link works once). Only a SHA-256 of the
-- signed token is kept; rows older than any live link are pruned.
CREATE TABLE unsubscribe_uses (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    category   TEXT NOT NULL,
    used_at    TEXT NOT NULL
);

-- The instance's privacy notice, one row per published version (Markdown as written;
-- it is rendered, raw HTML escaped, when shown).
CREATE TABLE privacy_notices (
    version      INTEGER PRIMARY KEY,
    markdown     TEXT NOT NULL,
    material     INTEGER NOT NULL,
    summary      TEXT,
    published_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    published_at TEXT NOT NULL
);

-- Who acknowledged which material version, and when.
CREATE TABLE notice_acknowledgements (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    version INTEGER NOT NULL REFERENCES privacy_notices(version),
    at      TEXT NOT NULL,
    PRIMARY KEY (user_id, version)
);
