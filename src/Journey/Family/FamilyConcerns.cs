using System.Collections.Immutable;
using CareTwin.Journey.Children;

namespace CareTwin.Journey.Family;

/// <summary>What the team still owes a family: concerns not yet closed, and those left unanswered too long.</summary>
public static class FamilyConcerns
{
    /// <summary>Concerns not yet closed (open, read or answered): what the board counts.</summary>
    public static int OpenCount(ChildJourney state) => state.FamilyMessages.Count(m => m.IsOpenConcern);

    /// <summary>
    /// Concerns neither answered nor closed that were flagged more than <paramref name="age"/> before
    /// <paramref name="now"/>, oldest first: what the board and the MDT agenda raise. Being read is not an answer.
    /// </summary>
    public static ImmutableArray<FamilyMessage> UnansweredOlderThan(ChildJourney state, DateTimeOffset now, TimeSpan age)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfLessThan(age, TimeSpan.Zero);
        return [.. state.FamilyMessages.Where(m => m.IsUnansweredConcern && now - m.At > age).OrderBy(m => m.At)];
    }

    /// <summary>When the longest-waiting unanswered concern was flagged; null when none is waiting.</summary>
    public static DateTimeOffset? OldestUnanswered(ChildJourney state) =>
        state.FamilyMessages.Where(m => m.IsUnansweredConcern).Select(m => (DateTimeOffset?)m.At).Min();
}
