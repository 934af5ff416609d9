using System.Collections.Immutable;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Family;
using CareTwin.Journey.Projections;

namespace CareTwin.Journey.Meetings;

/// <summary>
/// Builds a meeting's agenda from the children's twins: the children most in need first. Pure: the rows and the
/// children's states come in, an ordered agenda comes out.
/// </summary>
public static class MeetingAgenda
{
    /// <summary>
    /// The order children are taken in: most days delayed, then most SLAs breached, then most escalations waiting
    /// for acknowledgement, then the family whose oldest unanswered concern has waited longest (by UK day, so one
    /// flagged the same day weighs the same), then most family concerns; ties by name, then by id, so the same twins
    /// give the same order.
    /// </summary>
    public static IComparer<AgendaItem> Priority { get; } = Comparer<AgendaItem>.Create((a, b) =>
    {
        var byNeed = b.DaysDelayed.CompareTo(a.DaysDelayed);
        if (byNeed == 0) byNeed = b.SlaBreaches.CompareTo(a.SlaBreaches);
        if (byNeed == 0) byNeed = b.AwaitingAcknowledgement.CompareTo(a.AwaitingAcknowledgement);
        if (byNeed == 0) byNeed = UnansweredSince(a).CompareTo(UnansweredSince(b));
        if (byNeed == 0) byNeed = b.FamilyConcerns.CompareTo(a.FamilyConcerns);
        if (byNeed == 0) byNeed = string.Compare(a.ChildName, b.ChildName, StringComparison.OrdinalIgnoreCase);
        return byNeed != 0 ? byNeed : string.CompareOrdinal(a.ChildId, b.ChildId);
    });

    /// <summary>The UK day the oldest unanswered concern was flagged; a family with none waiting sorts after every day.</summary>
    private static DateOnly UnansweredSince(AgendaItem item) =>
        item.OldestUnansweredConcern is { } flagged ? UkCalendar.DateOf(flagged) : DateOnly.MaxValue;

    public static ImmutableArray<AgendaItem> Order(IEnumerable<AgendaItem> items) => [.. items.Order(Priority)];

    /// <summary>
    /// The board's children the meeting should discuss: those it covers that are delayed or have an open blocker,
    /// a breached SLA, an escalation waiting or a family concern. A child with none of these is not on the agenda
    /// unless the coordinator adds them.
    /// </summary>
    public static IEnumerable<BoardRow> Candidates(IEnumerable<BoardRow> rows, MeetingScope scope) =>
        rows.Where(r => scope.Covers(r) && (r.DaysDelayed > 0 || !r.OpenBlockersByService.IsEmpty || r.SlaBreaches > 0
            || r.AwaitingAcknowledgement > 0 || r.FamilyConcerns > 0));

    /// <summary>A child's agenda item from their twin now; null if the child is not registered.</summary>
    public static AgendaItem? Item(ChildJourney journey, DateTimeOffset now, bool addedDuringMeeting = false)
    {
        ArgumentNullException.ThrowIfNull(journey);
        if (BoardRowProjection.Build(journey, now) is not { } row)
            return null;
        var blockers = journey.ActiveBlockers()
            .OrderBy(b => b.SlaDueDate).ThenBy(b => b.TargetDate).ThenBy(b => b.Id, StringComparer.Ordinal)
            .Select(b => new AgendaBlocker(b.Id, b.Category, b.OwningService, b.NamedOwner, b.ProfessionalText, b.TargetDate, b.SlaDueDate,
                BlockerClock.IsSlaBreached(b, now), b.EscalationLevel, b.PendingEscalation() is not null, b.Sensitive));
        return new AgendaItem(row.ChildId, row.ChildName, row.StageTitle, row.DaysDelayed, row.SlaBreaches, row.AwaitingAcknowledgement,
            row.FamilyConcerns, [.. blockers], addedDuringMeeting, row.OldestUnansweredConcern, FamilyCostSummary.For(journey, now));
    }

    /// <summary>The agenda from the twins of the candidate children (see <see cref="Candidates"/>), in priority order.</summary>
    public static ImmutableArray<AgendaItem> Build(IEnumerable<ChildJourney> journeys, DateTimeOffset now) =>
        Order(journeys.Select(j => Item(j, now)).OfType<AgendaItem>());
}
