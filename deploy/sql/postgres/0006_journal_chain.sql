-- CareTwin PostgreSQL schema, step 6: every journal (a child's events, an audit trail) becomes a hash chain, so an
-- entry edited, removed or added by hand is found by `CareTwin.Silo verify-audit`.
-- journal.hash of entry n = SHA-256(hash of entry n-1 || len(T) || T || len(K) || K || n || len(P) || P), where T, K
-- and P are the UTF-8 grain type, key and payload and every length and n are 4-byte big-endian integers; entry 1
-- follows the genesis link SHA-256('CareTwin journal chain v1'). The same as src/Storage/Chains/JournalChain.cs.
-- CareTwin's append statement computes it with caretwin_journal_hash from the stored entry before, in the statement
-- that inserts the entries; a trigger does the same for a row inserted without one (a node of an older release still
-- running during a rolling upgrade), so every writer's entries are chained.
-- Entries already stored are chained once here, as they stand; journal_chain_seal records when and how many, since
-- the chain cannot speak for what happened to them before. journal_head (step 1) already records the version each
-- journal was written up to, which reveals the newest entries being deleted.
-- Rewrites every journal row once; appends wait for it (measured in deploy/README.md, "Schema").
-- CareTwin applies it at start; by hand in one transaction, see deploy/README.md. Harmless when run twice.
SELECT pg_advisory_xact_lock(7220806350291914001);

ALTER TABLE journal ADD COLUMN IF NOT EXISTS hash bytea;

-- STABLE, not IMMUTABLE, as convert_to is: only then is the body inlined where it is called (~3x cheaper, measured).
CREATE OR REPLACE FUNCTION caretwin_journal_hash(previous bytea, grain_type text, grain_key text, version integer, payload text)
RETURNS bytea LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
    SELECT sha256(previous
        || int4send(octet_length(convert_to(grain_type, 'UTF8'))) || convert_to(grain_type, 'UTF8')
        || int4send(octet_length(convert_to(grain_key, 'UTF8'))) || convert_to(grain_key, 'UTF8')
        || int4send(version)
        || int4send(octet_length(convert_to(payload, 'UTF8'))) || convert_to(payload, 'UTF8'))
$$;

-- For rows inserted without a hash: chains to entry n-1's stored hash, or to the genesis link when there is none
-- (entry 1; or a gap, which the check reports). The lookup goes into a variable first: with the subquery as an
-- argument the hash function is not inlined, and a row costs several times more.
CREATE OR REPLACE FUNCTION caretwin_journal_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    previous bytea;
BEGIN
    SELECT j.hash INTO previous FROM journal j
    WHERE j.grain_type = NEW.grain_type AND j.grain_key = NEW.grain_key AND j.version = NEW.version - 1;
    NEW.hash := caretwin_journal_hash(
        coalesce(previous, '\x75e1bcd043653f5b22d6d7b837b8f8df17830b6d74327f9d7e86bfec529c1715'::bytea),
        NEW.grain_type, NEW.grain_key, NEW.version, NEW.payload);
    RETURN NEW;
END
$$;

CREATE TABLE IF NOT EXISTS journal_chain_seal (
    step      integer     PRIMARY KEY,
    sealed_at timestamptz NOT NULL,
    entries   bigint      NOT NULL);

-- The entries stored before this step, chained in order as they stand.
DO $$
DECLARE
    entry   record;
    link    bytea;
    last_type text;
    last_key  text;
    last_version integer;
    sealed  bigint := 0;
BEGIN
    IF NOT EXISTS (SELECT FROM journal WHERE hash IS NULL) THEN
        RETURN;
    END IF;
    FOR entry IN SELECT grain_type, grain_key, version, payload, hash FROM journal ORDER BY grain_type, grain_key, version LOOP
        IF entry.hash IS NOT NULL THEN
            link := entry.hash;
        ELSE
            link := caretwin_journal_hash(
                CASE WHEN entry.grain_type = last_type AND entry.grain_key = last_key AND entry.version = last_version + 1 THEN link
                     ELSE '\x75e1bcd043653f5b22d6d7b837b8f8df17830b6d74327f9d7e86bfec529c1715'::bytea END,
                entry.grain_type, entry.grain_key, entry.version, entry.payload);
            UPDATE journal SET hash = link
            WHERE grain_type = entry.grain_type AND grain_key = entry.grain_key AND version = entry.version;
            sealed := sealed + 1;
        END IF;
        last_type := entry.grain_type;
        last_key := entry.grain_key;
        last_version := entry.version;
    END LOOP;
    INSERT INTO journal_chain_seal (step, sealed_at, entries) VALUES (6, now(), sealed) ON CONFLICT (step) DO NOTHING;
END
$$;

ALTER TABLE journal ALTER COLUMN hash SET NOT NULL;

DROP TRIGGER IF EXISTS journal_chain ON journal;
CREATE TRIGGER journal_chain BEFORE INSERT ON journal FOR EACH ROW WHEN (NEW.hash IS NULL) EXECUTE FUNCTION caretwin_journal_chain();

INSERT INTO schema_version (version) VALUES (6) ON CONFLICT (version) DO NOTHING;
