using CareTwin.Journey.Blockers;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Transitions.HospitalDischargeStages;

namespace CareTwin.Journey.Tests.Model;

public class StageTransitionTests
{
    private static ChangeStage Move(CommandOrigin o, string stage, string? reason = null, DischargeDestination? destination = null) =>
        new(o, "transition-1", stage, reason, destination);

    [Fact]
    public void A_hospital_discharge_goes_through_its_stages_in_order_and_ends_with_a_destination()
    {
        var driver = new JourneyDriver().InHospital();
        foreach (var stage in new[] { MedicallyOptimised, DischargePlanning, ReadyForDischarge })
            driver.Do(o => Move(o, stage));
        var last = driver.Do<StageChanged>(o => Move(o, Discharged, destination: DischargeDestination.FamilyHome));

        Assert.True(last.Completes);
        var transition = Assert.Single(driver.State.Transitions);
        Assert.Equal((Discharged, DischargeDestination.FamilyHome, true), (transition.Stage, transition.Destination, transition.IsComplete));
    }

    [Fact]
    public void Skipping_a_stage_is_refused_with_the_stage_to_take_first()
    {
        var driver = new JourneyDriver().InHospital();
        var refusal = driver.Refuse(o => Move(o, DischargePlanning), RefusalKind.FailedPrecondition, "stage");
        Assert.Contains(MedicallyOptimised, refusal.Message);
        Assert.Equal(Admitted, driver.State.Transitions[0].Stage);
    }

    [Fact]
    public void An_unknown_or_unchanged_stage_is_refused()
    {
        var driver = new JourneyDriver().InHospital();
        driver.Refuse(o => Move(o, "home"), RefusalKind.InvalidArgument, "stage");
        driver.Refuse(o => Move(o, Admitted), RefusalKind.FailedPrecondition, "stage");
    }

    [Fact]
    public void Stepping_back_one_stage_needs_a_reason_and_keeps_the_discharge_ready_date()
    {
        var driver = new JourneyDriver().InHospital(ReadyForDischarge);
        var readyDate = driver.State.Transitions[0].DischargeReadyDate;
        driver.Refuse(o => Move(o, DischargePlanning), RefusalKind.InvalidArgument, "reason");
        driver.Refuse(o => Move(o, MedicallyOptimised, "Care package collapsed"), RefusalKind.FailedPrecondition, "stage");

        driver.Do(o => Move(o, DischargePlanning, "Care package collapsed the day before discharge"));

        Assert.Equal((DischargePlanning, readyDate), (driver.State.Transitions[0].Stage, driver.State.Transitions[0].DischargeReadyDate));
    }

    [Fact]
    public void Stepping_back_before_medically_optimised_is_refused_so_the_delay_stays_counted()
    {
        var driver = new JourneyDriver().InHospital(MedicallyOptimised);
        var refusal = driver.Refuse(o => Move(o, Admitted, "Chest infection"), RefusalKind.FailedPrecondition, "stage");
        Assert.Contains("medical blocker", refusal.Message);
    }

    [Fact]
    public void Discharge_needs_a_destination_and_only_discharge_takes_one()
    {
        var driver = new JourneyDriver().InHospital(ReadyForDischarge);
        driver.Refuse(o => Move(o, Discharged), RefusalKind.InvalidArgument, "destination");
        driver.Refuse(o => Move(o, Discharged, destination: (DischargeDestination)42), RefusalKind.InvalidArgument, "destination");

        var other = new JourneyDriver().InHospital();
        other.Refuse(o => Move(o, MedicallyOptimised, destination: DischargeDestination.FamilyHome), RefusalKind.InvalidArgument, "destination");
    }

    [Fact]
    public void Discharge_is_refused_while_blockers_are_open_and_allowed_once_they_are_closed()
    {
        var driver = new JourneyDriver().InHospital(ReadyForDischarge);
        var housing = driver.RaiseBlocker();
        var equipment = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        driver.Refuse(o => Move(o, Discharged, destination: DischargeDestination.FamilyHome), RefusalKind.FailedPrecondition, "stage");

        driver.Do(o => new ResolveBlocker(o, housing));
        driver.Do(o => new CancelBlocker(o, equipment, "Family bought their own"));
        driver.Do(o => Move(o, Discharged, destination: DischargeDestination.FamilyHome));
    }

    [Fact]
    public void A_completed_transition_accepts_no_more_changes_but_a_readmission_starts_a_new_one()
    {
        var driver = new JourneyDriver().InHospital(Discharged);
        driver.Refuse(o => Move(o, ReadyForDischarge, "Readmitted"), RefusalKind.FailedPrecondition, "transitionId");
        driver.Refuse(o => new CompleteMilestone(o, "transition-1", "home-adapted"), RefusalKind.FailedPrecondition, "transitionId");
        driver.Refuse(o => new RaiseBlocker(o, "transition-1", BlockerCategory.Equipment, "health.equipment.newham", null, "x", null,
            UkCalendar.DateOf(driver.Now)), RefusalKind.FailedPrecondition, "transitionId");

        var started = driver.Do<TransitionStarted>(o => new StartTransition(o, TransitionKind.HospitalDischarge));
        Assert.Equal(("transition-2", Admitted), (started.TransitionId, started.Stage));
        Assert.Equal("transition-2", driver.State.CurrentHospitalDischarge()!.Id);
    }

    [Fact]
    public void Only_one_transition_of_a_kind_runs_at_a_time_and_unknown_kinds_are_refused()
    {
        var driver = new JourneyDriver().InHospital();
        driver.Refuse(o => new StartTransition(o, TransitionKind.HospitalDischarge), RefusalKind.FailedPrecondition, "kind");
        driver.Refuse(o => new StartTransition(o, (TransitionKind)99), RefusalKind.InvalidArgument, "kind");
        driver.Do(o => new StartTransition(o, TransitionKind.StartingEducation));
        Assert.Equal(2, driver.State.Transitions.Length);
    }

    [Fact]
    public void Reaching_medically_optimised_sets_the_discharge_ready_date_as_a_UK_date()
    {
        // 00:30 BST on 3 June is 23:30 UTC on 2 June; the discharge-ready date is 3 June.
        var driver = new JourneyDriver(ModelFixtures.London(2025, 6, 2, 9)).InHospital();
        driver.Now = ModelFixtures.London(2025, 6, 3, 0, 30);
        var moved = driver.Do<StageChanged>(o => Move(o, MedicallyOptimised));

        Assert.Equal(new DateOnly(2025, 6, 3), moved.DischargeReadyDate);
        Assert.Equal(new DateOnly(2025, 6, 3), driver.State.Transitions[0].DischargeReadyDate);
    }

    [Fact]
    public void Milestones_are_ticked_once_from_the_kind_s_checklist()
    {
        var driver = new JourneyDriver().InHospital(DischargePlanning);
        driver.Do(o => new CompleteMilestone(o, "transition-1", "parent-training-signed-off"));
        driver.Refuse(o => new CompleteMilestone(o, "transition-1", "parent-training-signed-off"), RefusalKind.FailedPrecondition, "milestone");
        driver.Refuse(o => new CompleteMilestone(o, "transition-1", "school-staff-trained"), RefusalKind.InvalidArgument, "milestone");
        driver.Refuse(o => new CompleteMilestone(o, "transition-7", "home-adapted"), RefusalKind.NotFound, "transitionId");

        Assert.True(driver.State.Transitions[0].HasCompleted("parent-training-signed-off"));
        Assert.False(driver.State.Transitions[0].HasCompleted("home-adapted"));
    }

    [Theory]
    [InlineData(TransitionKind.HospitalDischarge)]
    [InlineData(TransitionKind.Diagnosis)]
    [InlineData(TransitionKind.StartingEducation)]
    [InlineData(TransitionKind.MovingHome)]
    [InlineData(TransitionKind.TransitionToAdultServices)]
    public void Every_kind_can_be_walked_stage_by_stage_to_completion(TransitionKind kind)
    {
        var definition = TransitionCatalog.For(kind);
        Assert.True(definition.Stages.Length >= 4);
        Assert.True(definition.Milestones.Length >= 4);
        Assert.Equal(definition.Stages.Length, definition.Stages.Select(s => s.Key).Distinct().Count());

        var driver = new JourneyDriver().Registered();
        driver.Do(o => new StartTransition(o, kind));
        foreach (var stage in definition.Stages.Skip(1))
        {
            driver.Do(o => new ChangeStage(o, "transition-1", stage.Key,
                Destination: definition.RequiresDestination && stage == definition.FinalStage ? DischargeDestination.FamilyHome : null));
        }
        Assert.True(driver.State.Transitions[0].IsComplete);
        Assert.Equal(kind == TransitionKind.HospitalDischarge, driver.State.Transitions[0].DischargeReadyDate is not null);
    }
}
