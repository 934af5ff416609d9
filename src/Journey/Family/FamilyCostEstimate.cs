using System.Globalization;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Wording;

namespace CareTwin.Journey.Family;

/// <summary>
/// The family's time and money over one period, each figure with the sentence that says how it was worked out
/// (a reader can check it by hand).
/// </summary>
/// <param name="Period">The period in words ("in the last 30 days", "since the journey started on 1 March 2025").</param>
/// <param name="From">Where the period begins; it runs to the estimate's time.</param>
/// <param name="Attended">Appointments attended (or whose time passed with nothing else recorded).</param>
/// <param name="Missed">Appointments recorded as not attended.</param>
/// <param name="CancelledLate">Appointments cancelled less than <see cref="FamilyCostEstimate.LateCancellation"/> before they were due.</param>
/// <param name="AtHome">Attended appointments held at the family's home: no travel.</param>
/// <param name="Hours">Hours at appointments plus hours travelling to and from them, to two decimal places.</param>
/// <param name="Money">Pounds spent getting to appointments; null when the family has not told us any cost.</param>
/// <param name="HoursOffWork">Hours of work missed; null when the family has not told us about work.</param>
public sealed record FamilyCostWindow(
    string Period,
    DateTimeOffset From,
    int Attended,
    int Missed,
    int CancelledLate,
    int AtHome,
    decimal HoursAtAppointments,
    decimal HoursTravelling,
    decimal Hours,
    decimal? Money,
    decimal? HoursOffWork,
    string HoursWorkedOut,
    string MoneyWorkedOut,
    string HoursOffWorkWorkedOut);

/// <summary>
/// An estimate of the hours and money a family spends on appointments (SPROCKET aim 1), over the last 30 and 90 UK
/// calendar days (as <see cref="FamilyBurden.WindowStart"/>) and since the journey started, from the child's appointments
/// and what the family told us about getting there (<see cref="FamilyTravel"/>). Pure: the same journey and time give
/// the same figures and words.
/// <list type="bullet">
/// <item>Attended (or passed with nothing else recorded): the appointment's length, travel there and back, the trip's
/// cost and parking, and the time off work. An appointment at home (<see cref="IsAtHome"/>) has no travel or cost.</item>
/// <item>Not attended, or cancelled less than a day before: only the time off work the family had arranged.</item>
/// <item>Cancelled a day or more before, or still to come: not counted.</item>
/// </list>
/// Each appointment is its own trip, even two on one day.
/// </summary>
/// <param name="Basis">The rules above, in a sentence or two for the family.</param>
public sealed record FamilyCostEstimate(
    FamilyCostWindow Last30Days,
    FamilyCostWindow Last90Days,
    FamilyCostWindow SinceJourneyStarted,
    string Basis)
{
    /// <summary>A cancellation with less notice than this counts: the family had arranged time off.</summary>
    public static readonly TimeSpan LateCancellation = TimeSpan.FromHours(24);

    public const string BasisText =
        "These are estimates from the appointments CareTwin knows about and what you told us about getting there. " +
        "An appointment whose time has passed counts as attended unless the team recorded otherwise. " +
        "One missed, or cancelled less than a day before, counts only for the time off work you had arranged; " +
        "one cancelled earlier does not count.";

    private static readonly string[] HomePlaces = ["home", "family home", "at home", "home visit", "the family home"];

    /// <summary>The estimate at <paramref name="now"/>, or null if the child is not registered.</summary>
    public static FamilyCostEstimate? For(ChildJourney state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Child is not { } child)
            return null;
        var started = state.Transitions.Select(t => t.StartedAt).DefaultIfEmpty(child.RegisteredAt).Min();
        return new FamilyCostEstimate(
            Window(state, "in the last 30 days", FamilyBurden.WindowStart(now, 30), now),
            Window(state, "in the last 90 days", FamilyBurden.WindowStart(now, 90), now),
            Window(state, $"since the journey started on {UkCalendar.Describe(UkCalendar.DateOf(started))}", started, now),
            BasisText);
    }

    /// <summary>A visit at the family's home, by the place the booking gave ("Family home", "Home visit").</summary>
    public static bool IsAtHome(string place) =>
        HomePlaces.Contains(place.Trim().TrimEnd('.').ToLowerInvariant());

    private enum Outcome
    {
        Attended,
        Missed,
        CancelledLate,
    }

    private static Outcome? Counted(Appointment a) => a.Status switch
    {
        AppointmentStatus.Attended => Outcome.Attended,
        AppointmentStatus.DidNotAttend => Outcome.Missed,
        // Cancelled is final, so its last update is when it was cancelled.
        AppointmentStatus.Cancelled => a.Start - a.UpdatedAt < LateCancellation ? Outcome.CancelledLate : null,
        // Booked or moved, and its time has passed with nothing else recorded: as FamilyBurden counts it.
        _ => Outcome.Attended,
    };

    private static FamilyCostWindow Window(ChildJourney state, string period, DateTimeOffset from, DateTimeOffset now)
    {
        var counted = state.Appointments
            .Where(a => a.Start >= from && a.Start <= now)
            .Select(a => (Appointment: a, Outcome: Counted(a)))
            .Where(x => x.Outcome is not null)
            .ToList();
        var attended = counted.Where(x => x.Outcome == Outcome.Attended).Select(x => x.Appointment).ToList();
        var trips = attended.Count(a => !IsAtHome(a.Place));
        var missed = counted.Count(x => x.Outcome == Outcome.Missed);
        var cancelledLate = counted.Count(x => x.Outcome == Outcome.CancelledLate);
        var travel = state.FamilyTravel;

        var minutesAt = attended.Sum(a => (decimal)Math.Round(a.Duration.TotalMinutes));
        var minutesTravelling = travel?.TravelMinutes is { } oneWay ? trips * 2m * oneWay : 0m;
        var (money, moneyWords) = Money(travel, trips, attended.Count - trips, missed + cancelledLate);
        var (offWork, offWorkWords) = OffWork(travel, period, attended.Count, missed, cancelledLate);
        return new FamilyCostWindow(
            period, from, attended.Count, missed, cancelledLate, attended.Count - trips,
            HoursOf(minutesAt), HoursOf(minutesTravelling), HoursOf(minutesAt + minutesTravelling),
            money, offWork,
            TimeWords(travel, period, attended.Count, trips, minutesAt, minutesTravelling),
            moneyWords, offWorkWords);
    }

    // "3 appointments attended: 3 hours 30 minutes at the appointments, plus 45 minutes each way getting there
    // (2 trips × 1 hour 30 minutes = 3 hours; 1 was at home): 6 hours 30 minutes in all."
    private static string TimeWords(FamilyTravel? travel, string period, int attended, int trips, decimal minutesAt, decimal minutesTravelling)
    {
        if (attended == 0)
            return $"No appointments attended {period}.";
        var words = $"{Quantity.Of(attended, "appointment")} attended: {Duration(minutesAt)} at the appointments";
        if (travel?.TravelMinutes is not { } oneWay)
            return words + ". Travel time is not included: you have not told us how long it takes to get there.";
        var atHome = attended - trips;
        if (trips == 0)
            return words + $"; all at home, so no travel: {Duration(minutesAt)} in all.";
        var home = atHome == 0 ? "" : $"; {atHome} {(atHome == 1 ? "was" : "were")} at home";
        return words + $", plus {Duration(oneWay)} each way getting there ({Quantity.Of(trips, "trip")} × {Duration(2m * oneWay)} = {Duration(minutesTravelling)}{home}): "
            + $"{Duration(minutesAt + minutesTravelling)} in all.";
    }

    // "2 trips × £16.50 (£12.50 a trip + £4.00 parking) = £33.00."
    private static (decimal? Money, string Words) Money(FamilyTravel? travel, int trips, int atHome, int missedOrLate)
    {
        if (travel is not ({ CostPerTrip: not null } or { ParkingPerVisit: not null }))
            return (null, "Not worked out: you have not told us what getting to an appointment costs.");
        var perTrip = (travel.CostPerTrip ?? 0m) + (travel.ParkingPerVisit ?? 0m);
        var money = trips * perTrip;
        var words = trips == 0
            ? "No trips to appointments, so no money is counted."
            : $"{Quantity.Of(trips, "trip")} × {Pounds(perTrip)} ({string.Join(" + ", new[]
            {
                travel.CostPerTrip is { } fare ? $"{Pounds(fare)} a trip" : null,
                travel.ParkingPerVisit is { } parking ? $"{Pounds(parking)} parking" : null,
            }.OfType<string>())}) = {Pounds(money)}.";
        if (travel.CostPerTrip is null)
            words += " Fares or fuel are not included: you have not told us what a trip costs.";
        if (travel.ParkingPerVisit is null)
            words += " Parking is not included: you have not told us what it costs.";
        if (atHome > 0)
            words += $" {Quantity.Of(atHome, "appointment")} at home cost nothing to get to.";
        if (missedOrLate > 0)
            words += " Missed and late-cancelled appointments are not counted here.";
        return (money, words);
    }

    // "5 appointments (3 attended, 1 missed, 1 cancelled less than a day before) × 4 hours off work each = 20 hours."
    private static (decimal? Hours, string Words) OffWork(FamilyTravel? travel, string period, int attended, int missed, int cancelledLate)
    {
        if (travel?.HoursOffWork is not { } each)
            return (null, "Not worked out: you have not told us how much time off work an appointment takes.");
        var appointments = attended + missed + cancelledLate;
        if (appointments == 0)
            return (0m, $"No appointments {period}, so no time off work is counted.");
        var kinds = string.Join(", ", new[]
        {
            attended > 0 ? $"{attended} attended" : null,
            missed > 0 ? $"{missed} missed" : null,
            cancelledLate > 0 ? $"{cancelledLate} cancelled less than a day before" : null,
        }.OfType<string>());
        var total = appointments * each;
        return (total, $"{Quantity.Of(appointments, "appointment")} ({kinds}) × {Hours(each)} off work each = {Hours(total)}.");
    }

    private static decimal HoursOf(decimal minutes) => Math.Round(minutes / 60m, 2);


    /// <summary>"45 minutes", "1 hour", "2 hours 30 minutes".</summary>
    private static string Duration(decimal minutes)
    {
        var whole = (long)Math.Round(minutes);
        var (h, m) = (whole / 60, whole % 60);
        if (h == 0)
            return Unit(m, "minute");
        return m == 0 ? Unit(h, "hour") : $"{Unit(h, "hour")} {Unit(m, "minute")}";
    }

    private static string Unit(long n, string one) => $"{n} {(n == 1 ? one : one + "s")}";

    /// <summary>"1 hour", "6.5 hours".</summary>
    internal static string Hours(decimal hours) => $"{hours.ToString("0.##", CultureInfo.InvariantCulture)} {(hours == 1 ? "hour" : "hours")}";

    /// <summary>"£1,234.50".</summary>
    internal static string Pounds(decimal pounds) => "£" + pounds.ToString("#,##0.00", CultureInfo.InvariantCulture);
}
