-- The source table's foreign keys at each replica version (JSON list), so a replica
-- serving while its source is down still knows them. Versions from before: none known.
ALTER TABLE replica_versions ADD COLUMN foreign_keys TEXT NOT NULL DEFAULT '[]';
