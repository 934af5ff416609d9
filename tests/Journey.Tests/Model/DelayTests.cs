using CareTwin.Journey.Blockers;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Transitions.HospitalDischargeStages;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

public class DelayClockTests
{
    private static JourneyDriver OptimisedAt(DateTimeOffset at)
    {
        var driver = new JourneyDriver(at.AddDays(-3)).InHospital();
        driver.Now = at;
        driver.Do(o => new ChangeStage(o, "transition-1", MedicallyOptimised));
        return driver;
    }

    [Fact]
    public void No_delay_before_the_child_is_medically_optimised()
    {
        var driver = new JourneyDriver(London(2025, 1, 6)).InHospital();
        Assert.Equal(0, DelayClock.DaysDelayed(driver.State, London(2025, 4, 1)));
    }

    [Fact]
    public void Days_delayed_count_UK_calendar_days_across_the_March_clock_change()
    {
        // Ready Saturday 29 March (GMT). At 00:30 BST on Monday 31 March it is 23:30 UTC on Sunday 30 March:
        // UTC dates would say 1 day; two UK days have passed.
        var driver = OptimisedAt(London(2025, 3, 29, 10));
        Assert.Equal(new DateOnly(2025, 3, 29), driver.State.Transitions[0].DischargeReadyDate);
        Assert.Equal(1, DelayClock.DaysDelayed(driver.State, London(2025, 3, 30, 23, 59)));
        Assert.Equal(2, DelayClock.DaysDelayed(driver.State, London(2025, 3, 31, 0, 30)));
    }

    [Fact]
    public void Days_delayed_count_UK_calendar_days_across_the_October_clock_change()
    {
        // Ready Saturday 25 October 12:00 BST. Monday 27 October 00:30 GMT is 37.5 hours later
        // (the Sunday has 25 hours): a 24-hour count says 1 day, the calendar says 2.
        var driver = OptimisedAt(London(2025, 10, 25, 12));
        Assert.Equal(0, DelayClock.DaysDelayed(driver.State, London(2025, 10, 25, 23, 59)));
        Assert.Equal(1, DelayClock.DaysDelayed(driver.State, London(2025, 10, 26, 23, 59)));
        Assert.Equal(2, DelayClock.DaysDelayed(driver.State, London(2025, 10, 27, 0, 30)));
    }

    [Fact]
    public void The_clock_stops_at_discharge()
    {
        var driver = OptimisedAt(London(2025, 5, 1));
        driver.Now = London(2025, 5, 2);
        driver.Do(o => new ChangeStage(o, "transition-1", DischargePlanning));
        driver.Do(o => new ChangeStage(o, "transition-1", ReadyForDischarge));
        driver.Now = London(2025, 5, 6, 15);
        driver.Do(o => new ChangeStage(o, "transition-1", Discharged, Destination: DischargeDestination.FamilyHome));

        Assert.Equal(5, DelayClock.DaysDelayed(driver.State, London(2025, 5, 6, 16)));
        Assert.Equal(5, DelayClock.DaysDelayed(driver.State, London(2025, 12, 25)));
    }

    [Fact]
    public void The_child_s_delay_is_the_latest_hospital_discharge_s()
    {
        var driver = OptimisedAt(London(2025, 5, 1));
        driver.Do(o => new ChangeStage(o, "transition-1", DischargePlanning));
        driver.Do(o => new ChangeStage(o, "transition-1", ReadyForDischarge));
        driver.Now = London(2025, 5, 11);
        driver.Do(o => new ChangeStage(o, "transition-1", Discharged, Destination: DischargeDestination.FamilyHome));
        driver.Now = London(2025, 7, 1);
        driver.Do(o => new StartTransition(o, TransitionKind.HospitalDischarge));

        Assert.Equal(0, DelayClock.DaysDelayed(driver.State, London(2025, 8, 1)));
        Assert.Equal(10, DelayClock.DaysDelayed(driver.State.Transitions[0], London(2025, 8, 1)));
    }
}

public class DelayAttributionTests
{
    private static readonly ServiceKey HousingKey = Housing.Key;
    private static readonly ServiceKey EquipmentKey = Equipment.Key;
    private static readonly ServiceKey SocialCareKey = SocialCare.Key;

    /// <summary>Medically optimised on 1 May 2025 (day D0).</summary>
    private static JourneyDriver ReadyOnFirstOfMay()
    {
        var driver = new JourneyDriver(London(2025, 4, 20)).InHospital();
        driver.Now = London(2025, 5, 1, 9);
        driver.Do(o => new ChangeStage(o, "transition-1", MedicallyOptimised));
        return driver;
    }

    [Fact]
    public void Each_delayed_day_is_shared_equally_among_the_blockers_open_that_day()
    {
        var driver = ReadyOnFirstOfMay();
        driver.RaiseBlocker(BlockerCategory.HousingAdaptation, "housing.newham", targetInDays: 90);
        driver.Now = London(2025, 5, 5, 11);
        var equipment = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        driver.Now = London(2025, 5, 7, 16);
        driver.Do(o => new ResolveBlocker(o, equipment));

        // 1-10 May: housing alone on 1-4 and 7-10 (8 days), shared on 5 and 6 (half each).
        var breakdown = DelayAttribution.For(driver.State, London(2025, 5, 11, 8));
        Assert.Equal(10, breakdown.DaysDelayed);
        Assert.Equal(9m, breakdown.ByService[HousingKey]);
        Assert.Equal(1m, breakdown.ByService[EquipmentKey]);
        Assert.Equal(9m, breakdown.ByCategory[BlockerCategory.HousingAdaptation]);
        Assert.Equal(1m, breakdown.ByCategory[BlockerCategory.Equipment]);
        Assert.Equal(0m, breakdown.Unattributed);
    }

    [Fact]
    public void Days_before_any_blocker_is_raised_are_unattributed_and_time_before_the_ready_date_is_not_delay()
    {
        var driver = new JourneyDriver(London(2025, 4, 20)).InHospital();
        driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham", targetInDays: 60); // raised before ready
        driver.Now = London(2025, 5, 1, 9);
        driver.Do(o => new ChangeStage(o, "transition-1", MedicallyOptimised));
        driver.Now = London(2025, 5, 4, 9);
        driver.RaiseBlocker(BlockerCategory.HousingAdaptation, "housing.newham");

        var breakdown = DelayAttribution.For(driver.State, London(2025, 5, 6, 9));
        Assert.Equal(5, breakdown.DaysDelayed);
        Assert.Equal(4m, breakdown.ByService[EquipmentKey]); // 1-3 May alone, 4-5 May half each
        Assert.Equal(1m, breakdown.ByService[HousingKey]);

        var later = ReadyOnFirstOfMay();
        later.Now = London(2025, 5, 4, 9);
        later.RaiseBlocker();
        var partly = DelayAttribution.For(later.State, London(2025, 5, 6, 9));
        Assert.Equal((3m, 2m), (partly.Unattributed, partly.ByService[HousingKey]));
    }

    [Fact]
    public void A_cancelled_blocker_counts_for_no_delay()
    {
        var driver = ReadyOnFirstOfMay();
        driver.RaiseBlocker();
        var mistaken = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        driver.Now = London(2025, 5, 8);
        driver.Do(o => new CancelBlocker(o, mistaken, "Raised in error"));

        var breakdown = DelayAttribution.For(driver.State, London(2025, 5, 11));
        Assert.Equal(10m, breakdown.ByService[HousingKey]);
        Assert.False(breakdown.ByService.ContainsKey(EquipmentKey));
    }

    [Fact]
    public void Days_go_to_the_service_that_owned_the_blocker_on_each_day()
    {
        var driver = ReadyOnFirstOfMay();
        var id = driver.RaiseBlocker();
        driver.Now = London(2025, 5, 6, 14);
        driver.Do(o => new ReassignBlocker(o, id, "social-care.newham", null, "Social care leads on the adaptation grant"));

        var breakdown = DelayAttribution.For(driver.State, London(2025, 5, 11));
        Assert.Equal(5m, breakdown.ByService[HousingKey]);
        Assert.Equal(5m, breakdown.ByService[SocialCareKey]);
        Assert.Equal(10m, breakdown.ByCategory[BlockerCategory.HousingAdaptation]);
    }

    [Fact]
    public void Three_way_shares_add_up_to_the_days_delayed_within_rounding()
    {
        var driver = ReadyOnFirstOfMay();
        driver.RaiseBlocker(BlockerCategory.HousingAdaptation, "housing.newham");
        driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        driver.RaiseBlocker(BlockerCategory.CarePackage, "social-care.newham");

        var breakdown = DelayAttribution.For(driver.State, London(2025, 5, 8));
        Assert.Equal(7, breakdown.DaysDelayed);
        Assert.All(breakdown.ByService.Values, v => Assert.Equal(2.33m, v));
        Assert.InRange(breakdown.ByService.Values.Sum() + breakdown.Unattributed, 6.99m, 7.01m);
    }
}

public class CriticalPathTests
{
    [Fact]
    public void The_predicted_ready_date_is_the_latest_target_of_the_open_blockers()
    {
        var driver = new JourneyDriver(London(2025, 5, 1)).InHospital(MedicallyOptimised);
        var soon = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham", targetInDays: 30);
        var late = driver.RaiseBlocker(BlockerCategory.HousingAdaptation, "housing.newham", targetInDays: 60);
        var transition = driver.State.Transitions[0];

        var prediction = CriticalPath.Predict(driver.State, transition, driver.Now)!;
        Assert.Equal((new DateOnly(2025, 6, 30), late, false), (prediction.PredictedReadyDate, prediction.CriticalPathBlockerId, prediction.CriticalPathOverdue));

        driver.Do(o => new ResolveBlocker(o, late));
        prediction = CriticalPath.Predict(driver.State, transition, driver.Now)!;
        Assert.Equal((new DateOnly(2025, 5, 31), soon), (prediction.PredictedReadyDate, prediction.CriticalPathBlockerId));

        // The target passes with the blocker still open: the prediction is "today, overdue".
        prediction = CriticalPath.Predict(driver.State, transition, London(2025, 6, 10))!;
        Assert.Equal((new DateOnly(2025, 6, 10), soon, true), (prediction.PredictedReadyDate, prediction.CriticalPathBlockerId, prediction.CriticalPathOverdue));

        driver.Do(o => new ResolveBlocker(o, soon));
        prediction = CriticalPath.Predict(driver.State, transition, driver.Now)!;
        Assert.Equal((new DateOnly(2025, 5, 1), null), (prediction.PredictedReadyDate, prediction.CriticalPathBlockerId));
    }

    [Fact]
    public void Blockers_of_another_transition_do_not_move_the_prediction()
    {
        var driver = new JourneyDriver(London(2025, 5, 1)).InHospital(MedicallyOptimised);
        driver.Do(o => new StartTransition(o, TransitionKind.StartingEducation));
        driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham", targetInDays: 10);
        driver.RaiseBlocker(BlockerCategory.Other, "social-care.newham", targetInDays: 200, transitionId: "transition-2");

        var prediction = CriticalPath.Predict(driver.State, driver.State.Transitions[0], driver.Now)!;
        Assert.Equal("blocker-1", prediction.CriticalPathBlockerId);
    }
}
