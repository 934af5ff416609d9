-- CareTwin PostgreSQL schema, step 4: ASP.NET Core data-protection keys, shared by every node on this database, so a
-- sign-in cookie or form token one node issued is honoured by the others. One row per element the framework stores
-- (a key, or a revocation) as its XML, encrypted with a certificate when DataProtection:CertificatePath is set.
-- Rows are only added: an expired key still reads what it protected. Numbered 4 beside step 3, written at the same
-- time; either may reach a database first (see deploy/README.md, "Schema").
-- CareTwin applies it at start; by hand in one transaction, see deploy/README.md. Harmless when run twice.
SELECT pg_advisory_xact_lock(7220806350291914001);

CREATE TABLE IF NOT EXISTS data_protection_key (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name      text        NOT NULL,
    xml       text        NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now());

INSERT INTO schema_version (version) VALUES (4) ON CONFLICT (version) DO NOTHING;
