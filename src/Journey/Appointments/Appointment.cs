using System.Text.Json.Serialization;
using CareTwin.Journey.Serialization;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Appointments;

public enum AppointmentStatus
{
    Booked,
    Attended,
    DidNotAttend,
    Cancelled,
    /// <summary>Moved to a new time (still to happen).</summary>
    Rescheduled,
}

/// <summary>An appointment the family has with a service.</summary>
/// <param name="Purpose">Plain language, shown to the family ("Ventilator training session").</param>
/// <param name="SourceSystem">The system that booked it.</param>
/// <param name="ExternalId">The booking system's id for the booking, so it can find the appointment again.</param>
/// <param name="BookedBy">Who booked it, by the name they go by (a person, or the system that booked it); null in state
/// saved before it was kept.</param>
public sealed record Appointment(
    [property: SharedText] string Id,
    ServiceKey Service,
    DateTimeOffset Start,
    TimeSpan Duration,
    string Place,
    string Purpose,
    AppointmentStatus Status,
    [property: SharedText] string SourceSystem,
    string ExternalId,
    DateTimeOffset BookedAt,
    DateTimeOffset UpdatedAt,
    string? BookedBy = null)
{
    /// <summary>Still to happen: booked or moved, not yet attended, missed or cancelled.</summary>
    [JsonIgnore]
    public bool IsUpcomingStatus => Status is AppointmentStatus.Booked or AppointmentStatus.Rescheduled;
}
