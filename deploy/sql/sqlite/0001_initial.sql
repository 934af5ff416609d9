-- CareTwin SQLite schema, version 1: grain state, journals with snapshots, reminders.
-- CareTwin applies it at start; by hand in one transaction, see deploy/README.md. Harmless when run twice.
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS grain_state (
    grain_type TEXT NOT NULL, grain_key TEXT NOT NULL, state_name TEXT NOT NULL,
    version INTEGER NOT NULL, payload TEXT,
    PRIMARY KEY (grain_type, grain_key, state_name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal (
    grain_type TEXT NOT NULL, grain_key TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT NOT NULL,
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (grain_type, grain_key, version)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal_snapshot (
    grain_type TEXT NOT NULL, grain_key TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT NOT NULL,
    PRIMARY KEY (grain_type, grain_key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reminder (
    grain_type TEXT NOT NULL, grain_key TEXT NOT NULL, reminder_name TEXT NOT NULL,
    start_at INTEGER NOT NULL, period_ms INTEGER NOT NULL, version INTEGER NOT NULL,
    PRIMARY KEY (grain_type, grain_key, reminder_name)) WITHOUT ROWID;
INSERT INTO schema_version (version) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM schema_version WHERE version = 1);
