using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using CareTwin.Journey.Family;
using CareTwin.Journey.Wording;
using static CareTwin.Web.Pages.PageShell;

namespace CareTwin.Web.Views;

/// <summary>One figure of the family's time and money, already in words ("6.5 hours", "£33.00"), and how it was worked out.</summary>
public sealed record CostFigure(string What, string Figure, string WorkedOut);

/// <summary>The figures over one period ("In the last 30 days").</summary>
public sealed record CostPeriod(string Period, ImmutableArray<CostFigure> Figures);

/// <summary>
/// The family's time and money as pages show it: what they told us about getting there, the estimate over each
/// period with every figure's sentence (<see cref="FamilyCostEstimate"/>), and the appointment counts
/// (<see cref="FamilyBurden"/>). Worded here once, so the family page, the child page's first view and child.ts
/// (which only lays these words out) say the same.
/// </summary>
/// <param name="Travel">What the family told us about getting there, in a line; null until they say.</param>
/// <param name="Burden">The appointment counts over the last 30 and 90 days, a sentence each.</param>
public sealed record FamilyCosts(string? Travel, ImmutableArray<CostPeriod> Periods, string Basis, ImmutableArray<string> Burden)
{
    public static FamilyCosts Of(FamilyCostEstimate estimate, FamilyTravel? travel, params BurdenWindow[] burden) => new(
        travel is null ? null : TravelWords(travel),
        [.. new[] { estimate.Last30Days, estimate.Last90Days, estimate.SinceJourneyStarted }.Select(w => new CostPeriod(Capitalised(w.Period),
        [
            new("Time at and getting to appointments", Hours(w.Hours), w.HoursWorkedOut),
            new("Money spent getting there", w.Money is { } money ? Pounds(money) : "Not worked out", w.MoneyWorkedOut),
            new("Time off work", w.HoursOffWork is { } off ? Hours(off) : "Not worked out", w.HoursOffWorkWorkedOut),
        ]))],
        estimate.Basis,
        [.. burden.Select(b => $"Last {b.Days} days: {Quantity.Of(b.Appointments, "appointment")} with {Quantity.Of(b.DistinctServices, "service")}, " +
            $"{Hours(b.Hours)} at appointments" + (b.DidNotAttend > 0 ? $"; {b.DidNotAttend} not attended." : "."))]);

    /// <summary>"By car, 45 minutes each way, £12.50 fares or fuel a trip, £4.00 parking, 4 hours off work an appointment".</summary>
    public static string TravelWords(FamilyTravel travel)
    {
        var told = new[]
        {
            travel.Mode is { } mode ? FamilyWording.Travel(mode) : null,
            travel.TravelMinutes is { } minutes ? $"{Quantity.Of(minutes, "minute")} each way" : null,
            travel.CostPerTrip is { } fare ? $"{Pounds(fare)} fares or fuel a trip" : null,
            travel.ParkingPerVisit is { } parking ? $"{Pounds(parking)} parking a visit" : null,
            travel.HoursOffWork is { } off ? $"{Hours(off)} off work an appointment" : null,
        }.OfType<string>().ToList();
        return told.Count == 0 ? "Nothing: every detail was left empty." : string.Join(", ", told) + ".";
    }

    /// <summary>The periods as HTML, each figure with its sentence; <paramref name="heading"/> is the periods' heading level.</summary>
    public string PeriodsHtml(string heading)
    {
        var html = new StringBuilder();
        foreach (var period in Periods)
        {
            // Plain list markup: the family page has to stay small over a slow phone connection.
            html.Append('<').Append(heading).Append(" class=\"nhsuk-heading-s\">").Append(Encode(period.Period)).Append("</").Append(heading).Append('>')
                .Append("<ul class=\"nhsuk-list\" data-cost-period>");
            foreach (var figure in period.Figures)
                html.Append("<li><strong>").Append(Encode($"{figure.What}: {figure.Figure}.")).Append("</strong> How this was worked out: ").Append(Encode(figure.WorkedOut)).Append("</li>");
            html.Append("</ul>");
        }
        return html.Append("<p class=\"nhsuk-body-s\" data-cost-basis>").Append(Encode(Basis)).Append("</p>").ToString();
    }

    internal static string Hours(decimal hours) => $"{hours.ToString("0.##", CultureInfo.InvariantCulture)} {(hours == 1 ? "hour" : "hours")}";

    internal static string Pounds(decimal pounds) => "£" + pounds.ToString("#,##0.00", CultureInfo.InvariantCulture);


    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
