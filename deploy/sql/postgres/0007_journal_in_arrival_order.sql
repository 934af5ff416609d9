-- CareTwin PostgreSQL schema, step 7: nothing. On SQLite this step stores journal entries in the order they arrive
-- (see deploy/sql/sqlite/0007_journal_in_arrival_order.sql); PostgreSQL already does (a table's rows go where there is
-- room, and only its index is kept in journal order). The step exists so both dialects count the same versions.
-- CareTwin applies it at start; by hand in one transaction, see deploy/README.md. Harmless when run twice.
INSERT INTO schema_version (version) VALUES (7) ON CONFLICT (version) DO NOTHING;
