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

    /// <summary>Puts in (or replaces) a blocker this service owns.</summary>
    public ServiceLedger Upsert(OwnedBlocker blocker) =>
        this with { Blockers = Blockers.SetItem(OwnedBlocker.KeyOf(blocker.ChildId, blocker.BlockerId), blocker) };

    /// <summary>Takes out a blocker another service now owns.</summary>
    public ServiceLedger Remove(string childId, string blockerId) =>
        this with { Blockers = Blockers.Remove(OwnedBlocker.KeyOf(childId, blockerId)) };

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
    public int AwaitingAcknowledgementCount()
    {
        var count = 0;
        foreach (var b in Blockers.Values)
            if (b.PendingEscalation is not null) count++;
        return count;
    }

    public SlaPerformance Performance(DateTimeOffset now)
    {
        int activeWithin = 0, activeBreached = 0, resolvedWithin = 0, resolvedLate = 0;
        // Today once, not per open blocker: the ledger is asked after every change it takes.
        var today = UkCalendar.DateOf(now);
        foreach (var b in Blockers.Values)
        {
            var breached = UkCalendar.DaysBetween(b.SlaDueDate, b.ClosedAt is { } closedAt ? UkCalendar.DateOf(closedAt) : today) > 0;
            switch (b.Status)
            {
                case BlockerStatus.Open or BlockerStatus.InProgress when breached: activeBreached++; break;
                case BlockerStatus.Open or BlockerStatus.InProgress: activeWithin++; break;
                case BlockerStatus.Resolved when breached: resolvedLate++; break;
                case BlockerStatus.Resolved: resolvedWithin++; break;
            }
        }
        var counted = activeWithin + activeBreached + resolvedWithin + resolvedLate;
        return new SlaPerformance(activeWithin, activeBreached, resolvedWithin, resolvedLate,
            counted == 0 ? null : Math.Round(100m * (activeWithin + resolvedWithin) / counted, 1));
    }
}
