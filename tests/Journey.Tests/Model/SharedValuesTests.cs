using System.Text.Json;
using CareTwin.Journey.Children;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Serialization;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Tests.Model;

public class SharedValuesTests
{
    [Fact]
    public void Twins_read_from_json_share_their_service_keys_source_systems_and_ids_but_not_free_text()
    {
        var json = ModelFixtures.Json(ScenarioJourney.Build().State);

        var one = JourneyJson.Deserialize<ChildJourney>(json);
        var other = JourneyJson.Deserialize<ChildJourney>(json);

        Assert.Equal(json, ModelFixtures.Json(other));
        Assert.Same(one.Blockers[0].OwningService, other.Blockers[0].OwningService);
        Assert.Same(one.Blockers[0].Id, other.Blockers[0].Id);
        Assert.Same(one.Blockers[0].TransitionId, other.Blockers[0].TransitionId);
        Assert.Same(one.Transitions[0].Id, other.Transitions[0].Id);
        Assert.Same(one.Appointments[0].Id, other.Appointments[0].Id);
        Assert.Same(one.Appointments[0].SourceSystem, other.Appointments[0].SourceSystem);
        Assert.NotSame(one.Appointments[0].Purpose, other.Appointments[0].Purpose);
        Assert.NotSame(one.Appointments[0].ExternalId, other.Appointments[0].ExternalId);
    }

    [Fact]
    public void Events_share_them_too_so_a_replayed_twin_does()
    {
        var journal = ScenarioJourney.Build().Journal.Select(e => JourneyJson.Serialize<JourneyEvent>(e)).ToList();

        var one = JourneyFold.Replay(journal.Select(JourneyJson.Deserialize<JourneyEvent>));
        var other = JourneyFold.Replay(journal.Select(JourneyJson.Deserialize<JourneyEvent>));

        Assert.Same(one.Blockers[0].OwningService, other.Blockers[0].OwningService);
        Assert.Same(one.Blockers[0].Id, other.Blockers[0].Id);
        Assert.Same(one.Appointments[0].Id, other.Appointments[0].Id);
        Assert.Same(one.Appointments[0].SourceSystem, other.Appointments[0].SourceSystem);
    }

    [Fact]
    public void Escaped_long_and_property_name_values_read_as_before()
    {
        Assert.Same(JourneyJson.Deserialize<ServiceKey>("\"housing.newham\""), JourneyJson.Deserialize<ServiceKey>("\"housing\\u002Enewham\""));
        var source = new string('s', 150);
        var provenance = JourneyJson.Deserialize<Provenance>(
            $$"""{"actor":{"id":"a","displayName":"A","role":"system"},"at":"2025-06-02T09:00:00+01:00","sourceSystem":"{{source}}","externalId":"x"}""");
        Assert.Equal(source, provenance.SourceSystem);
        var bySla = JourneyJson.Deserialize<Dictionary<ServiceKey, int>>("""{"housing.newham":3}""");
        Assert.Same(JourneyJson.Deserialize<ServiceKey>("\"housing.newham\""), Assert.Single(bySla.Keys));
    }

    [Theory]
    [InlineData("""{"actor":{"id":"a","displayName":"A","role":"system"},"at":"2025-06-02T09:00:00+01:00","sourceSystem":42,"externalId":"x"}""")]
    [InlineData("""{"actor":{"id":"a","displayName":"A","role":"system"},"at":"2025-06-02T09:00:00+01:00","sourceSystem":["epr"],"externalId":"x"}""")]
    public void A_shared_text_that_is_not_a_string_fails_loudly(string json) =>
        Assert.Throws<JsonException>(() => JourneyJson.Deserialize<Provenance>(json));
}
