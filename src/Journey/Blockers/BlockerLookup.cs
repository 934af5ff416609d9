using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;

namespace CareTwin.Journey.Blockers;

public static class BlockerLookup
{
    /// <summary>What a caller hears of a blocker id this child does not have (or that the caller may not see).</summary>
    public static Refusal Unknown(string? blockerId) => Refusal.NotFound("blockerId", $"No blocker '{blockerId}' for this child.");

    /// <summary>The blocker if it exists and is still open or in progress; otherwise why not.</summary>
    public static (Blocker? Blocker, Refusal? Refusal) Active(ChildJourney state, string? blockerId)
    {
        if (state.FindBlocker(blockerId) is not { } blocker)
            return (null, Unknown(blockerId));
        return blocker.Status switch
        {
            BlockerStatus.Resolved => (null, Refusal.Precondition("blockerId",
                $"Blocker '{blocker.Id}' was already resolved on {UkCalendar.Describe(UkCalendar.DateOf(blocker.ClosedAt!.Value))}; raise a new blocker if something new stands in the way.")),
            BlockerStatus.Cancelled => (null, Refusal.Precondition("blockerId",
                $"Blocker '{blocker.Id}' was cancelled on {UkCalendar.Describe(UkCalendar.DateOf(blocker.ClosedAt!.Value))}.")),
            _ => (blocker, null),
        };
    }
}
