-- Instance settings an admin changes at run time (JSON values), e.g. whether public links
-- may be made.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Public links to a question or dashboard. Only a SHA-256 of the link's token is kept, so
-- a copy of the database hands out no live link; every link expires.
CREATE TABLE public_links (
    id          TEXT PRIMARY KEY,
    content_id  TEXT NOT NULL REFERENCES contents(id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_by  TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT,
    last_used_at TEXT
);
CREATE INDEX public_links_content ON public_links (content_id);
