using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Validation;
using CareTwin.Journey.Wording;

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

    public static Decision AcknowledgeConcern(ChildJourney state, AcknowledgeConcern c, Provenance stamp)
    {
        if (ByTheTeam(c, "Only the team can mark a family's concern as read.") is { } notTeam)
            return notTeam;
        if (StillOpen(state, c.MessageId) is not { } concern)
            return ClosedOrUnknown(state, c.MessageId);
        if (concern.Read is { } read)
            return Refusal.Precondition("messageId", $"The team already read this concern: {read.By.DisplayName}, {UkCalendar.Describe(read.At)}.");
        return Decision.Accept(new ConcernAcknowledged(stamp, concern.Id));
    }

    public static Decision AnswerConcern(ChildJourney state, AnswerConcern c, Provenance stamp)
    {
        if (ByTheTeam(c, "Only the team can answer a family's concern.") is { } notTeam)
            return notTeam;
        if (StillOpen(state, c.MessageId) is not { } concern)
            return ClosedOrUnknown(state, c.MessageId);
        // Said as the form asks for it: the family reads this answer, so blank is never sent.
        if (string.IsNullOrWhiteSpace(c.Text))
            return Refusal.Invalid("text", "Enter your answer to the family.");
        if (TextRules.Required(c.Text, "text", TextKind.FamilyText) is { } refusal)
            return refusal;
        return Decision.Accept(new ConcernAnswered(stamp, concern.Id, TextRules.Clean(c.Text)));
    }

    public static Decision CloseConcern(ChildJourney state, CloseConcern c, Provenance stamp)
    {
        if (ByTheTeam(c, "Only the team can close a family's concern.") is { } notTeam)
            return notTeam;
        if (StillOpen(state, c.MessageId) is not { } concern)
            return ClosedOrUnknown(state, c.MessageId);
        return Decision.Accept(new ConcernClosed(stamp, concern.Id));
    }

    /// <summary>
    /// Reading, answering and closing a concern are the team's (coordinators, clinicians, agency staff): a family
    /// cannot mark their own worry as dealt with, and a system acting for nobody cannot say a person read it.
    /// </summary>
    private static Refusal? ByTheTeam(JourneyCommand c, string message) =>
        c.Origin.Actor.Role is ActorRole.Coordinator or ActorRole.Clinician or ActorRole.AgencyStaff
            ? null
            : Refusal.Precondition("origin.actor.role", message);

    private static FamilyMessage? StillOpen(ChildJourney state, string? messageId) =>
        state.FindConcern(messageId) is { Closed: null } concern ? concern : null;

    private static Refusal ClosedOrUnknown(ChildJourney state, string? messageId) =>
        state.FindConcern(messageId) is { Closed: { } closed }
            ? Refusal.Precondition("messageId", $"This concern is already closed: {closed.By.DisplayName}, {UkCalendar.Describe(closed.At)}.")
            : Refusal.NotFound("messageId", $"No concern '{messageId}' for this child.");

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
            ? $"The team has had {Quantity.Of(cap, "message", "messages")} from your family today, the most one day allows. You can send more tomorrow; for anything urgent, phone the ward."
            : $"The team has had {Quantity.Of(cap, "worry", "worries")} from your family today, the most one day allows. Please phone the ward about anything else that worries you.");
    }


    private static string NextId(ChildJourney state) => $"message-{state.FamilyMessages.Length + 1}";
}
