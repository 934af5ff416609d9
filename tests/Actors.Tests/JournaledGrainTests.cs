using CareTwin.Testing;
using CareTwin.Storage;
using CareTwin.Actors.Tests.Infrastructure;
using CareTwin.Storage.Tests;
using CareTwin.Actors.Tests.TestGrains;

namespace CareTwin.Actors.Tests;

/// <summary>Journaled grains over each durable store; a restart is a new runtime over a new provider on the same store.</summary>
public abstract class JournaledGrainTests : IAsyncLifetime
{
    private ITestStore _store = null!;

    protected abstract Task<ITestStore> CreateStoreAsync();

    private IStorageProvider NewStorage() => _store.NewProvider();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public Task DisposeAsync() => _store.DisposeAsync().AsTask();

    [Fact]
    public async Task A_journaled_grain_rebuilds_the_same_state_after_a_restart_of_the_host()
    {
        AccountView before;
        await using (var first = await Silo.StartAsync(NewStorage()))
        {
            var account = first.Grains.GetGrain<IAccountGrain>("acc-1");
            await account.Deposit(100, "opening");
            await account.Withdraw(30);
            before = await account.Deposit(5.5m, "refund");
        }

        await using var second = await Silo.StartAsync(NewStorage());
        var after = await second.Grains.GetGrain<IAccountGrain>("acc-1").View();

        Assert.Equal(75.5m, after.Balance);
        Assert.Equal(3, after.Version);
        Assert.Equal(before.Notes, after.Notes);
        Assert.Equal(before with { Notes = after.Notes }, after);
    }

    [Fact]
    public async Task Activation_replays_only_the_events_after_the_latest_snapshot()
    {
        await using (var first = await Silo.StartAsync(NewStorage(), configure: o => o.JournalSnapshotInterval = 10))
        {
            await first.Grains.GetGrain<IAccountGrain>("acc-2").DepositMany(25);
        }

        var storage = NewStorage();
        await using var second = await Silo.StartAsync(storage, configure: o => o.JournalSnapshotInterval = 10);
        var account = second.Grains.GetGrain<IAccountGrain>("acc-2");

        Assert.Equal(25, (await account.View()).Balance);
        Assert.Equal(0, await account.TransitionsSinceActivation());
        Assert.Equal(25, (await storage.ReadSnapshotAsync(new GrainId("account", "acc-2"), CancellationToken.None))!.Version);

        await account.DepositMany(3);
        Assert.Equal(3, await account.TransitionsSinceActivation());
    }

    [Fact]
    public async Task The_full_history_stays_readable_after_snapshots()
    {
        await using var silo = await Silo.StartAsync(NewStorage(), configure: o => o.JournalSnapshotInterval = 4);
        var account = silo.Grains.GetGrain<IAccountGrain>("acc-3");
        await account.DepositMany(9);

        var history = await account.History(0, 9);

        Assert.Equal(9, history.Count);
        Assert.Equal(new Deposited(1, "deposit 0"), history[0]);
        Assert.Equal(new Deposited(1, "deposit 8"), history[8]);
    }

    [Fact]
    public async Task A_conflicting_append_is_refused_and_the_grain_shows_only_what_was_stored()
    {
        await using var silo = await Silo.StartAsync(NewStorage());
        var account = silo.Grains.GetGrain<IAccountGrain>("acc-4");
        await account.Deposit(10, "first");

        // Someone else appended version 2 behind the activation's back.
        await silo.Storage.AppendAsync(new GrainId("account", "acc-4"), 1,
            [new JournalEntry(2, """{"$type":"deposited","Amount":1000,"Note":"elsewhere"}""")], CancellationToken.None);

        await Assert.ThrowsAsync<InconsistentStateException>(() => account.Deposit(5, "mine"));
        var view = await account.View();
        Assert.Equal(1010, view.Balance);
        Assert.Equal(2, view.Version);
        Assert.Equal(1015, (await account.Deposit(5, "mine")).Balance);
    }
}

public sealed class SqliteJournaledGrainTests : JournaledGrainTests
{
    protected override Task<ITestStore> CreateStoreAsync() => Task.FromResult<ITestStore>(new SqliteTestStore());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresJournaledGrainTests(PostgresServer server) : JournaledGrainTests
{
    protected override async Task<ITestStore> CreateStoreAsync() => await PostgresTestStore.CreateAsync(server);
}
