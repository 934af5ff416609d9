-- CareTwin PostgreSQL schema, version 1: grain state, journals with snapshots, reminders.
-- CareTwin applies it at start; by hand in one transaction, see deploy/README.md. Harmless when run twice.
-- The lock serializes this with a CareTwin host migrating the same database at the same moment.
SELECT pg_advisory_xact_lock(7220806350291914001);

CREATE TABLE IF NOT EXISTS schema_version (
    version    integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now());

-- Payloads are text, not jsonb: jsonb reorders keys, and the runtime JSON needs its "$type" first.
-- version is the ETag. A cleared state keeps its row with a null payload and a new version,
-- so a writer holding a tag from before the clear is still refused.
CREATE TABLE IF NOT EXISTS grain_state (
    grain_type text   NOT NULL,
    grain_key  text   NOT NULL,
    state_name text   NOT NULL,
    version    bigint NOT NULL,
    payload    text,
    PRIMARY KEY (grain_type, grain_key, state_name));

-- Append-only: event n of a grain is the row with version n. The key makes a second event n impossible.
CREATE TABLE IF NOT EXISTS journal (
    grain_type  text        NOT NULL,
    grain_key   text        NOT NULL,
    version     integer     NOT NULL,
    payload     text        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (grain_type, grain_key, version));

-- The version each journal has reached. An append moves it from the version the writer read to the new
-- one in the same statement that inserts the events, so a concurrent append waits on this row and is refused.
CREATE TABLE IF NOT EXISTS journal_head (
    grain_type text    NOT NULL,
    grain_key  text    NOT NULL,
    version    integer NOT NULL,
    PRIMARY KEY (grain_type, grain_key));

-- The newest snapshot only.
CREATE TABLE IF NOT EXISTS journal_snapshot (
    grain_type text    NOT NULL,
    grain_key  text    NOT NULL,
    version    integer NOT NULL,
    payload    text    NOT NULL,
    PRIMARY KEY (grain_type, grain_key));

-- start_at is UTC ticks (100 ns since 0001-01-01), exact like the SQLite store; timestamptz would round to 1 us.
CREATE TABLE IF NOT EXISTS reminder (
    grain_type    text   NOT NULL,
    grain_key     text   NOT NULL,
    reminder_name text   NOT NULL,
    start_at      bigint NOT NULL,
    period_ms     bigint NOT NULL,
    version       bigint NOT NULL,
    PRIMARY KEY (grain_type, grain_key, reminder_name));

INSERT INTO schema_version (version) VALUES (1) ON CONFLICT (version) DO NOTHING;
