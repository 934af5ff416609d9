using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace CareTwin.Bench.Runtime;

/// <summary>How long 100,000 first calls take, each creating an Orleans activation of a stateless grain (target ≤ 1 s); a fresh silo per iteration.</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class ActivationBenchmarks
{
    private const int Activations = 100_000;
    private BenchHost _host = null!;
    private string[] _keys = null!;

    [Params(1, 2)]
    public int Callers { get; set; }

    [IterationSetup]
    public void Setup()
    {
        _host = BenchHost.StartAsync().GetAwaiter().GetResult();
        _keys = Enumerable.Range(0, Activations).Select(i => $"k{i}").ToArray();
    }

    [IterationCleanup]
    public void Cleanup() => _host.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public Task Create100000Activations()
    {
        var callers = new Task[Callers];
        var share = Activations / Callers;
        for (var c = 0; c < Callers; c++)
        {
            var start = c * share;
            callers[c] = Task.Run(async () =>
            {
                for (var i = start; i < start + share; i++) await _host.Grains.GetGrain<IPingGrain>(_keys[i]).Ping(i);
            });
        }
        return Task.WhenAll(callers);
    }
}
