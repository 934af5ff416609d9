using CareTwin.Journey.Blockers;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

public class EscalationTests
{
    /// <summary>Equipment blocker raised 1 May 10:00 (SLA 10 days: due 11 May, breached from 12 May 00:00 BST).</summary>
    private static (JourneyDriver Driver, string BlockerId) LateEquipment()
    {
        var driver = new JourneyDriver(London(2025, 5, 1)).InHospital(HospitalDischargeStages.MedicallyOptimised);
        var id = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        return (driver, id);
    }

    /// <summary>Sends what a durable reminder would send at the driver's current time.</summary>
    private static IReadOnlyList<Decision> FireReminder(JourneyDriver driver) =>
        EscalationSchedule.DueCommands(driver.State, driver.Now).Select(c => driver.Send(c)).ToList();

    [Fact]
    public void A_coordinator_escalates_by_hand_with_a_reason_to_the_owning_service_s_level_1_contact()
    {
        var (driver, id) = LateEquipment();
        driver.Refuse(o => new EscalateBlocker(o, id, ""), RefusalKind.InvalidArgument, "reason");
        var escalated = driver.Do<BlockerEscalated>(o => new EscalateBlocker(o, id, "Family waiting; no date for the hoist"));

        Assert.Equal((1, EscalationTrigger.Manual, "health.equipment.newham"), (escalated.Level, escalated.Trigger, escalated.Service.Value));
        Assert.Equal(Equipment.StepFor(1)!.Contact, escalated.Contact);
        Assert.Equal(driver.Now.AddHours(48), escalated.AcknowledgeBy);
        var pending = driver.Blocker(id).PendingEscalation();
        Assert.Equal((1, "Family waiting; no date for the hoist", Coordinator), (pending!.Level, pending.Reason, pending.RaisedBy));
    }

    [Fact]
    public void Manual_escalation_climbs_to_level_3_and_no_further()
    {
        var (driver, id) = LateEquipment();
        for (var level = 1; level <= 3; level++)
            Assert.Equal(level, driver.Do<BlockerEscalated>(o => new EscalateBlocker(o, id, $"Push {level}")).Level);

        var refusal = driver.Refuse(o => new EscalateBlocker(o, id, "Push 4"), RefusalKind.FailedPrecondition, "blockerId");
        Assert.Contains("level 3", refusal.Message);
        Assert.Equal(3, driver.Blocker(id).EscalationLevel);
    }

    [Fact]
    public void Passing_the_SLA_escalates_automatically_and_not_before()
    {
        var (driver, id) = LateEquipment();
        Assert.Equal(London(2025, 5, 12, 0), EscalationSchedule.NextDueAt(driver.State));

        driver.Now = London(2025, 5, 11, 23, 59);
        Assert.Empty(EscalationSchedule.DueCommands(driver.State, driver.Now));
        driver.Refuse(o => new AutoEscalateBlocker(o, id), RefusalKind.FailedPrecondition, "blockerId", Actor.EscalationLadder);

        driver.Now = London(2025, 5, 12, 0);
        var decision = Assert.Single(FireReminder(driver));
        var escalated = Assert.IsType<BlockerEscalated>(Assert.Single(decision.EventsToAppend));
        Assert.Equal((1, EscalationTrigger.SlaBreached), (escalated.Level, escalated.Trigger));
        Assert.Equal(Actor.EscalationLadder, escalated.Provenance.Actor);
        Assert.Contains("11 May 2025", escalated.Reason);
        // The reason is shown to people as it is stored: the service is named beside it, never by its key in it.
        Assert.DoesNotContain(driver.Blocker(id).OwningService.Value, escalated.Reason);
    }

    [Fact]
    public void An_escalation_acknowledged_after_auto_escalation_stops_the_ladder()
    {
        var (driver, id) = LateEquipment();
        driver.Now = London(2025, 5, 12, 8);
        FireReminder(driver);

        driver.Now = London(2025, 5, 12, 15);
        var acknowledged = driver.Do<EscalationAcknowledged>(o => new AcknowledgeEscalation(o, id, "Hoist chased with supplier"), HousingOfficer);

        var escalation = Assert.Single(driver.Blocker(id).Escalations);
        Assert.Equal((1, driver.Now, HousingOfficer), (acknowledged.Level, escalation.AcknowledgedAt, escalation.AcknowledgedBy));
        Assert.Null(driver.Blocker(id).PendingEscalation());
        Assert.Null(EscalationSchedule.NextDueAt(driver.State));
        driver.Now = London(2025, 8, 1);
        Assert.Empty(EscalationSchedule.DueCommands(driver.State, driver.Now));
        driver.Refuse(o => new AcknowledgeEscalation(o, id), RefusalKind.FailedPrecondition, "blockerId");
    }

    [Fact]
    public void An_unacknowledged_escalation_is_followed_by_the_next_level_at_its_deadline_and_stops_at_3()
    {
        var (driver, id) = LateEquipment();
        driver.Now = London(2025, 5, 12, 0);
        FireReminder(driver);
        var level1Deadline = driver.Blocker(id).PendingEscalation()!.AcknowledgeBy;
        Assert.Equal(London(2025, 5, 14, 0), level1Deadline);

        driver.Now = level1Deadline.AddMinutes(-1);
        Assert.Empty(FireReminder(driver));
        driver.Now = level1Deadline;
        FireReminder(driver);
        var level2 = driver.Blocker(id).Escalations[^1];
        Assert.Equal((2, EscalationTrigger.AcknowledgementOverdue, Equipment.StepFor(2)!.Contact), (level2.Level, level2.Trigger, level2.Contact));
        Assert.Equal(level1Deadline.AddHours(24), level2.AcknowledgeBy);

        driver.Now = level2.AcknowledgeBy;
        FireReminder(driver);
        Assert.Equal(3, driver.Blocker(id).EscalationLevel);

        driver.Now = driver.Now.AddDays(30);
        Assert.Empty(FireReminder(driver));
        Assert.Null(EscalationSchedule.NextDueAt(driver.State));
        driver.Refuse(o => new AutoEscalateBlocker(o, id), RefusalKind.FailedPrecondition, "blockerId", Actor.EscalationLadder);
        Assert.Equal([1, 2, 3], driver.Blocker(id).Escalations.Select(e => e.Level));
        // Level 3 still waits for the director, overdue, until someone acknowledges it.
        Assert.NotNull(driver.Blocker(id).PendingEscalation());
    }

    [Fact]
    public void Two_reminders_for_the_same_step_make_one_escalation()
    {
        var (driver, id) = LateEquipment();
        driver.Now = London(2025, 5, 12, 0);
        var command = Assert.Single(EscalationSchedule.DueCommands(driver.State, driver.Now));
        Assert.IsType<Decision.Accepted>(driver.Send(command));
        Assert.IsType<Decision.Duplicate>(driver.Send(command));
        Assert.Single(driver.Blocker(id).Escalations);
    }

    [Fact]
    public void A_reassigned_blocker_keeps_its_level_and_the_new_owner_gets_its_own_SLA_before_the_next_level()
    {
        var (driver, id) = LateEquipment();
        driver.Now = London(2025, 5, 12, 9);
        FireReminder(driver);
        driver.Now = London(2025, 5, 13, 9);
        driver.Do(o => new ReassignBlocker(o, id, "housing.newham", null, "Needs a ceiling track: housing adaptation"));

        var blocker = driver.Blocker(id);
        Assert.Equal(1, blocker.EscalationLevel);
        Assert.Null(blocker.PendingEscalation()); // the old service's escalation no longer waits on anyone
        driver.Refuse(o => new AcknowledgeEscalation(o, id), RefusalKind.FailedPrecondition, "blockerId");

        // Housing's default SLA (20 days for equipment) from 13 May: due 2 June, breached 3 June.
        Assert.Equal(London(2025, 6, 3, 0), EscalationSchedule.NextDueAt(driver.State));
        driver.Now = London(2025, 6, 3, 0);
        FireReminder(driver);
        var escalation = driver.Blocker(id).Escalations[^1];
        Assert.Equal((2, "housing.newham", EscalationTrigger.SlaBreached), (escalation.Level, escalation.Service.Value, escalation.Trigger));
        Assert.Equal(Housing.StepFor(2)!.Contact, escalation.Contact);
    }

    [Fact]
    public void Closed_blockers_never_escalate()
    {
        var (driver, id) = LateEquipment();
        driver.Do(o => new ResolveBlocker(o, id));
        Assert.Null(EscalationSchedule.NextDueAt(driver.State));
        driver.Now = London(2025, 9, 1);
        Assert.Empty(EscalationSchedule.DueCommands(driver.State, driver.Now));
    }

    [Fact]
    public void Escalating_needs_the_owning_service_in_the_directory()
    {
        var (driver, id) = LateEquipment();
        driver.Services = new ServiceDirectory([Housing]);
        driver.Refuse(o => new EscalateBlocker(o, id, "Late"), RefusalKind.FailedPrecondition, "blockerId");
    }
}
