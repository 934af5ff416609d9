using System.Globalization;
using CareTwin.Storage.Chains;
using Microsoft.Data.Sqlite;

namespace CareTwin.Storage.Sqlite;

/// <summary>
/// Checks every journal chain of a SQLite store, read-only: the file is opened read-only (never created, migrated or
/// checkpointed, and no -wal or -shm file is left beside it) and read in one transaction, so a host writing at the
/// same time is seen as of one moment.
/// </summary>
public static class SqliteJournalChains
{
    public static Task<ChainCheck> CheckAsync(string dataSource, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(dataSource);
        if (!File.Exists(path))
            return Task.FromException<ChainCheck>(new ChainCheckUnavailableException(
                $"There is no SQLite database at {path}: nothing to check (is Storage:Sqlite:DataSource right?)."));
        // SQLite reads synchronously: off the caller's thread.
        return Task.Run(() =>
        {
            try
            {
                // No -wal file: no host has the database open (a host keeps it from start to stop). Read it as immutable
                // then, since even a read-only connection would otherwise leave new -wal and -shm files beside it, owned
                // by whoever ran the check. If a host started meanwhile, its -wal file is there now: check again through it.
                var wal = path + "-wal";
                if (!File.Exists(wal))
                {
                    var check = Check(path, immutable: true, cancellationToken);
                    if (!File.Exists(wal)) return check;
                }
                return Check(path, immutable: false, cancellationToken);
            }
            catch (SqliteException ex)
            {
                throw new ChainCheckUnavailableException($"Cannot read the SQLite database at {path}: {ex.Message.ReplaceLineEndings(" ")}", ex);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Every entry with its link (none if it has none), grouped by journal and in number order, as the check and the
    /// sealing of pre-chain entries read them: type, key, version, payload, hash, entry id. A link counts only
    /// where it points at the entry; of two entries with one number, the linked one comes first.
    /// </summary>
    internal const string EntriesWithLinksSql =
        """
        SELECT e.grain_type, e.grain_key, e.version, e.payload, l.hash, e.id FROM journal_entry e
        LEFT JOIN journal_link l ON l.grain_type = e.grain_type AND l.grain_key = e.grain_key AND l.version = e.version AND l.entry = e.id
        ORDER BY e.grain_type, e.grain_key, e.version, l.hash IS NULL
        """;

    private static ChainCheck Check(string path, bool immutable, CancellationToken cancellationToken)
    {
        var store = $"SQLite {path}";
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = immutable ? new Uri(path).AbsoluteUri + "?immutable=1" : path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        using var tx = connection.BeginTransaction(deferred: true);

        ChainSchema.Require("sqlite", AppliedSteps(connection, tx), store);
        ChainSeal? seal = null;
        using (var sealRow = Command(connection, tx, $"SELECT sealed_at, entries FROM journal_chain_seal WHERE step = {ChainSchema.Step}"))
        using (var reader = sealRow.ExecuteReader())
        {
            if (reader.Read())
            {
                if (reader.IsDBNull(0))
                    throw new ChainCheckUnavailableException(
                        $"{store}: the entries stored before schema step {ChainSchema.Step} are not chained yet (the step was run by hand): start this CareTwin once, which chains them, then check again.");
                seal = new ChainSeal(DateTimeOffset.Parse(reader.GetString(0), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), reader.GetInt64(1));
            }
        }

        // How far each journal was written: its newest link (links are only added, with their entries).
        var heads = new Dictionary<RecordKey, int>();
        using (var headRows = Command(connection, tx, "SELECT grain_type, grain_key, MAX(version) FROM journal_link GROUP BY grain_type, grain_key"))
        using (var reader = headRows.ExecuteReader())
            while (reader.Read()) heads[new RecordKey(reader.GetString(0), reader.GetString(1))] = reader.GetInt32(2);

        var verifier = new ChainVerifier(heads);
        using (var entries = Command(connection, tx, EntriesWithLinksSql))
        using (var reader = entries.ExecuteReader())
        {
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                verifier.Add(new RecordKey(reader.GetString(0), reader.GetString(1)), reader.GetInt32(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetValue(4) as byte[] ?? []);
            }
        }
        tx.Rollback();
        return new ChainCheck(store, verifier.Complete(), seal);
    }

    private static HashSet<int> AppliedSteps(SqliteConnection connection, SqliteTransaction tx)
    {
        var applied = new HashSet<int>();
        using (var exists = Command(connection, tx, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"))
            if (exists.ExecuteScalar() is null) return applied;
        using var read = Command(connection, tx, "SELECT DISTINCT version FROM schema_version");
        using var reader = read.ExecuteReader();
        while (reader.Read()) applied.Add(reader.GetInt32(0));
        return applied;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, string sql) =>
        new(sql, connection, tx);
}
