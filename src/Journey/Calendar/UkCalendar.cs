namespace CareTwin.Journey.Calendar;

/// <summary>
/// Calendar-day rules in UK local time. A "day" is a Europe/London calendar day, so day
/// boundaries stay at local midnight across the March and October clock changes
/// (a 24-hour count would drift by an hour and miscount days).
/// </summary>
public static class UkCalendar
{
    public static TimeZoneInfo London { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static DateOnly DateOf(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, London).DateTime);

    /// <summary>London midnight at the start of <paramref name="date"/> (never in a UK clock-change gap).</summary>
    public static DateTimeOffset StartOf(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, London.GetUtcOffset(local));
    }

    /// <summary>
    /// The instant a London wall-clock time names (what someone in the UK types: "19 December 2026 10:30"). A time the
    /// clocks skip in March is read an hour later, as a clock would show it; one that comes twice in October is the first.
    /// </summary>
    public static DateTimeOffset At(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (London.IsInvalidTime(local)) local = local.AddHours(1);
        var offset = London.IsAmbiguousTime(local) ? London.GetAmbiguousTimeOffsets(local).Max() : London.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    public static int DaysBetween(DateOnly from, DateOnly to) => to.DayNumber - from.DayNumber;

    /// <summary>A date as people in the UK read it, e.g. "30 March 2025".</summary>
    public static string Describe(DateOnly date) => date.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An instant in London local time, e.g. "30 March 2025 14:05".</summary>
    public static string Describe(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, London).ToString("d MMMM yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
