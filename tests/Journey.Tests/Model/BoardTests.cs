using CareTwin.Journey.Blockers;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

public class BoardTests
{
    [Fact]
    public void A_board_row_shows_stage_delay_open_blockers_escalation_and_SLA_breaches()
    {
        var driver = ScenarioJourney.Build();
        var row = BoardRowProjection.Build(driver.State, driver.Now)!;

        Assert.Equal(("child-1", "Amelia O.", "royal-thamesbank"), (row.ChildId, row.ChildName, row.HospitalKey));
        // The child is also starting education, but while in hospital the discharge is what the board shows.
        Assert.Equal((TransitionKind.HospitalDischarge, HospitalDischargeStages.DischargePlanning, "Discharge planning"), (row.TransitionKind, row.Stage, row.StageTitle));
        Assert.Equal((new DateOnly(2025, 8, 8), "blocker-1"), (row.PredictedReadyDate, row.CriticalPathBlockerId));
        Assert.Equal((new DateOnly(2025, 4, 10), 53), (row.DischargeReadyDate, row.DaysDelayed));
        Assert.Equal(1, row.OpenBlockersByCategory[BlockerCategory.HousingAdaptation]);
        Assert.Equal(1, row.OpenBlockersByCategory[BlockerCategory.SocialCareSafeguarding]);
        Assert.Equal(1, row.OpenBlockersByCategory[BlockerCategory.Transport]);
        Assert.Equal(2, row.OpenBlockersByService[SocialCare.Key]);
        Assert.Equal(1, row.MaxEscalationLevel);
        Assert.Equal(3, row.SlaBreaches); // safeguarding (14 days), transport (10), housing with social care (28 from 25 April)
        Assert.Equal(1, row.FamilyConcerns);
        Assert.InRange(row.DelayDaysByService.Values.Sum() + row.UnattributedDelayDays, 52.99m, 53.01m);
    }

    [Fact]
    public void Escalations_awaiting_acknowledgement_show_on_the_row()
    {
        var driver = ScenarioJourney.Build();
        foreach (var command in EscalationSchedule.DueCommands(driver.State, driver.Now))
            driver.Send(command);

        var row = BoardRowProjection.Build(driver.State, driver.Now)!;
        Assert.Equal((3, 2), (row.AwaitingAcknowledgement, row.MaxEscalationLevel));
    }

    [Fact]
    public void The_summary_is_updated_by_replacing_one_child_s_row_and_equals_a_summary_built_from_scratch()
    {
        var a = ScenarioJourney.Build();
        var b = new JourneyDriver(a.Now.AddDays(-20)).InHospital(HospitalDischargeStages.MedicallyOptimised);
        var bBlocker = b.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        b.Now = a.Now;
        var c = new JourneyDriver(a.Now).InHospital();

        var rowA = BoardRowProjection.Build(a.State, a.Now)! with { ChildId = "child-a" };
        var rowB = BoardRowProjection.Build(b.State, b.Now)! with { ChildId = "child-b" };
        var rowC = BoardRowProjection.Build(c.State, c.Now)! with { ChildId = "child-c" };
        var summary = BoardSummary.Empty.Upsert(rowA).Upsert(rowB).Upsert(rowC);

        Assert.Equal((3, 2, 53L + 20L), (summary.Children, summary.ChildrenDelayed, summary.DaysDelayed));
        Assert.Equal(rowA.OpenBlockersByService[Equipment.Key] + 1, summary.OpenBlockersByService[Equipment.Key]);

        // Child B's blocker is resolved: only B's row is replaced.
        b.Do(o => new ResolveBlocker(o, bBlocker));
        var newRowB = BoardRowProjection.Build(b.State, b.Now)! with { ChildId = "child-b" };
        var updated = summary.Upsert(newRowB);

        Assert.Equal(rowA.OpenBlockersByService[Equipment.Key], updated.OpenBlockersByService[Equipment.Key]);
        AssertSameSummary(BoardSummary.Of([rowC, newRowB, rowA]), updated);
        AssertSameSummary(BoardSummary.Of([rowA, rowC]), updated.Remove("child-b"));
        AssertSameSummary(summary, summary.Upsert(rowB));
        Assert.Equal(1, updated.ChildrenByEscalationLevel[1] - BoardSummary.Of([rowC, newRowB]).ChildrenByEscalationLevel[1]);
    }

    [Fact]
    public void Totals_that_drop_to_zero_disappear()
    {
        var driver = new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised);
        var id = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        var summary = BoardSummary.Empty.Upsert(BoardRowProjection.Build(driver.State, driver.Now)!);
        Assert.Equal(1, summary.OpenBlockersByCategory[BlockerCategory.Equipment]);

        driver.Do(o => new CancelBlocker(o, id, "Not needed"));
        summary = summary.Upsert(BoardRowProjection.Build(driver.State, driver.Now)!);
        Assert.Empty(summary.OpenBlockersByCategory);
        Assert.Empty(summary.OpenBlockersByService);
        Assert.Equal([1, 0, 0, 0], summary.ChildrenByEscalationLevel.ToArray());
    }

    /// <summary>Same rows and totals (dictionaries compared by content, not enumeration order).</summary>
    private static void AssertSameSummary(BoardSummary expected, BoardSummary actual)
    {
        Assert.Equal(expected.Rows.Keys.Order(), actual.Rows.Keys.Order());
        Assert.Equal((expected.ChildrenDelayed, expected.DaysDelayed, expected.SlaBreaches, expected.AwaitingAcknowledgement),
            (actual.ChildrenDelayed, actual.DaysDelayed, actual.SlaBreaches, actual.AwaitingAcknowledgement));
        Assert.Equal(Content(expected.DelayDaysByService), Content(actual.DelayDaysByService));
        Assert.Equal(Content(expected.DelayDaysByCategory), Content(actual.DelayDaysByCategory));
        Assert.Equal(Content(expected.OpenBlockersByService), Content(actual.OpenBlockersByService));
        Assert.Equal(Content(expected.OpenBlockersByCategory), Content(actual.OpenBlockersByCategory));
        Assert.Equal(expected.ChildrenByEscalationLevel.ToArray(), actual.ChildrenByEscalationLevel.ToArray());
    }

    private static IEnumerable<string> Content<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> totals) where TKey : notnull =>
        totals.Select(kv => $"{kv.Key}={kv.Value}").Order();
}
