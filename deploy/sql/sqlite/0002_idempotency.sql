-- CareTwin SQLite schema, version 2: results of external pushes by (scope, key), e.g. (source system, external id).
-- CareTwin applies it at start; by hand in one transaction, see deploy/README.md. Harmless when run twice.
CREATE TABLE IF NOT EXISTS idempotency (
    scope TEXT NOT NULL, key TEXT NOT NULL, result TEXT NOT NULL,
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (scope, key)) WITHOUT ROWID;
INSERT INTO schema_version (version) SELECT 2 WHERE NOT EXISTS (SELECT 1 FROM schema_version WHERE version = 2);
