using CareTwin.Journey.Validation;
using CareTwin.Silo.Composition;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CareTwin.Silo.Tests;

/// <summary>The per-child daily caps come from section "Journey"; a value out of range stops the host with one line naming it.</summary>
public sealed class JourneySettingsTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void The_caps_are_read_from_the_journey_section_with_the_models_defaults_for_what_is_not_set()
    {
        Assert.Equal(JourneyLimits.Default, JourneySettings.Read(Settings()));
        Assert.Equal(new JourneyLimits { FamilyNotesPerDay = 5, FamilyConcernsPerDay = 10 }, JourneySettings.Read(Settings(("Journey:FamilyNotesPerDay", "5"))));
    }

    [Theory]
    [InlineData("Journey:FamilyNotesPerDay", "0", "Journey:FamilyNotesPerDay is 0; it must be from 1 to 1000.")]
    [InlineData("Journey:FamilyConcernsPerDay", "5000", "Journey:FamilyConcernsPerDay is 5000; it must be from 1 to 1000.")]
    public void A_cap_out_of_range_is_refused_naming_the_setting(string key, string value, string message) =>
        Assert.Equal(message, Assert.Throws<InvalidOperationException>(() => JourneySettings.Read(Settings((key, value)))).Message);

    [Fact]
    public async Task The_host_gives_the_twins_the_configured_caps()
    {
        await using var app = CareTwinHost.Build(["--Journey:FamilyConcernsPerDay=3"]);
        Assert.Equal(new JourneyLimits { FamilyConcernsPerDay = 3 }, app.Services.GetRequiredService<IOptions<JourneyLimits>>().Value);
    }
}
