using BenchmarkDotNet.Attributes;

namespace CareTwin.Bench.Runtime;

/// <summary>
/// The round trip of one awaited call to an active grain from outside the runtime (target: median ≤ 2 µs), through
/// the silo's own cluster client, as the API calls the twins. On Orleans every call is a message scheduled on the
/// grain's activation (none runs inline on the caller's thread), with its arguments deep-copied.
/// </summary>
[MemoryDiagnoser]
public class GrainRoundTripBenchmarks
{
    private BenchHost _host = null!;
    private IPingGrain _one = null!;

    // Synchronous setup and cleanup: the in-process toolchain (--inProcess) does not await async ones.
    [GlobalSetup]
    public void Setup()
    {
        _host = BenchHost.StartAsync().GetAwaiter().GetResult();
        _one = _host.Grains.GetGrain<IPingGrain>("one");
        _one.Ping(0).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _host.DisposeAsync().AsTask().GetAwaiter().GetResult();

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
    public void Setup()
    {
        _host = BenchHost.StartAsync().GetAwaiter().GetResult();
        _grains = Enumerable.Range(0, Grains).Select(i => _host.Grains.GetGrain<IPingGrain>($"g{i}")).ToArray();
        foreach (var grain in _grains) grain.Ping(0).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _host.DisposeAsync().AsTask().GetAwaiter().GetResult();

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
