using CareTwin.Journey.Appointments;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Family;
using CareTwin.Journey.Projections;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

/// <summary>
/// The families' time and money on a board (issue 16 item 3): region totals over the last 30 days, naming no one,
/// with how they were worked out. A worked example: the arithmetic is in the comments.
/// </summary>
public class BoardFamilyCostTests
{
    private static readonly DateTimeOffset Now = London(2025, 6, 30, 12);

    /// <summary>A child in hospital with one appointment attended on 20 June, and what the family told us about getting there.</summary>
    private static BoardRow Family(string childId, int minutes, Func<CommandOrigin, JourneyCommand>? travel)
    {
        var driver = new JourneyDriver(London(2025, 6, 1, 9)).InHospital();
        var id = driver.Do<AppointmentBooked>(o => new BookAppointment(o, "health.equipment.newham", London(2025, 6, 20, 10), TimeSpan.FromMinutes(minutes),
            "Royal Thamesbank Hospital", "Review")).AppointmentId;
        driver.Now = Now;
        driver.Do(o => new UpdateAppointment(o, id, AppointmentStatus.Attended));
        if (travel is not null) driver.Do(travel, Parent);
        return BoardRowProjection.Build(driver.State, driver.Now)! with { ChildId = childId };
    }

    [Fact]
    public void Worked_example_three_families_one_who_told_us_everything_one_only_the_journey_time_and_one_nothing()
    {
        // A: 120 min + 2 × 45 min travel = 210 min = 3.5 h; £12.50 + £4.00 parking = £16.50.
        var a = Family("child-a", 120, o => new SetFamilyTravel(o, TravelMode.Car, 45, 12.50m, 4.00m, 4m));
        // B: 60 min + 2 × 30 min travel = 2 h; no money told.
        var b = Family("child-b", 60, o => new SetFamilyTravel(o, TravelMode.PublicTransport, 30));
        // C: 90 min = 1.5 h; nothing told, so no travel and no money.
        var c = Family("child-c", 90, null);
        Assert.Equal(new BoardFamilyCosts(3.5m, 16.50m, true), a.FamilyCosts);
        Assert.Equal(new BoardFamilyCosts(2m, null, true), b.FamilyCosts);
        Assert.Equal(new BoardFamilyCosts(1.5m, null, false), c.FamilyCosts);

        // 3.5 + 2 + 1.5 = 7 hours; £16.50 from the one family who told us what it costs.
        var board = BoardSummary.Of([a, b, c]);
        Assert.Equal((3, 7m, 16.50m, 1, 2), (board.Families, board.FamilyHours, board.FamilyMoney, board.FamiliesWithMoney, board.FamiliesWithTravelTime));
        var words = BoardFamilyCostTotals.Of(board);
        Assert.Equal(new[]
        {
            new BoardFigure("7 hours", "families spent at and getting to appointments in the last 30 days"),
            new BoardFigure("£16.50", "spent getting there in the last 30 days (1 of 3 families told us what it costs)"),
        }, words.Figures.ToArray());
        Assert.Equal(
            "How the families' figures were worked out: added up over the 3 families of the children on the board, naming no one. " +
            "Hours are each appointment's length in the last 30 days (attended, or its time passed with nothing else recorded), " +
            "plus travel there and back for the 2 families who told us how long it takes. " +
            "Money is fares or fuel and parking for each trip, only for the 1 family who told us what getting there costs; the other 2 are not in it.",
            words.WorkedOut);
        Assert.DoesNotContain("Amelia", string.Join(" ", words.Figures.Select(f => f.Value + f.Label).Append(words.WorkedOut)));

        // Kept by replacing one row: B tells us the bus fare (£3.35 a trip), so B's money joins the total.
        var told = Family("child-b", 60, o => new SetFamilyTravel(o, TravelMode.PublicTransport, 30, 3.35m));
        var updated = board.Upsert(told);
        Assert.Equal((3, 7m, 19.85m, 2, 2), (updated.Families, updated.FamilyHours, updated.FamilyMoney, updated.FamiliesWithMoney, updated.FamiliesWithTravelTime));
        var fromScratch = BoardSummary.Of([a, told, c]);
        Assert.Equal((fromScratch.Families, fromScratch.FamilyHours, fromScratch.FamilyMoney), (updated.Families, updated.FamilyHours, updated.FamilyMoney));
        // C's row taken off: 3.5 + 2 = 5.5 hours over 2 families.
        var without = updated.Remove("child-c");
        Assert.Equal((2, 5.5m, 19.85m), (without.Families, without.FamilyHours, without.FamilyMoney));
    }
}
