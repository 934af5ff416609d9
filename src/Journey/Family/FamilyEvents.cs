using CareTwin.Journey.Journal;

namespace CareTwin.Journey.Family;

public sealed record FamilyNoteAdded(Provenance Provenance, string MessageId, string Text) : JourneyEvent(Provenance);

public sealed record FamilyConcernFlagged(Provenance Provenance, string MessageId, string Text, string? BlockerId)
    : JourneyEvent(Provenance);

public sealed record ConcernAcknowledged(Provenance Provenance, string MessageId) : JourneyEvent(Provenance);

public sealed record ConcernAnswered(Provenance Provenance, string MessageId, string Text) : JourneyEvent(Provenance);

public sealed record ConcernClosed(Provenance Provenance, string MessageId) : JourneyEvent(Provenance);

public sealed record FamilyTravelSet(
    Provenance Provenance,
    TravelMode? Mode,
    int? TravelMinutes,
    decimal? CostPerTrip,
    decimal? ParkingPerVisit,
    decimal? HoursOffWork) : JourneyEvent(Provenance);
