using CareTwin.Api.Contracts.V1;
using CareTwin.Grains.Children;
using CareTwin.Journey.Family;
using Google.Protobuf.WellKnownTypes;
using Model = CareTwin.Journey;

namespace CareTwin.Api.Tests.Infrastructure;

/// <summary>
/// A child whose family has had appointments, said how they travel and raised worries: the EPR books two ward
/// appointments (one attended, one missed) and a coordinator a housing home visit (attended), all in the last few
/// days; the family says they drive 45 minutes each way, pay £12.50 a trip and £4 parking and lose 4 hours of work;
/// they flag two concerns, and the team answers and closes the first (message-1) and leaves the second (message-2)
/// open, and they add a note (message-3).
/// </summary>
public static class FamilyScenario
{
    public const string Answer = "The equipment supplier delivers on Tuesday; we will ring you the day before.";

    public static async Task ArrangeAsync(CareTwinApiHost host, CareTwinClient epr, string childId)
    {
        await epr.RegisterWithDischargeAsync(childId);
        var now = DateTimeOffset.UtcNow;
        await SeenAtWardAsync(epr, childId, "ward-attended", now.AddDays(-2), 90, AppointmentStatus.Attended);
        await SeenAtWardAsync(epr, childId, "ward-missed", now.AddDays(-4), 30, AppointmentStatus.DidNotAttend);
        var visit = await host.AsCoordinatorAsync(childId, origin => new Model.Appointments.BookAppointment(
            origin, CareTwinApiHost.Housing, now.AddDays(-3), TimeSpan.FromMinutes(60), "Home visit", "Housing assessment"));
        await host.AsCoordinatorAsync(childId, origin => new Model.Appointments.UpdateAppointment(origin, visit.CreatedId!, Model.Appointments.AppointmentStatus.Attended));

        await host.AsFamilyAsync(childId, origin => new SetFamilyTravel(origin, Model.Family.TravelMode.Car, 45, 12.50m, 4.00m, 4m));
        var answered = Flagged(await host.AsFamilyAsync(childId, origin => new FlagConcern(origin, "When will the hoist arrive?")));
        await host.AsFamilyAsync(childId, origin => new FlagConcern(origin, "Nobody has called about school transport."));
        await host.AsFamilyAsync(childId, origin => new AddFamilyNote(origin, "She loves music."));
        await host.AsCoordinatorAsync(childId, origin => new AnswerConcern(origin, answered, Answer));
        await host.AsCoordinatorAsync(childId, origin => new CloseConcern(origin, answered));
    }

    private static async Task SeenAtWardAsync(CareTwinClient epr, string childId, string externalId, DateTimeOffset start, int minutes, AppointmentStatus outcome)
    {
        var booking = Requests.Appointment(childId, externalId, CareTwinApiHost.Ward);
        booking.Start = Timestamp.FromDateTimeOffset(start);
        booking.DurationMinutes = minutes;
        booking.Place = "Ward 4";
        var booked = await epr.AcceptedAsync("BookAppointment", booking);
        await epr.AcceptedAsync("UpdateAppointment", new UpdateAppointmentRequest
        {
            ChildId = childId, ExternalId = $"{externalId}-outcome", AppointmentId = booked.CreatedId, Status = outcome,
        });
    }

    private static string Flagged(CommandOutcome outcome) => ((FamilyConcernFlagged)outcome.Events.Single()).MessageId;
}
