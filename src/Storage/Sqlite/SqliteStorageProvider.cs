using System.Globalization;
using CareTwin.Storage.Chains;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CareTwin.Storage.Sqlite;

public sealed class SqliteStorageOptions
{
    /// <summary>Path of the database file; created with its schema on first start.</summary>
    public string DataSource { get; set; } = "caretwin.db";

    /// <summary>Most writes committed in one transaction (group commit).</summary>
    public int MaxBatchSize { get; set; } = 512;
}

/// <summary>
/// The embedded default store: one SQLite file in WAL mode with synchronous=FULL, so a write is on disk when
/// its task completes. All writes go through one writer connection that commits whatever has queued up in a
/// single transaction (group commit); each write runs under its own savepoint, so one refused write (a stale
/// ETag, a journal conflict) does not undo the others. Reads use their own pooled connections and never wait
/// for the writer.
/// </summary>
public sealed class SqliteStorageProvider : IStorageProvider, IAsyncDisposable
{
    private static readonly SchemaMigrations Migrations = SchemaMigrations.Load("sqlite");

    private readonly SqliteStorageOptions _options;
    private readonly string _connectionString;
    private readonly GroupCommit<ISqliteWrite> _commits;
    private SqliteConnection? _writerConnection;
    private readonly ILogger _log;
    private AppendStatements? _appendStatements;
    private WalCheckpoints? _checkpoints;

    public SqliteStorageProvider(SqliteStorageOptions options, ILogger<SqliteStorageProvider>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataSource, nameof(options.DataSource));
        _options = options;
        _log = logger ?? NullLogger<SqliteStorageProvider>.Instance;
        _commits = new GroupCommit<ISqliteWrite>(options.MaxBatchSize, CommitBatch,
            (ex, count) => _log.LogError(ex, "A group commit of {Count} writes to {DataSource} failed", count, options.DataSource), dedicatedThread: true);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DataSource,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The schema version this code writes; a newer database is refused rather than misread.</summary>
    public static int SchemaVersion => Migrations.Latest;

    /// <summary>Batches committed so far (tests check that concurrent writes shared commits).</summary>
    internal long CommittedBatches => _commits.CommittedBatches;

    /// <summary>Background checkpoints that had copied WAL frames into the database so far.</summary>
    internal long BackgroundCheckpoints => _checkpoints?.CheckpointsThatCopied ?? 0;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(_options.DataSource));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // A checkpoint copies the WAL's pages back into the database. At SQLite's default (1,000 pages) the writer ran
            // one every dozen group commits, copying the same hot pages each time; at 8,000 pages (a WAL of up to ~32 MB)
            // appends went from ~12,000/s to ~17,500/s on one writer, and WalCheckpoints copies most of them meanwhile so
            // the writer seldom stalls for long (bench/results/storage.md). The writer's page cache
            // (64 MB, not 2 MB) holds the pages every commit touches: at 2 MB it re-read them from the file and the WAL,
            // 6.8 % of the host's CPU under GetJourney (bench/results/end-to-end.md).
            Execute(connection, null, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA wal_autocheckpoint=8000; PRAGMA cache_size=-65536;");
            EnsureSchema(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        _writerConnection = connection;
        _commits.Start();
        _checkpoints = new WalCheckpoints(_connectionString, () => _commits.CommittedBatches, _log);
    }

    public async ValueTask DisposeAsync()
    {
        if (_checkpoints is not null) await _checkpoints.DisposeAsync();
        await _commits.DisposeAsync();
        _appendStatements?.Dispose();
        if (_writerConnection is not null) await _writerConnection.DisposeAsync();
        // Only this store's pooled readers: other stores in the process keep theirs.
        using var pooled = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(pooled);
    }

    // ---- grain state ---------------------------------------------------------------------------------------

    public Task<StoredState?> ReadStateAsync(RecordKey grainId, string stateName, CancellationToken cancellationToken) =>
        Read(connection =>
        {
            using var command = Command(connection, null,
                "SELECT payload, version FROM grain_state WHERE grain_type=$type AND grain_key=$key AND state_name=$name",
                grainId, ("$name", stateName));
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new StoredState(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture))
                : null;
        });

    public Task<string> WriteStateAsync(RecordKey grainId, string stateName, string payload, string? expectedEtag, CancellationToken cancellationToken) =>
        Write((connection, tx) => PutState(connection, tx, grainId, stateName, payload, expectedEtag));

    public Task<string> ClearStateAsync(RecordKey grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken) =>
        Write((connection, tx) => PutState(connection, tx, grainId, stateName, null, expectedEtag));

    private static string PutState(SqliteConnection connection, SqliteTransaction tx, RecordKey grainId, string stateName, string? payload, string? expectedEtag)
    {
        using var select = Command(connection, tx,
            "SELECT version FROM grain_state WHERE grain_type=$type AND grain_key=$key AND state_name=$name", grainId, ("$name", stateName));
        var stored = select.ExecuteScalar() is long v ? v.ToString(CultureInfo.InvariantCulture) : null;
        if (stored != expectedEtag) throw StorageConflicts.StaleState(grainId, stateName, stored, expectedEtag);
        var next = stored is null ? 1 : long.Parse(stored, CultureInfo.InvariantCulture) + 1;
        using var upsert = Command(connection, tx,
            """
            INSERT INTO grain_state (grain_type, grain_key, state_name, version, payload) VALUES ($type, $key, $name, $version, $payload)
            ON CONFLICT (grain_type, grain_key, state_name) DO UPDATE SET version=excluded.version, payload=excluded.payload
            """,
            grainId, ("$name", stateName), ("$version", next), ("$payload", (object?)payload ?? DBNull.Value));
        upsert.ExecuteNonQuery();
        return next.ToString(CultureInfo.InvariantCulture);
    }

    // ---- journals and snapshots ------------------------------------------------------------------------------

    // Entries are stored in arrival order (journal_entry), so the entries of one group commit share its newest pages;
    // their links (journal_link) are kept per journal and number, and each says where its entry is (schema step 7).
    // The newest link is both the version check and what the first new entry chains to: one index lookup, in the
    // writer's transaction. Links are only added, with their entries, so the newest link also records how far the
    // journal was written: its newest entries deleted by hand leave their links behind, and verify-audit sees it.
    private const string NewestLinkSql =
        "SELECT version, hash FROM journal_link WHERE grain_type = $type AND grain_key = $key ORDER BY version DESC LIMIT 1";

    private const string InsertEntrySql = "INSERT INTO journal_entry (grain_type, grain_key, version, payload) VALUES ($type, $key, $version, $payload)";

    // last_insert_rowid(): the entry the statement before inserted, on this connection.
    private const string InsertLinkSql =
        "INSERT INTO journal_link (grain_type, grain_key, version, hash, entry) VALUES ($type, $key, $version, $hash, last_insert_rowid())";

    /// <summary>
    /// A link and the entry it points at, as one row: the entry must be the one the link was written with (a link
    /// whose entry was deleted by hand, its row number since reused, finds nothing).
    /// </summary>
    private const string LinkedEntriesSql =
        """
        journal_link l JOIN journal_entry e
            ON e.id = l.entry AND e.grain_type = l.grain_type AND e.grain_key = l.grain_key AND e.version = l.version
        """;

    public Task AppendAsync(RecordKey grainId, int expectedVersion, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken) =>
        Write((connection, tx) =>
        {
            StorageConflicts.CheckNumbering(grainId, expectedVersion, entries);
            var statements = _appendStatements ??= new AppendStatements(connection);
            var current = 0;
            byte[]? link = null;
            var newest = statements.Use(statements.NewestLink, tx, grainId);
            using (var reader = newest.ExecuteReader())
            {
                if (reader.Read())
                {
                    current = reader.GetInt32(0);
                    link = reader.GetValue(1) as byte[];
                }
            }
            if (current != expectedVersion) throw StorageConflicts.JournalMoved(grainId, current, expectedVersion);
            if (entries.Count == 0) return true;
            link ??= JournalChain.Genesis.ToArray();
            var insertEntry = statements.Use(statements.InsertEntry, tx, grainId);
            var insertLink = statements.Use(statements.InsertLink, tx, grainId);
            foreach (var entry in entries)
            {
                link = JournalChain.Hash(link, grainId, entry.Version, entry.Payload);
                insertEntry.Parameters["$version"].Value = entry.Version;
                insertEntry.Parameters["$payload"].Value = entry.Payload;
                insertEntry.ExecuteNonQuery();
                insertLink.Parameters["$version"].Value = entry.Version;
                insertLink.Parameters["$hash"].Value = link;
                insertLink.ExecuteNonQuery();
            }
            return true;
        });

    /// <summary>
    /// The append's statements, prepared once on the writer's connection and used only by the writer's thread: an
    /// append runs three of them, and preparing each anew cost more than the rest of the append (measured).
    /// </summary>
    private sealed class AppendStatements(SqliteConnection connection) : IDisposable
    {
        public SqliteCommand NewestLink { get; } = Prepare(connection, NewestLinkSql);

        public SqliteCommand InsertEntry { get; } = Prepare(connection, InsertEntrySql, ("$version", 0), ("$payload", ""));

        public SqliteCommand InsertLink { get; } = Prepare(connection, InsertLinkSql, ("$version", 0), ("$hash", Array.Empty<byte>()));

        public SqliteCommand Use(SqliteCommand command, SqliteTransaction tx, RecordKey grainId)
        {
            command.Transaction = tx;
            command.Parameters["$type"].Value = grainId.Type;
            command.Parameters["$key"].Value = grainId.Key;
            return command;
        }

        public void Dispose()
        {
            NewestLink.Dispose();
            InsertEntry.Dispose();
            InsertLink.Dispose();
        }

        private static SqliteCommand Prepare(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$type", "");
            command.Parameters.AddWithValue("$key", "");
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
            return command;
        }
    }

    public Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(RecordKey grainId, int afterVersion, int upToVersion, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<JournalEntry>>(connection =>
        {
            using var command = Command(connection, null,
                $"SELECT l.version, e.payload FROM {LinkedEntriesSql} WHERE l.grain_type=$type AND l.grain_key=$key AND l.version>$after AND l.version<=$upTo ORDER BY l.version",
                grainId, ("$after", afterVersion), ("$upTo", upToVersion));
            using var reader = command.ExecuteReader();
            var entries = new List<JournalEntry>();
            while (reader.Read()) entries.Add(new JournalEntry(reader.GetInt32(0), reader.GetString(1)));
            return entries;
        });

    public Task<JournalSnapshot?> ReadSnapshotAsync(RecordKey grainId, CancellationToken cancellationToken) =>
        Read(connection =>
        {
            using var command = Command(connection, null,
                "SELECT version, payload FROM journal_snapshot WHERE grain_type=$type AND grain_key=$key", grainId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? new JournalSnapshot(reader.GetInt32(0), reader.GetString(1)) : null;
        });

    public Task WriteSnapshotAsync(RecordKey grainId, JournalSnapshot snapshot, CancellationToken cancellationToken) =>
        Write((connection, tx) =>
        {
            using var command = Command(connection, tx,
                """
                INSERT INTO journal_snapshot (grain_type, grain_key, version, payload) VALUES ($type, $key, $version, $payload)
                ON CONFLICT (grain_type, grain_key) DO UPDATE SET version=excluded.version, payload=excluded.payload
                WHERE excluded.version > journal_snapshot.version
                """,
                grainId, ("$version", snapshot.Version), ("$payload", snapshot.Payload));
            command.ExecuteNonQuery();
            return true;
        });

    // ---- reminders -----------------------------------------------------------------------------------------

    public Task<IReadOnlyList<ReminderEntry>> ReadAllRemindersAsync(CancellationToken cancellationToken) =>
        Read<IReadOnlyList<ReminderEntry>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT grain_type, grain_key, reminder_name, start_at, period_ms, version FROM reminder";
            using var reader = command.ExecuteReader();
            var entries = new List<ReminderEntry>();
            while (reader.Read()) entries.Add(ReadReminder(reader));
            return entries;
        });

    public Task<ReminderEntry?> ReadReminderAsync(RecordKey grainId, string reminderName, CancellationToken cancellationToken) =>
        Read(connection =>
        {
            using var command = Command(connection, null,
                "SELECT grain_type, grain_key, reminder_name, start_at, period_ms, version FROM reminder WHERE grain_type=$type AND grain_key=$key AND reminder_name=$name",
                grainId, ("$name", reminderName));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadReminder(reader) : null;
        });

    public Task<string> UpsertReminderAsync(ReminderEntry entry, CancellationToken cancellationToken) =>
        Write((connection, tx) =>
        {
            using var command = Command(connection, tx,
                """
                INSERT INTO reminder (grain_type, grain_key, reminder_name, start_at, period_ms, version) VALUES ($type, $key, $name, $start, $period, 1)
                ON CONFLICT (grain_type, grain_key, reminder_name) DO UPDATE SET start_at=excluded.start_at, period_ms=excluded.period_ms, version=reminder.version+1
                RETURNING version
                """,
                entry.Record, ("$name", entry.ReminderName), ("$start", entry.StartAt.UtcTicks), ("$period", (long)entry.Period.TotalMilliseconds));
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        });

    public Task<bool> RemoveReminderAsync(RecordKey grainId, string reminderName, CancellationToken cancellationToken) =>
        Write((connection, tx) =>
        {
            using var command = Command(connection, tx,
                "DELETE FROM reminder WHERE grain_type=$type AND grain_key=$key AND reminder_name=$name", grainId, ("$name", reminderName));
            return command.ExecuteNonQuery() > 0;
        });

    private static ReminderEntry ReadReminder(SqliteDataReader reader) => new(
        new RecordKey(reader.GetString(0), reader.GetString(1)),
        reader.GetString(2),
        new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero),
        TimeSpan.FromMilliseconds(reader.GetInt64(4)),
        reader.GetInt64(5).ToString(CultureInfo.InvariantCulture));

    // ---- idempotency keys ----------------------------------------------------------------------------------

    public Task<string?> TryGetResultAsync(string scope, string key, CancellationToken cancellationToken) =>
        Read(connection =>
        {
            using var command = Command(connection, null, "SELECT result FROM idempotency WHERE scope=$scope AND key=$key", null,
                ("$scope", scope), ("$key", key));
            return command.ExecuteScalar() as string;
        });

    public Task<bool> TryRecordAsync(string scope, string key, string result, CancellationToken cancellationToken) =>
        Write((connection, tx) =>
        {
            using var command = Command(connection, tx,
                "INSERT INTO idempotency (scope, key, result) VALUES ($scope, $key, $result) ON CONFLICT (scope, key) DO NOTHING", null,
                ("$scope", scope), ("$key", key), ("$result", result));
            return command.ExecuteNonQuery() == 1;
        });

    // ---- data-protection keys ------------------------------------------------------------------------------

    public Task<IReadOnlyList<StoredKeyElement>> ReadKeyElementsAsync(CancellationToken cancellationToken) =>
        Read<IReadOnlyList<StoredKeyElement>>(connection =>
        {
            using var command = Command(connection, null, "SELECT name, xml FROM data_protection_key ORDER BY id", null);
            using var reader = command.ExecuteReader();
            var elements = new List<StoredKeyElement>();
            while (reader.Read()) elements.Add(new StoredKeyElement(reader.GetString(0), reader.GetString(1)));
            return elements;
        });

    public Task StoreKeyElementAsync(StoredKeyElement element, CancellationToken cancellationToken) =>
        Write((connection, tx) =>
        {
            using var command = Command(connection, tx, "INSERT INTO data_protection_key (name, xml) VALUES ($name, $xml)", null,
                ("$name", element.Name), ("$xml", element.Xml));
            return command.ExecuteNonQuery();
        });

    // ---- schema --------------------------------------------------------------------------------------------

    /// <summary>Applies the missing steps of deploy/sql/sqlite in one IMMEDIATE transaction, so two hosts starting at once migrate one after the other.</summary>
    private static void EnsureSchema(SqliteConnection connection)
    {
        using var tx = connection.BeginTransaction(deferred: false);
        foreach (var step in Migrations.Pending(AppliedSteps(connection, tx), connection.DataSource)) Execute(connection, tx, step.Sql);
        Migrations.Verify(AppliedSteps(connection, tx), connection.DataSource);
        SealUnchainedEntries(connection, tx);
        tx.Commit();
    }

    /// <summary>
    /// Chains the entries stored before schema step 6 (which marks them in journal_chain_seal), in the migration's
    /// transaction, as they stand: SQLite's SQL has no SHA-256, so the step cannot. Only once: later entries are
    /// chained as they are appended, and an entry whose link goes missing afterwards is reported, never re-chained.
    /// </summary>
    private static void SealUnchainedEntries(SqliteConnection connection, SqliteTransaction tx)
    {
        using (var pending = Command(connection, tx, "SELECT 1 FROM journal_chain_seal WHERE sealed_at IS NULL", null))
            if (pending.ExecuteScalar() is null) return;
        // Every entry with its link (none if it has none), grouped by journal, in number order: once, at upgrade.
        using var read = Command(connection, tx,
            """
            SELECT e.grain_type, e.grain_key, e.version, e.payload, l.hash, e.id FROM journal_entry e
            LEFT JOIN journal_link l ON l.grain_type = e.grain_type AND l.grain_key = e.grain_key AND l.version = e.version AND l.entry = e.id
            ORDER BY e.grain_type, e.grain_key, e.version
            """, null);
        using var insert = Command(connection, tx, "INSERT INTO journal_link (grain_type, grain_key, version, hash, entry) VALUES ($type, $key, $version, $hash, $entry)", null,
            ("$type", ""), ("$key", ""), ("$version", 0), ("$hash", Array.Empty<byte>()), ("$entry", 0L));
        long sealedEntries = 0;
        RecordKey? last = null;
        var lastVersion = 0;
        var link = JournalChain.Genesis.ToArray();
        using (var reader = read.ExecuteReader())
        {
            while (reader.Read())
            {
                var record = new RecordKey(reader.GetString(0), reader.GetString(1));
                var version = reader.GetInt32(2);
                if (!reader.IsDBNull(4))
                {
                    link = (byte[])reader.GetValue(4);
                }
                else
                {
                    // As an append does: the link of the entry before, or genesis where there is none.
                    var previous = record == last && version == lastVersion + 1 ? link : JournalChain.Genesis.ToArray();
                    link = JournalChain.Hash(previous, record, version, reader.GetString(3));
                    insert.Parameters["$type"].Value = record.Type;
                    insert.Parameters["$key"].Value = record.Key;
                    insert.Parameters["$version"].Value = version;
                    insert.Parameters["$hash"].Value = link;
                    insert.Parameters["$entry"].Value = reader.GetInt64(5);
                    insert.ExecuteNonQuery();
                    sealedEntries++;
                }
                last = record;
                lastVersion = version;
            }
        }
        using var sealedNow = Command(connection, tx,
            "UPDATE journal_chain_seal SET sealed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), entries = $entries WHERE sealed_at IS NULL", null,
            ("$entries", sealedEntries));
        sealedNow.ExecuteNonQuery();
    }

    /// <summary>The schema steps the database lists as run (none before the first).</summary>
    private static HashSet<int> AppliedSteps(SqliteConnection connection, SqliteTransaction tx)
    {
        var applied = new HashSet<int>();
        using (var exists = Command(connection, tx, "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'", null))
            if (exists.ExecuteScalar() is null) return applied;
        using var read = Command(connection, tx, "SELECT DISTINCT version FROM schema_version", null);
        using var reader = read.ExecuteReader();
        while (reader.Read()) applied.Add(reader.GetInt32(0));
        return applied;
    }

    // ---- plumbing ------------------------------------------------------------------------------------------

    private Task<T> Read<T>(Func<SqliteConnection, T> query)
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            return Task.FromResult(query(connection));
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    private Task<T> Write<T>(Func<SqliteConnection, SqliteTransaction, T> operation) =>
        _commits.Enqueue<SqliteWrite<T>, T>(new SqliteWrite<T>(operation), nameof(SqliteStorageProvider));

    /// <summary>One transaction for the batch; each write under its own savepoint, so a refused write undoes only itself.</summary>
    private ValueTask CommitBatch(IReadOnlyList<ISqliteWrite> batch)
    {
        var connection = _writerConnection!;
        using var tx = connection.BeginTransaction();
        foreach (var write in batch)
        {
            tx.Save("w");
            try
            {
                write.Execute(connection, tx);
                tx.Release("w");
            }
            catch (Exception ex)
            {
                tx.Rollback("w");
                tx.Release("w");
                write.Refuse(ex);
            }
        }
        tx.Commit();
        return ValueTask.CompletedTask;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, RecordKey? grainId, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        if (grainId is { } id)
        {
            command.Parameters.AddWithValue("$type", id.Type);
            command.Parameters.AddWithValue("$key", id.Key);
        }
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private interface ISqliteWrite : IBatchedWrite
    {
        void Execute(SqliteConnection connection, SqliteTransaction tx);
    }

    private sealed class SqliteWrite<T>(Func<SqliteConnection, SqliteTransaction, T> operation) : BatchedWrite<T>, ISqliteWrite
    {
        public void Execute(SqliteConnection connection, SqliteTransaction tx) => Accept(operation(connection, tx));
    }
}
