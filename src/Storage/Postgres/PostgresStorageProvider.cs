using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CareTwin.Storage.Postgres;

/// <summary>
/// The production store: PostgreSQL through plain Npgsql. Grain state is a row per (grain type, key, state name)
/// whose integer version is the ETag, written by conditional statements; journals are append-only with a key on
/// (grain type, key, version). All writes go through one writer connection that sends whatever has queued up as
/// one NpgsqlBatch in one transaction (group commit) and acknowledges nothing before COMMIT returns. Every write
/// statement is conditional and reports through its returned row whether it applied, so a stale ETag or a moved
/// journal refuses that write alone instead of raising an error that would abort the transaction for the others;
/// a statement the server rejects anyway (bad input) sends the batch back write by write. The schema is
/// deploy/sql/postgres, applied at start under an advisory lock.
/// </summary>
public sealed class PostgresStorageProvider : IStorageProvider, IAsyncDisposable
{
    private static readonly SchemaMigrations Migrations = SchemaMigrations.Load("postgres");

    /// <summary>Also taken by every file in deploy/sql/postgres, so a step run by hand and a starting host never migrate at once.</summary>
    private const long MigrationLock = 7220806350291914001;

    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _writerSource;
    private readonly string _server;
    private readonly ILogger _logger;
    private readonly GroupCommit<IPostgresWrite> _commits;
    private NpgsqlConnection? _writer;

    public PostgresStorageProvider(PostgresStorageOptions options, ILogger<PostgresStorageProvider>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString, nameof(options.ConnectionString));
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            // Never echo the connection string: it may hold a password.
            throw new ArgumentException($"The PostgreSQL connection string is not valid: {ex.Message}", nameof(options), ex);
        }
        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "CareTwin";
        // The same dozen statements run all the time; prepared, a batch of 100 writes commits several times faster
        // (measured). An operator behind a pooler without prepared statements sets Max Auto Prepare=0.
        var given = new DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare")) builder.MaxAutoPrepare = 32;
        _server = Describe(builder);
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        // The writer's connection stays out of the pool: after a failure mid-batch it is closed, never handed out again.
        builder.Pooling = false;
        _writerSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _logger = logger ?? NullLogger<PostgresStorageProvider>.Instance;
        _commits = new GroupCommit<IPostgresWrite>(options.MaxBatchSize, CommitBatchAsync,
            (ex, count) => _logger.LogError(ex, "A group commit of {Count} writes to PostgreSQL at {Server} failed", count, _server), dedicatedThread: false);
    }

    /// <summary>The schema version this code writes; a newer database is refused rather than misread.</summary>
    public static int SchemaVersion => Migrations.Latest;

    /// <summary>Batches committed so far (tests check that concurrent writes shared commits).</summary>
    internal long CommittedBatches => _commits.CommittedBatches;

    /// <summary>
    /// Connects once (no retries: an unreachable server is one clear line), applies the missing schema steps,
    /// and starts the writer.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = await _writerSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException($"Cannot connect to PostgreSQL at {_server}: {Reason(ex)}", ex);
        }
        try
        {
            await MigrateAsync(connection, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        _writer = connection;
        _commits.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await _commits.DisposeAsync();
        if (_writer is not null) await _writer.DisposeAsync();
        await _dataSource.DisposeAsync();
        await _writerSource.DisposeAsync();
    }

    // ---- grain state ---------------------------------------------------------------------------------------

    private const string StateVersionSql =
        "(SELECT version FROM grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3)";

    // The outer SELECT sees the table as it was before the statement, so its second column is the version that refused a write.
    private const string InsertStateSql = """
        WITH written AS (
            INSERT INTO grain_state (grain_type, grain_key, state_name, version, payload) VALUES ($1, $2, $3, 1, $4)
            ON CONFLICT DO NOTHING RETURNING version)
        SELECT (SELECT version FROM written),
        """ + StateVersionSql;

    private const string UpdateStateSql = """
        WITH written AS (
            UPDATE grain_state SET version = version + 1, payload = $4
            WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3 AND version = $5 RETURNING version)
        SELECT (SELECT version FROM written),
        """ + StateVersionSql;

    public Task<StoredState?> ReadStateAsync(RecordKey grainId, string stateName, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT payload, version FROM grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3",
            row => new StoredState(row.IsDBNull(0) ? null : row.GetString(0), Etag(row.GetInt64(1))),
            cancellationToken, Text(grainId.Type), Text(grainId.Key), Text(stateName));

    public Task<string> WriteStateAsync(RecordKey grainId, string stateName, string payload, string? expectedEtag, CancellationToken cancellationToken) =>
        PutState(grainId, stateName, payload, expectedEtag);

    public Task<string> ClearStateAsync(RecordKey grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken) =>
        PutState(grainId, stateName, null, expectedEtag);

    private Task<string> PutState(RecordKey grainId, string stateName, string? payload, string? expectedEtag)
    {
        var statement = expectedEtag is null
            ? new Statement(InsertStateSql, Text(grainId.Type), Text(grainId.Key), Text(stateName), Text(payload))
            : new Statement(UpdateStateSql, Text(grainId.Type), Text(grainId.Key), Text(stateName), Text(payload), Bigint(ParseEtag(expectedEtag)));
        return Write(statement, row =>
        {
            if (row!.IsDBNull(0)) throw StorageConflicts.StaleState(grainId, stateName, row.IsDBNull(1) ? null : Etag(row.GetInt64(1)), expectedEtag);
            return Etag(row.GetInt64(0));
        });
    }

    /// <summary>Only the canonical form an ETag is handed out in can match, as with the other stores' string comparison.</summary>
    private static long ParseEtag(string etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && Etag(version) == etag ? version : -1;

    private static string Etag(long version) => version.ToString(CultureInfo.InvariantCulture);

    // ---- journals and snapshots ------------------------------------------------------------------------------

    // journal_head moves from the expected version to the new one in the same statement that inserts the events:
    // a concurrent append waits on that row, then finds it moved and inserts nothing. The same statement chains the
    // events (schema step 6): the first to the stored hash of entry $3, each next to the one before, with
    // caretwin_journal_hash; where head moved, that entry is what the statement's snapshot saw, as nothing else
    // writes it. Rows inserted without a hash (a node of an older release) are chained by the step's trigger instead.
    private const string AppendSql = """
        chain (n, hash) AS (
            SELECT 0, coalesce(
                (SELECT j.hash FROM journal j WHERE j.grain_type = $1 AND j.grain_key = $2 AND j.version = $3),
                '\x75e1bcd043653f5b22d6d7b837b8f8df17830b6d74327f9d7e86bfec529c1715'::bytea)
            UNION ALL
            SELECT c.n + 1, caretwin_journal_hash(c.hash, $1, $2, $3 + c.n + 1, ($4::text[])[c.n + 1])
            FROM chain c WHERE c.n < cardinality($4::text[])),
        appended AS (
            INSERT INTO journal (grain_type, grain_key, version, payload, hash)
            SELECT $1, $2, $3 + c.n, ($4::text[])[c.n], c.hash FROM chain c
            WHERE c.n > 0 AND EXISTS (SELECT FROM head))
        SELECT EXISTS (SELECT FROM head), (SELECT version FROM journal_head WHERE grain_type = $1 AND grain_key = $2)
        """;

    private const string StartJournalSql = """
        WITH RECURSIVE head AS (
            INSERT INTO journal_head (grain_type, grain_key, version) VALUES ($1, $2, $3 + cardinality($4::text[]))
            ON CONFLICT DO NOTHING RETURNING version),
        """ + AppendSql;

    private const string ContinueJournalSql = """
        WITH RECURSIVE head AS (
            UPDATE journal_head SET version = $3 + cardinality($4::text[])
            WHERE grain_type = $1 AND grain_key = $2 AND version = $3 RETURNING version),
        """ + AppendSql;

    public async Task AppendAsync(RecordKey grainId, int expectedVersion, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        StorageConflicts.CheckNumbering(grainId, expectedVersion, entries);
        if (entries.Count == 0)
        {
            // Nothing to write: only the version check remains.
            var stored = await JournalVersionAsync(grainId, cancellationToken);
            if (stored != expectedVersion) throw StorageConflicts.JournalMoved(grainId, stored, expectedVersion);
            return;
        }
        var payloads = entries.Select(e => e.Payload).ToArray();
        var statement = new Statement(expectedVersion == 0 ? StartJournalSql : ContinueJournalSql,
            Text(grainId.Type), Text(grainId.Key), Integer(expectedVersion), new NpgsqlParameter<string[]> { TypedValue = payloads });
        await Write(statement, row =>
        {
            if (!row!.GetBoolean(0)) throw StorageConflicts.JournalMoved(grainId, row.IsDBNull(1) ? 0 : row.GetInt32(1), expectedVersion);
            return true;
        });
    }

    private async Task<int> JournalVersionAsync(RecordKey grainId, CancellationToken cancellationToken) =>
        await QueryAsync("SELECT version FROM journal_head WHERE grain_type = $1 AND grain_key = $2", row => (int?)row.GetInt32(0),
            cancellationToken, Text(grainId.Type), Text(grainId.Key)) ?? 0;

    public Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(RecordKey grainId, int afterVersion, int upToVersion, CancellationToken cancellationToken) =>
        QueryAllAsync(
            "SELECT version, payload FROM journal WHERE grain_type = $1 AND grain_key = $2 AND version > $3 AND version <= $4 ORDER BY version",
            row => new JournalEntry(row.GetInt32(0), row.GetString(1)),
            cancellationToken, Text(grainId.Type), Text(grainId.Key), Integer(afterVersion), Integer(upToVersion));

    public Task<JournalSnapshot?> ReadSnapshotAsync(RecordKey grainId, CancellationToken cancellationToken) =>
        QueryAsync("SELECT version, payload FROM journal_snapshot WHERE grain_type = $1 AND grain_key = $2",
            row => new JournalSnapshot(row.GetInt32(0), row.GetString(1)),
            cancellationToken, Text(grainId.Type), Text(grainId.Key));

    public Task WriteSnapshotAsync(RecordKey grainId, JournalSnapshot snapshot, CancellationToken cancellationToken) =>
        Write(new Statement("""
            INSERT INTO journal_snapshot (grain_type, grain_key, version, payload) VALUES ($1, $2, $3, $4)
            ON CONFLICT (grain_type, grain_key) DO UPDATE SET version = excluded.version, payload = excluded.payload
            WHERE excluded.version > journal_snapshot.version
            RETURNING 1
            """, Text(grainId.Type), Text(grainId.Key), Integer(snapshot.Version), Text(snapshot.Payload)), row => row is not null);

    // ---- reminders -----------------------------------------------------------------------------------------

    private const string ReminderColumns = "grain_type, grain_key, reminder_name, start_at, period_ms, version";

    public Task<IReadOnlyList<ReminderEntry>> ReadAllRemindersAsync(CancellationToken cancellationToken) =>
        QueryAllAsync($"SELECT {ReminderColumns} FROM reminder", ReadReminder, cancellationToken);

    public Task<ReminderEntry?> ReadReminderAsync(RecordKey grainId, string reminderName, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {ReminderColumns} FROM reminder WHERE grain_type = $1 AND grain_key = $2 AND reminder_name = $3",
            ReadReminder, cancellationToken, Text(grainId.Type), Text(grainId.Key), Text(reminderName));

    public Task<string> UpsertReminderAsync(ReminderEntry entry, CancellationToken cancellationToken) =>
        Write(new Statement($"""
            INSERT INTO reminder ({ReminderColumns}) VALUES ($1, $2, $3, $4, $5, 1)
            ON CONFLICT (grain_type, grain_key, reminder_name)
            DO UPDATE SET start_at = excluded.start_at, period_ms = excluded.period_ms, version = reminder.version + 1
            RETURNING version
            """, Text(entry.Record.Type), Text(entry.Record.Key), Text(entry.ReminderName),
            Bigint(entry.StartAt.UtcTicks), Bigint((long)entry.Period.TotalMilliseconds)), row => Etag(row!.GetInt64(0)));

    public Task<bool> RemoveReminderAsync(RecordKey grainId, string reminderName, CancellationToken cancellationToken) =>
        Write(new Statement("DELETE FROM reminder WHERE grain_type = $1 AND grain_key = $2 AND reminder_name = $3 RETURNING 1",
            Text(grainId.Type), Text(grainId.Key), Text(reminderName)), row => row is not null);

    private static ReminderEntry ReadReminder(NpgsqlDataReader row) => new(
        new RecordKey(row.GetString(0), row.GetString(1)),
        row.GetString(2),
        new DateTimeOffset(row.GetInt64(3), TimeSpan.Zero),
        TimeSpan.FromMilliseconds(row.GetInt64(4)),
        Etag(row.GetInt64(5)));

    // ---- idempotency keys ----------------------------------------------------------------------------------

    public Task<string?> TryGetResultAsync(string scope, string key, CancellationToken cancellationToken) =>
        QueryAsync("SELECT result FROM idempotency WHERE scope = $1 AND key = $2", row => row.GetString(0),
            cancellationToken, Text(scope), Text(key));

    public Task<bool> TryRecordAsync(string scope, string key, string result, CancellationToken cancellationToken) =>
        Write(new Statement("INSERT INTO idempotency (scope, key, result) VALUES ($1, $2, $3) ON CONFLICT (scope, key) DO NOTHING RETURNING 1",
            Text(scope), Text(key), Text(result)), row => row is not null);

    // ---- data-protection keys ------------------------------------------------------------------------------

    public Task<IReadOnlyList<StoredKeyElement>> ReadKeyElementsAsync(CancellationToken cancellationToken) =>
        QueryAllAsync("SELECT name, xml FROM data_protection_key ORDER BY id", row => new StoredKeyElement(row.GetString(0), row.GetString(1)), cancellationToken);

    public Task StoreKeyElementAsync(StoredKeyElement element, CancellationToken cancellationToken) =>
        Write(new Statement("INSERT INTO data_protection_key (name, xml) VALUES ($1, $2) RETURNING 1", Text(element.Name), Text(element.Xml)),
            row => row is not null);

    // ---- schema --------------------------------------------------------------------------------------------

    /// <summary>Applies the missing steps of deploy/sql/postgres in one transaction under the migration lock.</summary>
    private async Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLock})", cancellationToken);
        foreach (var step in Migrations.Pending(await AppliedStepsAsync(connection, cancellationToken), _server))
        {
            try
            {
                await ExecuteAsync(connection, step.Sql, cancellationToken);
            }
            catch (PostgresException ex)
            {
                throw new InvalidOperationException($"Schema step {step.Name} failed on PostgreSQL at {_server}: {Reason(ex)}", ex);
            }
        }
        Migrations.Verify(await AppliedStepsAsync(connection, cancellationToken), _server);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>The schema steps the database lists as run (none before the first).</summary>
    private static async Task<HashSet<int>> AppliedStepsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new HashSet<int>();
        await using var exists = new NpgsqlCommand("SELECT to_regclass('schema_version') IS NOT NULL", connection);
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!) return applied;
        await using var read = new NpgsqlCommand("SELECT version FROM schema_version", connection);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) applied.Add(reader.GetInt32(0));
        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Host, port, database and user: what names the server in a message, never the password.</summary>
    internal static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username} as {builder.Username}";

    /// <summary>The cause in one line, never the connection string.</summary>
    internal static string Reason(Exception ex)
    {
        var reason = ex is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}"
            : ex.InnerException is { } inner && inner.Message != ex.Message ? $"{ex.Message} ({inner.Message})"
            : ex.Message;
        return reason.ReplaceLineEndings(" ");
    }

    // ---- group commit --------------------------------------------------------------------------------------

    private Task<T> Write<T>(Statement statement, Func<NpgsqlDataReader?, T> outcome) =>
        _commits.Enqueue<PostgresWrite<T>, T>(new PostgresWrite<T>(statement.Sql, statement.Parameters, outcome), nameof(PostgresStorageProvider));

    private async ValueTask CommitBatchAsync(IReadOnlyList<IPostgresWrite> batch)
    {
        try
        {
            await CommitAsync(batch);
        }
        catch (Exception ex) when (batch.Count > 1 && IsOneWritesFault(ex))
        {
            // Nothing of the batch is durable. Commit each write on its own, so only the write at fault fails.
            _logger.LogWarning(ex, "A group commit of {Count} writes to PostgreSQL at {Server} was refused; committing them one by one", batch.Count, _server);
            foreach (var write in batch)
            {
                try
                {
                    await CommitAsync([write]);
                }
                catch (Exception single) when (IsOneWritesFault(single))
                {
                    write.Refuse(single);
                }
            }
        }
    }

    /// <summary>
    /// The server refused a statement (and rolled the transaction back), or a value failed in the client before
    /// COMMIT (say, a string with a lone surrogate). Not a lost connection: that fails the batch, as retrying
    /// each write against a server that is gone would only multiply the failures.
    /// </summary>
    private static bool IsOneWritesFault(Exception ex) => !IsConnectionLost(ex) && (ex is PostgresException or not NpgsqlException);

    /// <summary>
    /// The connection is gone, not the statement at fault: the network, or the server ending it (a restart, a
    /// failover: 57P01 and its kin, and the 08 class).
    /// </summary>
    private static bool IsConnectionLost(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow,
        NpgsqlException => true,
        _ => false,
    };

    /// <summary>A server that dropped one pooled connection dropped the idle others with it: none is handed out again.</summary>
    private void ConnectionLost(Exception ex)
    {
        _logger.LogWarning(ex, "PostgreSQL at {Server} dropped a connection; trying once more on a new one", _server);
        _dataSource.Clear();
    }

    private async Task CommitAsync(IReadOnlyList<IPostgresWrite> writes)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = await WriterAsync();
            var committing = false;
            try
            {
                await using var tx = await connection.BeginTransactionAsync();
                await using var batch = new NpgsqlBatch(connection, tx);
                foreach (var write in writes) batch.BatchCommands.Add(write.NewCommand());
                await using (var reader = await batch.ExecuteReaderAsync())
                {
                    // Each write is one statement with one result set of at most one row.
                    foreach (var write in writes)
                    {
                        write.Conclude(await reader.ReadAsync() ? reader : null);
                        await reader.NextResultAsync();
                    }
                }
                committing = true;
                await tx.CommitAsync();
                return;
            }
            catch (Exception ex) when (ex is not PostgresException || IsConnectionLost(ex))
            {
                // The connection may be broken mid-protocol; the next attempt or batch opens a new one.
                await connection.DisposeAsync();
                _writer = null;
                // Lost before COMMIT, nothing of the batch is durable, so it is sent once more (a restarted server
                // ends every connection it had). Lost during COMMIT, the outcome is unknown: the batch fails.
                if (committing || attempt > 1 || !IsConnectionLost(ex)) throw;
                ConnectionLost(ex);
            }
        }
    }

    private async ValueTask<NpgsqlConnection> WriterAsync() => _writer is { State: System.Data.ConnectionState.Open } open
        ? open
        : _writer = await _writerSource.OpenConnectionAsync();

    private interface IPostgresWrite : IBatchedWrite
    {
        /// <summary>The write's statement, new for each batch it is sent in: a command keeps state from the connection it ran on.</summary>
        NpgsqlBatchCommand NewCommand();

        /// <summary>Accepts or refuses the write from its statement's row (null: no row).</summary>
        void Conclude(NpgsqlDataReader? row);
    }

    private sealed class PostgresWrite<T>(string sql, NpgsqlParameter[] parameters, Func<NpgsqlDataReader?, T> outcome) : BatchedWrite<T>, IPostgresWrite
    {
        private bool _sent;

        public NpgsqlBatchCommand NewCommand()
        {
            var command = new NpgsqlBatchCommand(sql);
            // A parameter belongs to one command, so a write sent again (one by one after a refused batch) sends copies.
            foreach (var parameter in parameters) command.Parameters.Add(_sent ? parameter.Clone() : parameter);
            _sent = true;
            return command;
        }

        public void Conclude(NpgsqlDataReader? row)
        {
            try
            {
                Accept(outcome(row));
            }
            catch (InconsistentStateException refusal)
            {
                Refuse(refusal);
            }
        }
    }

    // ---- reads and statements ------------------------------------------------------------------------------

    private Task<T?> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params NpgsqlParameter[] parameters) =>
        ReadAsync(sql, parameters, async reader => await reader.ReadAsync(cancellationToken) ? read(reader) : default, cancellationToken);

    private Task<IReadOnlyList<T>> QueryAllAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params NpgsqlParameter[] parameters) =>
        ReadAsync<IReadOnlyList<T>>(sql, parameters, async reader =>
        {
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken)) rows.Add(read(reader));
            return rows;
        }, cancellationToken);

    /// <summary>A read, run once more on a new connection if the server dropped the pooled one it was given.</summary>
    private async Task<TResult> ReadAsync<TResult>(string sql, NpgsqlParameter[] parameters, Func<NpgsqlDataReader, Task<TResult>> read, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = _dataSource.CreateCommand(sql);
                // A parameter belongs to one command: a second attempt sends copies.
                command.Parameters.AddRange(attempt == 1 ? parameters : [.. parameters.Select(p => p.Clone())]);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                return await read(reader);
            }
            catch (Exception ex) when (attempt == 1 && IsConnectionLost(ex))
            {
                ConnectionLost(ex);
            }
        }
    }

    private readonly record struct Statement(string Sql, params NpgsqlParameter[] Parameters);

    private static NpgsqlParameter<string?> Text(string? value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    private static NpgsqlParameter<int> Integer(int value) => new() { TypedValue = value };

    private static NpgsqlParameter<long> Bigint(long value) => new() { TypedValue = value };
}
