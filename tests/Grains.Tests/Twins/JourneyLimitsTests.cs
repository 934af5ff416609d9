using CareTwin.Grains.Children;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Validation;
using CareTwin.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Grains.Tests.Twins;

/// <summary>The child's twin decides with the host's <see cref="JourneyLimits"/> and its own clock.</summary>
public sealed class JourneyLimitsTests
{
    [Fact]
    public async Task A_twin_applies_the_hosts_daily_cap_on_family_notes_and_allows_more_after_london_midnight()
    {
        var clock = new ManualTimeProvider(London(2026, 7, 1, 23, 0));
        await using var silo = await TestSilo.StartAsync(clock: clock,
            services: s => s.AddSingleton(Options.Create(new JourneyLimits { FamilyNotesPerDay = 2 })));
        var child = silo.Grains.GetGrain<IChildGrain>("child-capped");
        var sequence = 0;
        CommandOrigin Origin(Actor actor) => new(actor, "caretwin.web", $"limits-{++sequence}");
        await TwinHost.Accept(child, new RegisterChild(Origin(Coordinator), "child-capped", ValidNhsNumber, "Amelia", "Okonkwo",
            new DateOnly(2021, 3, 14), "royal-thamesbank", "north-thames", []));
        var first = new AddFamilyNote(Origin(Parent), "First");
        await TwinHost.Accept(child, first);
        await TwinHost.Accept(child, new AddFamilyNote(Origin(Parent), "Second"));

        var refused = await child.Execute(new AddFamilyNote(Origin(Parent), "Third"));
        Assert.Equal((OutcomeKind.Refused, "text"), (refused.Kind, refused.Refusal!.Field));
        Assert.StartsWith("The team has had 2 messages from your family today", refused.Refusal.Message);
        Assert.Equal(OutcomeKind.Duplicate, (await child.Execute(first)).Kind);
        Assert.Equal(3, (await child.GetJourney())!.Version);

        // 00:30 BST on 2 July is still 1 July in UTC: the UK day decides.
        clock.Advance(TimeSpan.FromMinutes(90));
        await TwinHost.Accept(child, new AddFamilyNote(Origin(Parent), "Next day"));
    }
}
