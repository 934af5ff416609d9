using CareTwin.Grains.Children;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Projections;
using CareTwin.Grains.Services;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Grains.Tests.Twins;

/// <summary>Escalations across agencies: from the child's journal to the owning service's twin, by hand and by the durable reminder.</summary>
public sealed class EscalationTests
{
    private const string Reason = "No date for the adaptation after three visits; the family is asking daily.";

    [Fact]
    public async Task A_coordinator_escalation_reaches_the_owning_service_and_acknowledgement_clears_it()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-manual");
        await TwinHost.Accept(child, ChildTwinTests.RaiseBlocker(host, host.Today.AddDays(40)));

        await TwinHost.Accept(child, new EscalateBlocker(host.Origin(), "blocker-1", Reason));
        var waiting = Assert.Single((await host.Service(Housing).GetOverview()).AwaitingAcknowledgement);

        Assert.Equal(("child-manual", "blocker-1", 1, Reason, "Newham Council housing team team lead"),
            (waiting.ChildId, waiting.BlockerId, waiting.Level, waiting.Reason, waiting.Contact.Name));
        Assert.Equal(host.Clock.GetUtcNow() + TimeSpan.FromHours(48), waiting.AcknowledgeBy);
        Assert.Empty((await host.Service(SocialCare).GetOverview()).AwaitingAcknowledgement);

        await TwinHost.Accept(child, new AcknowledgeEscalation(host.Origin(HousingOfficer), "blocker-1", "Surveyor booked for Monday."));
        var overview = await host.Service(Housing).GetOverview();
        Assert.Empty(overview.AwaitingAcknowledgement);
        Assert.Equal(1, Assert.Single(overview.ActiveBlockers).EscalationLevel);
    }

    [Fact]
    public async Task The_reminder_escalates_when_the_SLA_passes_and_the_next_level_follows_when_not_acknowledged()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-automatic");
        await TwinHost.Accept(child, ChildTwinTests.RaiseBlocker(host, host.Today.AddDays(90)));
        var breach = BlockerClock.SlaBreachesAt((await child.GetJourney())!.FindBlocker("blocker-1")!);

        await host.Silo.PassTimeAsync(breach - host.Clock.GetUtcNow() - TimeSpan.FromMinutes(1));
        Assert.Empty((await host.Service(Housing).GetOverview()).AwaitingAcknowledgement);
        await host.Silo.PassTimeAsync(TimeSpan.FromMinutes(2));
        var first = await AwaitingLevel(host, 1);
        Assert.Equal(EscalationTrigger.SlaBreached, (await child.GetJourney())!.FindBlocker("blocker-1")!.Escalations[0].Trigger);

        await host.Silo.PassTimeAsync(first.AcknowledgeBy - host.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        var second = await AwaitingLevel(host, 2);
        Assert.Equal("Newham Council housing team manager", second.Contact.Name);
        Assert.Equal(EscalationTrigger.AcknowledgementOverdue, (await child.GetJourney())!.FindBlocker("blocker-1")!.Escalations[1].Trigger);

        // Acknowledged: the service has taken it on and the ladder stops.
        await TwinHost.Accept(child, new AcknowledgeEscalation(host.Origin(HousingOfficer), "blocker-1"));
        Assert.Empty((await host.Service(Housing).GetOverview()).AwaitingAcknowledgement);
        var acknowledgedOn = host.Today;
        await host.Silo.PassTimeAsync(TimeSpan.FromDays(3));
        await Until.Read(() => child.GetBoardRow(), row => UkCalendar.DateOf(row!.AsOf) > acknowledgedOn, "the child's clock to tick after acknowledgement");
        await Until.Read(() => host.Silo.Storage.ReadAllRemindersAsync(CancellationToken.None),
            reminders => reminders.Any(r => r.Record.Key == "child-automatic" && r.StartAt > host.Clock.GetUtcNow()), "the child to sleep again");
        Assert.Equal(2, (await child.GetJourney())!.FindBlocker("blocker-1")!.EscalationLevel);
    }

    [Fact]
    public async Task An_escalation_falling_due_while_the_host_is_down_fires_after_the_restart()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-downtime");
        await TwinHost.Accept(child, ChildTwinTests.RaiseBlocker(host, host.Today.AddDays(90)));
        var breach = BlockerClock.SlaBreachesAt((await child.GetJourney())!.FindBlocker("blocker-1")!);

        await host.StopAsync();
        host.Clock.Advance(breach - host.Clock.GetUtcNow() + TimeSpan.FromHours(2));
        await host.StartAgainAsync();
        // Orleans moves a wake found overdue to the reminder's next period.
        await host.Silo.PassTimeAsync(JourneyClock.CatchUpWithin);

        var waiting = await AwaitingLevel(host, 1);
        Assert.Equal("child-downtime", waiting.ChildId);
    }

    private static Task<AwaitingAcknowledgement> AwaitingLevel(TwinHost host, int level) =>
        Until.Read(async () => (await host.Service(Housing).GetOverview()).AwaitingAcknowledgement.SingleOrDefault(),
            waiting => waiting?.Level == level, $"a level {level} escalation at the housing service")!;
}
