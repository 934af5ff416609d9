-- CareTwin PostgreSQL schema, version 2: results of external pushes by (scope, key), e.g. (source system, external id).
-- CareTwin applies it at start; by hand in one transaction, see deploy/README.md. Harmless when run twice.
SELECT pg_advisory_xact_lock(7220806350291914001);

CREATE TABLE IF NOT EXISTS idempotency (
    scope       text        NOT NULL,
    key         text        NOT NULL,
    result      text        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key));

INSERT INTO schema_version (version) VALUES (2) ON CONFLICT (version) DO NOTHING;
