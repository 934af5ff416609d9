using CareTwin.Journey.Calendar;

namespace CareTwin.Journey.Blockers;

/// <summary>
/// A blocker's clocks, in UK calendar days. An SLA of N days from a day D is due at the end of
/// D + N; it is breached from the next London midnight while the blocker is still active (or if it
/// was closed after its due date).
/// </summary>
public static class BlockerClock
{
    public static DateOnly SlaDueDate(DateTimeOffset ownedSince, int slaDays) => UkCalendar.DateOf(ownedSince).AddDays(slaDays);

    /// <summary>The instant the SLA is breached if the blocker is still active.</summary>
    public static DateTimeOffset SlaBreachesAt(Blocker blocker) => UkCalendar.StartOf(blocker.SlaDueDate.AddDays(1));

    /// <summary>Days since it was raised, up to today or until it was closed.</summary>
    public static int AgeDays(Blocker blocker, DateTimeOffset now) =>
        UkCalendar.DaysBetween(UkCalendar.DateOf(blocker.RaisedAt), UkCalendar.DateOf(blocker.ClosedAt ?? now));

    public static bool IsSlaBreached(Blocker blocker, DateTimeOffset now) => DaysOverSla(blocker, now) > 0;

    /// <summary>Days past the SLA due date: up to today while active, up to the closing day once closed.</summary>
    public static int DaysOverSla(Blocker blocker, DateTimeOffset now) =>
        Math.Max(0, UkCalendar.DaysBetween(blocker.SlaDueDate, UkCalendar.DateOf(blocker.ClosedAt ?? now)));
}
