using CareTwin.Storage;
using CareTwin.Storage.Sqlite;
using Orleans;
using Orleans.Hosting;
using CareTwin.Grains.Boards;
using CareTwin.Grains.Children;
using CareTwin.Grains.Demo;
using CareTwin.Journey.Demo;
using CareTwin.Journey.Escalations;
using CareTwin.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CareTwin.Grains.Tests.Twins;

public sealed class DemoLoaderTests
{
    private const int Seed = 7;
    private const int Children = 25;

    [Fact]
    public async Task Loading_the_demo_region_again_on_the_same_database_doubles_nothing()
    {
        await using var host = await TwinHost.StartAsync();
        var loader = new DemoRegionLoader(host.Grains, host.Clock);
        var first = await loader.LoadAsync(Seed, Children);
        Assert.Empty(first.Problems);
        Assert.Equal((Children, 0), (first.Children, first.CommandsAlreadyApplied));

        // Later, after a restart: the region is regenerated for the first load's time, so every command is a duplicate.
        host.Clock.Advance(TimeSpan.FromDays(1));
        await host.RestartAsync();
        var second = await new DemoRegionLoader(host.Grains, host.Clock).LoadAsync(Seed, Children);

        Assert.Empty(second.Problems);
        Assert.Equal((first.GeneratedFor, 0, first.CommandsAccepted), (second.GeneratedFor, second.CommandsAccepted, second.CommandsAlreadyApplied));
        var region = DemoRegionGenerator.Generate(Seed, first.GeneratedFor, Children);
        Assert.Equal(region.Children.Sum(c => c.Commands.Length), first.CommandsAccepted);
        foreach (var child in region.Children)
        {
            // Besides the generated history, only the escalation ladder may have written (SLAs passing as time goes on).
            var timeline = (await host.Child(child.ChildId).GetTimeline(0, ChildGrain.MaxTimelinePage))!;
            Assert.Equal(child.Commands.Length, timeline.Entries.Count(e => e.SourceSystem != EscalationSchedule.SourceSystem));
        }
        var board = (await host.Grains.GetGrain<IBoardGrain>(BoardKey.ForRegion(region.RegionKey).ToString()).GetSnapshot()).Summary;
        Assert.Equal(Children, board.Children + board.Discharged);
    }

    [Fact]
    public async Task A_host_loads_the_demo_and_its_accelerated_clock_moves_the_delays()
    {
        var directory = Directory.CreateTempSubdirectory("caretwin-demo-host-").FullName;
        var real = new ManualTimeProvider();
        var clock = new AcceleratedTimeProvider(real.GetUtcNow(), factor: 3_600, real);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IStorageProvider>(_ => new SqliteStorageProvider(new SqliteStorageOptions { DataSource = Path.Combine(directory, "caretwin.db") }));
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(LoopbackPorts.Free(), 0, serviceId: "caretwin-demo-test", clusterId: $"demo-{Guid.NewGuid():N}")
            .AddCareTwinGrains()
            .UseJourneyClock(clock));
        using var app = builder.Build();
        await app.StartAsync();

        var report = await app.Services.GetRequiredService<DemoRegionLoader>().LoadAsync(Seed, Children);
        Assert.Empty(report.Problems);
        var board = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IBoardGrain>(BoardKey.ForRegion("north-thames").ToString());
        var before = (await board.GetSnapshot()).Summary;
        Assert.Equal(Children, before.Children + before.Discharged);
        Assert.True(before.ChildrenDelayed > 0);

        real.Advance(TimeSpan.FromSeconds(24)); // a day on the demo's clock
        await Until.Read(async () => (await board.GetSnapshot()).Summary, summary => summary.DaysDelayed > before.DaysDelayed,
            "a new day on the accelerated clock to add to the days delayed");

        await app.StopAsync();
        Directory.Delete(directory, recursive: true);
    }
}
