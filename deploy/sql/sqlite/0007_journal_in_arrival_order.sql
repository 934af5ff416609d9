-- CareTwin SQLite schema, step 7: journal entries are stored in the order they arrive, and each entry's link (its
-- hash, step 6) says where its entry is. Before, entries were kept in journal order (by grain, then number), so a
-- group commit of entries for 100 different trails rewrote 100 pages of entries and 100 of links; now the entries of
-- one commit share the newest pages and only the links, a few dozen bytes each, are kept per journal. The store's
-- writer spends about 40 % less on an append (bench/results/storage.md).
--   journal_entry: one row per entry, in arrival order; `id` is where it is.
--   journal_link:  one row per entry, kept per journal and number: its hash and the `id` of its entry. The newest
--                  link of a journal is how far it was written, as journal_hash's was.
-- The entries and links already stored move here unchanged (an entry that had lost its link keeps none, and a link
-- whose entry had been deleted keeps no entry, so verify-audit reports them as before); journal and journal_hash go.
-- CareTwin applies it at start; by hand in one transaction, see deploy/README.md. Harmless when run twice: run again,
-- it finds journal and journal_hash empty (it creates them empty for that), moves nothing and drops them again.
CREATE TABLE IF NOT EXISTS journal_entry (
    id INTEGER PRIMARY KEY,
    grain_type TEXT NOT NULL, grain_key TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT NOT NULL,
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
CREATE TABLE IF NOT EXISTS journal_link (
    grain_type TEXT NOT NULL, grain_key TEXT NOT NULL, version INTEGER NOT NULL, hash BLOB NOT NULL, entry INTEGER,
    PRIMARY KEY (grain_type, grain_key, version)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal (
    grain_type TEXT NOT NULL, grain_key TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT NOT NULL,
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (grain_type, grain_key, version)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal_hash (
    grain_type TEXT NOT NULL, grain_key TEXT NOT NULL, version INTEGER NOT NULL, hash BLOB NOT NULL,
    PRIMARY KEY (grain_type, grain_key, version)) WITHOUT ROWID;
INSERT INTO journal_entry (grain_type, grain_key, version, payload, recorded_at)
    SELECT grain_type, grain_key, version, payload, recorded_at FROM journal ORDER BY recorded_at, grain_type, grain_key, version;
-- Only while the links find their entries (a moment for a million entries); appends never need it.
CREATE INDEX IF NOT EXISTS journal_entry_moving ON journal_entry (grain_type, grain_key, version);
INSERT INTO journal_link (grain_type, grain_key, version, hash, entry)
    SELECT l.grain_type, l.grain_key, l.version, l.hash,
           (SELECT e.id FROM journal_entry e WHERE e.grain_type = l.grain_type AND e.grain_key = l.grain_key AND e.version = l.version)
    FROM journal_hash l;
DROP INDEX journal_entry_moving;
DROP TABLE journal;
DROP TABLE journal_hash;
INSERT INTO schema_version (version) SELECT 7 WHERE NOT EXISTS (SELECT 1 FROM schema_version WHERE version = 7);
