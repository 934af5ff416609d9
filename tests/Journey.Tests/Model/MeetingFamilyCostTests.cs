using CareTwin.Journey.Appointments;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Meetings;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

/// <summary>
/// The family's time and money on an MDT agenda item (issue 16: staff see it in the MDT agenda): the last 30 days in
/// one line, worded as the child page words the figures. The arithmetic is in the comments.
/// </summary>
public class MeetingFamilyCostTests
{
    private static readonly DateTimeOffset Now = London(2025, 6, 30, 12);

    /// <summary>A child in hospital with appointments attended in June of the given lengths, and what the family told us.</summary>
    private static AgendaItem ItemFor(Func<CommandOrigin, JourneyCommand>? travel, params int[] minutes)
    {
        var driver = new JourneyDriver(London(2025, 6, 1, 9)).InHospital();
        var booked = minutes.Select((m, i) => driver.Do<AppointmentBooked>(o => new BookAppointment(o, "health.equipment.newham", London(2025, 6, 10 + i, 10),
            TimeSpan.FromMinutes(m), "Royal Thamesbank Hospital", "Review")).AppointmentId).ToList();
        driver.Now = Now;
        foreach (var id in booked) driver.Do(o => new UpdateAppointment(o, id, AppointmentStatus.Attended));
        if (travel is not null) driver.Do(travel, Parent);
        return MeetingAgenda.Item(driver.State, driver.Now)!;
    }

    [Fact]
    public void An_agenda_item_carries_the_familys_last_30_days_in_the_child_pages_words()
    {
        // 3 × 60 min + 3 trips × 2 × 45 min = 180 + 270 = 450 min = 7.5 hours; 3 × (£7.00 + £4.00) = £33.00.
        var item = ItemFor(o => new SetFamilyTravel(o, TravelMode.Car, 45, 7.00m, 4.00m), 60, 60, 60);

        Assert.Equal(new FamilyCostSummary(7.5m, 33.00m, 3, true), item.FamilyCosts);
        Assert.Equal("Family's time and money, last 30 days: 7.5 hours, £33.00 (3 appointments attended).", item.FamilyCosts!.InWords());
    }

    [Fact]
    public void When_the_family_has_not_told_us_what_getting_there_costs_or_how_long_it_takes_the_line_says_so_instead_of_a_figure()
    {
        // 2 × 30 min travel each way + 60 min = 2 hours; no money told.
        var toldTime = ItemFor(o => new SetFamilyTravel(o, TravelMode.PublicTransport, 30), 60);
        Assert.Equal("Family's time and money, last 30 days: 2 hours (1 appointment attended). The family has not told us what getting there costs.",
            toldTime.FamilyCosts!.InWords());

        // Nothing told: 90 min at the appointment only.
        var toldNothing = ItemFor(null, 90);
        Assert.Equal("Family's time and money, last 30 days: 1.5 hours (1 appointment attended). The family has not told us what getting there costs. " +
            "Travel time is not included: the family has not told us how long it takes to get there.", toldNothing.FamilyCosts!.InWords());
    }

    [Fact]
    public void No_appointment_attended_gives_no_figures_and_a_meeting_stored_before_the_line_was_kept_has_none()
    {
        var none = ItemFor(o => new SetFamilyTravel(o, TravelMode.Car, 45, 7.00m, 4.00m));
        Assert.Equal("Family's time and money, last 30 days: no appointments attended.", none.FamilyCosts!.InWords());
        Assert.DoesNotContain("£", none.FamilyCosts.InWords(), StringComparison.Ordinal);

        Assert.Null(new AgendaItem("child-1", "Amelia O.", null, 0, 0, 0, 0, []).FamilyCosts);
    }
}
