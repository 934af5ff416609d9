using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
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
        Assert.Equal(("Arranging what is needed at home", "Ready to go home"), (discharge.StageTitle, discharge.NextStageTitle));
        Assert.Equal(TransitionCatalog.HospitalDischarge.Stages[2].FamilyExplanation, discharge.StageExplanation);
        // The checklist says which things are done, in the same words either way.
        Assert.Contains(discharge.Checklist, c => c.Text.Contains("finished your training") && c.Done);
        Assert.Contains(discharge.Checklist, c => c.Text.Contains("equipment your child needs has been delivered") && !c.Done);

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
        Assert.Equal(3, view.OurMessages.Length);
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

        // A first sensitive blocker changes only the agreed line that some work is not listed; a second changes nothing.
        before = driver.State;
        driver.RaiseBlocker(sensitive: true);
        var changed = FamilyViewProjection.Changed(before, driver.State, driver.Services, driver.Now)!;
        Assert.Equal(FamilyWording.WorkNotListed(changed.ChildName), changed.WorkNotListed);
        before = driver.State;
        driver.RaiseBlocker(sensitive: true);
        Assert.Null(FamilyViewProjection.Changed(before, driver.State, driver.Services, driver.Now));
    }

    [Fact]
    public void While_hidden_work_is_going_on_the_family_is_told_so_truthfully_and_never_what_it_is()
    {
        var driver = new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised);
        Assert.Null(FamilyViewProjection.Build(driver.State, driver.Services, driver.Now)!.WorkNotListed);
        var hidden = driver.RaiseBlocker(BlockerCategory.SocialCareSafeguarding, professionalText: "LEAK-PRO strategy meeting", familyText: "LEAK-FAM", sensitive: true);

        var view = FamilyViewProjection.Build(driver.State, driver.Services, driver.Now)!;
        Assert.Empty(view.BeingSortedOut);
        Assert.Equal($"Some of the work for {view.ChildName} is not listed on this page. Your care coordinator can tell you more about it.", view.WorkNotListed);
        Assert.DoesNotContain("LEAK", Json(view));

        driver.Do(o => new ResolveBlocker(o, hidden, "Safety plan agreed."));
        Assert.Null(FamilyViewProjection.Build(driver.State, driver.Services, driver.Now)!.WorkNotListed);
    }

    [Fact]
    public void A_date_already_past_is_never_shown_as_expected_the_work_is_said_to_be_late_instead()
    {
        var driver = new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised);
        driver.RaiseBlocker();
        var onTime = Assert.Single(FamilyViewProjection.Build(driver.State, driver.Services, driver.Now)!.BeingSortedOut);
        Assert.NotNull(onTime.ExpectedBy);
        Assert.False(onTime.Overdue);

        var late = Assert.Single(FamilyViewProjection.Build(driver.State, driver.Services, driver.Now.AddDays(400))!.BeingSortedOut);
        Assert.Null(late.ExpectedBy);
        Assert.True(late.Overdue);
    }

    [Fact]
    public void There_is_no_family_view_of_an_unregistered_child()
    {
        Assert.Null(FamilyViewProjection.Build(ChildJourney.Empty, Agencies, Start));
    }
}
