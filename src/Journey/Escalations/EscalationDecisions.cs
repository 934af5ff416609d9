using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Services;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.Escalations;

internal static class EscalationDecisions
{
    public static Decision Escalate(ChildJourney state, EscalateBlocker c, Provenance stamp, DecisionContext context)
    {
        var (blocker, notActive) = BlockerLookup.Active(state, c.BlockerId);
        if (blocker is null)
            return notActive!;
        if (TextRules.Required(c.Reason, "reason", TextKind.ProfessionalText) is { } badReason)
            return badReason;
        if (blocker.EscalationLevel >= ServiceProfile.TopEscalationLevel)
            return Refusal.Precondition("blockerId", $"This blocker is already escalated to level {ServiceProfile.TopEscalationLevel} (director), the top of the ladder.");
        return Raise(blocker, blocker.EscalationLevel + 1, EscalationTrigger.Manual, TextRules.Clean(c.Reason), stamp, context);
    }

    public static Decision AutoEscalate(ChildJourney state, AutoEscalateBlocker c, Provenance stamp, DecisionContext context)
    {
        var (blocker, notActive) = BlockerLookup.Active(state, c.BlockerId);
        if (blocker is null)
            return notActive!;
        // A reminder can fire late or twice; only an escalation that is due now goes ahead.
        if (EscalationSchedule.DueNow(blocker, context.Now) is not { } due)
            return Refusal.Precondition("blockerId", "No automatic escalation of this blocker is due now.");
        return Raise(blocker, due.Level, due.Trigger, due.Reason, stamp, context);
    }

    public static Decision Acknowledge(ChildJourney state, AcknowledgeEscalation c, Provenance stamp)
    {
        var (blocker, notActive) = BlockerLookup.Active(state, c.BlockerId);
        if (blocker is null)
            return notActive!;
        if (TextRules.Optional(c.Note, "note", TextKind.ProfessionalText) is { } badNote)
            return badNote;
        if (blocker.PendingEscalation() is not { } pending)
            return Refusal.Precondition("blockerId", "This blocker has no escalation waiting for acknowledgement.");
        return Decision.Accept(new EscalationAcknowledged(stamp, blocker.Id, pending.Level, TextRules.CleanOptional(c.Note)));
    }

    private static Decision Raise(Blocker blocker, int level, EscalationTrigger trigger, string reason, Provenance stamp, DecisionContext context)
    {
        if (context.Services.Find(blocker.OwningService)?.StepFor(level) is not { } step)
            return Refusal.Precondition("blockerId", $"{blocker.OwningService} has no level {level} escalation contact in the service directory.");
        return Decision.Accept(new BlockerEscalated(
            stamp, blocker.Id, level, trigger, reason, blocker.OwningService, step.Contact, stamp.At + step.AcknowledgeWithin));
    }
}
