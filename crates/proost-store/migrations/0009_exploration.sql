-- Saved content: questions, dashboards and the collections (folders) holding them. One
-- table for the three: they share naming, ownership, placement, versions and shares.
-- `body` is the whole saved document (JSON); every save is a new row of content_versions.
CREATE TABLE contents (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('question', 'dashboard', 'collection')),
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    collection_id TEXT REFERENCES contents(id) ON DELETE CASCADE,
    -- Gone with its owner's account; an admin can give the content to someone else.
    owner_id      TEXT REFERENCES users(id) ON DELETE SET NULL,
    version       INTEGER NOT NULL,
    body          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX contents_collection ON contents (collection_id);
CREATE INDEX contents_owner ON contents (owner_id);

CREATE TABLE content_versions (
    content_id TEXT NOT NULL REFERENCES contents(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    body       TEXT NOT NULL,
    author_id  TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (content_id, version)
);

-- Who else may open (view) or change (edit) a piece of content; a collection's shares
-- reach everything inside it.
CREATE TABLE shares (
    id             TEXT PRIMARY KEY,
    content_id     TEXT NOT NULL REFERENCES contents(id) ON DELETE CASCADE,
    principal_kind TEXT NOT NULL CHECK (principal_kind IN ('user', 'group')),
    principal_id   TEXT NOT NULL,
    level          TEXT NOT NULL CHECK (level IN ('view', 'edit')),
    created_by     TEXT,
    created_at     TEXT NOT NULL,
    UNIQUE (content_id, principal_kind, principal_id)
);
CREATE INDEX shares_principal ON shares (principal_kind, principal_id);

-- Comments on questions and dashboards. Deleted comments are deleted rows (and with
-- secure_delete, overwritten), never flags; a moderator hides with a reason instead.
CREATE TABLE comments (
    id            TEXT PRIMARY KEY,
    content_id    TEXT NOT NULL REFERENCES contents(id) ON DELETE CASCADE,
    parent_id     TEXT REFERENCES comments(id) ON DELETE CASCADE,
    author_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body          TEXT NOT NULL,
    hidden_reason TEXT,
    created_at    TEXT NOT NULL,
    edited_at     TEXT
);
CREATE INDEX comments_content ON comments (content_id, created_at);

-- Computed fields saved on a table, reusable across questions.
CREATE TABLE computed_fields (
    id         TEXT PRIMARY KEY,
    table_name TEXT NOT NULL,
    name       TEXT NOT NULL,
    expression TEXT NOT NULL,
    owner_id   TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    UNIQUE (table_name, name)
);

-- Email subscriptions to a question or dashboard: one row per recipient, rendered with
-- the recipient's own access. `alert`: send only when a question's result crosses it.
CREATE TABLE subscriptions (
    id           TEXT PRIMARY KEY,
    content_id   TEXT NOT NULL REFERENCES contents(id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    every        TEXT NOT NULL CHECK (every IN ('daily', 'weekly', 'monthly')),
    hour         INTEGER NOT NULL,
    weekday      INTEGER,
    day          INTEGER,
    time_zone    TEXT NOT NULL,
    alert        TEXT,
    created_by   TEXT,
    created_at   TEXT NOT NULL,
    last_sent_at TEXT,
    last_error   TEXT
);
CREATE INDEX subscriptions_user ON subscriptions (user_id);
