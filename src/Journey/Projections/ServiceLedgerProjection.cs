using System.Collections.Immutable;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Projections;

/// <summary>Routes child events to service ledgers and updates a ledger from one event.</summary>
public static class ServiceLedgerProjection
{
    /// <summary>
    /// The services whose ledgers an event changes, given the child's state after it: the
    /// blocker's owner, and on a reassignment also the service that handed it over.
    /// </summary>
    public static ImmutableArray<ServiceKey> ServicesConcerned(ChildJourney after, JourneyEvent journeyEvent)
    {
        if (journeyEvent is not IBlockerEvent blockerEvent || after.FindBlocker(blockerEvent.BlockerId) is not { } blocker)
            return [];
        return journeyEvent is BlockerReassigned { FromService: var from } && from != blocker.OwningService
            ? [from, blocker.OwningService]
            : [blocker.OwningService];
    }

    /// <summary>Updates <paramref name="ledger"/> from an event, given the child's state after it.</summary>
    public static ServiceLedger Apply(ServiceLedger ledger, ChildJourney after, JourneyEvent journeyEvent)
    {
        if (journeyEvent is not IBlockerEvent blockerEvent || after.Child is not { } child)
            return ledger;
        return after.FindBlocker(blockerEvent.BlockerId) is { } blocker && blocker.OwningService == ledger.Service
            ? ledger.Upsert(Row(child, blocker))
            : ledger.Remove(child.ChildId, blockerEvent.BlockerId);
    }

    public static OwnedBlocker Row(ChildProfile child, Blocker blocker) => new(
        child.ChildId, child.BoardName, blocker.Id, blocker.Category, blocker.Status, blocker.NamedOwner, blocker.ProfessionalText,
        blocker.Sensitive, blocker.RaisedAt, blocker.OwnedSince, blocker.TargetDate, blocker.SlaDueDate, blocker.ClosedAt,
        blocker.EscalationLevel, blocker.PendingEscalation(), blocker.SourceSystem, blocker.ExternalId);
}
