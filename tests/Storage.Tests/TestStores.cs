using CareTwin.Storage;
using CareTwin.Storage.Memory;
using CareTwin.Storage.Postgres;
using CareTwin.Storage.Sqlite;
using CareTwin.Testing;

namespace CareTwin.Storage.Tests;

/// <summary>
/// One test's store, which outlives provider instances: each <see cref="NewProvider"/> is another provider over
/// the same data, as a restarted host would open. Disposing it deletes the data.
/// </summary>
public interface ITestStore : IAsyncDisposable
{
    IStorageProvider NewProvider();
}

/// <summary>Memory has no store apart from its provider, so every "new" provider is the one instance.</summary>
public sealed class MemoryTestStore : ITestStore
{
    private readonly MemoryStorageProvider _provider = new();

    public IStorageProvider NewProvider() => _provider;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public sealed class SqliteTestStore : ITestStore
{
    private readonly string _directory = Directory.CreateTempSubdirectory("caretwin-store-").FullName;

    public string DataSource => Path.Combine(_directory, "caretwin.db");

    public IStorageProvider NewProvider() => new SqliteStorageProvider(new SqliteStorageOptions { DataSource = DataSource });

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A fresh schema on the run's PostgreSQL server.</summary>
public sealed class PostgresTestStore(PostgresSchema schema) : ITestStore
{
    public static async Task<PostgresTestStore> CreateAsync(PostgresServer server) => new(await server.CreateSchemaAsync());

    public PostgresSchema Schema => schema;

    public IStorageProvider NewProvider() => new PostgresStorageProvider(new PostgresStorageOptions { ConnectionString = schema.ConnectionString });

    public ValueTask DisposeAsync() => schema.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    /// <summary>Every test class using the run's one PostgreSQL server.</summary>
    public const string Name = "PostgreSQL";
}
