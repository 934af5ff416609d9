using CareTwin.Api.Contracts.V1;
using CareTwin.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace CareTwin.Silo.Tests.Crash;

/// <summary>One change, as a Journeys call and as the same change in an Ingest batch (to replay it).</summary>
public sealed record Change(string Method, IChangeRequest Request, IngestItem Item)
{
    public string ChildId => Request.ChildId;

    public string ExternalId => Request.ExternalId;
}

/// <summary>A change whose reply came back OK. <paramref name="Retried"/>: an earlier attempt failed without a reply.</summary>
public sealed record AcknowledgedChange(Change Change, ChangeReply Reply, bool Retried);

/// <summary>
/// An external system's worker: registers children one after another and, for each, raises blockers, books
/// appointments and updates the blockers, one change at a time, each with its own external id. A change whose
/// reply did not come back (the host was killed) is sent again with the same external id until one does: a
/// DUPLICATE then means the first attempt had landed, ACCEPTED that it had not.
/// </summary>
public sealed class JourneyWriter(int number, RestartingHost host)
{
    public const string Journeys = "/caretwin.v1.Journeys/";
    public const string Service = "health.ltv-team.royal-thamesbank";
    public const int BlockersPerChild = 4;

    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    private readonly List<AcknowledgedChange> _acknowledged = [];
    private static readonly DateTimeOffset Today = new(DateTime.UtcNow.Date, TimeSpan.Zero);
    private static readonly DateTimeOffset Target = Today.AddDays(60);

    public IReadOnlyList<AcknowledgedChange> Acknowledged
    {
        get
        {
            lock (_acknowledged) return [.. _acknowledged];
        }
    }

    public int AcknowledgedCount
    {
        get
        {
            lock (_acknowledged) return _acknowledged.Count;
        }
    }

    /// <summary>Writes until <paramref name="stop"/>, then returns once the change under way is acknowledged.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        for (var c = 1; !stop.IsCancellationRequested; c++)
        {
            var child = $"crash-w{number}-c{c}";
            await ChangeAsync(Register(child));
            await ChangeAsync(StartDischarge(child));
            for (var k = 1; k <= BlockersPerChild && !stop.IsCancellationRequested; k++)
            {
                var raise = Raise(child, k);
                var raised = await ChangeAsync(raise);
                // A retried raise that had landed answers DUPLICATE without the id: find the blocker by its text.
                var blockerId = raised.Outcome == ChangeOutcome.Accepted
                    ? raised.CreatedId
                    : (await CallAsync(Journeys + "GetJourney", new GetJourneyRequest { ChildId = child }, Api.Contracts.V1.Journey.Parser)).Reply
                        .Blockers.Single(b => b.ProfessionalText == ((RaiseBlockerRequest)raise.Request).ProfessionalText).Id;
                await ChangeAsync(Book(child, k));
                await ChangeAsync(Update(child, k, blockerId));
            }
        }
    }

    private async Task<ChangeReply> ChangeAsync(Change change)
    {
        ChangeReply reply;
        bool retried;
        try
        {
            (reply, retried) = await CallAsync(Journeys + change.Method, change.Request, ChangeReply.Parser);
        }
        catch (GrpcCallException ex)
        {
            // Every change this one builds on was acknowledged, so a refusal points at one of them.
            throw new InvalidOperationException($"{change.Method} {change.ExternalId} was refused, though the changes before it were acknowledged (was one lost?): {ex.Message}", ex);
        }
        // External ids are never reused, so only a retry can find its change already recorded.
        if (reply.Outcome is not (ChangeOutcome.Accepted or ChangeOutcome.Duplicate) || (reply.Outcome == ChangeOutcome.Duplicate && !retried))
            throw new InvalidOperationException($"{change.Method} {change.ExternalId}: {reply.Outcome} on the {(retried ? "retry" : "first attempt")}.");
        lock (_acknowledged)
            _acknowledged.Add(new AcknowledgedChange(change, reply, retried));
        return reply;
    }

    /// <summary>Sends the same request until a reply comes back; a failure the host's kill explains is retried, any other fails the writer.</summary>
    private async Task<(TReply Reply, bool Retried)> CallAsync<TReply>(string path, IMessage request, MessageParser<TReply> parser)
        where TReply : IMessage<TReply>
    {
        var giveUp = DateTime.UtcNow + GiveUpAfter;
        for (var attempt = 0; ; attempt++)
        {
            var channel = await host.ChannelAsync();
            try
            {
                using var limit = new CancellationTokenSource(CallLimit);
                return (await channel.UnaryAsync(path, request, parser, limit.Token), attempt > 0);
            }
            catch (Exception ex) when (ex is OperationCanceledException or GrpcCallException { Status: GrpcStatusCode.Unavailable or GrpcStatusCode.Aborted }
                && DateTime.UtcNow < giveUp)
            {
                // A moment for the kill to land; the next attempt then waits for the next host.
                await Task.Delay(TimeSpan.FromMilliseconds(20));
            }
        }
    }

    private static Change Register(string child)
    {
        var request = new RegisterChildRequest
        {
            ChildId = child,
            ExternalId = $"{child}-register",
            NhsNumber = "9434765919",
            GivenName = "Crash",
            FamilyName = $"Test {child}",
            DateOfBirth = new Date { Year = 2021, Month = 3, Day = 14 },
            HospitalKey = "royal-thamesbank",
            RegionKey = "north-thames",
        };
        return new Change("RegisterChild", request, new IngestItem { RegisterChild = request });
    }

    private static Change StartDischarge(string child)
    {
        var request = new StartTransitionRequest { ChildId = child, ExternalId = $"{child}-start", Kind = TransitionKind.HospitalDischarge };
        return new Change("StartTransition", request, new IngestItem { StartTransition = request });
    }

    /// <summary>The blocker's text is its external id, so the journey shows how often it was recorded.</summary>
    private static Change Raise(string child, int k)
    {
        var request = new RaiseBlockerRequest
        {
            ChildId = child,
            ExternalId = $"{child}-raise-{k}",
            TransitionId = "transition-1",
            Category = BlockerCategory.Equipment,
            OwningService = Service,
            ProfessionalText = $"Raised as {child}-raise-{k}",
            TargetDate = new Date { Year = Target.Year, Month = Target.Month, Day = Target.Day },
        };
        return new Change("RaiseBlocker", request, new IngestItem { RaiseBlocker = request });
    }

    private static Change Book(string child, int k)
    {
        var request = new BookAppointmentRequest
        {
            ChildId = child,
            ExternalId = $"{child}-book-{k}",
            Service = Service,
            Start = Timestamp.FromDateTimeOffset(Today.AddDays(7 + k).AddHours(10)),
            DurationMinutes = 30,
            Place = "Ward 4",
            Purpose = "Ventilation review",
        };
        return new Change("BookAppointment", request, new IngestItem { BookAppointment = request });
    }

    /// <summary>The new named owner is the update's external id, so the journey shows the update landed.</summary>
    private static Change Update(string child, int k, string blockerId)
    {
        var request = new UpdateBlockerRequest
        {
            ChildId = child,
            ExternalId = $"{child}-update-{k}",
            BlockerId = blockerId,
            Status = BlockerStatus.InProgress,
            NamedOwner = $"Updated as {child}-update-{k}",
        };
        return new Change("UpdateBlocker", request, new IngestItem { UpdateBlocker = request });
    }
}
