using System.Collections.Immutable;
using CareTwin.Grains.Children;
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
/// <param name="Summary">The whole board after the change (shared, immutable; adapters send the totals and the row).</param>
public sealed record BoardChanged(string BoardKey, string ChildId, long ChildVersion, BoardRow Row, BoardSummary Summary);
