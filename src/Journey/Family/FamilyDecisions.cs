using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.Family;

internal static class FamilyDecisions
{
    public static Decision AddNote(ChildJourney state, AddFamilyNote c, Provenance stamp)
    {
        if (TextRules.Required(c.Text, "text", TextKind.FamilyText) is { } refusal)
            return refusal;
        return Decision.Accept(new FamilyNoteAdded(stamp, NextId(state), TextRules.Clean(c.Text)));
    }

    public static Decision FlagConcern(ChildJourney state, FlagConcern c, Provenance stamp)
    {
        if (TextRules.Required(c.Text, "text", TextKind.FamilyText) is { } refusal)
            return refusal;
        // A family cannot see sensitive blockers, so it cannot point at one either.
        if (c.BlockerId is not null && state.FindBlocker(c.BlockerId) is not { Sensitive: false })
            return Refusal.NotFound("blockerId", $"No blocker '{c.BlockerId}' for this child.");
        return Decision.Accept(new FamilyConcernFlagged(stamp, NextId(state), TextRules.Clean(c.Text), c.BlockerId));
    }

    private static string NextId(ChildJourney state) => $"message-{state.FamilyMessages.Length + 1}";
}
