using System.Text.Json.Nodes;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Family;
using CareTwin.Journey.Serialization;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Transitions;

namespace CareTwin.Journey.Tests.Model;

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

    /// <summary>
    /// A snapshot as the model wrote it before applied keys were stored as digests (the key strings themselves):
    /// a child, a blocker and an appointment booked by the EPR, after 4 events.
    /// </summary>
    private const string SnapshotWithKeyStrings = """
        {"child":{"childId":"child-1","nhsNumber":"9434765919","givenName":"Amelia","familyName":"Okonkwo","dateOfBirth":"2021-03-14","hospitalKey":"royal-thamesbank","regionKey":"north-thames","careTeam":[],"registeredAt":"2025-06-02T09:00:00+01:00"},
         "transitions":[{"id":"transition-1","kind":"hospital-discharge","stage":"admitted","startedAt":"2025-06-02T09:01:00+01:00","stageEnteredAt":"2025-06-02T09:01:00+01:00","milestones":[]}],
         "blockers":[{"id":"blocker-1","transitionId":"transition-1","category":"housing-adaptation","ownerships":[{"service":"housing.newham","namedOwner":"Callum Reid","since":"2025-06-02T09:02:00+01:00"}],"professionalText":"OT report submitted.","familyText":"Finding a home with step-free access.","raisedAt":"2025-06-02T09:02:00+01:00","targetDate":"2025-08-01","slaDueDate":"2025-06-22","status":"open","sensitive":false,"escalations":[]}],
         "appointments":[{"id":"appointment-1","service":"housing.newham","start":"2025-06-05T09:00:00+01:00","duration":"01:00:00","place":"Family home","purpose":"Home visit","status":"booked","sourceSystem":"epr.royal-thamesbank","externalId":"appt-77","bookedAt":"2025-06-02T09:03:00+01:00","updatedAt":"2025-06-02T09:03:00+01:00"}],
         "familyMessages":[],"appliedKeys":["caretwin.web\nweb-3","caretwin.web\nweb-1","caretwin.web\nweb-2","epr.royal-thamesbank\nappt-77"],"version":4}
        """;

    [Fact]
    public void A_snapshot_from_before_the_digests_loads_and_still_knows_every_change_it_applied()
    {
        var restored = JourneyJson.Deserialize<ChildJourney>(SnapshotWithKeyStrings);
        var context = new DecisionContext(ModelFixtures.Start.AddDays(1), ModelFixtures.Agencies);
        var epr = new Actor("epr", "Hospital EPR", ActorRole.ExternalSystem);
        var rebook = new BookAppointment(new CommandOrigin(epr, "epr.royal-thamesbank", "appt-77"), "housing.newham",
            ModelFixtures.Start.AddDays(3), TimeSpan.FromHours(1), "Family home", "Home visit");

        Assert.Equal(4, restored.AppliedKeys.Count);
        Assert.IsType<Decision.Duplicate>(JourneyDecider.Decide(restored, rebook, context));
        Assert.IsType<Decision.Duplicate>(JourneyDecider.Decide(restored, AddFamilyNoteFrom("caretwin.web", "web-2"), context));
        var (accepted, next) = JourneyDecider.Handle(restored, rebook with { Origin = rebook.Origin with { ExternalId = "appt-78" } }, context);
        Assert.IsType<Decision.Accepted>(accepted);
        Assert.Equal(5, next.Version);
        Assert.Equal("appointment-2", next.Appointments[^1].Id);

        // Written again in the new form, with everything else as it was.
        var rewritten = JsonNode.Parse(ModelFixtures.Json(restored))!;
        var original = JsonNode.Parse(SnapshotWithKeyStrings)!;
        Assert.StartsWith("sha256-128:", rewritten["appliedKeys"]!.GetValue<string>());
        rewritten.AsObject().Remove("appliedKeys");
        original.AsObject().Remove("appliedKeys");
        Assert.True(JsonNode.DeepEquals(original, rewritten));
    }

    private static AddFamilyNote AddFamilyNoteFrom(string source, string externalId) =>
        new(new CommandOrigin(ModelFixtures.Parent, source, externalId), "She loves music.");
}
