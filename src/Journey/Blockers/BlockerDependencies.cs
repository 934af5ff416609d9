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
    /// <summary>A blocker as people call it: its kind and who owns it ("Housing / home adaptation (Newham Council housing team)").</summary>
    public static string Title(Blocker blocker, IServiceDirectory services) =>
        $"“{BlockerCategories.Title(blocker.Category)}” ({services.NameOf(blocker.OwningService)})";

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
