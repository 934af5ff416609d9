using CareTwin.Journey.Blockers;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

public class BlockerDependencyTests
{
    [Fact]
    public void A_blocker_raised_to_start_after_another_keeps_the_link_and_its_journal_says_so()
    {
        var driver = new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised);
        var funding = driver.RaiseBlocker(BlockerCategory.FundingDecision, "social-care.newham");
        var raised = driver.Do<BlockerRaised>(o => new RaiseBlocker(o, "transition-1", BlockerCategory.CarePackage, "social-care.newham", null,
            "Recruit two carers", null, new DateOnly(2025, 9, 1)) { StartsAfter = [funding, funding] });

        Assert.Equal([funding], raised.StartsAfter.ToArray());
        Assert.Equal([funding], driver.Blocker(raised.BlockerId).StartsAfter.ToArray());
    }

    [Fact]
    public void A_link_can_be_added_and_removed()
    {
        var driver = new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised);
        var funding = driver.RaiseBlocker(BlockerCategory.FundingDecision, "social-care.newham");
        var care = driver.RaiseBlocker(BlockerCategory.CarePackage, "social-care.newham");

        driver.Do<BlockerStartsAfterChanged>(o => new SetBlockerStartsAfter(o, care, funding));
        Assert.Equal([funding], driver.Blocker(care).StartsAfter.ToArray());
        var again = driver.Refuse(o => new SetBlockerStartsAfter(o, care, funding), RefusalKind.FailedPrecondition, "afterBlockerId");
        Assert.Contains("already starts after", again.Message);

        driver.Do<BlockerStartsAfterChanged>(o => new SetBlockerStartsAfter(o, care, funding, StartsAfter: false));
        Assert.Empty(driver.Blocker(care).StartsAfter);
    }

    [Fact]
    public void A_cycle_is_refused_naming_the_blockers_and_nothing_changes()
    {
        var driver = new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised);
        var funding = driver.RaiseBlocker(BlockerCategory.FundingDecision, "social-care.newham");
        var care = driver.RaiseBlocker(BlockerCategory.CarePackage, "social-care.newham");
        var housing = driver.RaiseBlocker(BlockerCategory.HousingAdaptation, "housing.newham");
        driver.Do(o => new SetBlockerStartsAfter(o, care, funding));
        driver.Do(o => new SetBlockerStartsAfter(o, housing, care));

        var refusal = driver.Refuse(o => new SetBlockerStartsAfter(o, funding, housing), RefusalKind.FailedPrecondition, "afterBlockerId");
        Assert.Equal(
            "This would make “Funding / continuing-care decision” (Newham children's social care) wait on itself: "
            + "“Funding / continuing-care decision” (Newham children's social care) starts after “Housing / home adaptation” (Newham Council housing team) "
            + "starts after “Care package / recruitment” (Newham children's social care) starts after “Funding / continuing-care decision” (Newham children's social care).",
            refusal.Message);

        var self = driver.Refuse(o => new SetBlockerStartsAfter(o, funding, funding), RefusalKind.FailedPrecondition, "afterBlockerId");
        Assert.StartsWith("This would make “Funding / continuing-care decision” (Newham children's social care) wait on itself", self.Message);
    }

    [Fact]
    public void A_blocker_of_another_child_or_journey_is_refused_and_nothing_changes()
    {
        var driver = new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised);
        var care = driver.RaiseBlocker(BlockerCategory.CarePackage, "social-care.newham");
        driver.Do(o => new StartTransition(o, TransitionKind.StartingEducation));
        var school = driver.RaiseBlocker(BlockerCategory.Education, "social-care.newham", transitionId: "transition-2");

        // Blocker ids belong to a child: another child's "blocker-7" is no blocker of this one.
        var otherChild = driver.Refuse(o => new SetBlockerStartsAfter(o, care, "blocker-7"), RefusalKind.NotFound, "afterBlockerId");
        Assert.Equal("There is no blocker 'blocker-7' on this child's journey to start after.", otherChild.Message);
        driver.Refuse(o => new SetBlockerStartsAfter(o, care, school), RefusalKind.NotFound, "afterBlockerId");
        driver.Refuse(o => new RaiseBlocker(o, "transition-1", BlockerCategory.Equipment, "health.equipment.newham", null, "Hoist", null,
            new DateOnly(2025, 9, 1)) { StartsAfter = ["blocker-7"] }, RefusalKind.NotFound, "startsAfter");
    }
}
