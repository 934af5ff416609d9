using CareTwin.Api.Contracts.V1;
using Grpc.Core;
using CareTwin.Api.Tests.Infrastructure;
using CareTwin.Grains.Access;

namespace CareTwin.Api.Tests;

/// <summary>Watches start with the current state, then send each change made elsewhere.</summary>
public sealed class CareTwinWatchTests : InMemoryApiTests
{
    [Fact]
    public async Task A_child_watch_sends_the_journey_then_each_change_with_its_journal_entries()
    {
        await Epr.RegisterWithDischargeAsync("watch-child");
        using var watch = await Epr.OpenWatchAsync("WatchChild", new WatchChildRequest { ChildId = "watch-child" });

        var snapshot = (await watch.NextAsync(ChildUpdate.Parser)).Snapshot;
        await Epr.AcceptedAsync("RaiseBlocker", Requests.Blocker("watch-child", "b-1", CareTwinApiHost.Ward));
        var change = (await watch.NextAsync(ChildUpdate.Parser)).Change;

        Assert.Equal((2, "transition-1"), (snapshot.Version, snapshot.Transitions.Single().Id));
        Assert.Equal(3, change.Version);
        var entry = Assert.Single(change.Entries);
        Assert.Equal(("blocker-raised", "blocker-1", "test-epr", "b-1"), (entry.Kind, entry.BlockerId, entry.SourceSystem, entry.ExternalId));
        Assert.Equal("blocker-1", change.Journey.Blockers.Single().Id);
        Assert.Equal("blocker-1", change.Journey.Summary.CriticalPathBlockerId);
        // The forecast from learned lead times, beside the old latest-target date: a range and the blocker driving it.
        Assert.Equal("blocker-1", change.Journey.Summary.ForecastDrivingBlockerId);
        Assert.NotNull(change.Journey.Summary.LikelyReadyFrom);
        Assert.NotNull(change.Journey.Summary.LikelyReadyBy);
    }

    [Fact]
    public async Task A_service_watch_sends_its_blockers_then_each_childs_changes_there()
    {
        await Epr.RegisterWithDischargeAsync("watch-service");
        var first = await Host.RaiseAsCoordinatorAsync("watch-service", CareTwinApiHost.Housing);
        using var housing = Host.Client(Host.HousingKey);
        using var watch = await housing.OpenWatchAsync("WatchService", new WatchServiceRequest { Service = CareTwinApiHost.Housing });

        var snapshot = (await watch.NextAsync(ServiceUpdate.Parser)).Snapshot;
        await housing.AcceptedAsync("UpdateBlocker", new UpdateBlockerRequest
        {
            ChildId = "watch-service", ExternalId = "progress-1", BlockerId = first, Status = BlockerStatus.InProgress,
        });
        var change = (await watch.NextAsync(ServiceUpdate.Parser)).Change;

        Assert.Equal(("Testborough housing", first), (snapshot.Name, snapshot.ActiveBlockers.Single(b => b.ChildId == "watch-service").BlockerId));
        Assert.Equal("watch-service", change.ChildId);
        Assert.Equal(BlockerStatus.InProgress, change.ChildBlockers.Single().Status);
    }

    [Fact]
    public async Task A_board_watch_sends_the_rows_then_each_changed_row_with_the_totals()
    {
        await Epr.RegisterWithDischargeAsync("watch-board");
        using var watch = await Epr.OpenWatchAsync("WatchBoard", new WatchBoardRequest { Board = $"region:{CareTwinApiHost.Region}" });

        var snapshot = (await watch.NextAsync(BoardUpdate.Parser)).Snapshot;
        await Epr.AcceptedAsync("RaiseBlocker", Requests.Blocker("watch-board", "b-1", CareTwinApiHost.Ward));
        BoardChange change;
        do change = (await watch.NextAsync(BoardUpdate.Parser)).Change; // other tests' children share the region
        while (change.ChildId != "watch-board" || change.Row.Services.Count == 0);

        Assert.Contains(snapshot.Rows, r => r.ChildId == "watch-board");
        Assert.Equal(CareTwinApiHost.Ward, change.Row.Services.Single().Service);
        Assert.True(change.Totals.Children >= 1);
        // The families' time and money: every child on the live list is a family counted; money only from those who told us.
        Assert.Equal(change.Totals.Children, change.Totals.Families);
        Assert.InRange(change.Totals.FamiliesWithMoney, 0, change.Totals.Families);
    }

    [Fact]
    public async Task A_watch_ends_with_permission_denied_when_the_keys_relationship_with_the_child_ends()
    {
        await Epr.RegisterWithDischargeAsync("watch-ends");
        var blocker = await Host.RaiseAsCoordinatorAsync("watch-ends", CareTwinApiHost.Housing);
        using var housing = Host.Client(Host.HousingKey);
        using var watch = await housing.OpenWatchAsync("WatchChild", new WatchChildRequest { ChildId = "watch-ends" });
        Assert.NotNull((await watch.NextAsync(ChildUpdate.Parser)).Snapshot);

        await housing.AcceptedAsync("ResolveBlocker", new ResolveBlockerRequest { ChildId = "watch-ends", ExternalId = "resolve-1", BlockerId = blocker });
        var (status, message) = await watch.EndAsync();

        Assert.Equal(StatusCode.PermissionDenied, status);
        Assert.Equal("This API key (test-housing) may not watch child 'watch-ends' any longer.", message);
        Assert.Contains(await Host.AuditOfAsync("child/watch-ends"), e => e is { CallerId: "test-housing", Action: AccessAction.WatchChild, Allowed: false, Detail: "watch ended" });
    }

    [Fact]
    public async Task Malformed_watch_requests_are_invalid_arguments_naming_the_field()
    {
        using var housing = Host.Client(Host.HousingKey);
        using var service = await housing.OpenWatchAsync("WatchService", new WatchServiceRequest { Service = "Housing" });
        using var board = await Epr.OpenWatchAsync("WatchBoard", new WatchBoardRequest { Board = "ward:x" });

        Assert.Equal((StatusCode.InvalidArgument, $"service must be {Journey.Services.ServiceKey.FormatDescription}."), await service.EndAsync());
        Assert.Equal(StatusCode.InvalidArgument, (await board.EndAsync()).Status);
    }
}
