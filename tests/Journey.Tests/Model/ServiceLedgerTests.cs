using CareTwin.Journey.Blockers;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

public class ServiceLedgerTests
{
    /// <summary>Routes each new event to the ledgers it concerns, as the child grain would.</summary>
    private sealed class Ledgers(JourneyDriver driver)
    {
        private int seen = driver.Journal.Count;

        public Dictionary<ServiceKey, ServiceLedger> ByService { get; } = [];

        public Ledgers Catch_up()
        {
            // Each event is applied with the child's state right after it (replayed here from the journal).
            var state = JourneyFold.Replay(driver.Journal.Take(seen));
            foreach (var e in driver.Journal.Skip(seen))
            {
                state = JourneyFold.Apply(state, e);
                foreach (var service in ServiceLedgerProjection.ServicesConcerned(state, e))
                    ByService[service] = ServiceLedgerProjection.Apply(ByService.GetValueOrDefault(service) ?? ServiceLedger.For(service), state, e);
            }
            seen = driver.Journal.Count;
            return this;
        }

        public ServiceLedger this[ServiceProfile service] => ByService.GetValueOrDefault(service.Key) ?? ServiceLedger.For(service.Key);
    }

    [Fact]
    public void A_service_sees_the_blockers_it_owns_and_its_escalations_awaiting_acknowledgement_with_deadlines()
    {
        var driver = new JourneyDriver(London(2025, 5, 1)).InHospital(HospitalDischargeStages.MedicallyOptimised);
        var ledgers = new Ledgers(driver);
        var id = driver.RaiseBlocker(BlockerCategory.HousingAdaptation, "housing.newham");
        driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        ledgers.Catch_up();

        var owned = Assert.Single(ledgers[Housing].ActiveBlockers());
        Assert.Equal(("child-1", id, "Amelia O."), (owned.ChildId, owned.BlockerId, owned.ChildName));
        Assert.Empty(ledgers[Housing].AwaitingAcknowledgement(driver.Now));

        driver.Do(o => new EscalateBlocker(o, id, "No update for the family"));
        ledgers.Catch_up();
        var waiting = Assert.Single(ledgers[Housing].AwaitingAcknowledgement(driver.Now));
        Assert.Equal((1, London(2025, 5, 3), false), (waiting.Level, waiting.AcknowledgeBy, waiting.Overdue));
        Assert.True(Assert.Single(ledgers[Housing].AwaitingAcknowledgement(London(2025, 5, 3, 10))).Overdue);
        Assert.Equal(1, ledgers[Housing].AwaitingAcknowledgementCount());

        driver.Do(o => new AcknowledgeEscalation(o, id), HousingOfficer);
        ledgers.Catch_up();
        Assert.Empty(ledgers[Housing].AwaitingAcknowledgement(driver.Now));
        Assert.Equal(0, ledgers[Housing].AwaitingAcknowledgementCount());
        Assert.Equal(1, Assert.Single(ledgers[Housing].ActiveBlockers()).EscalationLevel);
        Assert.Single(ledgers[Equipment].ActiveBlockers());
    }

    [Fact]
    public void A_reassigned_blocker_moves_from_one_ledger_to_the_other()
    {
        var driver = new JourneyDriver(London(2025, 5, 1)).InHospital(HospitalDischargeStages.MedicallyOptimised);
        var ledgers = new Ledgers(driver);
        var id = driver.RaiseBlocker();
        ledgers.Catch_up();
        driver.Do(o => new ReassignBlocker(o, id, "social-care.newham", null, "Social care leads"));

        var reassigned = driver.Journal[^1];
        Assert.Equal([Housing.Key, SocialCare.Key], ServiceLedgerProjection.ServicesConcerned(driver.State, reassigned).ToArray());
        ledgers.Catch_up();
        Assert.Empty(ledgers[Housing].Blockers);
        Assert.Equal(id, Assert.Single(ledgers[SocialCare].ActiveBlockers()).BlockerId);
    }

    [Fact]
    public void SLA_performance_counts_in_time_and_late_work_and_ignores_cancelled_blockers()
    {
        var driver = new JourneyDriver(London(2025, 5, 1)).InHospital(HospitalDischargeStages.MedicallyOptimised);
        var ledgers = new Ledgers(driver);
        var onTime = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        var late = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        var cancelled = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        driver.Now = London(2025, 5, 3);
        driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham"); // due 13 May, still open
        driver.Do(o => new ResolveBlocker(o, onTime));
        driver.Do(o => new CancelBlocker(o, cancelled, "Duplicate"));
        driver.Now = London(2025, 5, 12, 9);
        driver.Do(o => new ResolveBlocker(o, late));
        driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        ledgers.Catch_up();

        Assert.Equal(new SlaPerformance(2, 0, 1, 1, 75.0m), ledgers[Equipment].Performance(driver.Now));
        Assert.Equal(new SlaPerformance(1, 1, 1, 1, 50.0m), ledgers[Equipment].Performance(London(2025, 5, 14, 9)));
        // The counts kept change by change are those of the same blockers read in afresh (as a service twin activates).
        var readIn = new ServiceLedger(Equipment.Key, ledgers[Equipment].Blockers);
        foreach (var day in new[] { driver.Now, London(2025, 5, 14, 9), London(2025, 6, 1) })
            Assert.Equal(readIn.Performance(day), ledgers[Equipment].Performance(day));
    }

    [Fact]
    public void Counts_kept_as_blockers_come_and_go_match_a_recount_after_reassignment_escalation_and_resolution()
    {
        var driver = new JourneyDriver(London(2025, 5, 1)).InHospital(HospitalDischargeStages.MedicallyOptimised);
        var ledgers = new Ledgers(driver);
        var moved = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        var escalated = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        var resolved = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        driver.Now = London(2025, 5, 20);
        driver.Do(o => new EscalateBlocker(o, escalated, "No answer in three weeks."));
        driver.Do(o => new ReassignBlocker(o, moved, Housing.Key.Value, null, "An adaptation, not equipment."));
        driver.Do(o => new ResolveBlocker(o, resolved));
        ledgers.Catch_up();

        var kept = ledgers[Equipment];
        var readIn = new ServiceLedger(Equipment.Key, kept.Blockers);
        Assert.Equal(2, kept.Blockers.Count);
        Assert.Equal(readIn.AwaitingAcknowledgementCount(), kept.AwaitingAcknowledgementCount());
        Assert.Equal(1, kept.AwaitingAcknowledgementCount());
        Assert.Equal(new SlaPerformance(0, 1, 0, 1, 0m), kept.Performance(driver.Now));
        Assert.Equal(readIn.Performance(driver.Now), kept.Performance(driver.Now));
    }

    [Fact]
    public void Events_that_are_not_about_blockers_concern_no_service()
    {
        var driver = new JourneyDriver().InHospital();
        Assert.All(driver.Journal, e => Assert.Empty(ServiceLedgerProjection.ServicesConcerned(driver.State, e)));
        var ledger = ServiceLedger.For(Housing.Key);
        Assert.All(driver.Journal, e => Assert.Same(ledger, ServiceLedgerProjection.Apply(ledger, driver.State, e)));
    }
}
