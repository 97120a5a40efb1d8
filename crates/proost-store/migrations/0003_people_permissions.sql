-- People: the profile a business tool keeps, attributes row policies can use, custom
-- roles, SSO linkage. `role` keeps its built-in CHECK (rebuilding `users` under foreign
-- keys would cascade into sessions); a custom role is `custom_role`, with `role` = viewer
-- as the floor.
CREATE TABLE roles (
    name         TEXT PRIMARY KEY,
    capabilities TEXT NOT NULL DEFAULT '[]',
    created_at   TEXT NOT NULL
);

ALTER TABLE users ADD COLUMN custom_role TEXT REFERENCES roles(name) ON DELETE RESTRICT;
ALTER TABLE users ADD COLUMN business_address TEXT;
ALTER TABLE users ADD COLUMN business_phone TEXT;
ALTER TABLE users ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}';
ALTER TABLE users ADD COLUMN sso_provider TEXT;
ALTER TABLE users ADD COLUMN sso_subject TEXT;
ALTER TABLE users ADD COLUMN sso_enforced INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN updated_at TEXT;
CREATE UNIQUE INDEX users_sso ON users(sso_provider, sso_subject) WHERE sso_subject IS NOT NULL;

-- Sessions get a public id (to list and revoke them without handing out the token hash),
-- a kind (browser login or API token) and, for tokens, a name and a scope.
ALTER TABLE sessions ADD COLUMN id TEXT;
UPDATE sessions SET id = lower(hex(randomblob(16))) WHERE id IS NULL;
ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'browser';
ALTER TABLE sessions ADD COLUMN name TEXT;
ALTER TABLE sessions ADD COLUMN scope TEXT NOT NULL DEFAULT 'full';
ALTER TABLE sessions ADD COLUMN client_ip TEXT;
CREATE UNIQUE INDEX sessions_id ON sessions(id);

-- One-time invite links (hashed), for users created without a password.
CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);

CREATE TABLE groups (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- who put the user there: an admin, or a directory sync that may also take them out
    source   TEXT NOT NULL DEFAULT 'manual',
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members(user_id);

-- Grants: a principal (user xor group) gets a level on a connection, or a schema, table
-- or column of it.
CREATE TABLE grants (
    id            TEXT PRIMARY KEY,
    user_id       TEXT REFERENCES users(id) ON DELETE CASCADE,
    group_id      TEXT REFERENCES groups(id) ON DELETE CASCADE,
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    schema_name   TEXT,
    table_name    TEXT,
    column_name   TEXT,
    level         TEXT NOT NULL CHECK (level IN ('metadata', 'query', 'pii')),
    created_at    TEXT NOT NULL,
    created_by    TEXT REFERENCES users(id) ON DELETE SET NULL,
    CHECK ((user_id IS NULL) != (group_id IS NULL)),
    CHECK (table_name IS NULL OR schema_name IS NOT NULL),
    CHECK (column_name IS NULL OR table_name IS NOT NULL)
);
CREATE INDEX grants_user ON grants(user_id);
CREATE INDEX grants_group ON grants(group_id);

-- Row policies: a filter per (table, group), ANDed for a member of several.
CREATE TABLE row_policies (
    id            TEXT PRIMARY KEY,
    group_id      TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    schema_name   TEXT NOT NULL,
    table_name    TEXT NOT NULL,
    filter        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT REFERENCES users(id) ON DELETE SET NULL
);

-- What is personal in each column: categories with confidence and evidence (never a
-- sampled value), an admin's verdict that survives rescans, and the mask to apply.
CREATE TABLE classifications (
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    schema_name   TEXT NOT NULL,
    table_name    TEXT NOT NULL,
    column_name   TEXT NOT NULL,
    categories    TEXT NOT NULL DEFAULT '[]',
    status        TEXT NOT NULL DEFAULT 'suggested' CHECK (status IN ('suggested', 'confirmed', 'rejected')),
    mask          TEXT CHECK (mask IN ('redact', 'partial', 'hash', 'generalize')),
    updated_at    TEXT NOT NULL,
    updated_by    TEXT REFERENCES users(id) ON DELETE SET NULL,
    PRIMARY KEY (connection_id, schema_name, table_name, column_name)
);
