using CareTwin.Api.Contracts.V1;
using Grpc.Core;
using CareTwin.Api.Tests.Infrastructure;
using CareTwin.Grains.Access;

namespace CareTwin.Api.Tests;

/// <summary>Every gRPC read, write and watch of a record leaves an audit entry, allowed or denied.</summary>
public sealed class CareTwinApiAuditTests : InMemoryApiTests
{
    private CareTwinClient _housing = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _housing = Host.Client(Host.HousingKey);
    }

    public override async Task DisposeAsync()
    {
        _housing.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Reads_are_audited_allowed_and_denied_with_who_and_from_where()
    {
        await Epr.RegisterWithDischargeAsync("audit-read");

        Assert.Equal(StatusCode.OK, (await Epr.GetJourneyAsync("audit-read")).Status);
        Assert.Equal(StatusCode.PermissionDenied, (await _housing.GetJourneyAsync("audit-read")).Status);

        var reads = (await Host.AuditOfAsync("child/audit-read")).Where(e => e.Action == AccessAction.ViewChild).Reverse().ToList();
        Assert.Equal([("test-epr", true), ("test-housing", false)], reads.Select(e => (e.CallerId, e.Allowed)));
        Assert.All(reads, e => Assert.Equal(("grpc", CallerRole.ExternalSystem), (e.Channel, e.Role)));
        Assert.All(reads, e => Assert.False(string.IsNullOrEmpty(e.Origin)));
    }

    [Fact]
    public async Task Writes_are_audited_with_the_command_allowed_and_denied()
    {
        await Epr.RegisterWithDischargeAsync("audit-write");

        await Epr.AcceptedAsync("RaiseBlocker", Requests.Blocker("audit-write", "b-1", CareTwinApiHost.Ward));
        var denied = await _housing.ChangeAsync("RaiseBlocker", Requests.Blocker("audit-write", "b-2", CareTwinApiHost.Housing));

        Assert.Equal(StatusCode.PermissionDenied, denied.Status);
        var writes = (await Host.AuditOfAsync("child/audit-write")).Where(e => e.Detail == "RaiseBlocker").Reverse().ToList();
        Assert.Equal([("test-epr", true), ("test-housing", false)], writes.Select(e => (e.CallerId, e.Allowed)));
        Assert.All(writes, e => Assert.Equal(AccessAction.ChangeChild, e.Action));
    }

    [Fact]
    public async Task Opening_a_watch_is_audited_allowed_and_denied()
    {
        await Epr.RegisterWithDischargeAsync("audit-watch");

        using (var watch = await Epr.OpenWatchAsync("WatchChild", new WatchChildRequest { ChildId = "audit-watch" }))
            Assert.NotNull((await watch.NextAsync(ChildUpdate.Parser)).Snapshot);
        using (var refused = await _housing.OpenWatchAsync("WatchChild", new WatchChildRequest { ChildId = "audit-watch" }))
            Assert.Equal(StatusCode.PermissionDenied, (await refused.EndAsync()).Status);
        using (var board = await _housing.OpenWatchAsync("WatchBoard", new WatchBoardRequest { Board = $"hospital:{CareTwinApiHost.Hospital}" }))
            Assert.Equal(StatusCode.PermissionDenied, (await board.EndAsync()).Status);

        var watches = (await Host.AuditOfAsync("child/audit-watch")).Where(e => e.Action == AccessAction.WatchChild).Reverse();
        Assert.Equal([("test-epr", true), ("test-housing", false)], watches.Select(e => (e.CallerId, e.Allowed)));
        var boardEntry = Assert.Single(await Host.AuditOfAsync($"board/hospital:{CareTwinApiHost.Hospital}"), e => e.CallerId == "test-housing");
        Assert.Equal((AccessAction.WatchBoard, false), (boardEntry.Action, boardEntry.Allowed));
    }

    [Fact]
    public async Task Every_child_an_unauthenticated_batch_names_gets_the_denial_in_its_trail()
    {
        using var anonymous = Host.Client(key: null);
        var batch = new IngestRequest
        {
            Items =
            {
                new IngestItem { RegisterChild = Requests.Register("audit-anon-1") },
                new IngestItem { RegisterChild = Requests.Register("audit-anon-2") },
                new IngestItem { RegisterChild = Requests.Register("not a child id") },
            },
        };

        Assert.Equal(StatusCode.Unauthenticated, (await anonymous.IngestAsync(batch)).Status);
        // Counted, not written per child: one entry for the caller's address and window (UnauthenticatedAttempts).
        var counted = Assert.Single(await Host.UnidentifiedAttemptsOnAsync("child/audit-anon-1"));
        foreach (var child in new[] { "audit-anon-1", "audit-anon-2" })
            Assert.Empty(await Host.AuditOfAsync($"child/{child}"));
        Assert.Equal((CallerRole.Anonymous, AccessAction.ChangeChild, false), (counted.Role, counted.Action, counted.Allowed));
        Assert.Contains("child/audit-anon-2", counted.Detail, StringComparison.Ordinal);
    }
}
