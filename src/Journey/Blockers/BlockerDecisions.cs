using System.Collections.Immutable;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Services;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.Blockers;

internal static class BlockerDecisions
{
    public static Decision Raise(ChildJourney state, RaiseBlocker c, Provenance stamp, DecisionContext context)
    {
        if (state.FindTransition(c.TransitionId) is not { } transition)
            return Refusal.NotFound("transitionId", $"No transition '{c.TransitionId}' for this child.");
        if (transition.IsComplete)
            return Refusal.Precondition("transitionId", "This transition is complete; blockers can no longer be raised on it.");
        if (!Enum.IsDefined(c.Category))
            return Refusal.Invalid("category", $"category {(int)c.Category} is not a known blocker category.");
        if (!context.Services.TryResolve(c.OwningService, "owningService", out var owner, out var badService))
            return badService;
        var refusal = TextRules.Optional(c.NamedOwner, "namedOwner", TextKind.Name)
            ?? TextRules.Required(c.ProfessionalText, "professionalText", TextKind.ProfessionalText)
            ?? TextRules.Optional(c.FamilyText, "familyText", TextKind.FamilyText)
            ?? TargetDateRule(c.TargetDate, context);
        if (refusal is not null)
            return refusal;
        var startsAfter = c.StartsAfter.IsDefault ? [] : c.StartsAfter.Distinct().ToImmutableArray();
        foreach (var after in startsAfter)
        {
            if (BlockerDependencies.NotOnJourney(state, transition.Id, after, "startsAfter") is { } notOnJourney)
                return notOnJourney;
        }

        return Decision.Accept(new BlockerRaised(
            stamp,
            BlockerId: $"blocker-{state.Blockers.Length + 1}",
            transition.Id,
            c.Category,
            owner.Key,
            TextRules.CleanOptional(c.NamedOwner),
            TextRules.Clean(c.ProfessionalText),
            TextRules.CleanOptional(c.FamilyText),
            c.TargetDate,
            BlockerClock.SlaDueDate(stamp.At, owner.SlaDaysFor(c.Category)),
            Sensitive: c.Sensitive || BlockerCategories.AlwaysSensitive(c.Category)) { StartsAfter = startsAfter });
    }

    public static Decision SetStartsAfter(ChildJourney state, SetBlockerStartsAfter c, Provenance stamp, DecisionContext context)
    {
        var (blocker, notActive) = BlockerLookup.Active(state, c.BlockerId);
        if (blocker is null)
            return notActive!;
        if (BlockerDependencies.NotOnJourney(state, blocker.TransitionId, c.AfterBlockerId, "afterBlockerId") is { } notOnJourney)
            return notOnJourney;
        var after = state.FindBlocker(c.AfterBlockerId)!;
        var waits = blocker.StartsAfter.Contains(after.Id);
        if (c.StartsAfter == waits)
            return Refusal.Precondition("afterBlockerId", c.StartsAfter
                ? $"{BlockerDependencies.Title(blocker, context.Services)} already starts after {BlockerDependencies.Title(after, context.Services)}."
                : $"{BlockerDependencies.Title(blocker, context.Services)} does not wait for {BlockerDependencies.Title(after, context.Services)}.");
        if (c.StartsAfter && BlockerDependencies.CycleIf(state, blocker, after, context.Services) is { } cycle)
            return cycle;
        return Decision.Accept(new BlockerStartsAfterChanged(stamp, blocker.Id, after.Id, c.StartsAfter));
    }

    public static Decision UpdateProgress(ChildJourney state, UpdateBlockerProgress c, Provenance stamp, DecisionContext context)
    {
        var (blocker, notActive) = BlockerLookup.Active(state, c.BlockerId);
        if (blocker is null)
            return notActive!;
        if (c.Status is { } status && status is not (BlockerStatus.Open or BlockerStatus.InProgress))
            return Refusal.Invalid("status", "status may be open or in-progress; use resolve or cancel to close a blocker.");
        var refusal = (c.TargetDate is { } target ? TargetDateRule(target, context) : null)
            ?? TextRules.Optional(c.NamedOwner, "namedOwner", TextKind.Name)
            ?? TextRules.Optional(c.ProfessionalText, "professionalText", TextKind.ProfessionalText)
            ?? TextRules.Optional(c.FamilyText, "familyText", TextKind.FamilyText);
        if (refusal is not null)
            return refusal;
        var changesSomething = c.Status is not null || c.TargetDate is not null || c.NamedOwner is not null
            || c.ProfessionalText is not null || c.FamilyText is not null || (c.MarkSensitive && !blocker.Sensitive);
        if (!changesSomething)
            return Refusal.Invalid("update", "The update changes nothing: give a status, target date, named owner, text or sensitivity.");

        return Decision.Accept(new BlockerProgressUpdated(
            stamp, blocker.Id, c.Status, c.TargetDate,
            TextRules.CleanOptional(c.NamedOwner),
            TextRules.CleanOptional(c.ProfessionalText),
            TextRules.CleanOptional(c.FamilyText),
            MarkedSensitive: c.MarkSensitive && !blocker.Sensitive));
    }

    public static Decision Reassign(ChildJourney state, ReassignBlocker c, Provenance stamp, DecisionContext context)
    {
        var (blocker, notActive) = BlockerLookup.Active(state, c.BlockerId);
        if (blocker is null)
            return notActive!;
        if (!context.Services.TryResolve(c.OwningService, "owningService", out var owner, out var badService))
            return badService;
        var refusal = TextRules.Optional(c.NamedOwner, "namedOwner", TextKind.Name)
            ?? TextRules.Required(c.Reason, "reason", TextKind.ProfessionalText);
        if (refusal is not null)
            return refusal;
        var namedOwner = TextRules.CleanOptional(c.NamedOwner);
        var sameService = owner.Key == blocker.OwningService;
        if (sameService && namedOwner == blocker.NamedOwner)
            return Refusal.Precondition("owningService", $"This blocker is already owned by {owner.Name}{(namedOwner is null ? "" : $" ({namedOwner})")}.");

        // A new service gets its own SLA from the handover (it cannot be blamed for time it did
        // not own the blocker); the escalation level is kept so the delay is not hidden.
        var slaDue = sameService ? blocker.SlaDueDate : BlockerClock.SlaDueDate(stamp.At, owner.SlaDaysFor(blocker.Category));
        return Decision.Accept(new BlockerReassigned(
            stamp, blocker.Id, blocker.OwningService, owner.Key, namedOwner, TextRules.Clean(c.Reason), slaDue));
    }

    public static Decision Resolve(ChildJourney state, ResolveBlocker c, Provenance stamp)
    {
        var (blocker, notActive) = BlockerLookup.Active(state, c.BlockerId);
        if (blocker is null)
            return notActive!;
        var refusal = TextRules.Optional(c.Note, "note", TextKind.ProfessionalText)
            ?? TextRules.Optional(c.FamilyText, "familyText", TextKind.FamilyText);
        if (refusal is not null)
            return refusal;
        return Decision.Accept(new BlockerResolved(stamp, blocker.Id, TextRules.CleanOptional(c.Note), TextRules.CleanOptional(c.FamilyText)));
    }

    public static Decision Cancel(ChildJourney state, CancelBlocker c, Provenance stamp)
    {
        var (blocker, notActive) = BlockerLookup.Active(state, c.BlockerId);
        if (blocker is null)
            return notActive!;
        if (TextRules.Required(c.Reason, "reason", TextKind.ProfessionalText) is { } refusal)
            return refusal;
        return Decision.Accept(new BlockerCancelled(stamp, blocker.Id, TextRules.Clean(c.Reason)));
    }

    /// <summary>A target date from today (UK) up to the planning horizon; also the rule for a meeting decision's date.</summary>
    internal static Refusal? TargetDateRule(DateOnly target, DecisionContext context) =>
        target < context.Today
            ? Refusal.Invalid("targetDate", $"targetDate {UkCalendar.Describe(target)} is in the past (today is {UkCalendar.Describe(context.Today)}).")
            : target > context.Today.AddYears(InputLimits.PlanningHorizonYears)
                ? Refusal.Invalid("targetDate", $"targetDate {UkCalendar.Describe(target)} is more than {InputLimits.PlanningHorizonYears} years ahead; give the date the work is really expected by.")
                : null;
}
