using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;

namespace CareTwin.Journey.Family;

public sealed record AddFamilyNote(CommandOrigin Origin, string Text) : JourneyCommand(Origin);

public sealed record FlagConcern(CommandOrigin Origin, string Text, string? BlockerId = null) : JourneyCommand(Origin);

/// <summary>Someone in the team has read a family's concern: the family sees "Read by the team".</summary>
public sealed record AcknowledgeConcern(CommandOrigin Origin, string MessageId) : JourneyCommand(Origin);

/// <summary>The team answers a family's concern, in words the family reads. A later answer replaces the one the family sees.</summary>
public sealed record AnswerConcern(CommandOrigin Origin, string MessageId, string Text) : JourneyCommand(Origin);

/// <summary>The team closes a family's concern: it no longer counts as open on the board.</summary>
public sealed record CloseConcern(CommandOrigin Origin, string MessageId) : JourneyCommand(Origin);

/// <summary>
/// The family tells CareTwin how they get to appointments. Replaces what they said before: a field left out (null)
/// is one they have not told us (or no longer want counted).
/// </summary>
public sealed record SetFamilyTravel(
    CommandOrigin Origin,
    TravelMode? Mode = null,
    int? TravelMinutes = null,
    decimal? CostPerTrip = null,
    decimal? ParkingPerVisit = null,
    decimal? HoursOffWork = null) : JourneyCommand(Origin);
