using System.Collections.Immutable;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Projections;

/// <summary>A blocker as its owning service sees it (professional view), with who raised it under which external id.</summary>
public sealed record OwnedBlocker(
    string ChildId,
    string ChildName,
    string BlockerId,
    BlockerCategory Category,
    BlockerStatus Status,
    string? NamedOwner,
    string ProfessionalText,
    bool Sensitive,
    DateTimeOffset RaisedAt,
    DateTimeOffset OwnedSince,
    DateOnly TargetDate,
    DateOnly SlaDueDate,
    DateTimeOffset? ClosedAt,
    int EscalationLevel,
    Escalation? PendingEscalation,
    string? SourceSystem = null,
    string? ExternalId = null)
{
    public static string KeyOf(string childId, string blockerId) => childId + "/" + blockerId;
}

/// <summary>An escalation waiting for the service to acknowledge it.</summary>
public sealed record AwaitingAcknowledgement(
    string ChildId,
    string BlockerId,
    int Level,
    EscalationContact Contact,
    string Reason,
    DateTimeOffset AcknowledgeBy,
    bool Overdue);

/// <summary>How a service is doing against its SLAs (cancelled blockers are not counted).</summary>
/// <param name="PercentWithinSla">Of all counted blockers, those resolved in time or still within time; null when none.</param>
public sealed record SlaPerformance(int ActiveWithinSla, int ActiveBreached, int ResolvedWithinSla, int ResolvedLate, decimal? PercentWithinSla);

/// <summary>
/// A service twin's ledger: the blockers it owns (and has owned to resolution), updated one
/// blocker at a time from child events. A blocker reassigned away leaves the ledger.
/// </summary>
public sealed record ServiceLedger(ServiceKey Service, ImmutableDictionary<string, OwnedBlocker> Blockers)
{
    public static ServiceLedger For(ServiceKey service) => new(service, ImmutableDictionary<string, OwnedBlocker>.Empty);

    // Kept as blockers come and go, so a change need not count the whole ledger again: every change a service takes
    // asks for its counts, and a region's busiest service owns tens of thousands of blockers (bench/Scale, 100,000
    // children: recounting was most of what activating them cost). Built once from the blockers when a ledger is read in.
    private LedgerTally Tally { get; init; } = LedgerTally.Of(Blockers.Values);

    /// <summary>Puts in (or replaces) a blocker this service owns.</summary>
    public ServiceLedger Upsert(OwnedBlocker blocker)
    {
        var key = OwnedBlocker.KeyOf(blocker.ChildId, blocker.BlockerId);
        var tally = Blockers.TryGetValue(key, out var held) ? Tally.Count(held, -1) : Tally;
        return this with { Blockers = Blockers.SetItem(key, blocker), Tally = tally.Count(blocker, +1) };
    }

    /// <summary>Takes out a blocker another service now owns.</summary>
    public ServiceLedger Remove(string childId, string blockerId)
    {
        var key = OwnedBlocker.KeyOf(childId, blockerId);
        return Blockers.TryGetValue(key, out var held) ? this with { Blockers = Blockers.Remove(key), Tally = Tally.Count(held, -1) } : this;
    }

    public ImmutableArray<OwnedBlocker> ActiveBlockers() =>
        [.. Blockers.Values.Where(b => b.Status is BlockerStatus.Open or BlockerStatus.InProgress).OrderBy(b => b.SlaDueDate).ThenBy(b => b.ChildId).ThenBy(b => b.BlockerId)];

    public ImmutableArray<AwaitingAcknowledgement> AwaitingAcknowledgement(DateTimeOffset now) =>
    [
        .. Blockers.Values
            .Where(b => b.PendingEscalation is not null)
            .Select(b => new AwaitingAcknowledgement(
                b.ChildId, b.BlockerId, b.PendingEscalation!.Level, b.PendingEscalation.Contact, b.PendingEscalation.Reason,
                b.PendingEscalation.AcknowledgeBy, b.PendingEscalation.AcknowledgeBy <= now))
            .OrderBy(a => a.AcknowledgeBy),
    ];

    /// <summary>How many blockers wait for an acknowledgement: the length of <see cref="AwaitingAcknowledgement"/>, without building it.</summary>
    public int AwaitingAcknowledgementCount() => Tally.Pending;

    public SlaPerformance Performance(DateTimeOffset now)
    {
        // Open blockers are breached once their SLA day has passed (today once, not per blocker); resolved ones were
        // counted as they closed.
        var today = UkCalendar.DateOf(now);
        var activeBreached = 0;
        foreach (var (due, count) in Tally.OpenBySlaDue)
        {
            if (UkCalendar.DaysBetween(due, today) <= 0) break;
            activeBreached += count;
        }
        var activeWithin = Tally.Open - activeBreached;
        var counted = Tally.Open + Tally.ResolvedWithin + Tally.ResolvedLate;
        return new SlaPerformance(activeWithin, activeBreached, Tally.ResolvedWithin, Tally.ResolvedLate,
            counted == 0 ? null : Math.Round(100m * (activeWithin + Tally.ResolvedWithin) / counted, 1));
    }

    /// <summary>The ledger's counts: escalations awaiting acknowledgement, open blockers by SLA day, resolved in time or late.</summary>
    private sealed record LedgerTally(int Pending, int Open, ImmutableSortedDictionary<DateOnly, int> OpenBySlaDue, int ResolvedWithin, int ResolvedLate)
    {
        private static readonly LedgerTally Empty = new(0, 0, ImmutableSortedDictionary<DateOnly, int>.Empty, 0, 0);

        public static LedgerTally Of(IEnumerable<OwnedBlocker> blockers) => blockers.Aggregate(Empty, (tally, b) => tally.Count(b, +1));

        /// <param name="sign">+1 as the blocker comes in, -1 as it leaves.</param>
        public LedgerTally Count(OwnedBlocker b, int sign)
        {
            var tally = b.PendingEscalation is null ? this : this with { Pending = Pending + sign };
            switch (b.Status)
            {
                case BlockerStatus.Open or BlockerStatus.InProgress:
                    var now = tally.OpenBySlaDue.GetValueOrDefault(b.SlaDueDate) + sign;
                    return tally with
                    {
                        Open = tally.Open + sign,
                        OpenBySlaDue = now == 0 ? tally.OpenBySlaDue.Remove(b.SlaDueDate) : tally.OpenBySlaDue.SetItem(b.SlaDueDate, now),
                    };
                case BlockerStatus.Resolved when UkCalendar.DaysBetween(b.SlaDueDate, b.ClosedAt is { } closedAt ? UkCalendar.DateOf(closedAt) : b.SlaDueDate) > 0:
                    return tally with { ResolvedLate = tally.ResolvedLate + sign };
                case BlockerStatus.Resolved:
                    return tally with { ResolvedWithin = tally.ResolvedWithin + sign };
                default:
                    return tally;
            }
        }
    }
}
