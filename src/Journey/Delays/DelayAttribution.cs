using System.Collections.Immutable;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;

namespace CareTwin.Journey.Delays;

/// <summary>Who and what the delay days of one transition are attributed to (two decimal places).</summary>
/// <param name="Unattributed">Delayed days on which no blocker was open.</param>
public sealed record DelayBreakdown(
    int DaysDelayed,
    ImmutableDictionary<ServiceKey, decimal> ByService,
    ImmutableDictionary<BlockerCategory, decimal> ByCategory,
    decimal Unattributed)
{
    public static DelayBreakdown None { get; } = new(0, ImmutableDictionary<ServiceKey, decimal>.Empty, ImmutableDictionary<BlockerCategory, decimal>.Empty, 0m);
}

/// <summary>
/// Delay days of one transition in one ISO week (Monday to Sunday, UK dates), owed to one service and category
/// (both null for days on which no blocker was open), to two decimal places.
/// </summary>
public sealed record DelayWeekShare(DateOnly WeekStarting, ServiceKey? Service, BlockerCategory? Category, decimal Days);

/// <summary>
/// The attribution rule. Each delayed day — a UK calendar day from the discharge-ready date up to
/// (not including) today, or the discharge day once discharged — is shared equally among the
/// transition's blockers open on that day. A blocker is open on day D if it was raised on or
/// before D and not closed on or before D (resolved on D frees D). Its share goes to the service
/// that owned it on D (the latest ownership starting on or before D) and to its category.
/// Cancelled blockers count for nothing: cancelling says it never really stood in the way.
/// Days with no open blocker are unattributed. So for each day the shares add up to one day, and
/// by-service totals plus unattributed equal days delayed (up to rounding to 0.01).
/// The totals (<see cref="For(ChildJourney, Transition, DateTimeOffset)"/>) and the split by week
/// (<see cref="ByWeek(ChildJourney, Transition, DateTimeOffset)"/>) both add up the same shares from one walk.
/// </summary>
public static class DelayAttribution
{
    public static DelayBreakdown For(ChildJourney state, Transition transition, DateTimeOffset now) =>
        Total(transition, now, Shares(state, transition, now));

    /// <summary>
    /// The totals and the weekly split from <paramref name="firstWeek"/> (a Monday) of the child's latest hospital
    /// discharge, from one walk: what a board row carries, worked out on every change.
    /// </summary>
    public static (DelayBreakdown Total, ImmutableArray<DelayWeekShare> Weeks) TotalAndWeeksFrom(ChildJourney state, DateTimeOffset now, DateOnly firstWeek)
    {
        if (state.CurrentHospitalDischarge() is not { } discharge)
            return (DelayBreakdown.None, []);
        var shares = Shares(state, discharge, now).ToList();
        return (Total(discharge, now, shares), Weeks(shares, firstWeek));
    }

    private static DelayBreakdown Total(Transition transition, DateTimeOffset now, IEnumerable<Share> shares)
    {
        var days = DelayClock.DaysDelayed(transition, now);
        if (days == 0 || transition.DischargeReadyDate is null)
            return DelayBreakdown.None;
        var byService = new Dictionary<ServiceKey, decimal>();
        var byCategory = new Dictionary<BlockerCategory, decimal>();
        var unattributed = 0m;
        foreach (var share in shares)
        {
            var length = share.Days;
            if (share.Service is not { } owner || share.Category is not { } category)
            {
                unattributed += length;
                continue;
            }
            byService[owner] = byService.GetValueOrDefault(owner) + length;
            byCategory[category] = byCategory.GetValueOrDefault(category) + length;
        }
        return new DelayBreakdown(
            days,
            byService.ToImmutableDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 2)),
            byCategory.ToImmutableDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 2)),
            unattributed);
    }

    /// <summary>The breakdown of the child's latest hospital discharge.</summary>
    public static DelayBreakdown For(ChildJourney state, DateTimeOffset now) =>
        state.CurrentHospitalDischarge() is { } discharge ? For(state, discharge, now) : DelayBreakdown.None;

    /// <summary>
    /// The same shares split by ISO week (Monday-start, UK dates): a run of shared days that crosses a Monday is cut
    /// there. Ordered by week, then service and category; each week's shares add up to its delayed days.
    /// </summary>
    public static ImmutableArray<DelayWeekShare> ByWeek(ChildJourney state, Transition transition, DateTimeOffset now) =>
        Weeks(Shares(state, transition, now), DateOnly.MinValue);

    /// <param name="firstWeek">A Monday: the days before it are not split (a board keeps only its last weeks).</param>
    private static ImmutableArray<DelayWeekShare> Weeks(IEnumerable<Share> shares, DateOnly firstWeek)
    {
        var weeks = new Dictionary<(DateOnly Week, ServiceKey? Service, BlockerCategory? Category), decimal>();
        foreach (var share in shares)
        {
            for (var from = share.From < firstWeek ? firstWeek : share.From; from < share.Until;)
            {
                var week = WeekStarting(from);
                var until = DayMin(share.Until, week.AddDays(7));
                var key = (week, share.Service, share.Category);
                weeks[key] = weeks.GetValueOrDefault(key) + (decimal)(until.DayNumber - from.DayNumber) / share.SharedBy;
                from = until;
            }
        }
        return [.. weeks
            .OrderBy(w => w.Key.Week).ThenBy(w => w.Key.Service?.Value, StringComparer.Ordinal).ThenBy(w => w.Key.Category)
            .Select(w => new DelayWeekShare(w.Key.Week, w.Key.Service, w.Key.Category, Math.Round(w.Value, 2)))];
    }

    /// <summary>The split by week of the child's latest hospital discharge.</summary>
    public static ImmutableArray<DelayWeekShare> ByWeek(ChildJourney state, DateTimeOffset now) =>
        state.CurrentHospitalDischarge() is { } discharge ? ByWeek(state, discharge, now) : [];

    /// <summary>The Monday of the ISO week the day is in.</summary>
    public static DateOnly WeekStarting(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private static DateOnly DayMin(DateOnly a, DateOnly b) => a < b ? a : b;

    /// <summary>
    /// Days [From, Until) on which one blocker (owned by Service, of Category) was among SharedBy open blockers, so it
    /// is owed (Until - From) / SharedBy days; Service and Category null for days with none open (SharedBy 1).
    /// </summary>
    private sealed record Share(DateOnly From, DateOnly Until, ServiceKey? Service, BlockerCategory? Category, int SharedBy)
    {
        public decimal Days => (decimal)(Until.DayNumber - From.DayNumber) / SharedBy;
    }

    /// <summary>The one walk over the delayed days that both the totals and the weekly split add up.</summary>
    private static IEnumerable<Share> Shares(ChildJourney state, Transition transition, DateTimeOffset now)
    {
        var days = DelayClock.DaysDelayed(transition, now);
        if (days == 0 || transition.DischargeReadyDate is not { } ready)
            yield break;

        var end = ready.AddDays(days);
        var spans = state.Blockers
            .Where(b => b.TransitionId == transition.Id && b.Status != BlockerStatus.Cancelled)
            .Select(OpenSpan.Of)
            .ToList();

        // The set of open blockers and their owners only changes on a raise, close or handover
        // day, so whole runs of days between those dates are shared out at once.
        var changes = new SortedSet<DateOnly> { ready, end };
        foreach (var span in spans)
        {
            foreach (var day in span.ChangeDays())
            {
                if (day > ready && day < end)
                    changes.Add(day);
            }
        }

        var from = ready;
        foreach (var until in changes.Skip(1))
        {
            var open = spans.Where(span => span.IsOpenOn(from)).ToList();
            if (open.Count == 0)
                yield return new Share(from, until, null, null, 1);
            foreach (var span in open)
                yield return new Share(from, until, span.OwnerOn(from), span.Blocker.Category, open.Count);
            from = until;
        }
    }

    /// <summary>A blocker's open days and owners as UK dates (converted once, not per day).</summary>
    private sealed record OpenSpan(Blocker Blocker, DateOnly Raised, DateOnly? Closed, ImmutableArray<(DateOnly From, ServiceKey Service)> Owners)
    {
        public static OpenSpan Of(Blocker b) => new(
            b,
            UkCalendar.DateOf(b.RaisedAt),
            b.ClosedAt is { } closed ? UkCalendar.DateOf(closed) : null,
            [.. b.Ownerships.Select(o => (UkCalendar.DateOf(o.Since), o.Service))]);

        public IEnumerable<DateOnly> ChangeDays() =>
            Owners.Select(o => o.From).Append(Raised).Concat(Closed is { } closed ? [closed] : []);

        public bool IsOpenOn(DateOnly day) => Raised <= day && (Closed is null || Closed > day);

        public ServiceKey OwnerOn(DateOnly day)
        {
            var owner = Owners[0].Service;
            foreach (var (from, service) in Owners)
            {
                if (from <= day)
                    owner = service;
            }
            return owner;
        }
    }
}
