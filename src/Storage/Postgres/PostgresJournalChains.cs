using System.Data;
using CareTwin.Storage.Chains;
using Npgsql;

namespace CareTwin.Storage.Postgres;

/// <summary>
/// Checks every journal chain of a PostgreSQL store, read-only: one READ ONLY, REPEATABLE READ transaction (so nodes
/// writing at the same time are seen as of one moment, and nothing can be written), connecting once without retries.
/// </summary>
public static class PostgresJournalChains
{
    public static async Task<ChainCheck> CheckAsync(string connectionString, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            // Never echo the connection string: it may hold a password.
            throw new ChainCheckUnavailableException($"The PostgreSQL connection string is not valid: {ex.Message}", ex);
        }
        builder.ApplicationName = "CareTwin verify-audit";
        builder.Pooling = false;
        var store = $"PostgreSQL {PostgresStorageProvider.Describe(builder)}";
        NpgsqlConnection connection;
        try
        {
            connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new ChainCheckUnavailableException($"Cannot connect to PostgreSQL at {PostgresStorageProvider.Describe(builder)}: {PostgresStorageProvider.Reason(ex)}", ex);
        }
        await using (connection)
        {
            try
            {
                return await CheckAsync(connection, store, cancellationToken);
            }
            catch (NpgsqlException ex)
            {
                throw new ChainCheckUnavailableException($"Cannot read {store}: {PostgresStorageProvider.Reason(ex)}", ex);
            }
        }
    }

    private static async Task<ChainCheck> CheckAsync(NpgsqlConnection connection, string store, CancellationToken cancellationToken)
    {
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await ExecuteAsync(connection, "SET TRANSACTION READ ONLY", cancellationToken);

        var applied = new HashSet<int>();
        if ((bool)(await ScalarAsync(connection, "SELECT to_regclass('schema_version') IS NOT NULL", cancellationToken))!)
        {
            await using var read = new NpgsqlCommand("SELECT version FROM schema_version", connection);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) applied.Add(reader.GetInt32(0));
        }
        ChainSchema.Require("postgres", applied, store);

        ChainSeal? seal = null;
        await using (var sealRow = new NpgsqlCommand($"SELECT sealed_at, entries FROM journal_chain_seal WHERE step = {ChainSchema.Step}", connection))
        await using (var reader = await sealRow.ExecuteReaderAsync(cancellationToken))
            if (await reader.ReadAsync(cancellationToken))
                seal = new ChainSeal(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1));

        var heads = new Dictionary<RecordKey, int>();
        await using (var headRows = new NpgsqlCommand("SELECT grain_type, grain_key, version FROM journal_head", connection))
        await using (var reader = await headRows.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) heads[new RecordKey(reader.GetString(0), reader.GetString(1))] = reader.GetInt32(2);

        var verifier = new ChainVerifier(heads);
        // In key order: the primary key's index, streamed row by row.
        await using (var entries = new NpgsqlCommand(
            "SELECT grain_type, grain_key, version, payload, hash FROM journal ORDER BY grain_type, grain_key, version", connection))
        await using (var reader = await entries.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var record = new RecordKey(reader.GetString(0), reader.GetString(1));
                var version = reader.GetInt32(2);
                var payload = reader.GetString(3);
                var hash = await reader.IsDBNullAsync(4, cancellationToken) ? null : reader.GetFieldValue<byte[]>(4);
                verifier.Add(record, version, payload, hash);
            }
        }
        await tx.RollbackAsync(cancellationToken);
        return new ChainCheck(store, verifier.Complete(), seal);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
