-- Privacy operations: how long each kind of record is kept, legal holds that suspend
-- deletion, the retention sweeps' reports, and the breach log (GDPR Art. 33(5)).
--
-- Only ids of people are kept here (never an email or a name), and a person's deletion
-- leaves the records in place with the actor cleared (ON DELETE SET NULL).

-- A record type's retention, set by an admin; a type without a row keeps its default.
CREATE TABLE retention_policies (
    record_type TEXT PRIMARY KEY,
    keep_days   INTEGER NOT NULL CHECK (keep_days >= 0),
    updated_at  TEXT NOT NULL,
    updated_by  TEXT REFERENCES users(id) ON DELETE SET NULL
);

-- What each retention sweep removed, per record type (JSON), newest last. Old reports
-- are pruned by the sweep itself.
CREATE TABLE retention_sweeps (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     TEXT NOT NULL,
    actor  TEXT REFERENCES users(id) ON DELETE SET NULL,
    report TEXT NOT NULL
);

-- A legal hold on a person or a connection: while it is not released, the retention
-- sweep keeps that person's records (or that connection's scan results), and a person on
-- hold is not erased. `target_id` is a user or connection id, deliberately not a foreign
-- key: the hold outlives what it names.
CREATE TABLE legal_holds (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('user', 'connection')),
    target_id   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_by  TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    released_at TEXT,
    released_by TEXT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX legal_holds_active ON legal_holds(kind, target_id) WHERE released_at IS NULL;

-- Personal-data breaches (Art. 33(5)): the facts, their effects and the remedial action,
-- whether or not they were reported to the supervisory authority. `categories` is a JSON
-- array of the classifier's category ids.
CREATE TABLE breaches (
    id                       TEXT PRIMARY KEY,
    facts                    TEXT NOT NULL,
    effects                  TEXT NOT NULL,
    remedial_action          TEXT NOT NULL,
    discovered_at            TEXT NOT NULL,
    occurred_at              TEXT,
    reported_to_authority_at TEXT,
    subjects_affected        INTEGER CHECK (subjects_affected IS NULL OR subjects_affected >= 0),
    categories               TEXT NOT NULL DEFAULT '[]',
    status                   TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at               TEXT NOT NULL,
    created_by               TEXT REFERENCES users(id) ON DELETE SET NULL,
    updated_at               TEXT NOT NULL,
    updated_by               TEXT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX breaches_discovered ON breaches(discovered_at);
