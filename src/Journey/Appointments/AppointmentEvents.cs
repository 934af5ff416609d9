using CareTwin.Journey.Journal;
using CareTwin.Journey.Serialization;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Appointments;

public sealed record AppointmentBooked(
    Provenance Provenance,
    [property: SharedText] string AppointmentId,
    ServiceKey Service,
    DateTimeOffset Start,
    TimeSpan Duration,
    string Place,
    string Purpose) : JourneyEvent(Provenance);

public sealed record AppointmentUpdated(
    Provenance Provenance,
    string AppointmentId,
    AppointmentStatus Status,
    DateTimeOffset? NewStart,
    TimeSpan? NewDuration,
    string? NewPlace) : JourneyEvent(Provenance);
