using CareTwin.Api.Contracts.V1;
using CareTwin.Api.Tests.Infrastructure;
using AcknowledgeConcern = CareTwin.Journey.Family.AcknowledgeConcern;
using FamilyCostEstimate = CareTwin.Journey.Family.FamilyCostEstimate;

namespace CareTwin.Api.Tests;

/// <summary>
/// What an EPR reads about the family through GetJourney and WatchChild: where each concern has got to and the
/// team's answer, the family's burden, and the estimate of their time and money (issue 16).
/// </summary>
public sealed class FamilyFiguresTests : InMemoryApiTests
{
    [Fact]
    public async Task Get_journey_says_where_each_concern_has_got_to_with_the_answer_and_who_read_answered_and_closed_it()
    {
        await FamilyScenario.ArrangeAsync(Host, Epr, "family-concerns");

        var messages = (await Epr.GetJourneyAsync("family-concerns")).Reply!.FamilyMessages.ToDictionary(m => m.Id);

        var closed = messages["message-1"];
        Assert.Equal((FamilyMessageKind.Concern, ConcernStatus.Closed, FamilyScenario.Answer), (closed.Kind, closed.ConcernStatus, closed.Answer));
        Assert.Equal(["Test Coordinator", "Test Coordinator", "Test Coordinator"],
            new[] { closed.ReadBy, closed.AnsweredBy, closed.ClosedBy }.Select(a => a.DisplayName));
        // Answering counts as reading, and the concern was closed after it was answered.
        Assert.Equal(closed.AnsweredAt, closed.ReadAt);
        Assert.True(closed.ClosedAt.ToDateTimeOffset() >= closed.AnsweredAt.ToDateTimeOffset());
        Assert.True(closed.AnsweredAt.ToDateTimeOffset() >= closed.At.ToDateTimeOffset());

        var open = messages["message-2"];
        Assert.Equal((ConcernStatus.Open, "", null, null, null), (open.ConcernStatus, open.Answer, open.ReadAt, open.AnsweredAt, open.ClosedAt));
        var note = messages["message-3"];
        Assert.Equal((FamilyMessageKind.Note, ConcernStatus.Unspecified, null), (note.Kind, note.ConcernStatus, note.ReadBy));
    }

    [Fact]
    public async Task Get_journey_carries_the_familys_burden_their_travel_and_the_estimate_of_their_time_and_money_with_how_each_was_worked_out()
    {
        await FamilyScenario.ArrangeAsync(Host, Epr, "family-figures");

        var journey = (await Epr.GetJourneyAsync("family-figures")).Reply!;

        // Three appointments in the last few days with two services; the missed one took no hours.
        foreach (var (window, days) in new[] { (journey.FamilyBurden.Last30Days, 30), (journey.FamilyBurden.Last90Days, 90) })
            Assert.Equal((days, 3, 2, 2.5, 1), (window.Days, window.Appointments, window.DistinctServices, window.Hours, window.DidNotAttend));

        var travel = journey.FamilyTravel;
        Assert.Equal((TravelMode.Car, 45, 1250L, 400L, 4.0), (travel.Mode, travel.TravelMinutes, travel.CostPerTripPence, travel.ParkingPerVisitPence, travel.HoursOffWork));

        var estimate = journey.FamilyCostEstimate;
        Assert.Equal(FamilyCostEstimate.BasisText, estimate.Basis);
        Assert.Equal("in the last 30 days", estimate.Last30Days.Period);
        Assert.StartsWith("since the journey started on ", estimate.SinceJourneyStarted.Period, StringComparison.Ordinal);
        foreach (var window in new[] { estimate.Last30Days, estimate.Last90Days })
        {
            Assert.Equal((2, 1, 0, 1), (window.Attended, window.Missed, window.CancelledLate, window.AtHome));
            Assert.Equal((2.5, 1.5, 4.0), (window.HoursAtAppointments, window.HoursTravelling, window.Hours));
            Assert.Equal(
                "2 appointments attended: 2 hours 30 minutes at the appointments, plus 45 minutes each way getting there "
                + "(1 trip × 1 hour 30 minutes = 1 hour 30 minutes; 1 was at home): 4 hours in all.",
                window.HoursWorkedOut);
            Assert.Equal(1650L, window.MoneyPence);
            Assert.Equal(
                "1 trip × £16.50 (£12.50 a trip + £4.00 parking) = £16.50. 1 appointment at home cost nothing to get to. "
                + "Missed and late-cancelled appointments are not counted here.",
                window.MoneyWorkedOut);
            Assert.Equal(12.0, window.HoursOffWork);
            Assert.Equal("3 appointments (2 attended, 1 missed) × 4 hours off work each = 12 hours.", window.HoursOffWorkWorkedOut);
        }
        Assert.True(estimate.Last30Days.StartsAt.ToDateTimeOffset() > estimate.Last90Days.StartsAt.ToDateTimeOffset());
        // The EPR registered the child after the appointments: the journey had not started, so they are not counted in it.
        Assert.Equal((0, 0, 0L), (estimate.SinceJourneyStarted.Attended, estimate.SinceJourneyStarted.Missed, estimate.SinceJourneyStarted.MoneyPence));
    }

    [Fact]
    public async Task A_family_that_has_said_nothing_about_travel_has_no_travel_and_an_estimate_that_says_what_is_missing()
    {
        await Epr.RegisterWithDischargeAsync("family-untold");

        var journey = (await Epr.GetJourneyAsync("family-untold")).Reply!;

        Assert.Null(journey.FamilyTravel);
        Assert.Equal((0, 0, 0.0), (journey.FamilyBurden.Last30Days.Appointments, journey.FamilyBurden.Last30Days.DistinctServices, journey.FamilyBurden.Last30Days.Hours));
        var window = journey.FamilyCostEstimate.Last30Days;
        Assert.Equal((null, null), (window.MoneyPence, window.HoursOffWork));
        Assert.Equal("Not worked out: you have not told us what getting to an appointment costs.", window.MoneyWorkedOut);
        Assert.Equal("No appointments attended in the last 30 days.", window.HoursWorkedOut);
    }

    [Fact]
    public async Task A_child_watch_sends_a_concern_read_by_the_team_as_a_change_with_its_journal_entry()
    {
        await FamilyScenario.ArrangeAsync(Host, Epr, "family-watch");
        using var watch = await Epr.OpenWatchAsync("WatchChild", new WatchChildRequest { ChildId = "family-watch" });
        var snapshot = (await watch.NextAsync(ChildUpdate.Parser)).Snapshot;

        await Host.AsCoordinatorAsync("family-watch", origin => new AcknowledgeConcern(origin, "message-2"));
        var change = (await watch.NextAsync(ChildUpdate.Parser)).Change;

        Assert.Equal(ConcernStatus.Open, snapshot.FamilyMessages.Single(m => m.Id == "message-2").ConcernStatus);
        Assert.Equal("concern-acknowledged", Assert.Single(change.Entries).Kind);
        var read = change.Journey.FamilyMessages.Single(m => m.Id == "message-2");
        Assert.Equal((ConcernStatus.Read, "Test Coordinator", ""), (read.ConcernStatus, read.ReadBy.DisplayName, read.Answer));
        Assert.Equal(1650L, change.Journey.FamilyCostEstimate.Last30Days.MoneyPence);
    }
}
