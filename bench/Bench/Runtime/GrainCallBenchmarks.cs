using BenchmarkDotNet.Attributes;

namespace CareTwin.Bench.Runtime;

/// <summary>The round trip of one awaited call to an active grain from outside the runtime (target: median ≤ 2 µs).</summary>
[MemoryDiagnoser]
public class GrainRoundTripBenchmarks
{
    private BenchHost _host = null!;
    private IPingGrain _one = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _host = await BenchHost.StartAsync();
        _one = _host.Runtime.GetGrain<IPingGrain>("one");
        await _one.Ping(0);
    }

    [GlobalCleanup]
    public async Task Cleanup() => await _host.DisposeAsync();

    [Benchmark]
    public Task<int> SequentialRoundTrip() => _one.Ping(1);
}

/// <summary>Aggregate calls/s when several callers drive 1,000 grains at once (target ≥ 1,000,000 calls/s); the result is time per call.</summary>
[MemoryDiagnoser]
public class GrainThroughputBenchmarks
{
    private const int Grains = 1_000;
    private const int CallsPerCaller = 100_000;

    private BenchHost _host = null!;
    private IPingGrain[] _grains = null!;

    [Params(1, 2, 4)]
    public int Callers { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _host = await BenchHost.StartAsync();
        _grains = Enumerable.Range(0, Grains).Select(i => _host.Runtime.GetGrain<IPingGrain>($"g{i}")).ToArray();
        foreach (var grain in _grains) await grain.Ping(0);
    }

    [GlobalCleanup]
    public async Task Cleanup() => await _host.DisposeAsync();

    /// <summary>Callers each make awaited calls round-robin over 1,000 grains.</summary>
    [Benchmark(OperationsPerInvoke = CallsPerCaller)]
    public Task AggregateOver1000Grains()
    {
        var callers = new Task[Callers];
        var share = CallsPerCaller / Callers;
        for (var c = 0; c < Callers; c++)
        {
            var offset = c * 7919;
            callers[c] = Task.Run(async () =>
            {
                for (var i = 0; i < share; i++) await _grains[(offset + i) % Grains].Ping(i);
            });
        }
        return Task.WhenAll(callers);
    }
}
