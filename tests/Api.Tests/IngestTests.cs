using CareTwin.Api.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;
using CareTwin.Api.Tests.Infrastructure;

namespace CareTwin.Api.Tests;

/// <summary>Ingest: per-item results, order within a child, and a replay that changes nothing.</summary>
public sealed class IngestTests : InMemoryApiTests
{
    [Fact]
    public async Task A_batch_with_a_duplicate_and_bad_items_records_the_good_ones_and_says_what_became_of_each()
    {
        var badCategory = Requests.Blocker("ingest-a", "b-bad", CareTwinApiHost.Ward, BlockerCategory.Unspecified);
        var housingBlocker = Requests.Blocker("ingest-a", "b-housing", CareTwinApiHost.Housing);
        var batch = new IngestRequest
        {
            Items =
            {
                new IngestItem { RegisterChild = Requests.Register("ingest-a") },
                new IngestItem { StartTransition = new StartTransitionRequest { ChildId = "ingest-a", ExternalId = "start", Kind = TransitionKind.HospitalDischarge } },
                new IngestItem { RaiseBlocker = Requests.Blocker("ingest-a", "b-ward", CareTwinApiHost.Ward) },
                new IngestItem { RaiseBlocker = badCategory },
                new IngestItem { RegisterChild = Requests.Register("ingest-a") },
                new IngestItem(),
                new IngestItem { RaiseBlocker = housingBlocker },
                new IngestItem { RegisterChild = Requests.Register("ingest-b") },
            },
        };

        var first = (await Epr.IngestAsync(batch)).Reply!;
        var replay = (await Epr.IngestAsync(batch)).Reply!;

        Assert.Equal(
            [
                "0 ingest-a Accepted",
                "1 ingest-a Accepted transition-1",
                "2 ingest-a Accepted blocker-1",
                "3 ingest-a Refused 3 category category is required.",
                "4 ingest-a Duplicate",
                "5  Refused 3 items[5] items[5] sets no change.",
                "6 ingest-a Refused 7  This API key (test-epr) may not RaiseBlocker on child 'ingest-a'.",
                "7 ingest-b Accepted",
            ],
            first.Results.Select(Describe));
        Assert.Equal((4, 1, 3), (first.Accepted, first.Duplicates, first.Refused));
        Assert.Equal((0, 5, 3), (replay.Accepted, replay.Duplicates, replay.Refused));
        Assert.All(replay.Results.Where(r => r.ChildId == "ingest-a" && r.Outcome == ChangeOutcome.Duplicate), r => Assert.Equal(3, r.Version));
        var journey = (await Epr.GetJourneyAsync("ingest-a")).Reply!;
        Assert.Equal(3, journey.Version);
        Assert.Equal(["blocker-1"], journey.Blockers.Select(b => b.Id));
    }

    [Fact]
    public async Task Items_for_many_children_all_get_their_results_in_request_order()
    {
        var batch = new IngestRequest();
        for (var i = 0; i < 40; i++)
            batch.Items.Add(new IngestItem { RegisterChild = Requests.Register($"ingest-many-{i}") });

        var reply = (await Epr.IngestAsync(batch)).Reply!;

        Assert.Equal(Enumerable.Range(0, 40), reply.Results.Select(r => r.Index));
        Assert.All(reply.Results, r => Assert.Equal($"ingest-many-{r.Index}", r.ChildId));
        Assert.Equal(40, reply.Accepted);
    }

    [Fact]
    public async Task A_childs_items_taken_together_are_answered_as_the_same_single_calls_would_be()
    {
        using var housing = Host.Client(Host.HousingKey);
        // The same changes, to two children set up alike: one by one with Journeys calls, and as one Ingest batch.
        IMessage[] Changes(string childId) =>
        [
            new UpdateBlockerRequest { ChildId = childId, ExternalId = "u-1", BlockerId = "blocker-1", TargetDate = Requests.InDays(40) },
            new UpdateBlockerRequest { ChildId = childId, ExternalId = "u-1", BlockerId = "blocker-1", TargetDate = Requests.InDays(40) },
            new UpdateBlockerRequest { ChildId = childId, ExternalId = "u-past", BlockerId = "blocker-1", TargetDate = Requests.InDays(-3) },
            Requests.Blocker(childId, "b-no-category", CareTwinApiHost.Housing, BlockerCategory.Unspecified),
            new UpdateBlockerRequest { ChildId = childId, ExternalId = "u-unknown", BlockerId = "blocker-99", TargetDate = Requests.InDays(40) },
            Requests.Blocker(childId, "b-housing", CareTwinApiHost.Housing),
            new ReassignBlockerRequest { ChildId = childId, ExternalId = "r-1", BlockerId = "blocker-1", OwningService = CareTwinApiHost.SocialCare, Reason = "Social care leads the package." },
            // No longer housing's blocker: denied, one by one or in the batch alike.
            new UpdateBlockerRequest { ChildId = childId, ExternalId = "u-2", BlockerId = "blocker-1", TargetDate = Requests.InDays(50) },
        ];
        foreach (var childId in new[] { "alone", "together" })
        {
            await Epr.RegisterWithDischargeAsync(childId);
            await Host.RaiseAsCoordinatorAsync(childId, CareTwinApiHost.Housing);
        }

        var alone = new List<string>();
        foreach (var change in Changes("alone"))
        {
            var call = await housing.ChangeAsync(change.Descriptor.Name[..^"Request".Length], change);
            alone.Add(call.Reply is { } r ? $"{r.Outcome} {r.Version} {r.CreatedId}" : $"Refused {(int)call.Status} {call.Message!.Replace("'alone'", "'{child}'")}");
        }
        var batch = new IngestRequest();
        batch.Items.AddRange(Changes("together").Select(Item));
        var together = (await housing.IngestAsync(batch)).Reply!;

        Assert.Equal(
            together.Results.Select(r => r.Outcome == ChangeOutcome.Refused ? $"Refused {r.StatusCode} {r.Message.Replace("'together'", "'{child}'")}" : $"{r.Outcome} {r.Version} {r.CreatedId}"),
            alone);
        Assert.Equal(
            ["Accepted", "Duplicate", "Refused 3 target_date", "Refused 3 category", "Refused 5 blocker_id", "Accepted", "Accepted", "Refused 7 "],
            together.Results.Select(r => r.Outcome == ChangeOutcome.Refused ? $"Refused {r.StatusCode} {r.Field}" : $"{r.Outcome}"));
        Assert.Equal((await Epr.GetJourneyAsync("alone")).Reply!.Version, (await Epr.GetJourneyAsync("together")).Reply!.Version);
    }

    [Fact]
    public async Task A_childs_batch_that_meets_a_conflicting_write_is_tried_once_more_and_a_second_conflict_aborts_each_item()
    {
        await Epr.RegisterWithDischargeAsync("ingest-conflict");
        IngestRequest Batch(params string[] externalIds)
        {
            var batch = new IngestRequest();
            batch.Items.AddRange(externalIds.Select(id => new IngestItem { RaiseBlocker = Requests.Blocker("ingest-conflict", id, CareTwinApiHost.Ward) }));
            return batch;
        }

        Host.Storage.ConflictOnNextChildAppends(1);
        var retried = (await Epr.IngestAsync(Batch("b-1", "b-2"))).Reply!;
        Host.Storage.ConflictOnNextChildAppends(2);
        var aborted = (await Epr.IngestAsync(Batch("b-3", "b-4"))).Reply!;
        var blockersAfterAbort = (await Epr.GetJourneyAsync("ingest-conflict")).Reply!.Blockers.Count;

        Assert.Equal(["0 ingest-conflict Accepted blocker-1", "1 ingest-conflict Accepted blocker-2"], retried.Results.Select(Describe));
        Assert.All(aborted.Results, r => Assert.Equal((ChangeOutcome.Refused, (int)StatusCode.Aborted), (r.Outcome, r.StatusCode)));
        Assert.All(aborted.Results, r => Assert.StartsWith("The child's record was changed by someone else", r.Message));
        Assert.Equal(2, blockersAfterAbort);
    }

    private static IngestItem Item(IMessage change) => change switch
    {
        UpdateBlockerRequest update => new IngestItem { UpdateBlocker = update },
        ReassignBlockerRequest reassign => new IngestItem { ReassignBlocker = reassign },
        RaiseBlockerRequest raise => new IngestItem { RaiseBlocker = raise },
        _ => throw new ArgumentException($"No Ingest item for {change.Descriptor.Name}."),
    };

    private static string Describe(IngestItemResult r) => r.Outcome switch
    {
        ChangeOutcome.Refused => $"{r.Index} {r.ChildId} Refused {r.StatusCode} {r.Field} {r.Message}",
        _ => $"{r.Index} {r.ChildId} {r.Outcome}{(r.CreatedId.Length > 0 ? " " + r.CreatedId : "")}",
    };
}
