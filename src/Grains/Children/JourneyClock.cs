using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Escalations;

namespace CareTwin.Grains.Children;

/// <summary>
/// When a child's twin must wake up by itself (its one durable reminder): at the next automatic escalation
/// (<see cref="EscalationSchedule"/>), and at the next UK midnight while anything on its board row moves with
/// the calendar (days delayed, SLA breaches, delay attribution). Never later than that midnight, which also
/// keeps reminders far below the ~49-day limit of system timers.
/// </summary>
public static class JourneyClock
{
    /// <summary>What a tick refused to do is tried again after this long.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromHours(1);

    /// <summary>
    /// The reminder's period. Orleans moves a wake it finds overdue (the host was down, a tick failed) to the
    /// next period rather than to now, so this is how late such a wake can come: Orleans's shortest period.
    /// </summary>
    public static readonly TimeSpan CatchUpWithin = TimeSpan.FromMinutes(1);

    public static DateTimeOffset? NextWakeAt(ChildJourney journey, DateTimeOffset now)
    {
        if (!journey.IsRegistered)
            return null;
        var escalation = EscalationSchedule.NextDueAt(journey);
        var live = escalation is not null || journey.CurrentTransition() is { IsComplete: false };
        if (!live)
            return null;
        var nextMidnight = UkCalendar.StartOf(UkCalendar.DateOf(now).AddDays(1));
        return escalation is { } due && due < nextMidnight ? due : nextMidnight;
    }
}
