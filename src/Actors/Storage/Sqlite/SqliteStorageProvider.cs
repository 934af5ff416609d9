using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CareTwin.Actors.Storage.Sqlite;

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
    /// <summary>The schema version this code writes; a newer database is refused rather than misread.</summary>
    public const int SchemaVersion = 1;

    private readonly SqliteStorageOptions _options;
    private readonly ILogger _logger;
    private readonly string _connectionString;
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _writer;

    public SqliteStorageProvider(SqliteStorageOptions options, ILogger<SqliteStorageProvider>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataSource, nameof(options.DataSource));
        if (options.MaxBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxBatchSize must be at least 1.");
        _options = options;
        _logger = logger ?? NullLogger<SqliteStorageProvider>.Instance;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DataSource,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(_options.DataSource));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            Execute(connection, null, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;");
            EnsureSchema(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        _writer = Task.Factory.StartNew(() => WriterLoop(connection), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        if (_writer is not null) await _writer;
        SqliteConnection.ClearAllPools();
    }

    // ---- grain state ---------------------------------------------------------------------------------------

    public Task<StoredState?> ReadStateAsync(GrainId grainId, string stateName, CancellationToken cancellationToken) =>
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

    public Task<string> WriteStateAsync(GrainId grainId, string stateName, string payload, string? expectedEtag, CancellationToken cancellationToken) =>
        Write((connection, tx) => PutState(connection, tx, grainId, stateName, payload, expectedEtag));

    public Task<string> ClearStateAsync(GrainId grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken) =>
        Write((connection, tx) => PutState(connection, tx, grainId, stateName, null, expectedEtag));

    private static string PutState(SqliteConnection connection, SqliteTransaction tx, GrainId grainId, string stateName, string? payload, string? expectedEtag)
    {
        using var select = Command(connection, tx,
            "SELECT version FROM grain_state WHERE grain_type=$type AND grain_key=$key AND state_name=$name", grainId, ("$name", stateName));
        var stored = select.ExecuteScalar() is long v ? v.ToString(CultureInfo.InvariantCulture) : null;
        if (stored != expectedEtag)
            throw new InconsistentStateException(
                $"State '{stateName}' of {grainId} is at version {stored ?? "none"}, not {expectedEtag ?? "none"}.", stored, expectedEtag);
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

    public Task AppendAsync(GrainId grainId, int expectedVersion, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken) =>
        Write((connection, tx) =>
        {
            using var select = Command(connection, tx,
                "SELECT COALESCE(MAX(version), 0) FROM journal WHERE grain_type=$type AND grain_key=$key", grainId);
            var current = Convert.ToInt32(select.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (current != expectedVersion)
                throw new InconsistentStateException($"Journal of {grainId} is at version {current}, not {expectedVersion}.",
                    current.ToString(CultureInfo.InvariantCulture), expectedVersion.ToString(CultureInfo.InvariantCulture));
            using var insert = Command(connection, tx,
                "INSERT INTO journal (grain_type, grain_key, version, payload) VALUES ($type, $key, $version, $payload)", grainId,
                ("$version", 0), ("$payload", ""));
            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i].Version != expectedVersion + i + 1)
                    throw new ArgumentException($"Entry {i} of the append to {grainId} has version {entries[i].Version}, expected {expectedVersion + i + 1}.", nameof(entries));
                insert.Parameters["$version"].Value = entries[i].Version;
                insert.Parameters["$payload"].Value = entries[i].Payload;
                insert.ExecuteNonQuery();
            }
            return true;
        });

    public Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(GrainId grainId, int afterVersion, int upToVersion, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<JournalEntry>>(connection =>
        {
            using var command = Command(connection, null,
                "SELECT version, payload FROM journal WHERE grain_type=$type AND grain_key=$key AND version>$after AND version<=$upTo ORDER BY version",
                grainId, ("$after", afterVersion), ("$upTo", upToVersion));
            using var reader = command.ExecuteReader();
            var entries = new List<JournalEntry>();
            while (reader.Read()) entries.Add(new JournalEntry(reader.GetInt32(0), reader.GetString(1)));
            return entries;
        });

    public Task<JournalSnapshot?> ReadSnapshotAsync(GrainId grainId, CancellationToken cancellationToken) =>
        Read(connection =>
        {
            using var command = Command(connection, null,
                "SELECT version, payload FROM journal_snapshot WHERE grain_type=$type AND grain_key=$key", grainId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? new JournalSnapshot(reader.GetInt32(0), reader.GetString(1)) : null;
        });

    public Task WriteSnapshotAsync(GrainId grainId, JournalSnapshot snapshot, CancellationToken cancellationToken) =>
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

    public Task<ReminderEntry?> ReadReminderAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken) =>
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
                entry.GrainId, ("$name", entry.ReminderName), ("$start", entry.StartAt.UtcTicks), ("$period", (long)entry.Period.TotalMilliseconds));
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        });

    public Task<bool> RemoveReminderAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken) =>
        Write((connection, tx) =>
        {
            using var command = Command(connection, tx,
                "DELETE FROM reminder WHERE grain_type=$type AND grain_key=$key AND reminder_name=$name", grainId, ("$name", reminderName));
            return command.ExecuteNonQuery() > 0;
        });

    private static ReminderEntry ReadReminder(SqliteDataReader reader) => new(
        new GrainId(reader.GetString(0), reader.GetString(1)),
        reader.GetString(2),
        new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero),
        TimeSpan.FromMilliseconds(reader.GetInt64(4)),
        reader.GetInt64(5).ToString(CultureInfo.InvariantCulture));

    // ---- schema --------------------------------------------------------------------------------------------

    private static void EnsureSchema(SqliteConnection connection)
    {
        using var tx = connection.BeginTransaction();
        Execute(connection, tx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        using (var read = Command(connection, tx, "SELECT MAX(version) FROM schema_version", null))
        {
            if (read.ExecuteScalar() is long existing)
            {
                if (existing > SchemaVersion)
                    throw new InvalidOperationException(
                        $"The database {connection.DataSource} has schema version {existing}, newer than this CareTwin ({SchemaVersion}); refusing to use it.");
                tx.Commit();
                return;
            }
        }
        Execute(connection, tx, """
            CREATE TABLE grain_state (
                grain_type TEXT NOT NULL, grain_key TEXT NOT NULL, state_name TEXT NOT NULL,
                version INTEGER NOT NULL, payload TEXT,
                PRIMARY KEY (grain_type, grain_key, state_name)) WITHOUT ROWID;
            CREATE TABLE journal (
                grain_type TEXT NOT NULL, grain_key TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT NOT NULL,
                recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
                PRIMARY KEY (grain_type, grain_key, version)) WITHOUT ROWID;
            CREATE TABLE journal_snapshot (
                grain_type TEXT NOT NULL, grain_key TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT NOT NULL,
                PRIMARY KEY (grain_type, grain_key)) WITHOUT ROWID;
            CREATE TABLE reminder (
                grain_type TEXT NOT NULL, grain_key TEXT NOT NULL, reminder_name TEXT NOT NULL,
                start_at INTEGER NOT NULL, period_ms INTEGER NOT NULL, version INTEGER NOT NULL,
                PRIMARY KEY (grain_type, grain_key, reminder_name)) WITHOUT ROWID;
            INSERT INTO schema_version (version) VALUES (1);
            """);
        tx.Commit();
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

    private Task<T> Write<T>(Func<SqliteConnection, SqliteTransaction, T> operation)
    {
        if (_writer is null) throw new InvalidOperationException("The SQLite store is not initialized.");
        var write = new PendingWrite<T>(operation);
        if (!_writes.Writer.TryWrite(write)) return Task.FromException<T>(new ObjectDisposedException(nameof(SqliteStorageProvider)));
        return write.Task;
    }

    private void WriterLoop(SqliteConnection connection)
    {
        using var _ = connection;
        var batch = new List<PendingWrite>(_options.MaxBatchSize);
        var reader = _writes.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var write)) batch.Add(write);
            CommitBatch(connection, batch);
            batch.Clear();
        }
    }

    private void CommitBatch(SqliteConnection connection, List<PendingWrite> batch)
    {
        var outcomes = new Exception?[batch.Count];
        try
        {
            using var tx = connection.BeginTransaction();
            for (var i = 0; i < batch.Count; i++)
            {
                tx.Save("w");
                try
                {
                    batch[i].Execute(connection, tx);
                    tx.Release("w");
                }
                catch (Exception ex)
                {
                    tx.Rollback("w");
                    tx.Release("w");
                    outcomes[i] = ex;
                }
            }
            tx.Commit();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "A group commit of {Count} writes to {DataSource} failed", batch.Count, _options.DataSource);
            foreach (var write in batch) write.Fail(ex);
            return;
        }
        // Only now is anything durable, so only now is anything acknowledged.
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i] is { } error) batch[i].Fail(error);
            else batch[i].Succeed();
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, GrainId? grainId, params (string Name, object Value)[] parameters)
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

    private abstract class PendingWrite
    {
        public abstract void Execute(SqliteConnection connection, SqliteTransaction tx);

        public abstract void Succeed();

        public abstract void Fail(Exception exception);
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, SqliteTransaction, T> operation) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _completion.Task;

        public override void Execute(SqliteConnection connection, SqliteTransaction tx) => _result = operation(connection, tx);

        public override void Succeed() => _completion.TrySetResult(_result);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
