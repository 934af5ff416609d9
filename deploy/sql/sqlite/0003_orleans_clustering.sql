-- CareTwin SQLite schema, version 3: nothing. An embedded SQLite database serves one node, which needs no cluster
-- membership; a cluster keeps its membership in PostgreSQL (deploy/sql/postgres/0003_orleans_clustering.sql). The
-- step exists so both dialects count the same versions.
INSERT INTO schema_version (version) SELECT 3 WHERE NOT EXISTS (SELECT 1 FROM schema_version WHERE version = 3);
