using BenchmarkDotNet.Attributes;
using CareTwin.Actors.Hosting;
using CareTwin.Actors.Runtime;
using CareTwin.Grains;
using CareTwin.Grains.Demo;
using CareTwin.Journey.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace CareTwin.Bench.Journey;

/// <summary>
/// Loading the demo region (300 children, ~15 services) into a fresh SQLite database through the grains,
/// as a host does on first start; and loading it again on the same database (every command a duplicate).
/// </summary>
[Config(typeof(OncePerIterationConfig))]
public class JourneyDemoLoadBenchmarks
{
    private string _directory = "";
    private ServiceProvider? _host;

    [Params(false, true)]
    public bool AlreadyLoaded { get; set; }

    [IterationSetup]
    public void StartOnAFreshDatabase()
    {
        _directory = Directory.CreateTempSubdirectory("caretwin-bench-demo-").FullName;
        var services = new ServiceCollection();
        services.AddActorRuntime(silo => silo.AddCareTwinGrains().AddSqliteGrainStorage("Default", o => o.DataSource = Path.Combine(_directory, "caretwin.db")));
        _host = services.BuildServiceProvider();
        _host.GetRequiredService<ActorRuntime>().StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        if (AlreadyLoaded)
            Load().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "load the demo region (300 children)")]
    public async Task<DemoLoadReport> Load()
    {
        var report = await _host!.GetRequiredService<DemoRegionLoader>().LoadAsync(children: DemoRegionGenerator.DefaultChildren);
        if (!report.Problems.IsEmpty || report.Children != DemoRegionGenerator.DefaultChildren)
            throw new InvalidOperationException(string.Join("; ", report.Problems));
        return report;
    }

    [IterationCleanup]
    public void Stop()
    {
        _host!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }
}
