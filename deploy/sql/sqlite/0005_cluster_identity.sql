-- CareTwin SQLite schema, version 5: nothing. An embedded SQLite database serves one node and belongs to no cluster
-- (see deploy/sql/postgres/0005_cluster_identity.sql). The step exists so both dialects count the same versions.
INSERT INTO schema_version (version) SELECT 5 WHERE NOT EXISTS (SELECT 1 FROM schema_version WHERE version = 5);
