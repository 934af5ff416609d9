using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Transitions;

namespace CareTwin.Journey.Delays;

/// <summary>
/// Days delayed: UK calendar days from the discharge-ready date to today while the child is not
/// discharged, and to the discharge day once discharged (the clock stops). A clock, never a
/// stored number.
/// </summary>
public static class DelayClock
{
    public static int DaysDelayed(Transition transition, DateTimeOffset now) =>
        transition.DischargeReadyDate is { } ready
            ? Math.Max(0, UkCalendar.DaysBetween(ready, ClockEnd(transition, now)))
            : 0;

    /// <summary>Days delayed on the child's latest hospital discharge (0 if none has started the clock).</summary>
    public static int DaysDelayed(ChildJourney state, DateTimeOffset now) =>
        state.CurrentHospitalDischarge() is { } discharge ? DaysDelayed(discharge, now) : 0;

    /// <summary>The UK date the clock runs to (exclusive): today, or the day the transition completed.</summary>
    public static DateOnly ClockEnd(Transition transition, DateTimeOffset now) => UkCalendar.DateOf(transition.CompletedAt ?? now);
}
