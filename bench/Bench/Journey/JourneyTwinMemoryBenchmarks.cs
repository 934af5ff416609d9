using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using CareTwin.Bench.Runtime;
using CareTwin.Grains.Children;
using CareTwin.Grains.Services;
using CareTwin.Journey.Children;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Serialization;
using CareTwin.Storage.Memory;

namespace CareTwin.Bench.Journey;

/// <summary>
/// Memory per active child twin with 20 appointments and 5 blockers (target ≤ 16 KB). BenchmarkDotNet counts
/// bytes allocated, not kept, so each iteration starts a fresh Orleans silo (<see cref="BenchHost"/>) over the same
/// in-memory storage (no twin active), activates every twin, and the "Retained/twin" column is the managed heap
/// after a full GC, minus the heap before, over the twins activated (the twin and what Orleans keeps for its activation),
/// the median over iterations. "State/twin" is the same measure for the bare
/// <see cref="ChildJourney"/> values (no runtime), and "State parts" what its parts hold.
/// The time column is the cost of activating one twin from its journal (in-memory storage).
/// </summary>
[Config(typeof(OncePerIterationConfig))]
public class JourneyTwinMemoryBenchmarks
{
    private const int Twins = 400;

    /// <summary>Retained bytes per twin, one value per iteration (of every job run in this process).</summary>
    internal static readonly ConcurrentBag<double> RetainedPerTwin = [];

    /// <summary>The median over iterations: an iteration can only come out low (memory of an earlier silo freed during it), never high.</summary>
    internal static double MedianRetainedPerTwin()
    {
        var values = RetainedPerTwin.Order().ToArray();
        return values.Length == 0 ? 0 : values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
    }

    internal static double StatePerTwin;
    internal static readonly Dictionary<string, double> StateParts = [];

    private readonly MemoryStorageProvider _storage = new();
    private string[] _childIds = [];
    private BenchHost? _host;
    private long _heapBefore;

    [GlobalSetup]
    public void Setup()
    {
        var now = DateTimeOffset.UtcNow;
        var services = JourneyHistories.Services(now);
        _childIds = [.. Enumerable.Range(0, Twins).Select(i => $"bench-{i:D4}")];
        var grains = StartRuntime();
        var directory = grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey);
        foreach (var profile in services)
            directory.Register(profile).GetAwaiter().GetResult();
        Parallel.ForEachAsync(_childIds, async (id, _) =>
        {
            var outcome = await grains.GetGrain<IChildHistoryImport>(id).ImportHistory(JourneyHistories.TypicalTwin(id, now, services));
            if (outcome.Refusal is not null || outcome.Version < 40)
                throw new InvalidOperationException($"{id}: {outcome}");
        }).GetAwaiter().GetResult();
        StopRuntime();
        MeasureBareState();
    }

    [IterationSetup]
    public void StartWithNoTwinActive()
    {
        var grains = StartRuntime();
        // The directory, boards and services are shared by every twin: activate them before measuring.
        grains.GetGrain<IChildGrain>(_childIds[0]).GetBoardRow().GetAwaiter().GetResult();
        _heapBefore = SettleQuiet();
    }

    [Benchmark(OperationsPerInvoke = Twins - 1, Description = "activate a twin (20 appointments, 5 blockers)")]
    public async Task ActivateTwins()
    {
        var grains = _host!.Grains;
        for (var i = 1; i < _childIds.Length; i++)
            await grains.GetGrain<IChildGrain>(_childIds[i]).GetBoardRow();
    }

    [IterationCleanup]
    public void MeasureAndStop()
    {
        var retained = (Settle() - _heapBefore) / (double)(Twins - 1);
        RetainedPerTwin.Add(retained);
        Console.WriteLine($"// retained per twin this iteration: {retained:N0} B");
        StopRuntime();
    }

    /// <summary>A silo over the shared in-memory store, which outlives it (stopping the silo is a host restart).</summary>
    private IGrainFactory StartRuntime()
    {
        _host = BenchHost.StartAsync(_storage, ownsStorage: false).GetAwaiter().GetResult();
        return _host.Grains;
    }

    private void StopRuntime()
    {
        var host = _host!;
        _host = null;
        host.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// The same twins as bare values, read from their stored journals and folded as an activation does (the
    /// stored text is held before and after, so what is counted is the state with its own strings).
    /// </summary>
    private void MeasureBareState()
    {
        var payloads = _childIds.Select(id => _storage.ReadJournalAsync(new CareTwin.Storage.RecordKey("child", id), 0, int.MaxValue, CancellationToken.None)
            .GetAwaiter().GetResult().Select(e => e.Payload).ToArray()).ToArray();
        var before = Settle();
        var states = payloads.Select(journal => JourneyFold.Replay(journal.Select(JourneyJson.Deserialize<JourneyEvent>))).ToArray();
        var withState = Settle();
        StatePerTwin = (withState - before) / (double)states.Length;
        // Take the parts away one by one: what each frees is what it holds.
        var heap = withState;
        foreach (var (part, without) in new (string, Func<ChildJourney, ChildJourney>)[]
        {
            ("idempotency keys", s => s with { AppliedKeys = IdempotencyKeySet.Empty }),
            ("appointments", s => s with { Appointments = [] }),
            ("blockers", s => s with { Blockers = [] }),
            ("transitions", s => s with { Transitions = [] }),
        })
        {
            for (var i = 0; i < states.Length; i++)
                states[i] = without(states[i]);
            var after = Settle();
            StateParts[part] = (heap - after) / (double)states.Length;
            heap = after;
        }
        GC.KeepAlive(states);
        GC.KeepAlive(payloads);
    }

    /// <summary>
    /// The heap once it has stopped moving: for some seconds after a silo starts (the previous iteration's silo just
    /// stopped), megabytes are still being released (seen: up to 4 MB, 10 KB a twin); freed during the measurement,
    /// they make that iteration's figure come out low. Waits for two quiet quarter-seconds in a row, at most 10 s
    /// (short enough for BenchmarkDotNet's default job, which --inProcess adds, to finish within its time limit); a
    /// late release can still lower an iteration, which is why the reported figure is the median over iterations.
    /// </summary>
    private static long SettleQuiet()
    {
        var heap = Settle();
        for (int waited = 0, quiet = 0; waited < 40 && quiet < 2; waited++)
        {
            Thread.Sleep(250);
            var next = Settle();
            quiet = Math.Abs(next - heap) < 64 * 1024 ? quiet + 1 : 0;
            heap = next;
        }
        return heap;
    }

    private static long Settle()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
