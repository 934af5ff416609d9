using System.Diagnostics;
using CareTwin.Storage;
using CareTwin.Storage.Chains;
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

    protected override ChainBreakKind EntryInsertedByHand => ChainBreakKind.AddedOutsideCareTwin;

    protected override string EntriesTable => "journal";

    protected override Task<ChainCheck> CheckChainsAsync(ITestStore store) =>
        PostgresJournalChains.CheckAsync(((PostgresTestStore)store).Schema.ConnectionString, CancellationToken.None);

    protected override string SetLinkSql(RecordKey record, int version, byte[] hash) =>
        $"UPDATE journal SET hash = '\\x{Convert.ToHexStringLower(hash)}'::bytea WHERE {Where(record, version)}";

    protected override Task<string> DumpJournalsAsync(ITestStore store) => QueryByHandAsync(store,
        """
        SELECT coalesce(string_agg(line, E'\n' ORDER BY line), '') FROM (
            SELECT 'j ' || grain_type || '/' || grain_key || ' ' || version || ' ' || md5(payload) || ' ' || coalesce(encode(hash, 'hex'), '-') AS line FROM journal
            UNION ALL SELECT 'h ' || grain_type || '/' || grain_key || ' ' || version FROM journal_head
            UNION ALL SELECT 's ' || step || ' ' || sealed_at || ' ' || entries FROM journal_chain_seal) AS everything
        """);

    protected override string AppendBeforeTheChainSql(RecordKey record, int version, string payload) => $"""
        INSERT INTO journal (grain_type, grain_key, version, payload) VALUES ({Quote(record.Type)}, {Quote(record.Key)}, {version}, {Quote(payload)});
        INSERT INTO journal_head (grain_type, grain_key, version) VALUES ({Quote(record.Type)}, {Quote(record.Key)}, {version})
            ON CONFLICT (grain_type, grain_key) DO UPDATE SET version = excluded.version;
        """;

    /// <summary>
    /// A rolling upgrade: nodes of the release before step 6 keep appending, with their own statement (no link, no
    /// ORDER BY), after a new node has migrated the database. The trigger chains their entries all the same.
    /// </summary>
    [Fact]
    public async Task Entries_appended_by_a_node_of_the_release_before_the_chain_are_chained_by_the_database()
    {
        var record = new RecordKey("audit", "child/c-9");
        await Storage.AppendAsync(record, 0, [new JournalEntry(1, "new node")], CancellationToken.None);
        await ExecuteByHandAsync(Store, """
            WITH head AS (
                UPDATE journal_head SET version = 1 + cardinality(ARRAY['old node a', 'old node b', 'old node c'])
                WHERE grain_type = 'audit' AND grain_key = 'child/c-9' AND version = 1 RETURNING version),
            appended AS (
                INSERT INTO journal (grain_type, grain_key, version, payload)
                SELECT 'audit', 'child/c-9', 1 + e.n, e.payload FROM unnest(ARRAY['old node a', 'old node b', 'old node c']) WITH ORDINALITY AS e(payload, n)
                WHERE EXISTS (SELECT FROM head))
            SELECT EXISTS (SELECT FROM head)
            """);
        await Storage.AppendAsync(record, 4, [new JournalEntry(5, "new node again")], CancellationToken.None);

        var check = await CheckChainsAsync(Store);

        Assert.True(check.Report.Intact);
        Assert.Equal(5, check.Report.Entries);
    }

    [Fact]
    public async Task A_server_the_check_cannot_reach_is_one_line_without_the_password()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Password = "not-the-password" };

        var error = await Assert.ThrowsAsync<ChainCheckUnavailableException>(() => PostgresJournalChains.CheckAsync(connectionString.ConnectionString, CancellationToken.None));

        Assert.StartsWith("Cannot connect to PostgreSQL at ", error.Message);
        Assert.Contains("28P01", error.Message);
        Assert.DoesNotContain("not-the-password", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

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
