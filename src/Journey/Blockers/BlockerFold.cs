using CareTwin.Journey.Children;

namespace CareTwin.Journey.Blockers;

internal static class BlockerFold
{
    public static ChildJourney Apply(ChildJourney state, BlockerRaised e) => state with
    {
        Blockers = state.Blockers.Add(new Blocker(
            e.BlockerId, e.TransitionId, e.Category,
            [new Ownership(e.OwningService, e.NamedOwner, e.Provenance.At)],
            e.ProfessionalText, e.FamilyText, e.Provenance.At, e.TargetDate, e.SlaDueDate,
            BlockerStatus.Open, ClosedAt: null, ClosingNote: null, e.Sensitive, Escalations: [],
            e.Provenance.SourceSystem, e.Provenance.ExternalId) { StartsAfter = e.StartsAfter.IsDefault ? [] : e.StartsAfter }),
    };

    public static ChildJourney Apply(ChildJourney state, BlockerStartsAfterChanged e) =>
        state.WithBlocker(e.BlockerId, b => b with
        {
            StartsAfter = e.StartsAfter
                ? b.StartsAfter.Contains(e.AfterBlockerId) ? b.StartsAfter : b.StartsAfter.Add(e.AfterBlockerId)
                : b.StartsAfter.Remove(e.AfterBlockerId),
        });

    public static ChildJourney Apply(ChildJourney state, BlockerProgressUpdated e) =>
        state.WithBlocker(e.BlockerId, b => b with
        {
            Status = e.Status ?? b.Status,
            TargetDate = e.TargetDate ?? b.TargetDate,
            Ownerships = e.NamedOwner is null ? b.Ownerships : b.Ownerships.SetItem(b.Ownerships.Length - 1, b.Ownerships[^1] with { NamedOwner = e.NamedOwner }),
            ProfessionalText = e.ProfessionalText ?? b.ProfessionalText,
            FamilyText = e.FamilyText ?? b.FamilyText,
            Sensitive = b.Sensitive || e.MarkedSensitive,
        });

    public static ChildJourney Apply(ChildJourney state, BlockerReassigned e) =>
        state.WithBlocker(e.BlockerId, b => b with
        {
            // Same service: only the named owner changes, the service's ownership period continues.
            Ownerships = e.FromService == e.ToService
                ? b.Ownerships.SetItem(b.Ownerships.Length - 1, b.Ownerships[^1] with { NamedOwner = e.NamedOwner })
                : b.Ownerships.Add(new Ownership(e.ToService, e.NamedOwner, e.Provenance.At)),
            SlaDueDate = e.SlaDueDate,
        });

    public static ChildJourney Apply(ChildJourney state, BlockerResolved e) =>
        state.WithBlocker(e.BlockerId, b => b with
        {
            Status = BlockerStatus.Resolved,
            ClosedAt = e.Provenance.At,
            ClosingNote = e.Note,
            FamilyText = e.FamilyText ?? b.FamilyText,
        });

    public static ChildJourney Apply(ChildJourney state, BlockerCancelled e) =>
        state.WithBlocker(e.BlockerId, b => b with
        {
            Status = BlockerStatus.Cancelled,
            ClosedAt = e.Provenance.At,
            ClosingNote = e.Reason,
        });
}
