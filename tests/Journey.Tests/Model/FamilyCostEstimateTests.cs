using CareTwin.Journey.Appointments;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Family;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

/// <summary>
/// The family's time and money (issue 16, SPROCKET aim 1). Each test is a worked example: the arithmetic is in the
/// comments, so a reader can check the figures by hand.
/// </summary>
public class FamilyCostEstimateTests
{
    private static readonly DateTimeOffset Now = London(2025, 6, 30, 12); // Monday 30 June 2025, noon

    private static string Book(JourneyDriver driver, DateTimeOffset start, int minutes, string place) =>
        driver.Do<AppointmentBooked>(o => new BookAppointment(o, "health.equipment.newham", start, TimeSpan.FromMinutes(minutes), place, "Review")).AppointmentId;

    private static void Record(JourneyDriver driver, string appointmentId, AppointmentStatus outcome) =>
        driver.Do(o => new UpdateAppointment(o, appointmentId, outcome));

    /// <summary>
    /// Journey started 1 March 2025 10:00. Appointments (H = hospital, C = civic centre, home = family home):
    /// A 20 Jun 120 min H attended; B 10 Jun 60 min C attended; C 25 Jun 30 min home attended; D 15 Jun 60 min C not attended;
    /// E 27 Jun 10:00 cancelled 26 Jun 18:00 (16 hours' notice: late); F 28 Jun cancelled 20 Jun (8 days' notice: not counted);
    /// G 1 May 90 min H attended; H 10 Mar 60 min H attended; I 10 Jul still to come; J 20 Feb, before the journey started.
    /// </summary>
    private static JourneyDriver ElevenAppointments()
    {
        var driver = new JourneyDriver(London(2025, 3, 1, 10)).Registered();
        driver.Do(o => new StartTransition(o, TransitionKind.HospitalDischarge));
        var j = Book(driver, London(2025, 2, 20, 10), 60, "Royal Thamesbank Hospital");
        Record(driver, j, AppointmentStatus.Attended);
        var a = Book(driver, London(2025, 6, 20, 10), 120, "Royal Thamesbank Hospital");
        var b = Book(driver, London(2025, 6, 10, 14), 60, "Newham Civic Centre");
        var c = Book(driver, London(2025, 6, 25, 9), 30, "Family home");
        var d = Book(driver, London(2025, 6, 15, 11), 60, "Newham Civic Centre");
        var e = Book(driver, London(2025, 6, 27, 10), 60, "Royal Thamesbank Hospital");
        var f = Book(driver, London(2025, 6, 28, 10), 60, "Royal Thamesbank Hospital");
        var g = Book(driver, London(2025, 5, 1, 10), 90, "Royal Thamesbank Hospital");
        var h = Book(driver, London(2025, 3, 10, 10), 60, "Royal Thamesbank Hospital");
        Book(driver, London(2025, 7, 10, 10), 60, "Royal Thamesbank Hospital");
        driver.Now = London(2025, 6, 20, 9);
        Record(driver, f, AppointmentStatus.Cancelled);
        driver.Now = London(2025, 6, 26, 18);
        Record(driver, e, AppointmentStatus.Cancelled);
        driver.Now = Now;
        foreach (var attended in new[] { a, b, c, g, h })
            Record(driver, attended, AppointmentStatus.Attended);
        Record(driver, d, AppointmentStatus.DidNotAttend);
        return driver;
    }

    private static FamilyCostEstimate Estimate(JourneyDriver driver) => FamilyCostEstimate.For(driver.State, driver.Now)!;

    [Fact]
    public void Worked_example_with_everything_told_over_30_days_90_days_and_since_the_journey_started()
    {
        var driver = ElevenAppointments();
        // Car, 45 minutes each way, £12.50 a trip, £4.00 parking, 4 hours off work an appointment.
        driver.Do(o => new SetFamilyTravel(o, TravelMode.Car, 45, 12.50m, 4.00m, 4m), Parent);
        var estimate = Estimate(driver);

        // Last 30 days (from 1 June): A, B, C attended (C at home); D missed; E cancelled late.
        // At appointments 120 + 60 + 30 = 210 min = 3.5 h; travel 2 trips × (2 × 45 min) = 180 min = 3 h; 3.5 + 3 = 6.5 h.
        // Money 2 trips × (£12.50 + £4.00) = 2 × £16.50 = £33.00. Off work (3 + 1 + 1) × 4 h = 20 h.
        var month = estimate.Last30Days;
        Assert.Equal((London(2025, 6, 1, 0), 3, 1, 1, 1), (month.From, month.Attended, month.Missed, month.CancelledLate, month.AtHome));
        Assert.Equal((3.5m, 3m, 6.5m, 33.00m, 20m), (month.HoursAtAppointments, month.HoursTravelling, month.Hours, month.Money, month.HoursOffWork));
        Assert.Equal("3 appointments attended: 3 hours 30 minutes at the appointments, plus 45 minutes each way getting there "
            + "(2 trips × 1 hour 30 minutes = 3 hours; 1 was at home): 6 hours 30 minutes in all.", month.HoursWorkedOut);
        Assert.Equal("2 trips × £16.50 (£12.50 a trip + £4.00 parking) = £33.00. 1 appointment at home cost nothing to get to. "
            + "Missed and late-cancelled appointments are not counted here.", month.MoneyWorkedOut);
        Assert.Equal("5 appointments (3 attended, 1 missed, 1 cancelled less than a day before) × 4 hours off work each = 20 hours.", month.HoursOffWorkWorkedOut);

        // Last 90 days (from 2 April): adds G (90 min, hospital). At appointments 210 + 90 = 300 min = 5 h;
        // travel 3 trips × 90 min = 270 min = 4.5 h; 5 + 4.5 = 9.5 h. Money 3 × £16.50 = £49.50. Off work 6 × 4 h = 24 h.
        var quarter = estimate.Last90Days;
        Assert.Equal((London(2025, 4, 2, 0), "in the last 90 days"), (quarter.From, quarter.Period));
        Assert.Equal((5m, 4.5m, 9.5m, 49.50m, 24m), (quarter.HoursAtAppointments, quarter.HoursTravelling, quarter.Hours, quarter.Money, quarter.HoursOffWork));
        Assert.StartsWith("4 appointments attended: 5 hours at the appointments, plus 45 minutes each way getting there (3 trips × 1 hour 30 minutes = 4 hours 30 minutes",
            quarter.HoursWorkedOut);

        // Since 1 March: adds H (60 min, hospital); J (20 February) was before the journey. At appointments 300 + 60 = 360 min = 6 h;
        // travel 4 × 90 min = 6 h; 12 h in all. Money 4 × £16.50 = £66.00. Off work 7 × 4 h = 28 h.
        var journey = estimate.SinceJourneyStarted;
        Assert.Equal("since the journey started on 1 March 2025", journey.Period);
        Assert.Equal((6m, 6m, 12m, 66.00m, 28m), (journey.HoursAtAppointments, journey.HoursTravelling, journey.Hours, journey.Money, journey.HoursOffWork));
        Assert.Equal("4 trips × £16.50 (£12.50 a trip + £4.00 parking) = £66.00. 1 appointment at home cost nothing to get to. "
            + "Missed and late-cancelled appointments are not counted here.", journey.MoneyWorkedOut);
        Assert.Equal(FamilyCostEstimate.BasisText, estimate.Basis);
    }

    [Fact]
    public void Without_travel_details_only_the_time_at_appointments_is_counted_and_each_figure_says_what_is_missing()
    {
        var driver = ElevenAppointments();
        var month = Estimate(driver).Last30Days;

        // 120 + 60 + 30 minutes = 3.5 hours; nothing for travel, money or work.
        Assert.Equal((3.5m, 0m, 3.5m, (decimal?)null, (decimal?)null), (month.HoursAtAppointments, month.HoursTravelling, month.Hours, month.Money, month.HoursOffWork));
        Assert.Equal("3 appointments attended: 3 hours 30 minutes at the appointments. Travel time is not included: you have not told us how long it takes to get there.",
            month.HoursWorkedOut);
        Assert.Equal("Not worked out: you have not told us what getting to an appointment costs.", month.MoneyWorkedOut);
        Assert.Equal("Not worked out: you have not told us how much time off work an appointment takes.", month.HoursOffWorkWorkedOut);
    }

    [Fact]
    public void Worked_example_in_pounds_and_pence_with_half_hours_off_work_and_no_parking_given()
    {
        // Three 50-minute clinic appointments in June, 20 minutes each way, £3.35 a bus trip, 2.5 hours off work each.
        var driver = new JourneyDriver(London(2025, 6, 1, 9)).Registered();
        var ids = new[] { 3, 10, 17 }.Select(day => Book(driver, London(2025, 6, day, 14), 50, "Newham Civic Centre")).ToList();
        driver.Now = Now;
        ids.ForEach(id => Record(driver, id, AppointmentStatus.Attended));
        driver.Do(o => new SetFamilyTravel(o, TravelMode.PublicTransport, 20, 3.35m, null, 2.5m), Parent);
        var month = Estimate(driver).Last30Days;

        // 3 × 50 = 150 min; travel 3 × 40 = 120 min; 270 min = 4.5 h. Money 3 × £3.35 = £10.05. Off work 3 × 2.5 = 7.5 h.
        Assert.Equal((4.5m, 10.05m, 7.5m), (month.Hours, month.Money, month.HoursOffWork));
        Assert.Equal("3 appointments attended: 2 hours 30 minutes at the appointments, plus 20 minutes each way getting there (3 trips × 40 minutes = 2 hours): 4 hours 30 minutes in all.",
            month.HoursWorkedOut);
        Assert.Equal("3 trips × £3.35 (£3.35 a trip) = £10.05. Parking is not included: you have not told us what it costs.", month.MoneyWorkedOut);
        Assert.Equal("3 appointments (3 attended) × 2.5 hours off work each = 7.5 hours.", month.HoursOffWorkWorkedOut);
        // The journey has not started (no transition): the period runs from registration.
        Assert.Equal("since the journey started on 1 June 2025", Estimate(driver).SinceJourneyStarted.Period);
    }

    [Fact]
    public void Visits_at_home_cost_no_travel_and_an_appointment_passed_without_an_update_counts_as_attended()
    {
        var driver = new JourneyDriver(London(2025, 6, 1, 9)).Registered();
        Book(driver, London(2025, 6, 12, 10), 60, " home visit. "); // never updated after its time
        driver.Now = Now;
        driver.Do(o => new SetFamilyTravel(o, TravelMode.Car, 30, 5m, 2m, null), Parent);
        var month = Estimate(driver).Last30Days;

        Assert.Equal((1, 1, 1m), (month.Attended, month.AtHome, month.Hours));
        Assert.Equal("1 appointment attended: 1 hour at the appointments; all at home, so no travel: 1 hour in all.", month.HoursWorkedOut);
        Assert.Equal((0m, "No trips to appointments, so no money is counted. 1 appointment at home cost nothing to get to."), (month.Money, month.MoneyWorkedOut));
        Assert.True(FamilyCostEstimate.IsAtHome("Family home"));
        Assert.False(FamilyCostEstimate.IsAtHome("Home Farm Surgery"));
    }

    [Fact]
    public void No_appointments_means_nothing_counted_in_so_many_words()
    {
        var driver = new JourneyDriver(Now).Registered();
        driver.Do(o => new SetFamilyTravel(o, TravelMode.Walking, 15, 0m, null, 1m), Parent);
        var month = Estimate(driver).Last30Days;
        Assert.Equal(("No appointments attended in the last 30 days.", "No appointments in the last 30 days, so no time off work is counted."),
            (month.HoursWorkedOut, month.HoursOffWorkWorkedOut));
        Assert.Equal((0m, 0m, 0m), (month.Hours, month.Money, month.HoursOffWork));
    }

    [Fact]
    public void The_family_sets_and_changes_their_travel_details_and_sees_them_with_the_estimate()
    {
        var driver = new JourneyDriver(Now).Registered();
        var set = driver.Do<FamilyTravelSet>(o => new SetFamilyTravel(o, TravelMode.Taxi, 30, 25m, null, 3m), Parent);
        Assert.Equal((TravelMode.Taxi, 30, 25m), (set.Mode, set.TravelMinutes, set.CostPerTrip));
        Assert.Equal(new FamilyTravel(TravelMode.Taxi, 30, 25m, null, 3m, Now, Parent), driver.State.FamilyTravel);

        // Told again: replaces what was said, and a field left out is no longer counted.
        driver.Do(o => new SetFamilyTravel(o, TravelMode.Car, 35, null, 6m), Parent);
        Assert.Equal(new FamilyTravel(TravelMode.Car, 35, null, 6m, null, Now, Parent), driver.State.FamilyTravel);

        var view = FamilyViewProjection.Build(driver.State, driver.Services, driver.Now)!;
        Assert.Equal(driver.State.FamilyTravel, view.Travel);
        Assert.Equal(FamilyCostEstimate.For(driver.State, driver.Now), view.TimeAndMoney);
        Assert.Equal("By car", FamilyWording.Travel(view.Travel!.Mode!.Value));
    }

    [Fact]
    public void Only_the_family_tells_us_about_their_travel()
    {
        var driver = new JourneyDriver(Now).Registered();
        Assert.Equal("Only the family can tell us how they get to appointments.",
            driver.Refuse(o => new SetFamilyTravel(o, TravelMode.Car, 30), RefusalKind.FailedPrecondition, "origin.actor.role", Coordinator).Message);
        driver.Refuse(o => new SetFamilyTravel(o, TravelMode.Car, 30), RefusalKind.FailedPrecondition, "origin.actor.role", HousingOfficer);
        Assert.Null(driver.State.FamilyTravel);
    }

    [Theory]
    [InlineData(-1, null, null, null, "travelMinutes", "Travel time must be between 0 and 600 minutes.")]
    [InlineData(601, null, null, null, "travelMinutes", "Travel time must be between 0 and 600 minutes.")]
    [InlineData(null, "-0.01", null, null, "costPerTrip", "Cost per trip must be between £0 and £500.")]
    [InlineData(null, "500.01", null, null, "costPerTrip", "Cost per trip must be between £0 and £500.")]
    [InlineData(null, "12.345", null, null, "costPerTrip", "Cost per trip must be in pounds and pence, like 12.50.")]
    [InlineData(null, null, "100.50", null, "parkingPerVisit", "Parking per visit must be between £0 and £100.")]
    [InlineData(null, null, "-5", null, "parkingPerVisit", "Parking per visit must be between £0 and £100.")]
    [InlineData(null, null, null, "25", "hoursOffWork", "Time off work must be between 0 and 24 hours.")]
    [InlineData(null, null, null, "-1", "hoursOffWork", "Time off work must be between 0 and 24 hours.")]
    [InlineData(null, null, null, "1.125", "hoursOffWork", "Time off work must be in hours, like 4 or 2.5.")]
    public void Negative_or_absurd_figures_are_refused_naming_the_field_and_nothing_changes(
        int? minutes, string? cost, string? parking, string? hoursOffWork, string field, string message)
    {
        var driver = new JourneyDriver(Now).Registered();
        driver.Do(o => new SetFamilyTravel(o, TravelMode.Car, 30, 5m, 2m, 4m), Parent);
        static decimal? Amount(string? text) => text is null ? null : decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

        var refusal = driver.Refuse(o => new SetFamilyTravel(o, TravelMode.Car, minutes, Amount(cost), Amount(parking), Amount(hoursOffWork)),
            RefusalKind.InvalidArgument, field, Parent);
        Assert.Equal(message, refusal.Message);
        Assert.Equal(new FamilyTravel(TravelMode.Car, 30, 5m, 2m, 4m, Now, Parent), driver.State.FamilyTravel);
    }

    [Fact]
    public void The_edges_of_each_range_are_accepted_and_an_unknown_travel_mode_is_refused()
    {
        var driver = new JourneyDriver(Now).Registered();
        driver.Do(o => new SetFamilyTravel(o, TravelMode.Other, 0, 0m, 0m, 0m), Parent);
        driver.Do(o => new SetFamilyTravel(o, TravelMode.PatientTransport, 600, 500m, 100m, 24m), Parent);
        driver.Do(o => new SetFamilyTravel(o), Parent); // nothing told is allowed: it clears what was said
        Assert.Equal("Choose how you usually travel from the list.",
            driver.Refuse(o => new SetFamilyTravel(o, (TravelMode)99), RefusalKind.InvalidArgument, "mode", Parent).Message);
    }
}
