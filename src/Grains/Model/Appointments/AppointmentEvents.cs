using CareTwin.Grains.Model.Journal;
using CareTwin.Grains.Model.Serialization;
using CareTwin.Grains.Model.Services;

namespace CareTwin.Grains.Model.Appointments;

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
