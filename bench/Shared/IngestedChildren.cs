using CareTwin.Api.Contracts.V1;
using CareTwin.Testing;

namespace CareTwin.Bench.Shared;

/// <summary>
/// Children registered for a bench through the API's Ingest, in batches of 100: each at the demo region's hospital,
/// with a hospital discharge ("transition-1") and one blocker ("blocker-1") owned by <c>service</c>, due on
/// <c>target</c>. Linked into bench/LoadGenerator and bench/LivePush, which compile the caretwin.v1 protos.
/// </summary>
public static class IngestedChildren
{
    /// <summary>Each child registered, its hospital discharge started and one blocker raised: three items a child, 100 children a batch.</summary>
    /// <param name="familyName">The family name of each child by its index (so a board sorted by name has a known first page).</param>
    public static IEnumerable<IngestRequest> Batches(IReadOnlyList<string> children, string service, DateOnly target, Func<int, string> familyName)
    {
        foreach (var batch in children.Select((child, index) => (child, index)).Chunk(100))
        {
            var request = new IngestRequest();
            foreach (var (child, index) in batch)
            {
                request.Items.Add(new IngestItem { RegisterChild = new RegisterChildRequest
                {
                    ChildId = child, ExternalId = "register", NhsNumber = "9434765919", GivenName = "Load", FamilyName = familyName(index),
                    DateOfBirth = new Date { Year = 2020, Month = 1, Day = 1 }, HospitalKey = "royal-thamesbank", RegionKey = "north-thames",
                } });
                request.Items.Add(new IngestItem { StartTransition = new StartTransitionRequest { ChildId = child, ExternalId = "start", Kind = TransitionKind.HospitalDischarge } });
                request.Items.Add(new IngestItem { RaiseBlocker = new RaiseBlockerRequest
                {
                    ChildId = child, ExternalId = "blocker", TransitionId = "transition-1", Category = BlockerCategory.Equipment, OwningService = service,
                    ProfessionalText = "Home ventilator on order.", TargetDate = new Date { Year = target.Year, Month = target.Month, Day = target.Day },
                } });
            }
            yield return request;
        }
    }

    /// <param name="familyName">The family name of each child by its index.</param>
    public static async Task RegisterAsync(RawGrpcChannel channel, IReadOnlyList<string> children, string service, DateOnly target, Func<int, string> familyName)
    {
        foreach (var request in Batches(children, service, target, familyName))
        {
            var reply = await channel.UnaryAsync("/caretwin.v1.Ingest/Ingest", request, IngestReply.Parser);
            if (reply.Accepted != request.Items.Count)
                throw new InvalidOperationException($"Setup batch: {reply.Accepted} of {request.Items.Count} accepted; first refusal: {reply.Results.FirstOrDefault(r => r.Outcome == ChangeOutcome.Refused)?.Message}");
        }
    }
}
