using System.Collections.Immutable;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Blockers;

/// <summary>
/// The "starts after" links between the blockers of one journey: only between blockers of the same child and
/// transition, and never a cycle (a blocker that waits on itself would never be forecast to finish).
/// </summary>
public static class BlockerDependencies
{
    /// <summary>
    /// The links as a blocker or its raising event stores them: left out when empty, so records and journals from
    /// before blockers could wait on each other read and write as they were.
    /// </summary>
    public static ImmutableArray<string>? Stored(ImmutableArray<string> startsAfter) => startsAfter.IsDefaultOrEmpty ? null : startsAfter;

    /// <summary>The links read back from <see cref="Stored"/>: none when left out.</summary>
    public static ImmutableArray<string> FromStored(ImmutableArray<string>? stored) => stored is { IsDefault: false } ids ? ids : [];

    /// <summary>A blocker as people call it: its kind and who owns it ("Housing / home adaptation (Newham Council housing team)").</summary>
    public static string Title(Blocker blocker, IServiceDirectory services) =>
        $"“{BlockerCategories.Title(blocker.Category)}” ({services.NameOf(blocker.OwningService)})";

    /// <summary>
    /// The UK day a blocker's own work could start: the day it was raised, or the day the last blocker it starts after
    /// was closed if later; null while one of those is still active.
    /// </summary>
    public static DateOnly? StartedOn(ChildJourney state, Blocker blocker)
    {
        var started = UkCalendar.DateOf(blocker.RaisedAt);
        foreach (var id in blocker.StartsAfter)
        {
            if (state.FindBlocker(id) is not { } prerequisite)
                continue;
            if (prerequisite.ClosedAt is not { } closed)
                return null;
            if (UkCalendar.DateOf(closed) > started)
                started = UkCalendar.DateOf(closed);
        }
        return started;
    }

    /// <summary>Refused unless <paramref name="blockerId"/> is a blocker of this child on the same journey.</summary>
    internal static Refusal? NotOnJourney(ChildJourney state, string transitionId, string? blockerId, string field) =>
        state.FindBlocker(blockerId) is { } b && b.TransitionId == transitionId
            ? null
            : Refusal.NotFound(field, $"There is no blocker '{blockerId}' on this child's journey to start after.");

    /// <summary>The refusal if making <paramref name="blocker"/> start after <paramref name="after"/> would close a loop.</summary>
    internal static Refusal? CycleIf(ChildJourney state, Blocker blocker, Blocker after, IServiceDirectory services)
    {
        if (PathTo(state, after, blocker.Id, []) is not { } path)
            return null;
        // blocker → after → … → blocker
        var loop = new[] { blocker }.Concat(path).Select(b => Title(b, services));
        return Refusal.Precondition("afterBlockerId",
            $"This would make {Title(blocker, services)} wait on itself: {string.Join(" starts after ", loop)}.");
    }

    /// <summary>The chain of blockers from <paramref name="from"/> along "starts after" to <paramref name="targetId"/>, if there is one.</summary>
    private static List<Blocker>? PathTo(ChildJourney state, Blocker from, string targetId, HashSet<string> seen)
    {
        if (from.Id == targetId)
            return [from];
        if (!seen.Add(from.Id))
            return null;
        foreach (var next in from.StartsAfter)
        {
            if (state.FindBlocker(next) is { } prerequisite && PathTo(state, prerequisite, targetId, seen) is { } rest)
                return [from, .. rest];
        }
        return null;
    }
}
