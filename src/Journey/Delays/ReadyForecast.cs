using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Transitions;

namespace CareTwin.Journey.Delays;

/// <summary>When the child is likely to be ready, from what blockers like theirs really took.</summary>
/// <param name="LikelyFrom">The early end: every open blocker takes its median lead time (never before today).</param>
/// <param name="LikelyBy">The late end: every open blocker takes its 80th-percentile lead time.</param>
/// <param name="DrivingBlockerId">The open blocker whose finish sets the late end: the one to chase (null if none is open).</param>
public sealed record ReadyForecast(DateOnly LikelyFrom, DateOnly LikelyBy, string? DrivingBlockerId);

/// <summary>
/// The critical path through a transition's open blockers with learned lead times: a started blocker still has what
/// blockers like it that were open as long still took (<see cref="LeadTime.Remaining"/>) from today; one waiting for a
/// blocker it starts after has its whole lead time from when that one finishes; the transition is ready when the last
/// one finishes. The old rule (the latest target date) is <see cref="CriticalPath"/>.
/// </summary>
public static class ReadyForecaster
{
    public static ReadyForecast? Forecast(ChildJourney state, Transition transition, DateTimeOffset now, LeadTimes leadTimes)
    {
        if (transition.IsComplete)
            return null;
        var today = UkCalendar.DateOf(now);
        var open = state.ActiveBlockers(transition.Id).ToDictionary(b => b.Id);
        if (open.Count == 0)
            return new ReadyForecast(today, today, null);

        var median = Finishes(state, open, today, (b, soFar) => leadTimes.For(b.OwningService, b.Category).Remaining(soFar, LeadTime.Median));
        var likely = Finishes(state, open, today, (b, soFar) => leadTimes.For(b.OwningService, b.Category).Remaining(soFar, LeadTime.Likely));
        // Ties go to the blocker raised first, as in the old rule.
        var driver = open.Values.OrderByDescending(b => likely[b.Id]).ThenBy(b => b.RaisedAt).First();
        return new ReadyForecast(median.Values.Max(), likely[driver.Id], driver.Id);
    }

    /// <summary>Each open blocker's expected finishing day, with <paramref name="leadDays"/> as its lead time.</summary>
    private static Dictionary<string, DateOnly> Finishes(ChildJourney state, Dictionary<string, Blocker> open, DateOnly today, Func<Blocker, int, int> remainingDays)
    {
        var finishes = new Dictionary<string, DateOnly>();
        DateOnly Finish(Blocker b, int depth)
        {
            if (finishes.TryGetValue(b.Id, out var known))
                return known;
            // The decisions refuse a cycle; the depth guard keeps a corrupt journal from recursing for ever.
            var start = depth > open.Count ? today : b.StartsAfter
                .Where(open.ContainsKey)
                .Select(id => Finish(open[id], depth + 1))
                .Append(today)
                .Max();
            // Started: the days it has been at it count; still waiting: all of its lead time is to come.
            var started = BlockerDependencies.StartedOn(state, b);
            var remaining = remainingDays(b, started is { } on ? UkCalendar.DaysBetween(on, today) : 0);
            return finishes[b.Id] = start.AddDays(remaining);
        }
        foreach (var b in open.Values)
            Finish(b, 0);
        return finishes;
    }
}
