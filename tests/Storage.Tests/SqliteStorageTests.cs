using System.Globalization;
using CareTwin.Storage;
using CareTwin.Storage.Chains;
using CareTwin.Storage.Sqlite;
using CareTwin.Testing;
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

    protected override ChainBreakKind EntryInsertedByHand => ChainBreakKind.MissingHash;

    protected override Task<ChainCheck> CheckChainsAsync(ITestStore store) =>
        SqliteJournalChains.CheckAsync(((SqliteTestStore)store).DataSource, CancellationToken.None);

    protected override string SetLinkSql(RecordKey record, int version, byte[] hash) =>
        $"UPDATE journal_hash SET hash = X'{Convert.ToHexString(hash)}' WHERE {Where(record, version)}";

    protected override Task<string> DumpJournalsAsync(ITestStore store) => QueryByHandAsync(store,
        """
        SELECT coalesce(group_concat(line, char(10)), '') FROM (
            SELECT 'j ' || j.grain_type || '/' || j.grain_key || ' ' || j.version || ' ' || hex(j.payload) || ' ' || coalesce(hex(l.hash), '-') AS line
            FROM journal j LEFT JOIN journal_hash l ON l.grain_type = j.grain_type AND l.grain_key = j.grain_key AND l.version = j.version
            UNION ALL SELECT 's ' || step || ' ' || coalesce(sealed_at, '-') || ' ' || coalesce(entries, '-') FROM journal_chain_seal
            ORDER BY 1)
        """);

    protected override string AppendBeforeTheChainSql(RecordKey record, int version, string payload) =>
        $"INSERT INTO journal (grain_type, grain_key, version, payload) VALUES ({Quote(record.Type)}, {Quote(record.Key)}, {version}, {Quote(payload)})";

    [Fact]
    public async Task Entries_stored_before_a_chain_step_run_by_hand_are_not_checkable_until_a_start_chains_them()
    {
        var store = await NewStoreAsync();
        var steps = SchemaMigrations.Load("sqlite").Steps;
        foreach (var step in steps.Where(s => s.Version < 6)) await ExecuteByHandAsync(store, step.Sql);
        await ExecuteByHandAsync(store, AppendBeforeTheChainSql(new RecordKey("audit", "child/c-1"), 1, "old"));
        foreach (var step in steps.Where(s => s.Version >= 6)) await ExecuteByHandAsync(store, step.Sql);

        var error = await Assert.ThrowsAsync<ChainCheckUnavailableException>(() => CheckChainsAsync(store));
        Assert.Contains("are not chained yet (the step was run by hand): start this CareTwin once", error.Message);

        await OpenAsync(store);
        var check = await CheckChainsAsync(store);
        Assert.True(check.Report.Intact);
        Assert.Equal(1, check.Seal!.Entries);
    }

    /// <summary>A real database of an earlier CareTwin (schema step 2, four demo children, the Grains tests' fixture) is sealed at its first start.</summary>
    [Fact]
    public async Task A_database_of_an_earlier_release_has_its_journals_chained_at_its_first_start()
    {
        var store = await NewStoreAsync();
        File.Copy(Path.Combine(Repository.Root, "tests", "Grains.Tests", "Fixtures", "caretwin-before-orleans.db"), ((SqliteTestStore)store).DataSource);

        var provider = await OpenAsync(store);
        var check = await CheckChainsAsync(store);

        Assert.Empty(check.Report.Breaks);
        Assert.Equal(4, check.Report.Chains);
        Assert.Equal(130, check.Report.Entries);
        Assert.Equal(130, check.Seal!.Entries);
        await provider.AppendAsync(new RecordKey("child", "demo-0001"), 43, [new JournalEntry(44, "{}")], CancellationToken.None);
        Assert.True((await CheckChainsAsync(store)).Report.Intact);
    }

    [Fact]
    public async Task The_check_opens_the_file_read_only_and_never_creates_one()
    {
        var missing = Path.Combine(Path.GetDirectoryName(((SqliteTestStore)Store).DataSource)!, "nothing-here.db");

        var error = await Assert.ThrowsAsync<ChainCheckUnavailableException>(() => SqliteJournalChains.CheckAsync(missing, CancellationToken.None));

        Assert.StartsWith($"There is no SQLite database at {missing}", error.Message);
        Assert.False(File.Exists(missing));
    }

    /// <summary>The writer's commits are copied from the WAL into the database file in the background, not by the writer.</summary>
    [Fact]
    public async Task Committed_entries_are_copied_into_the_database_file_without_the_writer_stopping_for_it()
    {
        var provider = (SqliteStorageProvider)Storage;
        var record = new RecordKey("audit", "child/c-checkpoint");
        for (var version = 1; version <= 20; version++)
            await provider.AppendAsync(record, version - 1, [new JournalEntry(version, $"{{\"read\":{version}}}")], CancellationToken.None);

        // Far below the writer's own bound (8,000 pages), so only the background checkpoints copy anything.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (provider.BackgroundCheckpoints == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);

        Assert.True(provider.BackgroundCheckpoints > 0, "no WAL frame was copied into the database file in 30 s");
        Assert.Equal(20, (await provider.ReadJournalAsync(record, 0, int.MaxValue, CancellationToken.None)).Count);
    }

    // Unpooled, so the test's directory can be deleted afterwards.
    private static SqliteConnection Open(ITestStore store)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = ((SqliteTestStore)store).DataSource, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
