-- Data-subject requests (access, correction, erasure, objection, unsubscribe).
--
-- Who the request is about (email, identifiers, the requester's passphrase or recipient)
-- is sealed with the request's own data key, wrapped under the master key like a
-- connection's. Completing an erasure destroys that key (and the sealed subject): the
-- request stays as proof of what was done, about "erased subject #N".
CREATE TABLE privacy_requests (
    id               TEXT PRIMARY KEY,
    number           INTEGER NOT NULL UNIQUE,
    kind             TEXT NOT NULL CHECK (kind IN ('access', 'correction', 'erasure', 'objection', 'unsubscribe')),
    -- verifying → pending → approved → completed | failed; denied from verifying or pending
    status           TEXT NOT NULL,
    regime           TEXT NOT NULL CHECK (regime IN ('gdpr', 'ccpa')),
    -- the Proost user the request is about, when the subject is one (no foreign key: it
    -- outlives an erased user as a pseudonym)
    subject_user_id  TEXT,
    -- who filed: a logged-in user's id, or NULL when filed by email from the public page
    filed_by         TEXT,
    wrapped_dek      BLOB,
    sealed_subject   BLOB,
    received_at      TEXT NOT NULL,
    due_at           TEXT NOT NULL,
    extended_at      TEXT,
    extension_reason TEXT,
    -- email verification of public filings: SHA-256 of the code, its expiry, attempts
    code_hash        TEXT,
    code_expires_at  TEXT,
    code_attempts    INTEGER NOT NULL DEFAULT 0,
    decided_by       TEXT,
    decided_at       TEXT,
    deny_code        TEXT,
    deny_note        TEXT,
    completed_at     TEXT,
    -- what was done (JSON; counts and places, never a personal value)
    outcome          TEXT,
    error            TEXT,
    -- access bundles: the file under <data dir>/privacy/bundles, when it goes, and the
    -- SHA-256 of the requester's download token
    bundle_file      TEXT,
    bundle_expires_at TEXT,
    download_hash    TEXT
);
CREATE INDEX privacy_requests_status ON privacy_requests (status, due_at);

-- People erased by a request: their id (now a pseudonym nothing links back to a person)
-- gets a number the audit log shows instead ("erased subject #N").
CREATE TABLE erased_subjects (
    number     INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    TEXT NOT NULL UNIQUE,
    request_id TEXT,
    erased_at  TEXT NOT NULL
);

-- The keys that seal the personal fields of audit entries: one per person and month, so
-- erasing the person (cascade) or the retention of audit personal fields (older months)
-- shreds those fields while the hash chain, over the sealed form, still verifies.
CREATE TABLE audit_keys (
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    month       TEXT NOT NULL,
    wrapped_dek BLOB NOT NULL,
    PRIMARY KEY (user_id, month)
);

-- The built-in privacy officer: works the request queue, nothing else of an admin's.
INSERT INTO roles (name, capabilities, created_at)
VALUES ('privacy_officer', '["privacy_requests"]', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
