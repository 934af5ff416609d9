using CareTwin.Storage.Postgres;
using CareTwin.Testing;

namespace CareTwin.Storage.Tests;

/// <summary>
/// A PostgreSQL restarted under a running host (a failover, a minor upgrade at 3 a.m.) leaves the host's pooled
/// connections dead. The first write and the first read after it must not fail because of them.
/// </summary>
public sealed class PostgresRestartTests
{
    [Fact]
    public async Task The_first_write_and_read_after_the_server_restarts_succeed()
    {
        using var server = PostgresServer.StartPrivate();
        await using var schema = await server.CreateSchemaAsync();
        await using var provider = new PostgresStorageProvider(new PostgresStorageOptions { ConnectionString = schema.ConnectionString });
        await provider.InitializeAsync(CancellationToken.None);
        var record = new RecordKey("child", "c-restart");
        await provider.AppendAsync(record, 0, [new JournalEntry(1, "{\"before\":true}")], CancellationToken.None);
        Assert.Single(await provider.ReadJournalAsync(record, 0, int.MaxValue, CancellationToken.None));

        server.Stop();
        server.StartAgain();

        // A read first (its pooled connection is dead), then a write (the writer's own connection is dead too).
        Assert.Single(await provider.ReadJournalAsync(record, 0, int.MaxValue, CancellationToken.None));
        await provider.AppendAsync(record, 1, [new JournalEntry(2, "{\"after\":true}")], CancellationToken.None);
        var journal = await provider.ReadJournalAsync(record, 0, int.MaxValue, CancellationToken.None);
        Assert.Equal([1, 2], journal.Select(e => e.Version));
    }
}
