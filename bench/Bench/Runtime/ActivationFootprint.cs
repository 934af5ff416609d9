using System.Globalization;
using System.Text;

namespace CareTwin.Bench.Runtime;

/// <summary>
/// Retained memory per idle activation on Orleans (target ≤ 2 KB of runtime overhead). BenchmarkDotNet counts bytes
/// allocated, not bytes kept alive, so this measures the managed heap after a full GC with 100,000 idle
/// activations held, minus the heap before, minus the grain objects themselves. Everything Orleans keeps per
/// activation counts: the activation data and its catalog entry, the local grain directory entry, the grain id.
/// Run: <c>dotnet run -c Release --project bench/Bench -- footprint</c>.
/// </summary>
public static class ActivationFootprint
{
    public static async Task<string> MeasureAsync(int activations = 100_000)
    {
        await using var host = await BenchHost.StartAsync();
        var keys = Enumerable.Range(0, activations).Select(i => $"k{i:D6}").ToArray();
        await host.Grains.GetGrain<IPingGrain>("warm").Ping(0);
        var before = Settle();
        foreach (var key in keys) await host.Grains.GetGrain<IPingGrain>(key).Ping(0);
        var after = Settle();
        GC.KeepAlive(keys);

        var perActivation = (after - before) / (double)activations;
        var grainObject = 16 + 2 * 8 + 8; // PingGrain: object header + Grain's context and runtime references + int, rounded
        var keyString = 22 + 2 * 7; // "k000000": string header + 7 chars (held by the caller's array, not the runtime)
        var report = new StringBuilder()
            .AppendLine("# Activation footprint")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Environment.ProcessorCount} cores, .NET {Environment.Version}, Orleans {BenchHost.OrleansVersion}.")
            .AppendLine()
            .AppendLine("| activations | heap growth | per activation | of which grain object | runtime overhead |")
            .AppendLine("|---:|---:|---:|---:|---:|")
            .AppendLine(CultureInfo.InvariantCulture,
                $"| {activations:N0} | {(after - before) / 1024.0 / 1024.0:N1} MiB | {perActivation:N0} B | ~{grainObject} B | ~{perActivation - grainObject:N0} B |")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"The key strings ({keyString} B each) live in the caller's array, not counted as runtime overhead; Orleans keeps the key in its own GrainId (UTF-8 bytes), counted as runtime overhead.")
            .ToString();
        return report;
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
