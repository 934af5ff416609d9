using CareTwin.Journey.Decisions;

namespace CareTwin.Journey.Appointments;

public static class AppointmentLookup
{
    /// <summary>What a caller hears of an appointment id this child does not have.</summary>
    public static Refusal Unknown(string? appointmentId) => Refusal.NotFound("appointmentId", $"No appointment '{appointmentId}' for this child.");
}
