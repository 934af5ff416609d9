using CareTwin.Journey.References;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;

namespace CareTwin.Journey.Appointments;

/// <summary>Books an appointment; the origin's (source system, external id) become its external reference.</summary>
public sealed record BookAppointment(
    CommandOrigin Origin,
    string Service,
    DateTimeOffset Start,
    TimeSpan Duration,
    string Place,
    string Purpose) : JourneyCommand(Origin);

/// <summary>Records what happened to an appointment, or moves it.</summary>
/// <param name="Status">Attended and did-not-attend only once it has started; rescheduled needs a new start.</param>
public sealed record UpdateAppointment(
    CommandOrigin Origin,
    string AppointmentId,
    AppointmentStatus Status,
    DateTimeOffset? NewStart = null,
    TimeSpan? NewDuration = null,
    string? NewPlace = null) : JourneyCommand(Origin), IAddressesAppointment
{
    public ExternalReference? AppointmentRef { get; init; }

    public JourneyCommand WithAppointment(string id) => this with { AppointmentId = id, AppointmentRef = null };
}
