using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.Transitions;

internal static class TransitionDecisions
{
    public static Decision Start(ChildJourney state, StartTransition c, Provenance stamp)
    {
        if (!Enum.IsDefined(c.Kind))
            return Refusal.Invalid("kind", $"kind {(int)c.Kind} is not a known transition kind.");
        var definition = TransitionCatalog.For(c.Kind);
        if (state.Transitions.Any(t => t.Kind == c.Kind && !t.IsComplete))
            return Refusal.Precondition("kind", $"A {definition.Title.ToLowerInvariant()} is already under way.");
        var id = $"transition-{state.Transitions.Length + 1}";
        return Decision.Accept(new TransitionStarted(stamp, id, c.Kind, definition.FirstStage.Key));
    }

    public static Decision ChangeStage(ChildJourney state, ChangeStage c, Provenance stamp)
    {
        if (state.FindTransition(c.TransitionId) is not { } transition)
            return Refusal.NotFound("transitionId", $"No transition '{c.TransitionId}' for this child.");
        if (TextRules.Optional(c.Reason, "reason", TextKind.ProfessionalText) is { } badReason)
            return badReason;
        var reason = TextRules.CleanOptional(c.Reason);
        var activeBlockers = state.ActiveBlockers(transition.Id).Count();
        if (StageMoveRules.Check(transition, c.Stage, reason, c.Destination, activeBlockers) is { } refusal)
            return refusal;

        var definition = transition.Definition();
        var startsClock = c.Stage == definition.DelayClockStage && transition.DischargeReadyDate is null;
        return Decision.Accept(new StageChanged(
            stamp, transition.Id, transition.Stage, c.Stage, reason, c.Destination,
            startsClock ? UkCalendar.DateOf(stamp.At) : null,
            Completes: c.Stage == definition.FinalStage.Key));
    }

    public static Decision CompleteMilestone(ChildJourney state, CompleteMilestone c, Provenance stamp)
    {
        if (state.FindTransition(c.TransitionId) is not { } transition)
            return Refusal.NotFound("transitionId", $"No transition '{c.TransitionId}' for this child.");
        var definition = transition.Definition();
        if (definition.FindMilestone(c.Milestone) is null)
            return Refusal.Invalid("milestone", $"'{c.Milestone}' is not a milestone of {definition.Title.ToLowerInvariant()}; the milestones are {string.Join(", ", definition.Milestones.Select(m => m.Key))}.");
        if (transition.IsComplete)
            return Refusal.Precondition("transitionId", "This transition is complete.");
        if (transition.HasCompleted(c.Milestone))
            return Refusal.Precondition("milestone", $"'{c.Milestone}' is already complete.");
        return Decision.Accept(new MilestoneCompleted(stamp, transition.Id, c.Milestone));
    }
}
