using CareTwin.Journey.Children;

namespace CareTwin.Journey.Appointments;

internal static class AppointmentFold
{
    public static ChildJourney Apply(ChildJourney state, AppointmentBooked e) => state with
    {
        Appointments = state.Appointments.Add(new Appointment(
            e.AppointmentId, e.Service, e.Start, e.Duration, e.Place, e.Purpose, AppointmentStatus.Booked,
            e.Provenance.SourceSystem, e.Provenance.ExternalId, e.Provenance.At, e.Provenance.At, e.Provenance.Actor.DisplayName)),
    };

    public static ChildJourney Apply(ChildJourney state, AppointmentUpdated e) =>
        state.WithAppointment(e.AppointmentId, a => a with
        {
            Status = e.Status,
            Start = e.NewStart ?? a.Start,
            Duration = e.NewDuration ?? a.Duration,
            Place = e.NewPlace ?? a.Place,
            UpdatedAt = e.Provenance.At,
        });
}
