using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.Family;

internal static class FamilyDecisions
{
    public static Decision AddNote(ChildJourney state, AddFamilyNote c, Provenance stamp, DecisionContext context)
    {
        if (DailyCap(state, FamilyMessageKind.Note, context) is { } full)
            return full;
        if (TextRules.Required(c.Text, "text", TextKind.FamilyText) is { } refusal)
            return refusal;
        return Decision.Accept(new FamilyNoteAdded(stamp, NextId(state), TextRules.Clean(c.Text)));
    }

    public static Decision FlagConcern(ChildJourney state, FlagConcern c, Provenance stamp, DecisionContext context)
    {
        if (DailyCap(state, FamilyMessageKind.Concern, context) is { } full)
            return full;
        if (TextRules.Required(c.Text, "text", TextKind.FamilyText) is { } refusal)
            return refusal;
        // A family cannot see sensitive blockers, so it cannot point at one either.
        if (c.BlockerId is not null && state.FindBlocker(c.BlockerId) is not { Sensitive: false })
            return Refusal.NotFound("blockerId", $"No blocker '{c.BlockerId}' for this child.");
        return Decision.Accept(new FamilyConcernFlagged(stamp, NextId(state), TextRules.Clean(c.Text), c.BlockerId));
    }

    /// <summary>
    /// Refuses a message of <paramref name="kind"/> once the child's family has sent the day's allowance of them
    /// (<see cref="JourneyLimits"/>; the day is the UK day of the decision's time). Checked before the text, so a
    /// family is not asked to correct a message that could not be sent anyway. Named after the text field, the
    /// one the family writes in; the words are for the family, who see them under that field.
    /// </summary>
    private static Refusal? DailyCap(ChildJourney state, FamilyMessageKind kind, DecisionContext context)
    {
        var cap = kind == FamilyMessageKind.Note ? context.Limits.FamilyNotesPerDay : context.Limits.FamilyConcernsPerDay;
        var today = context.Today;
        var sent = state.FamilyMessages.Count(m => m.Kind == kind && UkCalendar.DateOf(m.At) == today);
        if (sent < cap)
            return null;
        return Refusal.Precondition("text", kind == FamilyMessageKind.Note
            ? $"The team has had {Count(cap, "message", "messages")} from your family today, the most one day allows. You can send more tomorrow; for anything urgent, phone the ward."
            : $"The team has had {Count(cap, "worry", "worries")} from your family today, the most one day allows. Please phone the ward about anything else that worries you.");
    }

    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";

    private static string NextId(ChildJourney state) => $"message-{state.FamilyMessages.Length + 1}";
}
