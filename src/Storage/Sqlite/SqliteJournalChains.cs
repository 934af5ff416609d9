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

    // Entries with their links, in the links' own order (journal, then number: no sort, no temporary file however
    // large the store); an entry its link no longer finds (deleted by hand) comes back without a payload.
    private const string LinkedEntriesSql =
        """
        SELECT l.grain_type, l.grain_key, l.version, e.payload, l.hash FROM journal_link l
        LEFT JOIN journal_entry e ON e.id = l.entry AND e.grain_type = l.grain_type AND e.grain_key = l.grain_key AND e.version = l.version
        ORDER BY l.grain_type, l.grain_key, l.version
        """;

    // Entries no link points at: put there by hand, or their link removed. None in an intact store.
    private const string UnlinkedEntriesSql =
        """
        SELECT e.grain_type, e.grain_key, e.version, e.payload FROM journal_entry e
        WHERE NOT EXISTS (SELECT 1 FROM journal_link l
            WHERE l.grain_type = e.grain_type AND l.grain_key = e.grain_key AND l.version = e.version AND l.entry = e.id)
        ORDER BY e.grain_type, e.grain_key, e.version
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
        var unlinked = Unlinked(connection, tx);
        RecordKey? current = null;
        using (var linked = Command(connection, tx, LinkedEntriesSql))
        using (var reader = linked.ExecuteReader())
        {
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var record = new RecordKey(reader.GetString(0), reader.GetString(1));
                var version = reader.GetInt32(2);
                if (record != current)
                {
                    if (current is { } finished) unlinked.AddRest(verifier, finished);
                    current = record;
                }
                // Each journal's entries in number order, a linked entry before an unlinked one with its number.
                unlinked.AddBefore(verifier, record, version);
                if (!reader.IsDBNull(3)) verifier.Add(record, version, reader.GetString(3), (byte[])reader.GetValue(4));
                unlinked.AddBefore(verifier, record, version + 1);
            }
        }
        if (current is { } last) unlinked.AddRest(verifier, last);
        unlinked.AddAll(verifier);
        tx.Rollback();
        return new ChainCheck(store, verifier.Complete(), seal);
    }

    private static UnlinkedEntries Unlinked(SqliteConnection connection, SqliteTransaction tx)
    {
        var entries = new UnlinkedEntries();
        using var read = Command(connection, tx, UnlinkedEntriesSql);
        using var reader = read.ExecuteReader();
        while (reader.Read()) entries.Add(new RecordKey(reader.GetString(0), reader.GetString(1)), reader.GetInt32(2), reader.GetString(3));
        return entries;
    }

    /// <summary>The unlinked entries, held per journal in number order until the check reaches their place.</summary>
    private sealed class UnlinkedEntries
    {
        private readonly Dictionary<RecordKey, Queue<(int Version, string Payload)>> _byJournal = [];

        public void Add(RecordKey record, int version, string payload)
        {
            if (!_byJournal.TryGetValue(record, out var queue)) _byJournal[record] = queue = new();
            queue.Enqueue((version, payload));
        }

        /// <summary>Those of the journal numbered below <paramref name="version"/>.</summary>
        public void AddBefore(ChainVerifier verifier, RecordKey record, int version)
        {
            if (!_byJournal.TryGetValue(record, out var queue)) return;
            while (queue.TryPeek(out var entry) && entry.Version < version)
            {
                queue.Dequeue();
                verifier.Add(record, entry.Version, entry.Payload, null);
            }
        }

        /// <summary>The rest of the journal's, once its links are all read.</summary>
        public void AddRest(ChainVerifier verifier, RecordKey record)
        {
            AddBefore(verifier, record, int.MaxValue);
            _byJournal.Remove(record);
        }

        /// <summary>Those of journals with no link at all.</summary>
        public void AddAll(ChainVerifier verifier)
        {
            foreach (var record in _byJournal.Keys.ToList()) AddRest(verifier, record);
        }
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
