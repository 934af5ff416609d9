using CareTwin.Journey.Blockers;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Transitions.HospitalDischargeStages;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

/// <summary>
/// Delay days by ISO week (Monday to Sunday), service and category, for a board's chart and its CSV for delayed-discharge
/// returns (issue 17 item 3). A worked example: the days are counted out in the comments.
/// </summary>
public class DelayWeekTests
{
    private static readonly ServiceKey HousingKey = Housing.Key;
    private static readonly ServiceKey EquipmentKey = Equipment.Key;
    private static readonly ServiceKey SocialCareKey = SocialCare.Key;
    private static readonly DateOnly WeekOf28April = new(2025, 4, 28), WeekOf5May = new(2025, 5, 5), WeekOf12May = new(2025, 5, 12);
    private static readonly DateTimeOffset Now = London(2025, 5, 14, 8); // Wednesday 14 May: 1-13 May delayed, 13 days

    private static JourneyDriver ReadyOn(DateTimeOffset ready)
    {
        var driver = new JourneyDriver(ready.AddDays(-10)).InHospital();
        driver.Now = ready;
        driver.Do(o => new ChangeStage(o, "transition-1", MedicallyOptimised));
        return driver;
    }

    /// <summary>
    /// Ready on Thursday 1 May 2025. A housing adaptation blocker from 1 May, handed to social care on Wednesday 7 May;
    /// an equipment blocker open Saturday 3 to Tuesday 6 May (resolved on the 6th, which frees the 6th).
    /// </summary>
    private static JourneyDriver AcrossThreeWeeks()
    {
        var driver = ReadyOn(London(2025, 5, 1, 9));
        var housing = driver.RaiseBlocker(BlockerCategory.HousingAdaptation, "housing.newham", targetInDays: 90);
        driver.Now = London(2025, 5, 3, 10);
        var equipment = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        driver.Now = London(2025, 5, 6, 16);
        driver.Do(o => new ResolveBlocker(o, equipment));
        driver.Now = London(2025, 5, 7, 11);
        driver.Do(o => new ReassignBlocker(o, housing, "social-care.newham", null, "Social care leads on the adaptation grant"));
        driver.Now = Now;
        return driver;
    }

    [Fact]
    public void Delay_days_split_at_each_Monday_shared_between_blockers_and_handed_over_mid_week()
    {
        var driver = AcrossThreeWeeks();
        var weeks = DelayAttribution.ByWeek(driver.State, Now);

        // Week of 28 April (Thu 1 - Sun 4 May): housing alone on 1-2 May (2); 3-4 May shared with equipment (1 each).
        // Week of 5 May: 5 May shared (0.5 each); 6 May housing alone (1); handed over on 7 May, so 7-11 May social care (5).
        // Week of 12 May: 12-13 May social care (2). In all 4 + 7 + 2 = 13 days.
        Assert.Equal(
        [
            new(WeekOf28April, EquipmentKey, BlockerCategory.Equipment, 1m),
            new(WeekOf28April, HousingKey, BlockerCategory.HousingAdaptation, 3m),
            new(WeekOf5May, EquipmentKey, BlockerCategory.Equipment, 0.5m),
            new(WeekOf5May, HousingKey, BlockerCategory.HousingAdaptation, 1.5m),
            new(WeekOf5May, SocialCareKey, BlockerCategory.HousingAdaptation, 5m),
            new DelayWeekShare(WeekOf12May, SocialCareKey, BlockerCategory.HousingAdaptation, 2m),
        ], weeks.ToArray());

        // The totals come from the same walk: housing 3 + 1.5, equipment 1 + 0.5, social care 5 + 2.
        var totals = DelayAttribution.For(driver.State, Now);
        Assert.Equal((13, 4.5m, 1.5m, 7m), (totals.DaysDelayed, totals.ByService[HousingKey], totals.ByService[EquipmentKey], totals.ByService[SocialCareKey]));
        Assert.Equal(totals.DaysDelayed, weeks.Sum(w => w.Days));
        foreach (var service in totals.ByService.Keys)
            Assert.Equal(totals.ByService[service], weeks.Where(w => w.Service == service).Sum(w => w.Days));
    }

    [Fact]
    public void Days_with_no_blocker_open_are_in_their_week_with_no_service_or_category()
    {
        // Ready Friday 9 May, a blocker only from Monday 12 May: 9-11 May have none open.
        var driver = ReadyOn(London(2025, 5, 9, 9));
        driver.Now = London(2025, 5, 12, 9);
        driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");

        Assert.Equal(
        [
            new(WeekOf5May, null, null, 3m),
            new DelayWeekShare(WeekOf12May, EquipmentKey, BlockerCategory.Equipment, 2m),
        ], DelayAttribution.ByWeek(driver.State, Now).ToArray());
    }

    [Fact]
    public void A_board_adds_up_its_children_s_weeks_counts_the_children_and_keeps_the_last_twelve_weeks()
    {
        var first = BoardRowProjection.Build(AcrossThreeWeeks().State, Now)! with { ChildId = "child-a" };
        // A second child ready Monday 5 May with a housing blocker: 5-11 May (7) and 12-13 May (2), all housing.
        var other = ReadyOn(London(2025, 5, 5, 9));
        other.RaiseBlocker(BlockerCategory.HousingAdaptation, "housing.newham", targetInDays: 90);
        var second = BoardRowProjection.Build(other.State, Now)! with { ChildId = "child-b" };

        var today = new DateOnly(2025, 5, 14);
        Assert.Equal(
        [
            new(WeekOf28April, EquipmentKey, BlockerCategory.Equipment, 1m, 1),
            new(WeekOf28April, HousingKey, BlockerCategory.HousingAdaptation, 3m, 1),
            new(WeekOf5May, EquipmentKey, BlockerCategory.Equipment, 0.5m, 1),
            new(WeekOf5May, HousingKey, BlockerCategory.HousingAdaptation, 8.5m, 2), // 1.5 + 7
            new(WeekOf5May, SocialCareKey, BlockerCategory.HousingAdaptation, 5m, 1),
            new(WeekOf12May, HousingKey, BlockerCategory.HousingAdaptation, 2m, 1),
            new BoardDelayWeek(WeekOf12May, SocialCareKey, BlockerCategory.HousingAdaptation, 2m, 1),
        ], BoardDelayWeeks.Across([first, second], today).ToArray());

        // Twelve weeks, this one last: from Monday 24 February to the week of 12 May.
        Assert.Equal((new DateOnly(2025, 2, 24), WeekOf12May), (BoardDelayWeeks.Shown(today)[0], BoardDelayWeeks.Shown(today)[^1]));
        // On Monday 14 July the week of 28 April is the earliest of the twelve; a week later it is gone.
        Assert.Equal(WeekOf28April, BoardDelayWeeks.Across([first, second], new DateOnly(2025, 7, 14)).First().WeekStarting);
        Assert.Equal(WeekOf5May, BoardDelayWeeks.Across([first, second], new DateOnly(2025, 7, 21)).First().WeekStarting);
    }
}
