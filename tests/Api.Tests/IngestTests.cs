using CareTwin.Api.Contracts.V1;
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

    private static string Describe(IngestItemResult r) => r.Outcome switch
    {
        ChangeOutcome.Refused => $"{r.Index} {r.ChildId} Refused {r.StatusCode} {r.Field} {r.Message}",
        _ => $"{r.Index} {r.ChildId} {r.Outcome}{(r.CreatedId.Length > 0 ? " " + r.CreatedId : "")}",
    };
}
