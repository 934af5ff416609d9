using System.Collections.Immutable;
using CareTwin.Grains.Children;
using CareTwin.Journey.Meetings;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;

namespace CareTwin.Grains.Publishing;

/// <summary>A child's accepted change, for staff: the journal entries it recorded and the child's board row after it.</summary>
public sealed record ChildChanged(string ChildId, long Version, ImmutableArray<TimelineEntry> Events, BoardRow Row);

/// <summary>The family's view after a change they can see. Built only by the family projection.</summary>
public sealed record FamilyViewChanged(string ChildId, long Version, FamilyView View);

/// <summary>One child's blockers owned by a service, after a change.</summary>
/// <param name="ChildBlockers">All of this child's blockers the service owns now (empty: none any more).</param>
/// <param name="NewEscalations">Escalations that reached the service with this change and wait for acknowledgement.</param>
/// <param name="AwaitingAcknowledgement">How many escalations (all children) wait for the service now.</param>
public sealed record ServiceChanged(
    ServiceKey Service,
    string ChildId,
    long ChildVersion,
    ImmutableArray<OwnedBlocker> ChildBlockers,
    ImmutableArray<AwaitingAcknowledgement> NewEscalations,
    int AwaitingAcknowledgement,
    SlaPerformance Performance);

/// <summary>One child's row on a board changed.</summary>
/// <param name="Totals">The board's totals after the change, without its rows: streams serialize what they carry,
/// and the whole board on every change made each write cost the size of the board.</param>
/// <param name="Children">How many children the board has after the change.</param>
public sealed record BoardChanged(string BoardKey, string ChildId, long ChildVersion, BoardRow Row, BoardSummary Totals, int Children)
{
    public static BoardChanged After(string boardKey, string childId, long childVersion, BoardRow row, BoardSummary board) =>
        new(boardKey, childId, childVersion, row, board with { Rows = ImmutableDictionary<string, BoardRow>.Empty }, board.Children);
}

/// <summary>A meeting after a change, for those attending: the whole meeting (a few dozen children at most), and the action just agreed, if one was.</summary>
public sealed record MeetingChanged(string MeetingId, Meeting Meeting, MeetingAction? Action);

/// <summary>A meeting gave the service an action (its agency view lists what it took away).</summary>
public sealed record ServiceActionAgreed(string Service, string MeetingId);
