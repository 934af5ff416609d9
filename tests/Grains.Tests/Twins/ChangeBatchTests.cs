using CareTwin.Grains.Access;
using CareTwin.Grains.Children;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;

namespace CareTwin.Grains.Tests.Twins;

/// <summary>
/// A child's changes taken together (an Ingest batch): each is let through or not against the journey as the changes
/// before it left it, every decision lands in the child's audit trail, and what was accepted is in the journal.
/// </summary>
public sealed class ChangeBatchTests
{
    private static readonly Caller HousingSystem = Caller.ExternalSystem("housing-cms", "Housing case system", ["housing.newham"], managesJourneys: false);
    private static readonly AccessChannel Grpc = new("grpc", "ipv4:127.0.0.1:5000");

    [Fact]
    public async Task A_change_after_its_blocker_was_handed_to_another_service_in_the_same_batch_is_denied_and_every_change_is_audited()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-batch");
        await TwinHost.Accept(child, ChildTwinTests.RaiseBlocker(host, host.Today.AddDays(40)));
        var origin = () => host.Origin(new Actor(HousingSystem.Id, HousingSystem.DisplayName, ActorRole.ExternalSystem), HousingSystem.Id);

        var results = await child.ExecuteBatch(new ChangeBatch(HousingSystem, Grpc,
        [
            new UpdateBlockerProgress(origin(), "blocker-1", TargetDate: host.Today.AddDays(50)),
            // Nothing to change: refused, and the batch goes on.
            new UpdateBlockerProgress(origin(), "blocker-1"),
            new ReassignBlocker(origin(), "blocker-1", "health.equipment.newham", null, "The hoist is the equipment service's to fit."),
            // The blocker is no longer housing's, so housing may not touch it now.
            new UpdateBlockerProgress(origin(), "blocker-1", TargetDate: host.Today.AddDays(60)),
        ]));

        Assert.Equal(
            [(true, OutcomeKind.Accepted), (true, OutcomeKind.Refused), (true, OutcomeKind.Accepted), (false, (OutcomeKind?)null)],
            results.Select(r => (r.Access.Allowed, r.Outcome?.Kind)));
        Assert.NotNull(results[1].Outcome!.Refusal);
        var journey = (await child.GetJourney())!;
        var blocker = journey.FindBlocker("blocker-1")!;
        Assert.Equal(("health.equipment.newham", host.Today.AddDays(50)), (blocker.OwningService.Value, blocker.TargetDate));

        var trail = await host.Grains.GetGrain<IAuditGrain>(AuditEntry.ChildSubject("child-batch")).GetRecent(10);
        Assert.Equal(
            [("UpdateBlockerProgress", true), ("UpdateBlockerProgress", true), ("ReassignBlocker", true), ("UpdateBlockerProgress", false)],
            trail.Entries.Reverse().Select(e => (e.Detail, e.Allowed)));
        Assert.All(trail.Entries, e => Assert.Equal((HousingSystem.Id, CallerRole.ExternalSystem, AccessAction.ChangeChild, "grpc"), (e.CallerId, e.Role, e.Action, e.Channel)));

        // Only the accepted changes are in the journal, after the three from before the batch.
        var timeline = (await child.GetTimeline(3, ChildGrain.MaxTimelinePage))!;
        Assert.Equal(journey.Version, timeline.Version);
        Assert.Equal([4L, 5L], timeline.Entries.Select(e => e.Version));
        Assert.Equal([results[0].Outcome!.Version, results[2].Outcome!.Version], timeline.Entries.Select(e => e.Version));
    }

    [Fact]
    public async Task A_family_members_changes_are_not_taken_as_a_batch()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-batch-family");
        var mother = Caller.Family("family-1", "Sarah", "child-batch-family");

        await Assert.ThrowsAsync<ArgumentException>(() => child.ExecuteBatch(new ChangeBatch(mother, Grpc, [])));
        Assert.Equal(0, (await host.Grains.GetGrain<IAuditGrain>(AuditEntry.ChildSubject("child-batch-family")).GetRecent(1)).Total);
    }
}
