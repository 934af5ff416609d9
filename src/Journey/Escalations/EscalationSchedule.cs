using System.Collections.Immutable;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Escalations;

/// <summary>The next automatic escalation of a blocker and when it falls due.</summary>
public sealed record DueEscalation(string BlockerId, int Level, EscalationTrigger Trigger, DateTimeOffset DueAt, string Reason);

/// <summary>
/// The automatic escalation ladder, as pure functions of a blocker (grains turn it into durable
/// reminders, not timers). For an active blocker below level 3:
/// <list type="bullet">
/// <item>an escalation waiting for acknowledgement is followed by the next level at its deadline;</item>
/// <item>otherwise, if the current owner has had no escalation since taking the blocker, passing
/// its SLA escalates one level;</item>
/// <item>an acknowledged escalation stops the ladder: the service has taken it on; a coordinator
/// can still escalate by hand.</item>
/// </list>
/// </summary>
public static class EscalationSchedule
{
    public const string SourceSystem = "caretwin.escalation-ladder";

    public static DueEscalation? Next(Blocker blocker)
    {
        if (!blocker.IsActive || blocker.EscalationLevel >= ServiceProfile.TopEscalationLevel)
            return null;
        var level = blocker.EscalationLevel + 1;
        if (blocker.PendingEscalation() is { } pending)
        {
            return new DueEscalation(blocker.Id, level, EscalationTrigger.AcknowledgementOverdue, pending.AcknowledgeBy,
                $"The level {pending.Level} escalation to {pending.Contact.Name} ({pending.Contact.Role}) was not acknowledged by {UkCalendar.Describe(pending.AcknowledgeBy)}.");
        }
        var escalatedSinceOwned = blocker.Escalations.Any(e => e.Service == blocker.OwningService && e.RaisedAt >= blocker.OwnedSince);
        if (escalatedSinceOwned)
            return null;
        return new DueEscalation(blocker.Id, level, EscalationTrigger.SlaBreached, BlockerClock.SlaBreachesAt(blocker),
            $"This {BlockerCategories.Title(blocker.Category).ToLowerInvariant()} blocker was not resolved by its SLA due date, {UkCalendar.Describe(blocker.SlaDueDate)}.");
    }

    public static DueEscalation? DueNow(Blocker blocker, DateTimeOffset now) =>
        Next(blocker) is { } next && next.DueAt <= now ? next : null;

    /// <summary>When the child's next automatic escalation falls due (for a durable reminder), if any.</summary>
    public static DateTimeOffset? NextDueAt(ChildJourney state) =>
        state.ActiveBlockers().Select(Next).Where(d => d is not null).Min(d => d?.DueAt);

    /// <summary>
    /// The commands a reminder sends now. The external id names the blocker and level, so two
    /// reminders firing for the same step are one escalation.
    /// </summary>
    public static ImmutableArray<AutoEscalateBlocker> DueCommands(ChildJourney state, DateTimeOffset now) =>
    [
        .. state.ActiveBlockers()
            .Select(b => DueNow(b, now))
            .OfType<DueEscalation>()
            .Select(d => new AutoEscalateBlocker(
                new CommandOrigin(Actor.EscalationLadder, SourceSystem, $"{d.BlockerId}/level-{d.Level}"),
                d.BlockerId)),
    ];
}
