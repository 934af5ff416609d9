using System.Diagnostics;
using CareTwin.Storage;
using CareTwin.Storage.Postgres;
using CareTwin.Testing;
using Npgsql;

namespace CareTwin.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStorageTests(PostgresServer server) : DurableStorageContractTests
{
    protected override string Dialect => "postgres";

    protected override async Task<ITestStore> CreateStoreAsync() => await PostgresTestStore.CreateAsync(server);

    protected override Task ExecuteByHandAsync(ITestStore store, string sql) => PsqlAsync(store, sql, "--single-transaction");

    protected override async Task<string> QueryByHandAsync(ITestStore store, string sql) => (await PsqlAsync(store, sql, "--tuples-only", "--no-align")).Trim();

    protected override long CommittedBatches(IStorageProvider provider) => ((PostgresStorageProvider)provider).CommittedBatches;

    [Fact]
    public async Task A_database_that_does_not_exist_fails_start_with_one_clear_line()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "no_such_database" };
        await using var provider = new PostgresStorageProvider(new PostgresStorageOptions { ConnectionString = connectionString.ConnectionString });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.InitializeAsync(CancellationToken.None));

        Assert.Matches("^Cannot connect to PostgreSQL at .+/no_such_database as .+: 3D000: database \"no_such_database\" does not exist$", error.Message);
    }

    [Fact]
    public async Task A_wrong_password_fails_start_with_one_clear_line_that_does_not_show_it()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Password = "not-the-password" };
        await using var provider = new PostgresStorageProvider(new PostgresStorageOptions { ConnectionString = connectionString.ConnectionString });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.InitializeAsync(CancellationToken.None));

        Assert.Contains("28P01: password authentication failed", error.Message);
        Assert.DoesNotContain("not-the-password", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("lone surrogate")]
    [InlineData("NUL")]
    public async Task A_string_PostgreSQL_cannot_store_fails_its_own_write_and_no_other(string kind)
    {
        // A lone surrogate fails in Npgsql's encoder, a NUL in the server: either way before COMMIT.
        var payload = kind == "NUL" ? "a \0 character" : "a \ud800 half";
        var writes = Enumerable.Range(0, 50)
            .Select(i => Storage.WriteStateAsync(new RecordKey("twin", $"g{i}"), "s", i == 7 ? payload : $"ok {i}", null, CancellationToken.None))
            .ToArray();

        await Assert.ThrowsAnyAsync<Exception>(() => writes[7]);
        for (var i = 0; i < 50; i++)
        {
            if (i == 7) continue;
            Assert.Equal("1", await writes[i]);
        }
        Assert.Null(await Storage.ReadStateAsync(new RecordKey("twin", "g7"), "s", CancellationToken.None));
    }

    /// <summary>psql as an operator runs the deploy/sql files, with the SQL on standard input.</summary>
    private static async Task<string> PsqlAsync(ITestStore store, string sql, params string[] options)
    {
        var schema = ((PostgresTestStore)store).Schema;
        var target = new NpgsqlConnectionStringBuilder(schema.ConnectionString);
        var info = new ProcessStartInfo("psql", ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", .. options, "--file=-"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["PGHOST"] = target.Host,
                ["PGPORT"] = $"{target.Port}",
                ["PGDATABASE"] = target.Database,
                ["PGUSER"] = target.Username,
                ["PGPASSWORD"] = target.Password,
                ["PGOPTIONS"] = $"-c search_path={schema.Name}",
            },
        };
        using var psql = Process.Start(info)!;
        var output = psql.StandardOutput.ReadToEndAsync();
        var errors = psql.StandardError.ReadToEndAsync();
        await psql.StandardInput.WriteAsync(sql);
        psql.StandardInput.Close();
        await psql.WaitForExitAsync();
        if (psql.ExitCode != 0) throw new InvalidOperationException($"psql failed (exit {psql.ExitCode}): {await errors}");
        return await output;
    }
}
