using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

public class FamilyViewTests
{
    private static readonly string[] Leaks =
    [
        ScenarioJourney.SafeguardingProfessionalText, ScenarioJourney.SafeguardingFamilyText, ScenarioJourney.HousingProfessionalText,
        ScenarioJourney.HousingUpdatedProfessionalText, ScenarioJourney.EscalationReason, ScenarioJourney.ReassignReason,
        ScenarioJourney.AcknowledgementNote, ScenarioJourney.EquipmentResolutionNote, ScenarioJourney.LaterSensitiveFamilyText,
        ScenarioJourney.CancelReason, "LEAK-",
    ];

    [Fact]
    public void Sensitive_blockers_and_professional_text_never_reach_the_family_even_after_reassign_escalate_and_update()
    {
        var driver = ScenarioJourney.Build();
        driver.Now = driver.Now.AddDays(40);
        foreach (var command in EscalationSchedule.DueCommands(driver.State, driver.Now))
            driver.Send(command);

        var view = FamilyViewProjection.Build(driver.State, driver.Services, driver.Now)!;
        var json = Json(view);
        foreach (var leak in Leaks)
            Assert.DoesNotContain(leak, json);
        Assert.DoesNotContain("blocker-2", json); // the safeguarding blocker
        Assert.DoesNotContain("blocker-4", json); // made sensitive later
        Assert.DoesNotContain("9434765919", json);
        Assert.Contains(ScenarioJourney.HousingFamilyText, json);
    }

    [Fact]
    public void The_family_sees_the_stage_explained_next_steps_and_who_is_doing_what_in_plain_language()
    {
        var driver = ScenarioJourney.Build();
        var view = FamilyViewProjection.Build(driver.State, driver.Services, driver.Now)!;

        var discharge = view.Journeys[0];
        Assert.Equal(("Going home from hospital", 3, 5), (discharge.Title, discharge.StepNumber, discharge.StepCount));
        Assert.Equal(TransitionCatalog.HospitalDischarge.Stages[2].FamilyExplanation, discharge.StageExplanation);
        Assert.StartsWith("Next: Everything your child needs is in place", discharge.NextSteps[0]);
        Assert.DoesNotContain(discharge.NextSteps, s => s.Contains("finished your training"));
        Assert.Contains(discharge.NextSteps, s => s.Contains("equipment your child needs has been delivered"));

        var housing = Assert.Single(view.BeingSortedOut);
        Assert.Equal(("Newham children's social care", "Chloe Hart", ScenarioJourney.HousingFamilyText, "Being worked on"),
            (housing.Who, housing.NamedPerson, housing.What, housing.Progress));
        Assert.Empty(view.RecentlyDone); // the hoist was fitted 38 days ago
        var weeksEarlier = FamilyViewProjection.Build(driver.State, driver.Services, London(2025, 5, 10))!;
        Assert.Equal(("Your hoist has been fitted.", "Done"), (Assert.Single(weeksEarlier.RecentlyDone).What, weeksEarlier.RecentlyDone[0].Progress));
        Assert.Equal(53, view.DaysReadyToGoHome); // ready 10 April, today 2 June
        Assert.Equal("Amelia", view.ChildName);
    }

    [Fact]
    public void Upcoming_appointments_burden_and_the_family_s_own_messages_are_shown()
    {
        var driver = ScenarioJourney.Build();
        var view = FamilyViewProjection.Build(driver.State, driver.Services, driver.Now)!;

        var upcoming = Assert.Single(view.UpcomingAppointments);
        Assert.Equal(("Housing needs assessment", "Newham Council housing team", 60), (upcoming.What, upcoming.With, upcoming.DurationMinutes));
        Assert.Equal((2, 1), (view.Last90Days.Appointments, view.Last90Days.DidNotAttend));
        Assert.Equal(2, view.OurMessages.Length);
    }

    [Fact]
    public void A_blocker_without_family_text_is_explained_by_its_category_never_by_its_professional_text()
    {
        var driver = new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised);
        driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham", professionalText: "LEAK-PRO supplier lead time six weeks", familyText: null);

        var item = Assert.Single(FamilyViewProjection.Build(driver.State, driver.Services, driver.Now)!.BeingSortedOut);
        Assert.Equal(BlockerCategories.FamilyExplanation(BlockerCategory.Equipment), item.What);
        Assert.DoesNotContain("LEAK", Json(FamilyViewProjection.Build(driver.State, driver.Services, driver.Now)));
    }

    [Fact]
    public void A_blocker_marked_sensitive_disappears_from_the_family_view()
    {
        var driver = new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised);
        var id = driver.RaiseBlocker();
        Assert.Single(FamilyViewProjection.Build(driver.State, driver.Services, driver.Now)!.BeingSortedOut);

        driver.Do(o => new UpdateBlockerProgress(o, id, MarkSensitive: true));
        Assert.Empty(FamilyViewProjection.Build(driver.State, driver.Services, driver.Now)!.BeingSortedOut);
    }

    [Fact]
    public void The_family_hears_of_a_change_only_when_what_they_can_see_changed()
    {
        var driver = new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised);
        var before = driver.State;
        driver.RaiseBlocker();
        Assert.NotNull(FamilyViewProjection.Changed(before, driver.State, driver.Services, driver.Now));

        before = driver.State;
        driver.RaiseBlocker(sensitive: true);
        Assert.Null(FamilyViewProjection.Changed(before, driver.State, driver.Services, driver.Now));
    }

    [Fact]
    public void There_is_no_family_view_of_an_unregistered_child()
    {
        Assert.Null(FamilyViewProjection.Build(ChildJourney.Empty, Agencies, Start));
    }
}
