using CareTwin.Grains.Model.Blockers;
using CareTwin.Grains.Model.Calendar;
using CareTwin.Grains.Model.Family;
using CareTwin.Grains.Model.Serialization;
using CareTwin.Grains.Model.Children;
using CareTwin.Grains.Model.Decisions;
using CareTwin.Grains.Model.Journal;
using CareTwin.Grains.Model.Transitions;

namespace CareTwin.Grains.Tests.Model;

public class IdempotencyTests
{
    [Fact]
    public void A_repeated_source_and_external_id_is_a_no_op_even_after_the_state_has_moved_on()
    {
        var driver = new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised);
        var id = driver.RaiseBlocker();
        var resolve = new ResolveBlocker(new CommandOrigin(ModelFixtures.HousingOfficer, "housing-system.newham", "case-77/closed"), id);
        Assert.IsType<Decision.Accepted>(driver.Send(resolve));
        var journal = driver.Journal.Count;
        var state = ModelFixtures.Json(driver.State);

        // The housing system retries the push later: not a refusal ("already resolved"), a no-op.
        driver.Now = driver.Now.AddHours(3);
        var duplicate = Assert.IsType<Decision.Duplicate>(driver.Send(resolve));
        Assert.Equal(("housing-system.newham", "case-77/closed"), (duplicate.SourceSystem, duplicate.ExternalId));
        Assert.Equal(journal, driver.Journal.Count);
        Assert.Equal(state, ModelFixtures.Json(driver.State));
    }

    [Fact]
    public void The_same_external_id_from_another_system_is_a_different_change()
    {
        var driver = new JourneyDriver().InHospital();
        driver.Send(AddFamilyNoteFrom("caretwin.web", "42"));
        var other = driver.Send(AddFamilyNoteFrom("epr.royal-thamesbank", "42"));
        Assert.IsType<Decision.Accepted>(other);
        Assert.Equal(2, driver.State.FamilyMessages.Length);
    }

    [Fact]
    public void A_duplicate_registration_is_a_no_op_not_a_refusal()
    {
        var driver = new JourneyDriver();
        var register = new RegisterChild(new CommandOrigin(ModelFixtures.Coordinator, "epr.royal-thamesbank", "adm-1"), "child-1",
            ModelFixtures.ValidNhsNumber, "Amelia", "Okonkwo", new DateOnly(2021, 3, 14), "royal-thamesbank", "north-thames", []);
        driver.Send(register);
        Assert.IsType<Decision.Duplicate>(driver.Send(register));
    }

    [Fact]
    public void Applied_keys_survive_a_snapshot_and_a_replay_of_the_journal()
    {
        var driver = new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised);
        driver.RaiseBlocker();
        var origin = new CommandOrigin(ModelFixtures.Coordinator, "caretwin.web", "raise-once");
        var raise = new RaiseBlocker(origin, "transition-1", BlockerCategory.Equipment, "health.equipment.newham", null, "x", null,
            UkCalendar.DateOf(driver.Now));
        driver.Send(raise);

        var snapshot = ModelFixtures.Json(driver.State);
        var restored = JourneyJson.Deserialize<ChildJourney>(snapshot);
        var replayed = JourneyFold.Replay(driver.Journal);

        foreach (var state in new[] { restored, replayed })
        {
            Assert.IsType<Decision.Duplicate>(JourneyDecider.Decide(state, raise, driver.Context));
            Assert.Equal(driver.State.Version, state.Version);
        }
    }

    private static AddFamilyNote AddFamilyNoteFrom(string source, string externalId) =>
        new(new CommandOrigin(ModelFixtures.Parent, source, externalId), "She loves music.");
}
