using BenchmarkDotNet.Attributes;
using CareTwin.Bench.Runtime;
using CareTwin.Grains.Demo;
using CareTwin.Journey.Demo;
using CareTwin.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CareTwin.Bench.Journey;

/// <summary>
/// Loading the demo region (300 children, ~15 services) into a fresh SQLite database through the grains,
/// as a host does on first start; and loading it again on the same database (every command a duplicate).
/// Each iteration starts an Orleans silo composed as the host composes it (<see cref="BenchHost"/>) over a new file.
/// </summary>
[Config(typeof(OncePerIterationConfig))]
public class JourneyDemoLoadBenchmarks
{
    private string _directory = "";
    private BenchHost? _host;

    [Params(false, true)]
    public bool AlreadyLoaded { get; set; }

    [IterationSetup]
    public void StartOnAFreshDatabase()
    {
        _directory = Directory.CreateTempSubdirectory("caretwin-bench-demo-").FullName;
        var store = new SqliteStorageProvider(new SqliteStorageOptions { DataSource = Path.Combine(_directory, "caretwin.db") });
        _host = BenchHost.StartAsync(store, ownsStorage: true).GetAwaiter().GetResult();
        if (AlreadyLoaded)
            Load().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "load the demo region (300 children)")]
    public async Task<DemoLoadReport> Load()
    {
        var report = await _host!.Services.GetRequiredService<DemoRegionLoader>().LoadAsync(children: DemoRegionGenerator.DefaultChildren);
        if (!report.Problems.IsEmpty || report.Children != DemoRegionGenerator.DefaultChildren)
            throw new InvalidOperationException(string.Join("; ", report.Problems));
        return report;
    }

    [IterationCleanup]
    public void Stop()
    {
        _host!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _host = null;
        Directory.Delete(_directory, recursive: true);
    }
}
