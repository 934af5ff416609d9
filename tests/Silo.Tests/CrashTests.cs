using CareTwin.Silo.Tests.Crash;
using CareTwin.Testing;
using Xunit.Abstractions;

namespace CareTwin.Silo.Tests;

/// <summary>The crash tests run alone: each keeps a host busy on a 2-core machine, and kills it.</summary>
[CollectionDefinition(nameof(CrashTests), DisableParallelization = true)]
public sealed class CrashTests;

[Collection(nameof(CrashTests))]
public sealed class SqliteCrashTests(ITestOutputHelper output)
{
    [Fact]
    public Task Acknowledged_changes_survive_SIGKILL_at_random_moments_exactly_once_on_SQLite() =>
        new CrashScenario(output).RunAsync(new Dictionary<string, string>());
}

[Collection(nameof(CrashTests))]
public sealed class PostgresCrashTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Acknowledged_changes_survive_SIGKILL_at_random_moments_exactly_once_on_PostgreSQL()
    {
        await using var schema = await postgres.CreateSchemaAsync();
        await new CrashScenario(output).RunAsync(new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["Storage__Postgres__ConnectionString"] = schema.ConnectionString,
        });
    }
}
