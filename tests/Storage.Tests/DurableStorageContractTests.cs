using CareTwin.Storage;
using CareTwin.Testing;

namespace CareTwin.Storage.Tests;

/// <summary>
/// What the database-backed providers promise beyond the contract: a schema from the versioned steps in
/// deploy/sql/{dialect}, the same files an operator runs by hand, and group commit.
/// </summary>
public abstract partial class DurableStorageContractTests : StorageContractTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    protected abstract string Dialect { get; }

    /// <summary>Runs SQL in one transaction the way an operator would, outside any provider.</summary>
    protected abstract Task ExecuteByHandAsync(ITestStore store, string sql);

    /// <summary>The first column of the first row, as text.</summary>
    protected abstract Task<string> QueryByHandAsync(ITestStore store, string sql);

    protected abstract long CommittedBatches(IStorageProvider provider);

    private SchemaMigrations Steps => SchemaMigrations.Load(Dialect);

    private string[] StepFiles => Directory.GetFiles(Path.Combine(Repository.Root, "deploy", "sql", Dialect), "*.sql").Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task A_fresh_store_is_migrated_to_the_latest_schema_version_with_every_step_recorded()
    {
        Assert.Equal($"{Steps.Steps.Count}", await QueryByHandAsync(Store, "SELECT COUNT(*) FROM schema_version"));
        Assert.Equal($"{Steps.Latest}", await QueryByHandAsync(Store, "SELECT MAX(version) FROM schema_version"));
    }

    [Fact]
    public void The_steps_applied_at_start_are_the_files_in_deploy_sql()
    {
        Assert.Equal(StepFiles.Select(Path.GetFileName), Steps.Steps.Select(s => s.Name));
        Assert.Equal(StepFiles.Select(File.ReadAllText), Steps.Steps.Select(s => s.Sql));
    }

    [Fact]
    public async Task The_schema_files_run_by_hand_twice_give_a_store_the_provider_opens_as_it_is()
    {
        var store = await NewStoreAsync();
        foreach (var file in StepFiles)
        {
            await ExecuteByHandAsync(store, await File.ReadAllTextAsync(file));
            await ExecuteByHandAsync(store, await File.ReadAllTextAsync(file));
        }

        var provider = NewProvider(store);
        await provider.InitializeAsync(None);

        Assert.Equal($"{Steps.Steps.Count}", await QueryByHandAsync(store, "SELECT COUNT(*) FROM schema_version"));
        Assert.Equal("1", await provider.WriteStateAsync(new RecordKey("twin", "t"), "s", "x", null, None));
        Assert.True(await provider.TryRecordAsync("epr.pas", "1", "done", None));
    }

    [Fact]
    public async Task A_store_at_schema_version_1_is_upgraded_in_place_keeping_its_data()
    {
        var store = await NewStoreAsync();
        await ExecuteByHandAsync(store, Steps.Steps[0].Sql);
        await ExecuteByHandAsync(store, "INSERT INTO grain_state (grain_type, grain_key, state_name, version, payload) VALUES ('twin', 'kept', 's', 4, 'old')");

        var provider = NewProvider(store);
        await provider.InitializeAsync(None);

        Assert.Equal(new StoredState("old", "4"), await provider.ReadStateAsync(new RecordKey("twin", "kept"), "s", None));
        Assert.True(await provider.TryRecordAsync("epr.pas", "1", "done", None));
        Assert.Equal($"{Steps.Latest}", await QueryByHandAsync(store, "SELECT MAX(version) FROM schema_version"));
    }

    /// <summary>
    /// Steps written side by side on two branches (0003 and 0004) reach databases in either order: one that ran a
    /// later step first still gets the earlier one, and keeps what it holds.
    /// </summary>
    [Fact]
    public async Task A_store_that_ran_a_later_step_first_is_given_the_earlier_step_it_lacks_at_start()
    {
        var store = await NewStoreAsync();
        var skipped = Steps.Steps[1];
        foreach (var step in Steps.Steps.Where(s => s != skipped)) await ExecuteByHandAsync(store, step.Sql);
        await ExecuteByHandAsync(store, "INSERT INTO grain_state (grain_type, grain_key, state_name, version, payload) VALUES ('twin', 'kept', 's', 4, 'old')");
        Assert.Equal($"{Steps.Steps.Count - 1}", await QueryByHandAsync(store, "SELECT COUNT(*) FROM schema_version"));

        var provider = NewProvider(store);
        await provider.InitializeAsync(None);

        Assert.Equal($"{Steps.Steps.Count}", await QueryByHandAsync(store, "SELECT COUNT(*) FROM schema_version"));
        Assert.Equal(new StoredState("old", "4"), await provider.ReadStateAsync(new RecordKey("twin", "kept"), "s", None));
        Assert.True(await provider.TryRecordAsync("epr.pas", "1", "done", None));
    }

    [Fact]
    public async Task A_store_with_a_newer_schema_than_the_code_is_refused_with_one_clear_line()
    {
        await ExecuteByHandAsync(Store, "INSERT INTO schema_version (version) VALUES (999)");

        var provider = NewProvider();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.InitializeAsync(None));

        Assert.Contains("schema version 999, newer than this CareTwin's " + Steps.Latest, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Hosts_starting_at_once_on_a_fresh_store_all_start_and_migrate_it_once()
    {
        var store = await NewStoreAsync();
        var providers = Enumerable.Range(0, 4).Select(_ => NewProvider(store)).ToList();

        await Task.WhenAll(providers.Select(p => p.InitializeAsync(None)));

        Assert.Equal($"{Steps.Steps.Count}", await QueryByHandAsync(store, "SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public async Task Concurrent_writes_share_commits()
    {
        var before = CommittedBatches(Storage);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Storage.WriteStateAsync(new RecordKey("twin", $"g{i}"), "s", "x", null, None)));

        Assert.InRange(CommittedBatches(Storage) - before, 1, 50);
    }

    [Fact]
    public async Task A_write_the_database_rejects_fails_alone_and_the_rest_of_its_batch_commits()
    {
        // A null event payload breaks the journal's NOT NULL: the database, not the provider, refuses it.
        var appends = Enumerable.Range(0, 100)
            .Select(i => Storage.AppendAsync(new RecordKey("twin", $"g{i}"), 0, [new JournalEntry(1, i == 42 ? null! : $"e{i}")], None))
            .ToArray();

        await Assert.ThrowsAnyAsync<Exception>(() => appends[42]);
        for (var i = 0; i < 100; i++)
        {
            if (i == 42) continue;
            await appends[i];
            Assert.Equal($"e{i}", Assert.Single(await Storage.ReadJournalAsync(new RecordKey("twin", $"g{i}"), 0, 1, None)).Payload);
        }
        Assert.Empty(await Storage.ReadJournalAsync(new RecordKey("twin", "g42"), 0, 1, None));
    }
}
