using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using CareTwin.Grains.Children;
using CareTwin.Journey.Demo;
using CareTwin.Grains.Services;

namespace CareTwin.Grains.Demo;

/// <param name="CommandsAccepted">Commands recorded by this load (0 when the region was already loaded).</param>
/// <param name="CommandsAlreadyApplied">Commands a previous load had recorded (duplicates).</param>
/// <param name="Problems">Services or children the rules refused, with the reason.</param>
public sealed record DemoLoadReport(
    int Seed,
    DateTimeOffset GeneratedFor,
    int Services,
    int Children,
    int CommandsAccepted,
    int CommandsAlreadyApplied,
    ImmutableArray<string> Problems);

/// <summary>
/// Loads the synthetic demo region (<see cref="DemoRegionGenerator"/>) through the grains, so it goes through
/// the same rules, journals, boards and service twins as live traffic. Running it again on the same database
/// changes nothing: the region is regenerated for the time of the first load and every command is a duplicate.
/// </summary>
public sealed class DemoRegionLoader(IGrainFactory grains, TimeProvider clock)
{
    public const int DefaultSeed = 20_261_122;

    /// <summary>Children loaded at once; each child's history is one call, so this bounds calls in flight, not threads.</summary>
    public const int Parallelism = 32;

    public async Task<DemoLoadReport> LoadAsync(int seed = DefaultSeed, int children = DemoRegionGenerator.DefaultChildren, CancellationToken cancellationToken = default)
    {
        var generatedFor = await grains.GetGrain<IDemoRegionGrain>(seed.ToString(CultureInfo.InvariantCulture)).GenerationTime(clock.GetUtcNow());
        var region = DemoRegionGenerator.Generate(seed, generatedFor, children);
        var problems = new ConcurrentQueue<string>();

        var directory = grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey);
        foreach (var profile in region.Services)
        {
            if ((await directory.Register(profile)).Refusal is { } refused)
                problems.Enqueue($"service {profile.Key}: {refused.Field}: {refused.Message}");
        }

        int accepted = 0, duplicates = 0;
        await Parallel.ForEachAsync(region.Children, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (child, _) =>
            {
                var outcome = await grains.GetGrain<IChildHistoryImport>(child.ChildId).ImportHistory(child.Commands);
                Interlocked.Add(ref accepted, outcome.Accepted);
                Interlocked.Add(ref duplicates, outcome.Duplicates);
                if (outcome.Refusal is { } refused)
                    problems.Enqueue($"child {child.ChildId}, command {outcome.RefusedAt}: {refused.Field}: {refused.Message}");
            });
        return new DemoLoadReport(seed, generatedFor, region.Services.Length, region.Children.Length, accepted, duplicates, [.. problems]);
    }
}
