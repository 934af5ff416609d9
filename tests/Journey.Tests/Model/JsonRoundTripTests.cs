using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Meetings;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Serialization;
using CareTwin.Journey.Services;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

public class JsonRoundTripTests
{
    private static readonly IReadOnlyDictionary<Type, string> EventDiscriminators = typeof(JourneyEvent)
        .GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    private static List<JourneyEvent> EveryKindOfEvent()
    {
        var driver = ScenarioJourney.Build();
        driver.Now = driver.Now.AddDays(30);
        foreach (var command in EscalationSchedule.DueCommands(driver.State, driver.Now))
            driver.Send(command);
        // A decision agreed at a meeting: its provenance carries the meeting and who attended.
        var meeting = new MeetingReference("mdt-1", UkCalendar.DateOf(driver.Now), [new MeetingAttendee("Priya Shah"), new MeetingAttendee("Callum Reid", Housing.Key)]);
        driver.Do(o => new RecordMeetingDecision(o with { Meeting = meeting }, "Review at the next MDT.", "housing.newham", UkCalendar.DateOf(driver.Now).AddDays(7)));
        return driver.Journal;
    }

    [Fact]
    public void Every_event_type_round_trips_with_a_stable_kebab_case_discriminator()
    {
        var journal = EveryKindOfEvent();
        Assert.Equal(EventDiscriminators.Keys.OrderBy(t => t.Name), journal.Select(e => e.GetType()).Distinct().OrderBy(t => t.Name));

        foreach (var e in journal)
        {
            var json = JourneyJson.Serialize<JourneyEvent>(e);
            Assert.Equal(EventDiscriminators[e.GetType()], JsonNode.Parse(json)!["type"]!.GetValue<string>());
            Assert.Matches("^[a-z]+(-[a-z]+)*$", EventDiscriminators[e.GetType()]);
            var back = JourneyJson.Deserialize<JourneyEvent>(json);
            Assert.IsType(e.GetType(), back);
            Assert.Equal(json, JourneyJson.Serialize(back));
        }
    }

    [Fact]
    public void Enums_are_kebab_case_strings_and_properties_camel_case()
    {
        var booked = EveryKindOfEvent().OfType<AppointmentUpdated>().First(e => e.Status == AppointmentStatus.DidNotAttend);
        var json = JsonNode.Parse(JourneyJson.Serialize<JourneyEvent>(booked))!;
        Assert.Equal("did-not-attend", json["status"]!.GetValue<string>());
        Assert.Equal("caretwin.web", json["provenance"]!["sourceSystem"]!.GetValue<string>());
    }

    [Fact]
    public void The_discriminator_may_come_anywhere_in_the_object_as_jsonb_reorders_keys()
    {
        var e = EveryKindOfEvent()[0];
        var node = JsonNode.Parse(JourneyJson.Serialize<JourneyEvent>(e))!.AsObject();
        var type = node["type"]!.GetValue<string>();
        node.Remove("type");
        node["type"] = type;

        var back = JourneyJson.Deserialize<JourneyEvent>(node.ToJsonString());
        Assert.Equal(JourneyJson.Serialize<JourneyEvent>(e), JourneyJson.Serialize(back));
    }

    [Fact]
    public void A_populated_state_round_trips_and_behaves_the_same_afterwards()
    {
        var driver = ScenarioJourney.Build();
        var json = Json(driver.State);
        var restored = JourneyJson.Deserialize<ChildJourney>(json);

        Assert.Equal(json, Json(restored));
        Assert.Equal(driver.State.Blockers.Length, restored.Blockers.Length);
        Assert.Equal(driver.State.Blockers[0].OwningService, restored.Blockers[0].OwningService);
        Assert.Equal(Json(BoardRowProjection.Build(driver.State, driver.Now)), Json(BoardRowProjection.Build(restored, driver.Now)));

        var command = new AcknowledgeEscalation(driver.NextOrigin(), "blocker-1");
        Assert.Equal(Json(JourneyDecider.Decide(driver.State, command, driver.Context)), Json(JourneyDecider.Decide(restored, command, driver.Context)));
    }

    [Fact]
    public void Replaying_the_journal_or_a_snapshot_plus_its_tail_gives_the_same_state()
    {
        var driver = ScenarioJourney.Build();
        var journal = driver.Journal.Select(e => JourneyJson.Deserialize<JourneyEvent>(JourneyJson.Serialize(e))).ToList();

        var replayed = JourneyFold.Replay(journal);
        var snapshot = JourneyJson.Deserialize<ChildJourney>(Json(JourneyFold.Replay(journal.Take(20))));
        var fromSnapshot = JourneyFold.Replay(journal.Skip(20), snapshot);

        Assert.Equal(Json(driver.State), Json(replayed));
        Assert.Equal(Json(driver.State), Json(fromSnapshot));
        Assert.Equal(journal.Count, replayed.Version);
    }

    [Fact]
    public void Commands_service_profiles_and_projections_round_trip()
    {
        var driver = ScenarioJourney.Build();
        JourneyCommand command = new EscalateBlocker(driver.NextOrigin(), "blocker-1", "Late");
        var commandJson = JourneyJson.Serialize(command);
        Assert.Contains("\"type\":\"escalate-blocker\"", commandJson);
        Assert.Equal(commandJson, JourneyJson.Serialize(JourneyJson.Deserialize<JourneyCommand>(commandJson)));

        var profileJson = JourneyJson.Serialize(Housing);
        Assert.Contains("\"housing-adaptation\":30", profileJson);
        Assert.Equal(profileJson, JourneyJson.Serialize(JourneyJson.Deserialize<ServiceProfile>(profileJson)));

        var summary = BoardSummary.Of([BoardRowProjection.Build(driver.State, driver.Now)!]);
        var summaryJson = JourneyJson.Serialize(summary);
        Assert.Contains("\"social-care.newham\":", summaryJson);
        Assert.Equal(summaryJson, JourneyJson.Serialize(JourneyJson.Deserialize<BoardSummary>(summaryJson)));

        var ledger = driver.Journal.Aggregate(ServiceLedger.For(SocialCare.Key), (l, e) => ServiceLedgerProjection.Apply(l, driver.State, e));
        var ledgerJson = JourneyJson.Serialize(ledger);
        Assert.Equal(ledgerJson, JourneyJson.Serialize(JourneyJson.Deserialize<ServiceLedger>(ledgerJson)));
    }

    [Fact]
    public void Malformed_stored_values_fail_loudly()
    {
        Assert.Throws<JsonException>(() => JourneyJson.Deserialize<ServiceKey>("\"Housing Newham\""));
        Assert.Throws<JsonException>(() => JourneyJson.Deserialize<JourneyEvent>("{\"type\":\"no-such-event\"}"));
    }
}
