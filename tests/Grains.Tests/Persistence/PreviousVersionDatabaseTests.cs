using CareTwin.Grains.Boards;
using CareTwin.Grains.Children;
using CareTwin.Grains.Services;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Storage;
using CareTwin.Storage.Sqlite;
using CareTwin.Testing;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Grains.Tests.Persistence;

/// <summary>
/// A SQLite database written by CareTwin before it moved to Orleans (commit d485ac4: the demo region with four
/// children, then a clean stop) opens on Orleans: the journals are the truth and the twins rebuild from them; the
/// boards, service ledgers, directory and reminders it stored are read as they are.
/// </summary>
public sealed class PreviousVersionDatabaseTests : IAsyncLifetime
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "caretwin-before-orleans.db");

    /// <summary>Each demo child and how many events its journal holds in the fixture.</summary>
    private static readonly (string ChildId, int Events)[] Children = [("demo-0001", 43), ("demo-0002", 30), ("demo-0003", 31), ("demo-0004", 26)];

    private readonly string _directory = ScratchDirectory.Create("caretwin-fixture-");
    private TestSilo _silo = null!;

    public async Task InitializeAsync()
    {
        var copy = Path.Combine(_directory, "caretwin.db");
        File.Copy(Fixture, copy);
        _silo = await TestSilo.StartAsync(new SqliteStorageProvider(new SqliteStorageOptions { DataSource = copy }),
            new ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero)), ownsStorage: true);
    }

    [Fact]
    public async Task Every_child_rebuilds_from_its_journal_with_its_blockers()
    {
        foreach (var (childId, events) in Children)
        {
            var journey = (await _silo.Grains.GetGrain<IChildGrain>(childId).GetJourney())!;
            Assert.True(journey.IsRegistered, childId);
            Assert.Equal(events, journey.Version);
            Assert.NotNull(journey.CurrentTransition());
        }
        var blockers = await Task.WhenAll(Children.Select(async c => (await _silo.Grains.GetGrain<IChildGrain>(c.ChildId).GetJourney())!.Blockers.Length));
        Assert.True(blockers.Sum() > 0, "the demo children have blockers");
    }

    [Fact]
    public async Task The_stored_board_directory_and_ledgers_are_read_as_they_were()
    {
        var region = await _silo.Grains.GetGrain<IBoardGrain>("region:north-thames").GetSnapshot();
        Assert.Equal(Children.Select(c => c.ChildId).Order(), region.Summary.Rows.Keys.Order());

        var directory = await _silo.Grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory();
        Assert.Equal(16, directory.Profiles.Count);

        var owners = (await Task.WhenAll(Children.Select(async c => (await _silo.Grains.GetGrain<IChildGrain>(c.ChildId).GetJourney())!)))
            .SelectMany(j => j.ActiveBlockers()).GroupBy(b => b.OwningService).First();
        var ledger = await _silo.Grains.GetGrain<IServiceGrain>(owners.Key.Value).GetOverview();
        Assert.Equal(owners.Count(), ledger.ActiveBlockers.Length);
    }

    [Fact]
    public async Task A_rebuilt_child_takes_new_changes_after_its_old_journal()
    {
        var child = _silo.Grains.GetGrain<IChildGrain>("demo-0004");
        var transition = (await child.GetJourney())!.CurrentTransition()!;

        var outcome = await child.Execute(new RaiseBlocker(new CommandOrigin(Coordinator, "caretwin.web", "after-orleans-1"),
            transition.Id, BlockerCategory.Equipment, "health.equipment.north-thames", null,
            "Hoist assessment needed.", null, new DateOnly(2027, 1, 15)));

        Assert.Equal(OutcomeKind.Accepted, outcome.Kind);
        Assert.Equal(27, (await child.GetJourney())!.Version);
        await RestartAsync();
        Assert.Equal(27, (await _silo.Grains.GetGrain<IChildGrain>("demo-0004").GetJourney())!.Version);
    }

    [Fact]
    public async Task The_board_and_ledgers_stored_whole_move_into_shares_and_read_the_same_afterwards()
    {
        // Reading the children wakes them, and each sends its row as of today: the board is compared after that.
        var owner = (await Task.WhenAll(Children.Select(async c => (await _silo.Grains.GetGrain<IChildGrain>(c.ChildId).GetJourney())!)))
            .SelectMany(j => j.ActiveBlockers()).First().OwningService.Value;
        var board = await _silo.Grains.GetGrain<IBoardGrain>("region:north-thames").GetSnapshot();
        var ledger = await _silo.Grains.GetGrain<IServiceGrain>(owner).GetOverview();
        await RestartAsync();

        await using (var storage = new SqliteStorageProvider(new SqliteStorageOptions { DataSource = Path.Combine(_directory, "caretwin.db") }))
        {
            await storage.InitializeAsync(CancellationToken.None);
            Assert.Null((await storage.ReadStateAsync(new RecordKey("board", "region:north-thames"), "board", CancellationToken.None))!.Payload);
            Assert.Null((await storage.ReadStateAsync(new RecordKey("service", owner), "ledger", CancellationToken.None))!.Payload);
        }
        var after = await _silo.Grains.GetGrain<IBoardGrain>("region:north-thames").GetSnapshot();
        Assert.Equal(board.Summary.Rows.Keys.Order(), after.Summary.Rows.Keys.Order());
        Assert.Equal(board.ChildVersions!.OrderBy(c => c.Key), after.ChildVersions!.OrderBy(c => c.Key));
        Assert.Equal(board.Summary.DaysDelayed, after.Summary.DaysDelayed);
        var ledgerAfter = await _silo.Grains.GetGrain<IServiceGrain>(owner).GetOverview();
        Assert.Equal(ledger.ActiveBlockers.Select(b => (b.ChildId, b.BlockerId)), ledgerAfter.ActiveBlockers.Select(b => (b.ChildId, b.BlockerId)));
        Assert.Equal(ledger.ChildVersions!.OrderBy(c => c.Key), ledgerAfter.ChildVersions!.OrderBy(c => c.Key));
    }

    /// <summary>A clean stop (views written as they deactivate) and a start on the same database.</summary>
    private async Task RestartAsync()
    {
        await _silo.DisposeAsync();
        _silo = await TestSilo.StartAsync(new SqliteStorageProvider(new SqliteStorageOptions { DataSource = Path.Combine(_directory, "caretwin.db") }),
            new ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero)), ownsStorage: true);
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        ScratchDirectory.Remove(_directory);
    }
}
