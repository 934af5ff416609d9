using CareTwin.Journey.Wording;

namespace CareTwin.Journey.Family;

/// <summary>
/// The family's time and money over the last 30 days in one line for staff (an MDT agenda item), with the figures
/// and words the child page gives them (<see cref="FamilyCostEstimate"/>). Families never see it.
/// </summary>
/// <param name="Hours">At and getting to appointments, as <see cref="FamilyCostWindow.Hours"/>.</param>
/// <param name="Money">Getting there; null when the family has not told us what it costs.</param>
/// <param name="Appointments">Appointments attended (or whose time passed with nothing else recorded): those the hours count.</param>
/// <param name="TravelTimeKnown">The family told us how long getting there takes, so the hours include travel.</param>
public sealed record FamilyCostSummary(decimal Hours, decimal? Money, int Appointments, bool TravelTimeKnown)
{
    /// <summary>The last 30 days of the child's estimate at <paramref name="now"/>; null if the child is not registered.</summary>
    public static FamilyCostSummary? For(Children.ChildJourney journey, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(journey);
        return FamilyCostEstimate.For(journey, now)?.Last30Days is { } window
            ? new(window.Hours, window.Money, window.Attended, journey.FamilyTravel?.TravelMinutes is not null)
            : null;
    }

    /// <summary>
    /// "Family's time and money, last 30 days: 7.5 hours, £33.00 (3 appointments attended)." with what the family has
    /// not told us; no figures when no appointment was attended.
    /// </summary>
    public string InWords()
    {
        const string lead = "Family's time and money, last 30 days: ";
        if (Appointments == 0)
            return lead + "no appointments attended.";
        var words = lead + FamilyCostEstimate.Hours(Hours) + (Money is { } money ? ", " + FamilyCostEstimate.Pounds(money) : "")
            + $" ({Quantity.Of(Appointments, "appointment")} attended).";
        if (Money is null)
            words += " The family has not told us what getting there costs.";
        if (!TravelTimeKnown)
            words += " Travel time is not included: the family has not told us how long it takes to get there.";
        return words;
    }
}
