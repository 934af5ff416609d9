using CareTwin.Storage;

namespace CareTwin.Storage.Tests;

/// <summary>
/// What every storage provider promises, run against each of them alike (memory, SQLite, PostgreSQL): the runtime
/// and the grains may not tell the stores apart. Each test gets a fresh, empty store.
/// </summary>
public abstract class StorageContractTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly List<ITestStore> _stores = [];
    private readonly List<IStorageProvider> _providers = [];

    /// <summary>This test's store, fresh and empty at the start.</summary>
    protected ITestStore Store { get; private set; } = null!;

    /// <summary>An initialized provider over <see cref="Store"/>.</summary>
    protected IStorageProvider Storage { get; private set; } = null!;

    protected abstract Task<ITestStore> CreateStoreAsync();

    /// <summary>Another fresh store, deleted with this test.</summary>
    protected async Task<ITestStore> NewStoreAsync()
    {
        var store = await CreateStoreAsync();
        _stores.Add(store);
        return store;
    }

    /// <summary>A provider over the store (this test's by default), not yet initialized; disposed with this test.</summary>
    protected IStorageProvider NewProvider(ITestStore? store = null)
    {
        var provider = (store ?? Store).NewProvider();
        _providers.Add(provider);
        return provider;
    }

    /// <summary>Another initialized provider over the store: what a restarted host, or a second host, would open.</summary>
    protected async Task<IStorageProvider> OpenAsync(ITestStore? store = null)
    {
        var provider = NewProvider(store);
        await provider.InitializeAsync(None);
        return provider;
    }

    public async Task InitializeAsync()
    {
        Store = await NewStoreAsync();
        Storage = await OpenAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers.Distinct())
            if (provider is IAsyncDisposable disposable) await disposable.DisposeAsync();
        foreach (var store in _stores) await store.DisposeAsync();
    }

    private static readonly RecordKey Grain = new("twin", "child-1");

    // ---- grain state ---------------------------------------------------------------------------------------

    [Fact]
    public async Task A_state_never_written_reads_as_null()
    {
        Assert.Null(await Storage.ReadStateAsync(Grain, "profile", None));
    }

    [Fact]
    public async Task A_first_write_creates_version_1_and_each_write_with_the_current_etag_adds_one()
    {
        Assert.Equal("1", await Storage.WriteStateAsync(Grain, "profile", """{"n":1}""", null, None));
        Assert.Equal("2", await Storage.WriteStateAsync(Grain, "profile", """{"n":2}""", "1", None));
        Assert.Equal("3", await Storage.WriteStateAsync(Grain, "profile", """{"n":3}""", "2", None));

        Assert.Equal(new StoredState("""{"n":3}""", "3"), await Storage.ReadStateAsync(Grain, "profile", None));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("3")]
    [InlineData("02")]
    [InlineData("not-a-version")]
    public async Task A_write_with_any_etag_but_the_stored_one_is_refused_and_changes_nothing(string staleEtag)
    {
        await Storage.WriteStateAsync(Grain, "profile", "first", null, None);
        await Storage.WriteStateAsync(Grain, "profile", "second", "1", None);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(Grain, "profile", "mine", staleEtag, None));

        Assert.Equal("2", error.StoredEtag);
        Assert.Equal(staleEtag, error.CurrentEtag);
        Assert.Contains("twin/child-1", error.Message);
        Assert.Contains("'profile'", error.Message);
        Assert.Equal(new StoredState("second", "2"), await Storage.ReadStateAsync(Grain, "profile", None));
    }

    [Fact]
    public async Task A_write_without_an_etag_is_refused_when_a_record_exists()
    {
        await Storage.WriteStateAsync(Grain, "profile", "first", null, None);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(Grain, "profile", "again", null, None));

        Assert.Equal("1", error.StoredEtag);
        Assert.Null(error.CurrentEtag);
        Assert.Equal(new StoredState("first", "1"), await Storage.ReadStateAsync(Grain, "profile", None));
    }

    [Fact]
    public async Task A_write_with_an_etag_is_refused_when_no_record_exists()
    {
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(Grain, "profile", "x", "1", None));

        Assert.Null(error.StoredEtag);
        Assert.Null(await Storage.ReadStateAsync(Grain, "profile", None));
    }

    [Fact]
    public async Task Clearing_keeps_the_record_with_a_null_payload_and_a_new_version()
    {
        await Storage.WriteStateAsync(Grain, "profile", "first", null, None);

        Assert.Equal("2", await Storage.ClearStateAsync(Grain, "profile", "1", None));

        Assert.Equal(new StoredState(null, "2"), await Storage.ReadStateAsync(Grain, "profile", None));
    }

    [Fact]
    public async Task After_a_clear_a_write_with_the_tag_from_before_the_clear_is_refused_and_the_new_tag_works()
    {
        await Storage.WriteStateAsync(Grain, "profile", "first", null, None);
        var cleared = await Storage.ClearStateAsync(Grain, "profile", "1", None);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(Grain, "profile", "stale", "1", None));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(Grain, "profile", "as new", null, None));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(Grain, "profile", "1", None));

        Assert.Equal("3", await Storage.WriteStateAsync(Grain, "profile", "again", cleared, None));
        Assert.Equal(new StoredState("again", "3"), await Storage.ReadStateAsync(Grain, "profile", None));
    }

    [Fact]
    public async Task Clearing_a_state_never_written_creates_an_empty_record_at_version_1()
    {
        Assert.Equal("1", await Storage.ClearStateAsync(Grain, "profile", null, None));
        Assert.Equal(new StoredState(null, "1"), await Storage.ReadStateAsync(Grain, "profile", None));
    }

    [Fact]
    public async Task States_are_kept_apart_by_grain_type_grain_key_and_state_name()
    {
        await Storage.WriteStateAsync(Grain, "profile", "a", null, None);
        await Storage.WriteStateAsync(Grain, "other", "b", null, None);
        await Storage.WriteStateAsync(Grain with { Key = "child-2" }, "profile", "c", null, None);
        await Storage.WriteStateAsync(Grain with { Type = "service" }, "profile", "d", null, None);

        Assert.Equal("a", (await Storage.ReadStateAsync(Grain, "profile", None))!.Payload);
        Assert.Equal("b", (await Storage.ReadStateAsync(Grain, "other", None))!.Payload);
        Assert.Equal("c", (await Storage.ReadStateAsync(Grain with { Key = "child-2" }, "profile", None))!.Payload);
        Assert.Equal("d", (await Storage.ReadStateAsync(Grain with { Type = "service" }, "profile", None))!.Payload);
    }

    private static readonly Dictionary<string, string> Payloads = new()
    {
        ["json"] = """{"$type":"deposited","Note":"quotes \" and \\ and 'single'"}""",
        ["unicode"] = "Zoë, 😀, 中文, line\nbreak\ttab",
        ["empty"] = "",
        ["1 MB"] = new string('x', 1_000_000),
    };

    [Theory]
    [InlineData("json")]
    [InlineData("unicode")]
    [InlineData("empty")]
    [InlineData("1 MB")]
    public async Task Payloads_and_keys_come_back_exactly_as_written(string kind)
    {
        var payload = Payloads[kind];
        var grain = new RecordKey("twin", "key/with/slashes and spaces ‘quoted’ 😀");
        await Storage.WriteStateAsync(grain, "state 'name'", payload, null, None);
        await Storage.AppendAsync(grain, 0, [new JournalEntry(1, payload)], None);
        await Storage.WriteSnapshotAsync(grain, new JournalSnapshot(1, payload), None);

        Assert.Equal(payload, (await Storage.ReadStateAsync(grain, "state 'name'", None))!.Payload);
        Assert.Equal(payload, Assert.Single(await Storage.ReadJournalAsync(grain, 0, 1, None)).Payload);
        Assert.Equal(payload, (await Storage.ReadSnapshotAsync(grain, None))!.Payload);
    }

    // ---- journals ------------------------------------------------------------------------------------------

    private static JournalEntry[] Events(int from, int count, string tag = "e") =>
        Enumerable.Range(from, count).Select(v => new JournalEntry(v, $"{tag}{v}")).ToArray();

    [Fact]
    public async Task Appended_events_read_back_in_order_by_version_range()
    {
        await Storage.AppendAsync(Grain, 0, Events(1, 3), None);
        await Storage.AppendAsync(Grain, 3, Events(4, 2), None);

        Assert.Equal(Events(1, 5), await Storage.ReadJournalAsync(Grain, 0, int.MaxValue, None));
        Assert.Equal(Events(2, 2), await Storage.ReadJournalAsync(Grain, 1, 3, None));
        Assert.Empty(await Storage.ReadJournalAsync(Grain, 5, 10, None));
        Assert.Empty(await Storage.ReadJournalAsync(Grain with { Key = "nobody" }, 0, 10, None));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task An_append_at_any_version_but_the_journals_is_refused_and_writes_nothing(int wrongVersion)
    {
        await Storage.AppendAsync(Grain, 0, Events(1, 2), None);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() =>
            Storage.AppendAsync(Grain, wrongVersion, Events(wrongVersion + 1, 3, "late"), None));

        Assert.Equal("2", error.StoredEtag);
        Assert.Contains("twin/child-1", error.Message);
        Assert.Equal(Events(1, 2), await Storage.ReadJournalAsync(Grain, 0, int.MaxValue, None));
    }

    [Fact]
    public async Task Entries_not_numbered_on_from_the_expected_version_are_refused_as_a_bad_argument()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Storage.AppendAsync(Grain, 0, [new JournalEntry(1, "a"), new JournalEntry(3, "b")], None));
        Assert.Empty(await Storage.ReadJournalAsync(Grain, 0, 10, None));
    }

    [Fact]
    public async Task An_empty_append_only_checks_the_version()
    {
        await Storage.AppendAsync(Grain, 0, [], None);
        await Storage.AppendAsync(Grain, 0, Events(1, 1), None);
        await Storage.AppendAsync(Grain, 1, [], None);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.AppendAsync(Grain, 0, [], None));
        Assert.Equal(Events(1, 1), await Storage.ReadJournalAsync(Grain, 0, 10, None));
    }

    [Fact]
    public async Task Of_two_concurrent_appends_at_the_same_version_exactly_one_wins_and_history_never_forks()
    {
        // Two hosts over one store, racing round after round with appends of different lengths.
        var other = await OpenAsync();
        var version = 0;
        for (var round = 0; round < 20; round++)
        {
            var mine = Storage.AppendAsync(Grain, version, Events(version + 1, 1, "mine"), None);
            var theirs = other.AppendAsync(Grain, version, Events(version + 1, 3, "theirs"), None);
            var outcomes = await Task.WhenAll(Outcome(mine), Outcome(theirs));

            Assert.Single(outcomes, o => o is null);
            Assert.IsType<InconsistentStateException>(Assert.Single(outcomes, o => o is not null));
            version += outcomes[0] is null ? 1 : 3;
        }

        var journal = await Storage.ReadJournalAsync(Grain, 0, int.MaxValue, None);
        Assert.Equal(Enumerable.Range(1, version), journal.Select(e => e.Version));
    }

    private static async Task<Exception?> Outcome(Task write)
    {
        try
        {
            await write;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    // ---- snapshots -----------------------------------------------------------------------------------------

    [Fact]
    public async Task The_newest_snapshot_is_kept_and_an_older_one_is_ignored()
    {
        Assert.Null(await Storage.ReadSnapshotAsync(Grain, None));

        await Storage.WriteSnapshotAsync(Grain, new JournalSnapshot(10, "at 10"), None);
        await Storage.WriteSnapshotAsync(Grain, new JournalSnapshot(20, "at 20"), None);
        await Storage.WriteSnapshotAsync(Grain, new JournalSnapshot(15, "at 15"), None);
        await Storage.WriteSnapshotAsync(Grain, new JournalSnapshot(20, "again at 20"), None);

        Assert.Equal(new JournalSnapshot(20, "at 20"), await Storage.ReadSnapshotAsync(Grain, None));
        Assert.Null(await Storage.ReadSnapshotAsync(Grain with { Key = "child-2" }, None));
    }

    // ---- reminders -----------------------------------------------------------------------------------------

    // Odd ticks: a store that rounded times would move the reminder's grid.
    private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero).AddTicks(1_234_567);

    [Fact]
    public async Task A_reminder_reads_back_exactly_with_the_etag_its_upsert_returned()
    {
        var etag = await Storage.UpsertReminderAsync(new ReminderEntry(Grain, "sla", Start, TimeSpan.FromHours(1)), None);

        var stored = await Storage.ReadReminderAsync(Grain, "sla", None);

        Assert.Equal(new ReminderEntry(Grain, "sla", Start, TimeSpan.FromHours(1), etag), stored);
        Assert.Null(await Storage.ReadReminderAsync(Grain, "other", None));
    }

    [Fact]
    public async Task Upserting_a_reminder_again_replaces_it_with_a_new_etag()
    {
        var first = await Storage.UpsertReminderAsync(new ReminderEntry(Grain, "sla", Start, TimeSpan.FromHours(1)), None);
        var second = await Storage.UpsertReminderAsync(new ReminderEntry(Grain, "sla", Start.AddDays(1), TimeSpan.FromMinutes(5)), None);

        Assert.NotEqual(first, second);
        Assert.Equal(new ReminderEntry(Grain, "sla", Start.AddDays(1), TimeSpan.FromMinutes(5), second), await Storage.ReadReminderAsync(Grain, "sla", None));
    }

    [Fact]
    public async Task All_reminders_are_listed_and_a_removed_one_is_gone()
    {
        await Storage.UpsertReminderAsync(new ReminderEntry(Grain, "a", Start, TimeSpan.FromHours(1)), None);
        await Storage.UpsertReminderAsync(new ReminderEntry(Grain, "b", Start, TimeSpan.FromHours(2)), None);
        await Storage.UpsertReminderAsync(new ReminderEntry(Grain with { Key = "child-2" }, "a", Start, TimeSpan.FromHours(3)), None);

        Assert.True(await Storage.RemoveReminderAsync(Grain, "b", None));
        Assert.False(await Storage.RemoveReminderAsync(Grain, "b", None));
        Assert.False(await Storage.RemoveReminderAsync(Grain, "never", None));

        var all = await Storage.ReadAllRemindersAsync(None);
        var expected = new[] { (Grain, "a", TimeSpan.FromHours(1)), (Grain with { Key = "child-2" }, "a", TimeSpan.FromHours(3)) };
        Assert.Equal(expected, all.Select(r => (r.Record, r.ReminderName, r.Period)).OrderBy(r => r.Period));
    }

    // ---- idempotency keys ----------------------------------------------------------------------------------

    [Fact]
    public async Task The_first_recorded_result_of_a_key_wins_and_scopes_are_apart()
    {
        Assert.Null(await Storage.TryGetResultAsync("epr.pas", "APPT-17", None));

        Assert.True(await Storage.TryRecordAsync("epr.pas", "APPT-17", "child-1@4", None));
        Assert.False(await Storage.TryRecordAsync("epr.pas", "APPT-17", "child-1@9", None));
        Assert.True(await Storage.TryRecordAsync("housing.newham", "APPT-17", "other", None));

        Assert.Equal("child-1@4", await Storage.TryGetResultAsync("epr.pas", "APPT-17", None));
        Assert.Equal("other", await Storage.TryGetResultAsync("housing.newham", "APPT-17", None));
    }

    [Fact]
    public async Task Of_many_concurrent_records_of_one_key_exactly_one_is_recorded()
    {
        var recorded = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Storage.TryRecordAsync("epr.pas", "APPT-99", $"result {i}", None)));

        var winner = Assert.Single(Enumerable.Range(0, 50), i => recorded[i]);
        Assert.Equal($"result {winner}", await Storage.TryGetResultAsync("epr.pas", "APPT-99", None));
    }

    // ---- data-protection keys ----------------------------------------------------------------------------------

    [Fact]
    public async Task A_fresh_store_has_no_data_protection_keys()
    {
        Assert.Empty(await Storage.ReadKeyElementsAsync(None));
    }

    [Fact]
    public async Task Data_protection_key_elements_read_back_all_exactly_as_stored_in_the_order_stored()
    {
        // What the framework writes: a key (here unencrypted), a revocation, and a name used twice (both kept).
        StoredKeyElement[] stored =
        [
            new("key-6a0f2b4e-0d7c-4e55-9a53-1f0e4f2c9b11", """<key id="6a0f2b4e-0d7c-4e55-9a53-1f0e4f2c9b11" version="1"><creationDate>2026-11-22T09:00:00Z</creationDate><descriptor><masterKey><value>""" + new string('Q', 5000) + "</value></masterKey></descriptor></key>"),
            new("revocation-20261123T100000Z", """<revocation version="1"><revocationDate>2026-11-23T10:00:00Z</revocationDate><key id="6a0f2b4e-0d7c-4e55-9a53-1f0e4f2c9b11" /><reason>Rotated — “early”</reason></revocation>"""),
            new("revocation-20261123T100000Z", "<revocation version=\"1\">\n  <reason>second, same name</reason>\n</revocation>"),
        ];
        foreach (var element in stored) await Storage.StoreKeyElementAsync(element, None);

        Assert.Equal(stored, await Storage.ReadKeyElementsAsync(None));
    }

    [Fact]
    public async Task Data_protection_keys_stored_at_once_by_several_writers_are_all_kept()
    {
        var stored = Enumerable.Range(0, 20).Select(i => new StoredKeyElement($"key-{i}", $"<key n=\"{i}\" />")).ToList();

        await Task.WhenAll(stored.Select(e => Storage.StoreKeyElementAsync(e, None)));

        Assert.Equal(stored.OrderBy(e => e.Name), (await Storage.ReadKeyElementsAsync(None)).OrderBy(e => e.Name));
    }

        // ---- restart and group commit ----------------------------------------------------------------------------

    [Fact]
    public async Task Everything_written_is_there_for_a_provider_opened_afterwards()
    {
        await Storage.WriteStateAsync(Grain, "profile", "state", null, None);
        await Storage.AppendAsync(Grain, 0, Events(1, 2), None);
        await Storage.WriteSnapshotAsync(Grain, new JournalSnapshot(2, "snap"), None);
        var etag = await Storage.UpsertReminderAsync(new ReminderEntry(Grain, "sla", Start, TimeSpan.FromHours(1)), None);
        await Storage.TryRecordAsync("epr.pas", "APPT-1", "done", None);
        await Storage.StoreKeyElementAsync(new StoredKeyElement("key-1", "<key id=\"1\" />"), None);

        var reopened = await OpenAsync();

        Assert.Equal(new StoredState("state", "1"), await reopened.ReadStateAsync(Grain, "profile", None));
        Assert.Equal(Events(1, 2), await reopened.ReadJournalAsync(Grain, 0, 10, None));
        Assert.Equal(new JournalSnapshot(2, "snap"), await reopened.ReadSnapshotAsync(Grain, None));
        Assert.Equal(etag, Assert.Single(await reopened.ReadAllRemindersAsync(None)).ETag);
        Assert.Equal("done", await reopened.TryGetResultAsync("epr.pas", "APPT-1", None));
        Assert.Equal(new StoredKeyElement("key-1", "<key id=\"1\" />"), Assert.Single(await reopened.ReadKeyElementsAsync(None)));
        await reopened.AppendAsync(Grain, 2, Events(3, 1), None);
    }

    [Fact]
    public async Task Two_hundred_concurrent_writers_are_all_acknowledged_and_conflicting_writes_are_refused_without_failing_the_rest()
    {
        var grains = Enumerable.Range(0, 200).Select(i => new RecordKey("twin", $"g{i}")).ToArray();
        foreach (var grain in grains.Take(50)) await Storage.WriteStateAsync(grain, "s", "old", null, None);

        // All at once, so they land in shared batches: 200 state writes (50 of them stale), 200 appends (50 of them stale).
        var writes = grains.Select((g, i) => Storage.WriteStateAsync(g, "s", $"new {i}", i < 50 && i % 2 == 0 ? "1" : null, None)).ToArray();
        var appends = grains.Select((g, i) => Storage.AppendAsync(g, i < 50 ? 7 : 0, Events(i < 50 ? 8 : 1, 2, $"g{i}-"), None)).ToArray();
        var writeOutcomes = await Task.WhenAll(writes.Select(Outcome));
        var appendOutcomes = await Task.WhenAll(appends.Select(Outcome));

        for (var i = 0; i < 200; i++)
        {
            var stale = i < 50 && i % 2 == 1;
            if (stale) Assert.IsType<InconsistentStateException>(writeOutcomes[i]);
            else Assert.Null(writeOutcomes[i]);
            Assert.Equal(stale ? "old" : $"new {i}", (await Storage.ReadStateAsync(grains[i], "s", None))!.Payload);

            if (i < 50) Assert.IsType<InconsistentStateException>(appendOutcomes[i]);
            else Assert.Null(appendOutcomes[i]);
            Assert.Equal(i < 50 ? [] : Events(1, 2, $"g{i}-"), await Storage.ReadJournalAsync(grains[i], 0, 10, None));
        }
    }
}
