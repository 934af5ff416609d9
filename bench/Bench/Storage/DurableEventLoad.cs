using System.Diagnostics;
using CareTwin.Storage;
using CareTwin.Bench.Runtime;

namespace CareTwin.Bench.Storage;

/// <summary>A store to load: the provider, its count of group commits, and the ids of its server's processes on this machine.</summary>
public sealed record LoadTarget(string Store, IStorageProvider Provider, Func<long> CommittedBatches, Func<Task<IReadOnlyList<int>>> ServerProcesses);

/// <summary>What one load run measured over its window.</summary>
public sealed record LoadResult(string Store, int Twins, long Events, TimeSpan Window, TimeSpan P50, TimeSpan P99, TimeSpan Max, long Commits, CpuBreakdown Cpu)
{
    public double EventsPerSecond => Events / Window.TotalSeconds;

    public double EventsPerCommit => Commits == 0 ? 0 : Events / (double)Commits;

    /// <summary>CPU per acknowledged event, in microseconds.</summary>
    public double PerEvent(TimeSpan cpu) => Events == 0 ? 0 : cpu.TotalMicroseconds / Events;

    /// <summary>Share of one core over the window (1.0 = one core busy throughout).</summary>
    public double OfOneCore(TimeSpan cpu) => cpu / Window;
}

/// <summary>
/// A closed-loop load: each of N callers drives its own twin with awaited calls back to back, so N events are
/// in flight at any moment. Counts the calls that were sent and acknowledged inside the measured window.
/// </summary>
public static class DurableEventLoad
{
    public static async Task<LoadResult> RunAsync(LoadTarget target, int twins, TimeSpan warmUp, TimeSpan window)
    {
        await using var host = await BenchHost.StartAsync(target.Provider, ownsStorage: true);
        var grains = Enumerable.Range(0, twins).Select(i => host.Grains.GetGrain<ILoadTwinGrain>($"twin-{i:D3}")).ToArray();
        foreach (var grain in grains) await grain.Record(0);

        // Set by this method only; the callers read them to know whether a call falls inside the window.
        var start = long.MaxValue;
        var end = long.MaxValue;
        var callers = grains.Select(grain => Task.Run(async () =>
        {
            var latencies = new List<long>(4096);
            for (var sequence = 1; ; sequence++)
            {
                var sent = Stopwatch.GetTimestamp();
                await grain.Record(sequence);
                var acknowledged = Stopwatch.GetTimestamp();
                if (acknowledged > Volatile.Read(ref end)) return latencies;
                if (sent >= Volatile.Read(ref start)) latencies.Add(acknowledged - sent);
            }
        })).ToArray();

        await Task.Delay(warmUp);
        var server = await target.ServerProcesses();
        var before = CpuSample.Take(server);
        var commitsBefore = target.CommittedBatches();
        Volatile.Write(ref start, Stopwatch.GetTimestamp());
        await Task.Delay(window);
        Volatile.Write(ref end, Stopwatch.GetTimestamp());
        var after = CpuSample.Take(server);
        var commits = target.CommittedBatches() - commitsBefore;
        var all = (await Task.WhenAll(callers)).SelectMany(l => l).ToArray();
        Array.Sort(all);

        return new LoadResult(target.Store, twins, all.Length, Stopwatch.GetElapsedTime(start, end),
            Percentile(all, 0.50), Percentile(all, 0.99), Percentile(all, 1.0), commits, CpuSample.Between(before, after));
    }

    private static TimeSpan Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, sorted[(int)Math.Round(p * (sorted.Length - 1))]);
}
