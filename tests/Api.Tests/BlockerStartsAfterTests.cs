using CareTwin.Api.Contracts.V1;
using CareTwin.Api.Tests.Infrastructure;
using Grpc.Core;

namespace CareTwin.Api.Tests;

/// <summary>"Starts after" between blockers over the API: set when raising or afterwards, bad links refused with nothing changed.</summary>
public sealed class BlockerStartsAfterTests : InMemoryApiTests
{
    [Fact]
    public async Task A_blocker_raised_after_another_and_a_link_set_later_show_in_the_journey_and_can_be_undone()
    {
        await Epr.RegisterWithDischargeAsync("deps-good");
        var funding = (await Epr.AcceptedAsync("RaiseBlocker", Requests.Blocker("deps-good", "funding", CareTwinApiHost.Ward))).CreatedId;
        var recruitment = Requests.Blocker("deps-good", "recruitment", CareTwinApiHost.Ward);
        recruitment.StartsAfter.Add(funding);
        var recruited = (await Epr.AcceptedAsync("RaiseBlocker", recruitment)).CreatedId;
        var training = (await Epr.AcceptedAsync("RaiseBlocker", Requests.Blocker("deps-good", "training", CareTwinApiHost.Ward))).CreatedId;

        await Epr.AcceptedAsync("SetBlockerStartsAfter", new SetBlockerStartsAfterRequest
        {
            ChildId = "deps-good", ExternalId = "training-after-recruitment", AfterBlockerId = recruited,
            BlockerRef = new ExternalRef { ExternalId = "training" },
        });

        var journey = (await Epr.GetJourneyAsync("deps-good")).Reply!;
        Assert.Equal([funding], journey.Blockers.Single(b => b.Id == recruited).StartsAfter);
        Assert.Equal([recruited], journey.Blockers.Single(b => b.Id == training).StartsAfter);
        Assert.Empty(journey.Blockers.Single(b => b.Id == funding).StartsAfter);

        await Epr.AcceptedAsync("SetBlockerStartsAfter", new SetBlockerStartsAfterRequest
        {
            ChildId = "deps-good", ExternalId = "training-not-after", BlockerId = training, AfterBlockerId = recruited, NoLonger = true,
        });
        Assert.Empty((await Epr.GetJourneyAsync("deps-good")).Reply!.Blockers.Single(b => b.Id == training).StartsAfter);
    }

    [Fact]
    public async Task A_loop_is_failed_precondition_naming_the_blockers_and_nothing_changes()
    {
        await Epr.RegisterWithDischargeAsync("deps-loop");
        var first = (await Epr.AcceptedAsync("RaiseBlocker", Requests.Blocker("deps-loop", "first", CareTwinApiHost.Ward))).CreatedId;
        var second = Requests.Blocker("deps-loop", "second", CareTwinApiHost.Ward, BlockerCategory.CarePackage);
        second.StartsAfter.Add(first);
        var secondId = (await Epr.AcceptedAsync("RaiseBlocker", second)).CreatedId;
        var before = (await Epr.GetJourneyAsync("deps-loop")).Reply!;

        var loop = await Epr.ChangeAsync("SetBlockerStartsAfter", new SetBlockerStartsAfterRequest
        {
            ChildId = "deps-loop", ExternalId = "first-after-second", BlockerId = first, AfterBlockerId = secondId,
        });

        Assert.Equal(StatusCode.FailedPrecondition, loop.Status);
        Assert.Equal(LoopMessage, loop.Message);
        var after = (await Epr.GetJourneyAsync("deps-loop")).Reply!;
        Assert.Equal(before.Version, after.Version);
        Assert.Empty(after.Blockers.Single(b => b.Id == first).StartsAfter);
        Assert.Equal([first], after.Blockers.Single(b => b.Id == secondId).StartsAfter);
    }

    [Fact]
    public async Task A_blocker_of_another_child_is_not_found_whether_raising_or_setting_and_nothing_changes()
    {
        await Epr.RegisterWithDischargeAsync("deps-mine");
        await Epr.RegisterWithDischargeAsync("deps-theirs");
        var mine = (await Epr.AcceptedAsync("RaiseBlocker", Requests.Blocker("deps-mine", "mine", CareTwinApiHost.Ward))).CreatedId;
        await Epr.AcceptedAsync("RaiseBlocker", Requests.Blocker("deps-theirs", "theirs-1", CareTwinApiHost.Ward));
        var theirs = (await Epr.AcceptedAsync("RaiseBlocker", Requests.Blocker("deps-theirs", "theirs-2", CareTwinApiHost.Ward))).CreatedId;
        var before = (await Epr.GetJourneyAsync("deps-mine")).Reply!;

        var set = await Epr.ChangeAsync("SetBlockerStartsAfter", new SetBlockerStartsAfterRequest
        {
            ChildId = "deps-mine", ExternalId = "mine-after-theirs", BlockerId = mine, AfterBlockerId = theirs,
        });
        var raise = Requests.Blocker("deps-mine", "raised-after-theirs", CareTwinApiHost.Ward);
        raise.StartsAfter.Add(theirs);
        var raised = await Epr.ChangeAsync("RaiseBlocker", raise);

        Assert.Equal((StatusCode.NotFound, $"after_blocker_id: There is no blocker '{theirs}' on this child's journey to start after."), (set.Status, set.Message));
        Assert.Equal((StatusCode.NotFound, $"starts_after: There is no blocker '{theirs}' on this child's journey to start after."), (raised.Status, raised.Message));
        var after = (await Epr.GetJourneyAsync("deps-mine")).Reply!;
        Assert.Equal(before.Version, after.Version);
        Assert.Equal([mine], after.Blockers.Select(b => b.Id));
        Assert.Empty(after.Blockers.Single().StartsAfter);
    }

    private const string LoopMessage =
        "after_blocker_id: This would make “Housing / home adaptation” (Test ward) wait on itself: “Housing / home adaptation” (Test ward) "
        + "starts after “Care package / recruitment” (Test ward) starts after “Housing / home adaptation” (Test ward).";
}
