using System.Globalization;
using CareTwin.Storage;
using CareTwin.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CareTwin.Storage.Tests;

public sealed class SqliteStorageTests : DurableStorageContractTests
{
    protected override string Dialect => "sqlite";

    protected override Task<ITestStore> CreateStoreAsync() => Task.FromResult<ITestStore>(new SqliteTestStore());

    protected override async Task ExecuteByHandAsync(ITestStore store, string sql)
    {
        await using var connection = Open(store);
        await using var tx = await connection.BeginTransactionAsync();
        await using var command = new SqliteCommand(sql, connection, (SqliteTransaction)tx);
        await command.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }

    protected override async Task<string> QueryByHandAsync(ITestStore store, string sql)
    {
        await using var connection = Open(store);
        await using var command = new SqliteCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }

    protected override long CommittedBatches(IStorageProvider provider) => ((SqliteStorageProvider)provider).CommittedBatches;

    // Unpooled, so the test's directory can be deleted afterwards.
    private static SqliteConnection Open(ITestStore store)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = ((SqliteTestStore)store).DataSource, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
