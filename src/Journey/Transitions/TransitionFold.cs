using CareTwin.Journey.Children;

namespace CareTwin.Journey.Transitions;

internal static class TransitionFold
{
    public static ChildJourney Apply(ChildJourney state, TransitionStarted e) => state with
    {
        Transitions = state.Transitions.Add(new Transition(
            e.TransitionId, e.Kind, e.Stage, e.Provenance.At, e.Provenance.At, [], null, null, null,
            e.Provenance.SourceSystem, e.Provenance.ExternalId)),
    };

    public static ChildJourney Apply(ChildJourney state, StageChanged e) =>
        state.WithTransition(e.TransitionId, t => t with
        {
            Stage = e.ToStage,
            StageEnteredAt = e.Provenance.At,
            DischargeReadyDate = t.DischargeReadyDate ?? e.DischargeReadyDate,
            Destination = e.Destination ?? t.Destination,
            CompletedAt = e.Completes ? e.Provenance.At : t.CompletedAt,
        });

    public static ChildJourney Apply(ChildJourney state, MilestoneCompleted e) =>
        state.WithTransition(e.TransitionId, t => t with
        {
            Milestones = t.Milestones.Add(new CompletedMilestone(e.Milestone, e.Provenance.At)),
        });
}
