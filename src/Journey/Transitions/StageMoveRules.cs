using CareTwin.Journey.Decisions;

namespace CareTwin.Journey.Transitions;

/// <summary>
/// Which stage moves are allowed. Forward: one stage at a time (skipping hides the work a stage
/// stands for). Backward: one stage, with a reason, because plans do fall through (a care package
/// collapses after "ready for discharge") — but never back before the delay-clock stage: a child
/// who deteriorates after being medically optimised gets a medical blocker instead, so the days
/// already lost stay counted and attributed. The final stage is final; a readmission is a new
/// transition. Completing a transition needs its blockers resolved or cancelled first.
/// </summary>
public static class StageMoveRules
{
    public static Refusal? Check(Transition transition, string? toStage, string? reason, DischargeDestination? destination, int activeBlockers)
    {
        var definition = transition.Definition();
        if (transition.IsComplete)
            return Refusal.Precondition("transitionId", $"This {definition.Title.ToLowerInvariant()} is complete; start a new transition instead.");

        var to = definition.IndexOf(toStage);
        if (to < 0)
            return Refusal.Invalid("stage", $"'{toStage}' is not a stage of {definition.Title.ToLowerInvariant()}; the stages are {string.Join(", ", definition.Stages.Select(s => s.Key))}.");
        var from = definition.IndexOf(transition.Stage);
        if (to == from)
            return Refusal.Precondition("stage", $"The transition is already at '{toStage}'.");
        if (to > from + 1)
            return Refusal.Precondition("stage", $"Cannot skip '{definition.Stages[from + 1].Title}': move to '{definition.Stages[from + 1].Key}' first.");
        if (to < from)
        {
            if (to < from - 1)
                return Refusal.Precondition("stage", "A transition can step back only one stage at a time.");
            if (reason is null)
                return Refusal.Invalid("reason", "Stepping back a stage needs a reason.");
            var clock = definition.IndexOf(definition.DelayClockStage);
            if (clock >= 0 && to < clock)
                return Refusal.Precondition("stage", $"Cannot step back before '{definition.Stages[clock].Title}': record the setback as a medical blocker so the delay stays counted.");
        }

        var toFinal = to == definition.Stages.Length - 1;
        if (destination is not null && !(toFinal && definition.RequiresDestination))
            return Refusal.Invalid("destination", $"A destination is given only when moving to '{definition.FinalStage.Key}' of a hospital discharge.");
        if (destination is { } d && !Enum.IsDefined(d))
            return Refusal.Invalid("destination", $"destination {(int)d} is not a known destination.");
        if (toFinal && definition.RequiresDestination && destination is null)
            return Refusal.Invalid("destination", $"Moving to '{definition.FinalStage.Key}' needs the destination.");
        if (toFinal && activeBlockers > 0)
            return Refusal.Precondition("stage", $"{activeBlockers} blocker(s) are still open; resolve or cancel them before completing the transition.");
        return null;
    }
}
