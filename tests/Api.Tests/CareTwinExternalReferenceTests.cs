using CareTwin.Api.Contracts.V1;
using CareTwin.Api.Tests.Infrastructure;
using Grpc.Core;
using Model = CareTwin.Journey;

namespace CareTwin.Api.Tests;

/// <summary>
/// An external system names what it created by its own external ids: one batch can register a child, start its
/// transition and raise blockers on it, and after a lost reply the system can find what it raised.
/// </summary>
public sealed class CareTwinExternalReferenceTests : InMemoryApiTests
{
    private static ExternalRef Mine(string externalId) => new() { ExternalId = externalId };

    private static IngestRequest OneBatch(string childId)
    {
        var start = new StartTransitionRequest { ChildId = childId, ExternalId = "epr-start-1", Kind = TransitionKind.HospitalDischarge };
        var blocker = Requests.Blocker(childId, "epr-blocker-1", CareTwinApiHost.Ward);
        blocker.TransitionId = "";
        blocker.TransitionRef = Mine("epr-start-1");
        var progress = new UpdateBlockerRequest { ChildId = childId, ExternalId = "epr-progress-1", BlockerRef = Mine("epr-blocker-1"), Status = BlockerStatus.InProgress };
        return new IngestRequest
        {
            Items =
            {
                new IngestItem { RegisterChild = Requests.Register(childId) },
                new IngestItem { StartTransition = start },
                new IngestItem { RaiseBlocker = blocker },
                new IngestItem { UpdateBlocker = progress },
            },
        };
    }

    [Fact]
    public async Task One_batch_registers_a_child_starts_its_transition_and_raises_and_updates_a_blocker_by_the_senders_ids()
    {
        var reply = (await Epr.IngestAsync(OneBatch("ref-batch"))).Reply!;

        Assert.Equal(
            ["Accepted ", "Accepted transition-1", "Accepted blocker-1", "Accepted "],
            reply.Results.Select(r => $"{r.Outcome} {r.CreatedId}"));
        var journey = (await Epr.GetJourneyAsync("ref-batch")).Reply!;
        var blocker = Assert.Single(journey.Blockers);
        Assert.Equal(("transition-1", BlockerStatus.InProgress), (blocker.TransitionId, blocker.Status));
        Assert.Equal(("test-epr", "epr-blocker-1"), (blocker.SourceSystem, blocker.ExternalId));
        Assert.Equal(("test-epr", "epr-start-1"), (journey.Transitions[0].SourceSystem, journey.Transitions[0].ExternalId));
    }

    [Fact]
    public async Task A_replayed_batch_is_all_duplicate_and_says_what_each_change_created()
    {
        await Epr.IngestAsync(OneBatch("ref-replay"));

        var replay = (await Epr.IngestAsync(OneBatch("ref-replay"))).Reply!;
        var single = (await Epr.ChangeAsync("RaiseBlocker", OneBatch("ref-replay").Items[2].RaiseBlocker)).Reply!;

        Assert.Equal(
            ["Duplicate ", "Duplicate transition-1", "Duplicate blocker-1", "Duplicate "],
            replay.Results.Select(r => $"{r.Outcome} {r.CreatedId}"));
        Assert.Equal((ChangeOutcome.Duplicate, "blocker-1"), (single.Outcome, single.CreatedId));
        Assert.Single((await Epr.GetJourneyAsync("ref-replay")).Reply!.Blockers);
    }

    [Fact]
    public async Task Another_system_names_a_blocker_by_the_raisers_system_and_external_id()
    {
        await Epr.RegisterWithDischargeAsync("ref-other");
        await Epr.AcceptedAsync("RaiseBlocker", Requests.Blocker("ref-other", "epr-housing-9", CareTwinApiHost.Ward));
        await Epr.AcceptedAsync("ReassignBlocker", new ReassignBlockerRequest
        {
            ChildId = "ref-other", ExternalId = "epr-handover-1", BlockerRef = Mine("epr-housing-9"),
            OwningService = CareTwinApiHost.Housing, Reason = "Housing leads the adaptation.",
        });
        using var housing = Host.Client(Host.HousingKey);

        var ownReference = await housing.ChangeAsync("CancelBlocker", new CancelBlockerRequest
        {
            ChildId = "ref-other", ExternalId = "housing-cancel-1", BlockerRef = Mine("epr-housing-9"), Reason = "x",
        });
        var resolved = await housing.ChangeAsync("ResolveBlocker", new ResolveBlockerRequest
        {
            ChildId = "ref-other",
            ExternalId = "housing-done-1",
            BlockerRef = new ExternalRef { SourceSystem = "test-epr", ExternalId = "epr-housing-9" },
            Note = "Adaptation complete.",
        });

        Assert.Equal((StatusCode.OK, ChangeOutcome.Accepted), (resolved.Status, resolved.Reply?.Outcome));
        Assert.Equal(BlockerStatus.Resolved, (await Epr.GetJourneyAsync("ref-other")).Reply!.Blockers.Single().Status);
        // Without a source system the reference is the caller's own, and housing raised nothing.
        Assert.Equal((StatusCode.NotFound, "blocker_ref: No blocker of this child was raised with external id 'epr-housing-9' from test-housing."),
            (ownReference.Status, ownReference.Message));
    }

    [Fact]
    public async Task A_reference_to_nothing_is_not_found_and_an_id_with_a_reference_is_invalid_each_naming_the_field_first()
    {
        await Epr.RegisterWithDischargeAsync("ref-errors");

        var unknown = await Epr.ChangeAsync("UpdateBlocker", new UpdateBlockerRequest
        {
            ChildId = "ref-errors", ExternalId = "u-1", BlockerRef = Mine("never-raised"), Status = BlockerStatus.InProgress,
        });
        var both = await Epr.ChangeAsync("ChangeStage", new ChangeStageRequest
        {
            ChildId = "ref-errors", ExternalId = "s-1", TransitionId = "transition-1", TransitionRef = Mine("ref-errors-start"), Stage = "medically-optimised",
        });
        var blank = await Epr.ChangeAsync("CompleteMilestone", new CompleteMilestoneRequest
        {
            ChildId = "ref-errors", ExternalId = "m-1", TransitionRef = new ExternalRef(), Milestone = "equipment-delivered",
        });

        Assert.Equal((StatusCode.NotFound, "blocker_ref: No blocker of this child was raised with external id 'never-raised' from test-epr."),
            (unknown.Status, unknown.Message));
        Assert.Equal((StatusCode.InvalidArgument, "transition_ref is given as well as the transition's id; name the transition one way."),
            (both.Status, both.Message));
        Assert.Equal(StatusCode.InvalidArgument, blank.Status);
        Assert.StartsWith("transition_ref.external_id", blank.Message);
    }

    [Fact]
    public async Task A_hidden_blocker_named_by_reference_answers_exactly_as_an_unknown_reference()
    {
        await Epr.RegisterWithDischargeAsync("ref-hidden");
        await Host.RaiseAsCoordinatorAsync("ref-hidden", CareTwinApiHost.Housing); // housing is involved with the child
        var safeguarding = await Host.AsCoordinatorAsync("ref-hidden", origin => new Model.Blockers.RaiseBlocker(
            origin, "transition-1", Model.Blockers.BlockerCategory.SocialCareSafeguarding, CareTwinApiHost.SocialCare, null,
            "Safeguarding plan review.", null, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20), Sensitive: true));
        var hiddenReference = safeguarding.Events[0].Provenance;
        using var housing = Host.Client(Host.HousingKey);

        var hidden = await housing.ChangeAsync("UpdateBlocker", new UpdateBlockerRequest
        {
            ChildId = "ref-hidden", ExternalId = "h-1", Status = BlockerStatus.InProgress,
            BlockerRef = new ExternalRef { SourceSystem = hiddenReference.SourceSystem, ExternalId = hiddenReference.ExternalId },
        });
        var unknown = await housing.ChangeAsync("UpdateBlocker", new UpdateBlockerRequest
        {
            ChildId = "ref-hidden", ExternalId = "h-2", Status = BlockerStatus.InProgress,
            BlockerRef = new ExternalRef { SourceSystem = hiddenReference.SourceSystem, ExternalId = "no-such-change" },
        });

        Assert.Equal(StatusCode.NotFound, hidden.Status);
        Assert.Equal(unknown.Message!.Replace("no-such-change", hiddenReference.ExternalId, StringComparison.Ordinal), hidden.Message);
        Assert.DoesNotContain("blocker-", hidden.Message);
    }
}
