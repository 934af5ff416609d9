using System.Collections.Immutable;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Delays;

/// <summary>What a lead time was learned from: the owning service's own record, the category across services, all blockers, or none.</summary>
public enum LeadTimeBasis
{
    ServiceAndCategory,
    Category,
    AllBlockers,
    Default,
}

/// <summary>How long blockers of one kind took from raised to resolved, in UK days.</summary>
/// <param name="MedianDays">Half were resolved within this many days.</param>
/// <param name="Likely80Days">Four in five were resolved within this many days (the late end of a likely range).</param>
/// <param name="Samples">How many resolved blockers it was learned from (0 for the default).</param>
public sealed record LeadTime(int MedianDays, int Likely80Days, int Samples, LeadTimeBasis Basis)
{
    public const double Median = 0.5;
    public const double Likely = 0.8;

    /// <summary>What each of those blockers took, shortest first (empty for the default).</summary>
    public ImmutableArray<int> Days { get; init; } = [];

    /// <summary>
    /// Days still to go for a blocker at it for <paramref name="daysSoFar"/>: the <paramref name="quantile"/> of what
    /// remained for the blockers like it that were still open after as long (a blocker open for months is one of the
    /// slow ones, not "due today"). Not yet started, it is the plain lead time; longer than any before it, none.
    /// </summary>
    public int Remaining(int daysSoFar, double quantile)
    {
        if (Days.IsDefaultOrEmpty)
            return Math.Max(0, (quantile >= Likely ? Likely80Days : MedianDays) - daysSoFar);
        if (daysSoFar <= 0)
            return Days[Rank(quantile, Days.Length)];
        // The first that took longer than daysSoFar.
        var from = Days.BinarySearch(daysSoFar + 1);
        if (from < 0) from = ~from;
        else while (from > 0 && Days[from - 1] == daysSoFar + 1) from--;
        var longer = Days.Length - from;
        return longer == 0 ? 0 : Days[from + Rank(quantile, longer)] - daysSoFar;
    }

    /// <summary>Nearest rank: the index of the <paramref name="quantile"/> among <paramref name="count"/> sorted values.</summary>
    internal static int Rank(double quantile, int count) => Math.Max(0, (int)Math.Ceiling(quantile * count) - 1);
}

/// <summary>
/// One resolved blocker, as lead times learn from it: who owned it when it was resolved, its kind, and how many UK
/// days it took from raised (or, if it started after other blockers, from when the last of them was done) to resolved.
/// </summary>
public sealed record LeadTimeSample(ServiceKey Service, BlockerCategory Category, int Days)
{
    /// <summary>The sample a resolved blocker gives (null for one still active or cancelled: a cancelled blocker was never done).</summary>
    public static LeadTimeSample? Of(ChildJourney state, Blocker blocker) =>
        blocker is { Status: BlockerStatus.Resolved, ClosedAt: { } closed } && BlockerDependencies.StartedOn(state, blocker) is { } started
            ? new LeadTimeSample(blocker.OwningService, blocker.Category, Math.Max(0, UkCalendar.DaysBetween(started, UkCalendar.DateOf(closed))))
            : null;

    /// <summary>Every sample a child's journal gives.</summary>
    public static IEnumerable<LeadTimeSample> Of(ChildJourney state) =>
        state.Blockers.Select(b => Of(state, b)).OfType<LeadTimeSample>();
}

/// <summary>
/// Lead times learned from what actually happened: per (owning service at resolution, category) once a group has
/// <see cref="MinimumSamples"/> resolved blockers, else per category, else across all blockers, else
/// <see cref="Default"/>. Targets are what people hope; these are what the journals say blockers really take.
/// </summary>
public sealed record LeadTimes(
    ImmutableDictionary<ServiceKey, ImmutableDictionary<BlockerCategory, LeadTime>> ByServiceAndCategory,
    ImmutableDictionary<BlockerCategory, LeadTime> ByCategory,
    LeadTime? AllBlockers)
{
    /// <summary>Fewer resolved blockers than this say too little about a group to trust it.</summary>
    public const int MinimumSamples = 5;

    /// <summary>With nothing learned yet: four weeks, likely within six.</summary>
    public static LeadTime Default { get; } = new(28, 42, 0, LeadTimeBasis.Default);

    public static LeadTimes None { get; } = new(ImmutableDictionary<ServiceKey, ImmutableDictionary<BlockerCategory, LeadTime>>.Empty,
        ImmutableDictionary<BlockerCategory, LeadTime>.Empty, null);

    public static LeadTimes Learn(IEnumerable<LeadTimeSample> samples)
    {
        var all = samples.ToList();
        return new LeadTimes(
            all.GroupBy(s => s.Service).Select(g => (g.Key, Groups: Trusted(g, s => s.Category, LeadTimeBasis.ServiceAndCategory)))
                .Where(g => !g.Groups.IsEmpty)
                .ToImmutableDictionary(g => g.Key, g => g.Groups),
            Trusted(all, s => s.Category, LeadTimeBasis.Category),
            all.Count >= MinimumSamples ? Of(all.Select(s => s.Days), LeadTimeBasis.AllBlockers) : null);
    }

    /// <summary>Learned from every resolved blocker of these children.</summary>
    public static LeadTimes Learn(IEnumerable<ChildJourney> journeys) => Learn(journeys.SelectMany(LeadTimeSample.Of));

    public LeadTime For(ServiceKey service, BlockerCategory category) =>
        ByServiceAndCategory.TryGetValue(service, out var byCategory) && byCategory.TryGetValue(category, out var own) ? own
        : ByCategory.TryGetValue(category, out var kind) ? kind
        : AllBlockers ?? Default;

    private static ImmutableDictionary<BlockerCategory, LeadTime> Trusted(IEnumerable<LeadTimeSample> samples,
        Func<LeadTimeSample, BlockerCategory> key, LeadTimeBasis basis) =>
        samples.GroupBy(key).Where(g => g.Count() >= MinimumSamples).ToImmutableDictionary(g => g.Key, g => Of(g.Select(s => s.Days), basis));

    /// <summary>Nearest-rank median and 80th percentile: each is a number of days some blocker really took.</summary>
    private static LeadTime Of(IEnumerable<int> days, LeadTimeBasis basis)
    {
        ImmutableArray<int> sorted = [.. days.Order()];
        return new LeadTime(sorted[LeadTime.Rank(LeadTime.Median, sorted.Length)], sorted[LeadTime.Rank(LeadTime.Likely, sorted.Length)], sorted.Length, basis)
        {
            Days = sorted,
        };
    }
}
