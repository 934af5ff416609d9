using CareTwin.Journey.Appointments;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;

namespace CareTwin.Journey.Family;

/// <summary>How much of a family's life appointments took over a window of days.</summary>
/// <param name="Appointments">Appointments the family was expected at (attended, missed, or booked and passed).</param>
/// <param name="DistinctServices">How many different services those appointments were with.</param>
/// <param name="Hours">Hours spent at appointments (missed ones excluded), to two decimal places.</param>
/// <param name="DidNotAttend">Appointments recorded as not attended.</param>
public sealed record BurdenWindow(int Days, int Appointments, int DistinctServices, decimal Hours, int DidNotAttend);

/// <summary>
/// Family burden over the last N UK calendar days including today (from London midnight N-1 days
/// ago up to now). Cancelled appointments never counted: the family did not have to go. A booked
/// appointment whose time has passed without an update counts as attended.
/// </summary>
public static class FamilyBurden
{
    public static BurdenWindow Over(ChildJourney state, DateTimeOffset now, int days)
    {
        var from = WindowStart(now, days);
        var counted = state.Appointments
            .Where(a => a.Status != AppointmentStatus.Cancelled && a.Start >= from && a.Start <= now)
            .ToList();
        var minutes = counted.Where(a => a.Status != AppointmentStatus.DidNotAttend).Sum(a => (decimal)a.Duration.TotalMinutes);
        return new BurdenWindow(
            days,
            counted.Count,
            counted.Select(a => a.Service).Distinct().Count(),
            Math.Round(minutes / 60m, 2),
            counted.Count(a => a.Status == AppointmentStatus.DidNotAttend));
    }

    /// <summary>Where the last <paramref name="days"/> UK calendar days including today begin: London midnight <c>days - 1</c> days ago.</summary>
    public static DateTimeOffset WindowStart(DateTimeOffset now, int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        return UkCalendar.StartOf(UkCalendar.DateOf(now).AddDays(-(days - 1)));
    }
}
