-- CareTwin SQLite schema, step 4: ASP.NET Core data-protection keys (they protect sign-in cookies and form tokens).
-- One row per element the framework stores (a key, or a revocation) as its XML, encrypted with a certificate when
-- DataProtection:CertificatePath is set. Rows are only added: an expired key still reads what it protected.
-- Numbered 4 beside step 3, written at the same time; either may reach a database first (see deploy/README.md).
-- CareTwin applies it at start; by hand in one transaction, see deploy/README.md. Harmless when run twice.
CREATE TABLE IF NOT EXISTS data_protection_key (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, xml TEXT NOT NULL,
    stored_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
INSERT INTO schema_version (version) SELECT 4 WHERE NOT EXISTS (SELECT 1 FROM schema_version WHERE version = 4);
