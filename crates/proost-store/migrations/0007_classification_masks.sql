-- Masks for free text (`spans`: what a note mentions is masked in place; `spans_strict`: a
-- note that mentions a special category is redacted whole), and per-attribute findings of
-- the value column of a key-value table:
--   {"key": "<key column>", "attributes": {"<attribute>": [{"category", ...}], ...}}
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt.
CREATE TABLE classifications_new (
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    schema_name   TEXT NOT NULL,
    table_name    TEXT NOT NULL,
    column_name   TEXT NOT NULL,
    categories    TEXT NOT NULL DEFAULT '[]',
    status        TEXT NOT NULL DEFAULT 'suggested' CHECK (status IN ('suggested', 'confirmed', 'rejected')),
    mask          TEXT CHECK (mask IN ('redact', 'partial', 'hash', 'generalize', 'spans', 'spans_strict')),
    attributes    TEXT,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT REFERENCES users(id) ON DELETE SET NULL,
    PRIMARY KEY (connection_id, schema_name, table_name, column_name)
);
INSERT INTO classifications_new (connection_id, schema_name, table_name, column_name,
    categories, status, mask, updated_at, updated_by)
SELECT connection_id, schema_name, table_name, column_name, categories, status, mask,
    updated_at, updated_by
FROM classifications;
DROP TABLE classifications;
ALTER TABLE classifications_new RENAME TO classifications;
