using CareTwin.Journey.Appointments;
using CareTwin.Journey.Family;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

public class FamilyBurdenTests
{
    private static void Had(JourneyDriver driver, DateTimeOffset start, string service, int minutes, AppointmentStatus outcome)
    {
        var booking = driver.Do<AppointmentBooked>(o => new BookAppointment(o, service, start, TimeSpan.FromMinutes(minutes), "Clinic", "Review"));
        if (outcome != AppointmentStatus.Booked)
            driver.Do(o => new UpdateAppointment(o, booking.AppointmentId, outcome));
    }

    [Fact]
    public void Burden_counts_appointments_services_hours_and_missed_ones_over_30_and_90_days()
    {
        var now = London(2025, 6, 30, 12);
        var driver = new JourneyDriver(now).Registered();
        Had(driver, now.AddDays(-10), "health.equipment.newham", 120, AppointmentStatus.Attended);
        Had(driver, now.AddDays(-20), "housing.newham", 60, AppointmentStatus.DidNotAttend);
        Had(driver, now.AddDays(-5), "social-care.newham", 60, AppointmentStatus.Cancelled);
        Had(driver, now.AddDays(-3), "health.equipment.newham", 30, AppointmentStatus.Booked); // passed, never updated
        Had(driver, now.AddDays(-60), "social-care.newham", 90, AppointmentStatus.Attended);
        Had(driver, now.AddDays(4), "housing.newham", 60, AppointmentStatus.Booked); // still to come

        Assert.Equal(new BurdenWindow(30, 3, 2, 2.5m, 1), FamilyBurden.Over(driver.State, now, 30));
        Assert.Equal(new BurdenWindow(90, 4, 3, 4m, 1), FamilyBurden.Over(driver.State, now, 90));
    }

    [Fact]
    public void The_window_starts_at_UK_midnight()
    {
        // Last 30 days on 30 June = 1 June 00:00 BST (31 May 23:00 UTC) onwards.
        var now = London(2025, 6, 30, 12);
        var driver = new JourneyDriver(now).Registered();
        Had(driver, London(2025, 6, 1, 0, 30), "housing.newham", 60, AppointmentStatus.Attended);
        Had(driver, London(2025, 5, 31, 23, 30), "housing.newham", 60, AppointmentStatus.Attended);

        Assert.Equal(1, FamilyBurden.Over(driver.State, now, 30).Appointments);
    }
}
