using CareTwin.Journey.Appointments;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

public class AppointmentTests
{
    private static readonly Actor Epr = new("epr.royal-thamesbank", "Royal Thamesbank PAS", ActorRole.ExternalSystem);

    private static BookAppointment Book(CommandOrigin o, DateTimeOffset start, string service = "health.equipment.newham",
        int minutes = 90, string place = "Family home", string purpose = "Hoist fitting at home") =>
        new(o, service, start, TimeSpan.FromMinutes(minutes), place, purpose);

    [Fact]
    public void An_external_system_books_an_appointment_and_finds_it_again_by_its_own_reference()
    {
        var driver = new JourneyDriver().Registered();
        var start = driver.Now.AddDays(3);
        var booked = Assert.IsType<AppointmentBooked>(Assert.Single(driver.Send(Book(new CommandOrigin(Epr, "epr.royal-thamesbank", "appt-5531"), start)).EventsToAppend));

        var appointment = driver.State.FindAppointmentBySource("epr.royal-thamesbank", "appt-5531");
        Assert.Equal((booked.AppointmentId, AppointmentStatus.Booked, start), (appointment!.Id, appointment.Status, appointment.Start));
        Assert.Equal("Royal Thamesbank PAS", appointment.BookedBy);
    }

    [Theory]
    [InlineData("housing.hackney", 60, "Family home", "Visit", "service")]
    [InlineData("health.equipment.newham", 0, "Family home", "Visit", "duration")]
    [InlineData("health.equipment.newham", 13 * 60, "Family home", "Visit", "duration")]
    [InlineData("health.equipment.newham", 60, " ", "Visit", "place")]
    [InlineData("health.equipment.newham", 60, "Family home", "", "purpose")]
    public void Bad_bookings_are_refused_naming_the_field(string service, int minutes, string place, string purpose, string field)
    {
        var driver = new JourneyDriver().Registered();
        driver.Refuse(o => Book(o, driver.Now.AddDays(1), service, minutes, place, purpose), RefusalKind.InvalidArgument, field);
        Assert.Empty(driver.State.Appointments);
    }

    [Fact]
    public void Attendance_is_recorded_only_once_the_appointment_has_started()
    {
        var driver = new JourneyDriver().Registered();
        driver.Do(o => Book(o, driver.Now.AddHours(2)));
        driver.Refuse(o => new UpdateAppointment(o, "appointment-1", AppointmentStatus.Attended), RefusalKind.FailedPrecondition, "status");

        driver.Now = driver.Now.AddHours(2);
        driver.Do(o => new UpdateAppointment(o, "appointment-1", AppointmentStatus.Attended));
        Assert.Equal(AppointmentStatus.Attended, driver.State.Appointments[0].Status);
    }

    [Theory]
    [InlineData(AppointmentStatus.Attended)]
    [InlineData(AppointmentStatus.DidNotAttend)]
    [InlineData(AppointmentStatus.Cancelled)]
    public void Attended_missed_and_cancelled_appointments_are_final(AppointmentStatus final)
    {
        var driver = new JourneyDriver().Registered();
        driver.Do(o => Book(o, driver.Now.AddHours(-1)));
        driver.Do(o => new UpdateAppointment(o, "appointment-1", final));
        driver.Refuse(o => new UpdateAppointment(o, "appointment-1", AppointmentStatus.Attended), RefusalKind.FailedPrecondition, "status");
        driver.Refuse(o => new UpdateAppointment(o, "appointment-1", AppointmentStatus.Rescheduled, driver.Now.AddDays(2)), RefusalKind.FailedPrecondition, "status");
    }

    [Fact]
    public void Rescheduling_moves_the_appointment_to_a_future_time()
    {
        var driver = new JourneyDriver().Registered();
        driver.Do(o => Book(o, driver.Now.AddDays(2)));
        driver.Refuse(o => new UpdateAppointment(o, "appointment-1", AppointmentStatus.Rescheduled), RefusalKind.InvalidArgument, "newStart");
        driver.Refuse(o => new UpdateAppointment(o, "appointment-1", AppointmentStatus.Rescheduled, driver.Now.AddDays(-1)), RefusalKind.InvalidArgument, "newStart");
        driver.Refuse(o => new UpdateAppointment(o, "appointment-1", AppointmentStatus.Booked), RefusalKind.InvalidArgument, "status");
        driver.Refuse(o => new UpdateAppointment(o, "appointment-1", AppointmentStatus.Cancelled, NewPlace: "Clinic"), RefusalKind.InvalidArgument, "newStart");

        var newStart = driver.Now.AddDays(9);
        driver.Do(o => new UpdateAppointment(o, "appointment-1", AppointmentStatus.Rescheduled, newStart, TimeSpan.FromHours(1), "Clinic 4"));

        var appointment = driver.State.Appointments[0];
        Assert.Equal((AppointmentStatus.Rescheduled, newStart, TimeSpan.FromHours(1), "Clinic 4"), (appointment.Status, appointment.Start, appointment.Duration, appointment.Place));
        Assert.True(appointment.IsUpcomingStatus);
    }

    [Fact]
    public void Unknown_statuses_are_refused()
    {
        var driver = new JourneyDriver().Registered();
        driver.Do(o => Book(o, driver.Now.AddDays(2)));
        driver.Refuse(o => new UpdateAppointment(o, "appointment-1", (AppointmentStatus)12), RefusalKind.InvalidArgument, "status");
    }
}
