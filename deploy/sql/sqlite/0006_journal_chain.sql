-- CareTwin SQLite schema, step 6: every journal (a child's events, an audit trail) becomes a hash chain, so an entry
-- edited, removed or added by hand is found by `CareTwin.Silo verify-audit`.
-- journal_hash.hash of entry n = SHA-256(hash of entry n-1 || len(T) || T || len(K) || K || n || len(P) || P), where
-- T, K and P are the UTF-8 grain type, key and payload and every length and n are 4-byte big-endian integers; entry
-- 1 follows the genesis link SHA-256('CareTwin journal chain v1'). See src/Storage/Chains/JournalChain.cs.
-- SQLite has no SHA-256 and cannot add a column only if it is missing, so the links live beside the journal (one
-- row per entry, written by CareTwin in the transaction that appends the entry, from the stored link before it).
-- Links are only ever added, so the newest one of a journal also records how far it was written (as journal_head
-- does on PostgreSQL), which reveals the newest entries being deleted. The entries already stored are chained by
-- CareTwin's next start: this step marks them in journal_chain_seal (sealed_at empty), and the start fills in when
-- and how many.
-- CareTwin applies it at start; by hand in one transaction, see deploy/README.md. Harmless when run twice.
CREATE TABLE IF NOT EXISTS journal_hash (
    grain_type TEXT NOT NULL, grain_key TEXT NOT NULL, version INTEGER NOT NULL, hash BLOB NOT NULL,
    PRIMARY KEY (grain_type, grain_key, version)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal_chain_seal (step INTEGER PRIMARY KEY, sealed_at TEXT, entries INTEGER);
INSERT OR IGNORE INTO journal_chain_seal (step, sealed_at, entries)
    SELECT 6, NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM schema_version WHERE version = 6) AND EXISTS (SELECT 1 FROM journal);
INSERT INTO schema_version (version) SELECT 6 WHERE NOT EXISTS (SELECT 1 FROM schema_version WHERE version = 6);
