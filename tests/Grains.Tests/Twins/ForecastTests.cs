using System.Collections.Immutable;
using CareTwin.Grains.Forecasts;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Delays;
using CareTwin.Testing;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Grains.Tests.Twins;

public sealed class ForecastTests
{
    [Fact]
    public async Task Blockers_resolved_by_some_children_teach_the_forecast_of_another_and_the_lesson_survives_a_restart()
    {
        await using var host = await TwinHost.StartAsync();
        // Five housing adaptations, all raised today, resolved after 20, 30, 30, 40 and 50 days.
        for (var i = 1; i <= 5; i++)
        {
            var child = await host.InHospitalAsync($"child-taught-{i}");
            await TwinHost.Accept(child, ChildTwinTests.RaiseBlocker(host, host.Today.AddDays(10)));
        }
        var elapsed = 0;
        foreach (var (child, days) in new[] { (1, 20), (2, 30), (3, 30), (4, 40), (5, 50) })
        {
            host.Clock.Advance(TimeSpan.FromDays(days - elapsed));
            elapsed = days;
            await TwinHost.Accept(host.Child($"child-taught-{child}"), new ResolveBlocker(host.Origin(), "blocker-1"));
        }

        var learned = await host.Grains.GetGrain<ILeadTimeGrain>(ILeadTimeGrain.DefaultKey).GetLeadTimes();
        Assert.Equal((30, 40, 5, LeadTimeBasis.ServiceAndCategory), Summary(learned.For(Housing.Key, BlockerCategory.HousingAdaptation)));

        // A new child's housing adaptation, hoped for in 10 days: likely 30 to 40 days, driven by it.
        var next = await host.InHospitalAsync("child-forecast");
        await TwinHost.Accept(next, ChildTwinTests.RaiseBlocker(host, host.Today.AddDays(10)));
        var expected = new ReadyForecast(host.Today.AddDays(30), host.Today.AddDays(40), "blocker-1");
        Assert.Equal(expected, await next.GetForecast());
        Assert.Equal(expected, (await next.GetBoardRow())!.Forecast);
        Assert.Equal(host.Today.AddDays(10), (await next.GetPrediction())!.PredictedReadyDate);

        // A child that sends its resolved blockers again (as on every activation) is not counted twice.
        await host.RestartAsync();
        Assert.True(await host.Child("child-taught-1").GetJourney() is not null);
        learned = await host.Grains.GetGrain<ILeadTimeGrain>(ILeadTimeGrain.DefaultKey).GetLeadTimes();
        Assert.Equal((30, 40, 5, LeadTimeBasis.ServiceAndCategory), Summary(learned.For(Housing.Key, BlockerCategory.HousingAdaptation)));
        Assert.Equal(expected, await host.Child("child-forecast").GetForecast());
    }

    [Fact]
    public async Task Resolved_blockers_sent_again_as_children_activate_are_learned_within_a_minute_and_every_reader_meanwhile_shares_one_lesson()
    {
        await using var host = await TwinHost.StartAsync();
        var leadTimes = host.Grains.GetGrain<ILeadTimeGrain>(ILeadTimeGrain.DefaultKey);
        var before = await leadTimes.GetLeadTimes();
        // Five children's housing adaptations, resolved after 10 to 50 days, sent again as each twin activates (as
        // after the lead times were lost): thousands of twins activating must not each learn, and keep, a copy of its own.
        for (var i = 1; i <= 5; i++)
            Assert.True(await leadTimes.Record(new ResolvedBlockers($"child-resent-{i}", ImmutableDictionary<string, LeadTimeSample>.Empty
                .Add("blocker-1", new LeadTimeSample(Housing.Key, BlockerCategory.HousingAdaptation, 10 * i))) { SentAgain = true }));

        var meanwhile = await leadTimes.GetLeadTimes();
        Assert.Same(before, meanwhile);
        Assert.Equal(LeadTimeBasis.Default, meanwhile.For(Housing.Key, BlockerCategory.HousingAdaptation).Basis);

        host.Clock.Advance(LeadTimeGrain.CatchUpWithin);
        var learned = await leadTimes.GetLeadTimes();
        Assert.Equal((30, 40, 5, LeadTimeBasis.ServiceAndCategory), Summary(learned.For(Housing.Key, BlockerCategory.HousingAdaptation)));
    }

    private static (int, int, int, LeadTimeBasis) Summary(LeadTime leadTime) => (leadTime.MedianDays, leadTime.Likely80Days, leadTime.Samples, leadTime.Basis);

    [Fact]
    public async Task What_a_node_reads_for_its_pages_and_API_learns_a_resolution_within_its_freshness()
    {
        await using var host = await TwinHost.StartAsync();
        var onThisNode = new LeadTimesOnThisNode(host.Grains);
        var before = await onThisNode.GetAsync();
        Assert.Same(before, await onThisNode.GetAsync()); // one read serves the requests in between

        var leadTimes = host.Grains.GetGrain<ILeadTimeGrain>(ILeadTimeGrain.DefaultKey);
        for (var i = 1; i <= LeadTimes.MinimumSamples; i++)
            await leadTimes.Record(new ResolvedBlockers($"child-node-{i}", ImmutableDictionary<string, LeadTimeSample>.Empty
                .Add("blocker-1", new LeadTimeSample(Housing.Key, BlockerCategory.HousingAdaptation, 10 * i))));

        // Real time, not the journey clock (frozen here): the node reads again once its copy is older than the freshness.
        await Eventually.True(async () => (await onThisNode.GetAsync()).For(Housing.Key, BlockerCategory.HousingAdaptation).Samples == LeadTimes.MinimumSamples,
            "the node's copy learns the five resolutions", limitSeconds: 10);
        Assert.Equal(LeadTimeBasis.ServiceAndCategory, (await onThisNode.GetAsync()).For(Housing.Key, BlockerCategory.HousingAdaptation).Basis);
    }
}
