-- CareTwin PostgreSQL schema, version 5: which cluster this database belongs to.
-- CareTwin applies it at start; by hand in one transaction, see deploy/README.md. Harmless when run twice.
-- The first node that starts with Orleans__Membership=Postgres records its cluster and service ids here; a node
-- configured with others is refused at start, because it would form a second cluster that runs the same
-- children's twins beside the first.
SELECT pg_advisory_xact_lock(7220806350291914001);

CREATE TABLE IF NOT EXISTS cluster_identity (
    singleton  boolean     NOT NULL DEFAULT true PRIMARY KEY CHECK (singleton),
    cluster_id text        NOT NULL,
    service_id text        NOT NULL,
    claimed_at timestamptz NOT NULL DEFAULT now());

INSERT INTO schema_version (version) VALUES (5) ON CONFLICT (version) DO NOTHING;
