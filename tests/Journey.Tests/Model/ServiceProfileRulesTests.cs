using CareTwin.Journey.Blockers;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Serialization;
using CareTwin.Journey.Services;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

public class ServiceProfileRulesTests
{
    [Theory]
    [InlineData("housing.newham", true)]
    [InlineData("health.community-nursing.eastmarsh", true)]
    [InlineData("social-care.disabled-children.riverside", true)]
    [InlineData("housing", false)]
    [InlineData("Housing.Newham", false)]
    [InlineData("housing..newham", false)]
    [InlineData("housing.newham.", false)]
    [InlineData("housing.-newham", false)]
    [InlineData("housing newham", false)]
    [InlineData("", false)]
    public void Service_keys_are_dot_separated_lower_case_kebab_words(string key, bool valid)
    {
        Assert.Equal(valid, ServiceKey.TryParse(key, out _));
    }

    [Fact]
    public void A_complete_profile_passes()
    {
        Assert.Null(ServiceProfileRules.Check(Housing));
    }

    [Fact]
    public void The_ladder_needs_one_contact_with_an_acknowledgement_window_for_each_of_levels_1_to_3()
    {
        var missingTop = Housing with { EscalationLadder = Housing.EscalationLadder.RemoveAt(2) };
        Assert.Equal("escalationLadder[3]", ServiceProfileRules.Check(missingTop)!.Field);

        var instant = Housing with { EscalationLadder = Housing.EscalationLadder.SetItem(0, Housing.EscalationLadder[0] with { AcknowledgeWithin = TimeSpan.Zero }) };
        Assert.Equal("escalationLadder[1].acknowledgeWithin", ServiceProfileRules.Check(instant)!.Field);

        var unnamed = Housing with { EscalationLadder = Housing.EscalationLadder.SetItem(1, Housing.EscalationLadder[1] with { Contact = new EscalationContact("", "Manager", null) }) };
        Assert.Equal("escalationLadder[2].contact.name", ServiceProfileRules.Check(unnamed)!.Field);
    }

    [Fact]
    public void SLAs_and_names_are_checked()
    {
        Assert.Equal("defaultSlaDays", ServiceProfileRules.Check(Housing with { DefaultSlaDays = 0 })!.Field);
        Assert.Equal("slaDays[housing-adaptation]", ServiceProfileRules.Check(Housing with { SlaDays = Housing.SlaDays.SetItem(BlockerCategory.HousingAdaptation, 400) })!.Field);
        var refusal = ServiceProfileRules.Check(Housing with { Name = " " })!;
        Assert.Equal((RefusalKind.InvalidArgument, "name"), (refusal.Kind, refusal.Field));
        Assert.Equal("kind", ServiceProfileRules.Check(Housing with { Kind = (AgencyKind)9 })!.Field);
    }

    [Theory]
    [InlineData("020 7946 0101", null)]
    [InlineData("+44 20 7946 0101", null)]
    [InlineData("ring the ward", "phone")]
    [InlineData("020-7946-0101", "phone")]
    [InlineData("12", "phone")]
    public void A_phone_number_is_digits_and_spaces(string phone, string? refusedField)
    {
        Assert.Equal(refusedField, ServiceProfileRules.Check(Housing with { Phone = phone })?.Field);
    }

    [Fact]
    public void A_ward_names_its_hospital_and_has_a_number_families_can_ring()
    {
        var ward = Housing with { Phone = "020 7946 0101", WardOf = "royal-thamesbank" };
        Assert.Null(ServiceProfileRules.Check(ward));
        Assert.Equal("phone", ServiceProfileRules.Check(ward with { Phone = null })!.Field);
        Assert.Equal("wardOf", ServiceProfileRules.Check(ward with { WardOf = "Royal Thamesbank" })!.Field);
        Assert.Same(ward, new[] { Housing, ward }.WardFor("royal-thamesbank"));
        Assert.Null(new[] { Housing, ward }.WardFor("st-brigids"));
    }

    [Fact]
    public void A_directory_document_is_used_whole_or_not_at_all_and_its_problem_names_the_service()
    {
        var housing = JourneyJson.Serialize(Housing);
        Assert.Equal([Housing.Key], ServiceDirectoryDocument.Parse($"{{\"services\": [{housing}]}}").Services.Select(s => s.Key));

        var unnamed = JourneyJson.Serialize(Housing with { Name = "" });
        var (services, problem) = ServiceDirectoryDocument.Parse($"{{\"services\": [{housing}, {unnamed}]}}");
        Assert.Empty(services);
        Assert.StartsWith("service 2 (housing.newham): ", problem);

        Assert.Equal("service 'housing.newham' is listed more than once.", ServiceDirectoryDocument.Parse($"{{\"services\": [{housing}, {housing}]}}").Problem);
        Assert.StartsWith("it lists no services", ServiceDirectoryDocument.Parse("{\"services\": []}").Problem);
        Assert.Contains("$.services[0].kind", ServiceDirectoryDocument.Parse($"{{\"services\": [{housing.Replace("\"housing\"", "\"council\"", StringComparison.Ordinal)}]}}").Problem);
    }
}
