using System.Globalization;
using CareTwin.Journey.Calendar;

namespace CareTwin.Journey.Wording;

/// <summary>
/// A range of UK days as people say it, repeating only what differs: "on 12 March 2027", "between 12 and 19 March 2027",
/// "between 28 February and 3 March 2027", "between 30 December 2026 and 4 January 2027" (format.ts dayRange says the same).
/// </summary>
public static class DayRange
{
    public static string Describe(DateOnly from, DateOnly to)
    {
        if (from == to)
            return $"on {UkCalendar.Describe(from)}";
        var start = from.Year != to.Year ? UkCalendar.Describe(from)
            : from.Month != to.Month ? from.ToString("d MMMM", CultureInfo.InvariantCulture)
            : from.Day.ToString(CultureInfo.InvariantCulture);
        return $"between {start} and {UkCalendar.Describe(to)}";
    }
}
