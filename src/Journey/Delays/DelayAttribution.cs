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
/// The attribution rule. Each delayed day — a UK calendar day from the discharge-ready date up to
/// (not including) today, or the discharge day once discharged — is shared equally among the
/// transition's blockers open on that day. A blocker is open on day D if it was raised on or
/// before D and not closed on or before D (resolved on D frees D). Its share goes to the service
/// that owned it on D (the latest ownership starting on or before D) and to its category.
/// Cancelled blockers count for nothing: cancelling says it never really stood in the way.
/// Days with no open blocker are unattributed. So for each day the shares add up to one day, and
/// by-service totals plus unattributed equal days delayed (up to rounding to 0.01).
/// </summary>
public static class DelayAttribution
{
    public static DelayBreakdown For(ChildJourney state, Transition transition, DateTimeOffset now)
    {
        var days = DelayClock.DaysDelayed(transition, now);
        if (days == 0 || transition.DischargeReadyDate is not { } ready)
            return DelayBreakdown.None;

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

        var byService = new Dictionary<ServiceKey, decimal>();
        var byCategory = new Dictionary<BlockerCategory, decimal>();
        var unattributed = 0m;
        var open = new List<OpenSpan>();
        var from = ready;
        foreach (var until in changes.Skip(1))
        {
            decimal length = until.DayNumber - from.DayNumber;
            open.Clear();
            foreach (var span in spans)
            {
                if (span.IsOpenOn(from))
                    open.Add(span);
            }
            if (open.Count == 0)
                unattributed += length;
            foreach (var span in open)
            {
                var share = length / open.Count;
                var owner = span.OwnerOn(from);
                byService[owner] = byService.GetValueOrDefault(owner) + share;
                byCategory[span.Blocker.Category] = byCategory.GetValueOrDefault(span.Blocker.Category) + share;
            }
            from = until;
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
