using System.Globalization;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.Family;

/// <summary>
/// What the family tells us about getting to appointments. Only the family may say it (it is their time and money);
/// a figure outside its range is refused naming the field as the family's form calls it, so a slip ("4500" for
/// "45") is caught rather than counted.
/// </summary>
internal static class FamilyTravelDecisions
{
    public static Decision Set(SetFamilyTravel c, Provenance stamp)
    {
        if (c.Origin.Actor.Role != ActorRole.Family)
            return Refusal.Precondition("origin.actor.role", "Only the family can tell us how they get to appointments.");
        var refusal = (c.Mode is { } mode && !Enum.IsDefined(mode) ? Refusal.Invalid("mode", "Choose how you usually travel from the list.") : null)
            ?? (c.TravelMinutes is < 0 or > InputLimits.LongestTravelMinutes
                ? Refusal.Invalid("travelMinutes", $"Travel time must be between 0 and {InputLimits.LongestTravelMinutes} minutes.")
                : null)
            ?? Pounds(c.CostPerTrip, "costPerTrip", "Cost per trip", InputLimits.DearestTrip)
            ?? Pounds(c.ParkingPerVisit, "parkingPerVisit", "Parking per visit", InputLimits.DearestParking)
            ?? HoursOffWork(c.HoursOffWork);
        if (refusal is not null)
            return refusal;
        return Decision.Accept(new FamilyTravelSet(stamp, c.Mode, c.TravelMinutes, c.CostPerTrip, c.ParkingPerVisit, c.HoursOffWork));
    }

    private static Refusal? Pounds(decimal? value, string field, string label, decimal most)
    {
        if (value is not { } pounds)
            return null;
        if (pounds < 0 || pounds > most)
            return Refusal.Invalid(field, $"{label} must be between £0 and £{Whole(most)}.");
        return decimal.Round(pounds, 2) != pounds ? Refusal.Invalid(field, $"{label} must be in pounds and pence, like 12.50.") : null;
    }

    private static Refusal? HoursOffWork(decimal? value)
    {
        if (value is not { } hours)
            return null;
        if (hours < 0 || hours > InputLimits.MostHoursOffWork)
            return Refusal.Invalid("hoursOffWork", $"Time off work must be between 0 and {Whole(InputLimits.MostHoursOffWork)} hours.");
        return decimal.Round(hours, 2) != hours ? Refusal.Invalid("hoursOffWork", "Time off work must be in hours, like 4 or 2.5.") : null;
    }

    private static string Whole(decimal value) => value.ToString("0", CultureInfo.InvariantCulture);
}
