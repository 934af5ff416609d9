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

    protected override string EntriesTable => "journal_entry";

    protected override Task<ChainCheck> CheckChainsAsync(ITestStore store) =>
        SqliteJournalChains.CheckAsync(((SqliteTestStore)store).DataSource, CancellationToken.None);

    protected override string SetLinkSql(RecordKey record, int version, byte[] hash) =>
        $"UPDATE journal_link SET hash = X'{Convert.ToHexString(hash)}' WHERE {Where(record, version)}";

    protected override Task<string> DumpJournalsAsync(ITestStore store) => QueryByHandAsync(store,
        """
        SELECT coalesce(group_concat(line, char(10)), '') FROM (
            SELECT 'j ' || j.grain_type || '/' || j.grain_key || ' ' || j.version || ' ' || hex(j.payload) || ' ' || coalesce(hex(l.hash), '-') AS line
            FROM journal_entry j LEFT JOIN journal_link l ON l.grain_type = j.grain_type AND l.grain_key = j.grain_key AND l.version = j.version AND l.entry = j.id
            UNION ALL SELECT 's ' || step || ' ' || coalesce(sealed_at, '-') || ' ' || coalesce(entries, '-') FROM journal_chain_seal
            ORDER BY 1)
        """);

    /// <summary>Before step 6 (and until step 7 moves it) the journal was the table "journal".</summary>
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

    /// <summary>
    /// Step 7 moves the journals of a step-6 database (entries kept per journal, links beside them) into arrival order
    /// as they stand: intact chains stay intact, a broken one stays broken where it was, and appends chain on.
    /// </summary>
    [Fact]
    public async Task Journals_stored_before_step_7_move_as_they_stand_and_chain_on()
    {
        var store = await NewStoreAsync();
        var steps = SchemaMigrations.Load("sqlite").Steps;
        foreach (var step in steps.Where(s => s.Version < 7)) await ExecuteByHandAsync(store, step.Sql);
        var trail = new RecordKey("audit", "child/c-1");
        var child = new RecordKey("child", "c-1");
        await WriteAsStep6Async(store, trail, ["read 1", "read 2", "read 3"]);
        await WriteAsStep6Async(store, child, ["raised", "resolved"]);
        // Its newest entry deleted by hand, its link left behind.
        await ExecuteByHandAsync(store, $"DELETE FROM journal WHERE {Where(child, 2)}");

        var provider = await OpenAsync(store);
        var check = await CheckChainsAsync(store);

        var broken = Assert.Single(check.Report.Breaks);
        Assert.Equal((child, 2, ChainBreakKind.MissingLink), (broken.Record, broken.Entry, broken.Kind));
        Assert.Equal(["read 1", "read 2", "read 3"], (await provider.ReadJournalAsync(trail, 0, int.MaxValue, CancellationToken.None)).Select(e => e.Payload));
        await provider.AppendAsync(trail, 3, [new JournalEntry(4, "read 4")], CancellationToken.None);
        Assert.Equal([child], (await CheckChainsAsync(store)).Report.Breaks.Select(b => b.Record));
        Assert.Equal("0", await QueryByHandAsync(store, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('journal', 'journal_hash')"));

        // Run by hand a second time, the step moves nothing and leaves the journals as they are.
        var before = await DumpJournalsAsync(store);
        await ExecuteByHandAsync(store, steps.Single(s => s.Version == 7).Sql);
        Assert.Equal(before, await DumpJournalsAsync(store));
        Assert.Equal(4, (await provider.ReadJournalAsync(trail, 0, int.MaxValue, CancellationToken.None)).Count);
    }

    /// <summary>Entries and links as CareTwin wrote them at schema step 6.</summary>
    private async Task WriteAsStep6Async(ITestStore store, RecordKey record, string[] payloads)
    {
        var link = JournalChain.Genesis.ToArray();
        for (var version = 1; version <= payloads.Length; version++)
        {
            link = JournalChain.Hash(link, record, version, payloads[version - 1]);
            await ExecuteByHandAsync(store, AppendBeforeTheChainSql(record, version, payloads[version - 1]));
            await ExecuteByHandAsync(store,
                $"INSERT INTO journal_hash (grain_type, grain_key, version, hash) VALUES ({Quote(record.Type)}, {Quote(record.Key)}, {version}, X'{Convert.ToHexString(link)}')");
        }
    }

    /// <summary>Entries are kept in arrival order, so nothing in the table stops a row repeating a number: the check reports it, and reads keep CareTwin's.</summary>
    [Fact]
    public async Task An_entry_added_by_hand_with_the_number_of_a_stored_one_is_reported_and_never_read()
    {
        var trail = new RecordKey("audit", "child/c-2");
        await Storage.AppendAsync(trail, 0, [new JournalEntry(1, "read 1"), new JournalEntry(2, "read 2"), new JournalEntry(3, "read 3")], CancellationToken.None);
        await ExecuteByHandAsync(Store,
            $"INSERT INTO journal_entry (grain_type, grain_key, version, payload) VALUES ({Quote(trail.Type)}, {Quote(trail.Key)}, 2, 'forged')");

        var broken = Assert.Single((await CheckChainsAsync(Store)).Report.Breaks);

        Assert.Equal((trail, 2, ChainBreakKind.AddedOutsideCareTwin), (broken.Record, broken.Entry, broken.Kind));
        Assert.Equal("entry 2 is stored twice: a second entry 2 was added outside CareTwin", broken.Detail);
        Assert.Equal(["read 1", "read 2", "read 3"], (await Storage.ReadJournalAsync(trail, 0, int.MaxValue, CancellationToken.None)).Select(e => e.Payload));
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
