using CareTwin.Journey.Journal;

namespace CareTwin.Journey.Family;

/// <summary>How a family usually gets to appointments (<see cref="FamilyWording.Travel"/> says it in their words).</summary>
public enum TravelMode
{
    Car,
    PublicTransport,
    Taxi,
    Walking,
    Cycling,
    /// <summary>Hospital or patient transport.</summary>
    PatientTransport,
    Other,
}

/// <summary>
/// What the family told CareTwin about getting to appointments, all optional (null: not told). Only the family
/// sets it; it feeds <see cref="FamilyCostEstimate"/>.
/// </summary>
/// <param name="TravelMinutes">How long getting there takes, one way.</param>
/// <param name="CostPerTrip">Fares or fuel for one appointment, there and back, in pounds.</param>
/// <param name="ParkingPerVisit">Parking for one appointment, in pounds.</param>
/// <param name="HoursOffWork">Hours of work an appointment costs someone in the family.</param>
public sealed record FamilyTravel(
    TravelMode? Mode,
    int? TravelMinutes,
    decimal? CostPerTrip,
    decimal? ParkingPerVisit,
    decimal? HoursOffWork,
    DateTimeOffset UpdatedAt,
    Actor UpdatedBy);
