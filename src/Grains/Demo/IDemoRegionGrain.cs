
namespace CareTwin.Grains.Demo;

/// <summary>Remembers, per seed (the key), the time a demo region was first generated for.</summary>
public interface IDemoRegionGrain : IGrainWithStringKey
{
    /// <summary>
    /// The time to generate the region for: <paramref name="proposed"/> on the first load, the same time on
    /// every later load, so the generator writes the same commands with the same external ids (all duplicates).
    /// </summary>
    Task<DateTimeOffset> GenerationTime(DateTimeOffset proposed);
}

public sealed class DemoRegionState
{
    public DateTimeOffset? GeneratedFor { get; set; }
}

[GrainType("demo-region")]
public sealed class DemoRegionGrain([PersistentState("demo")] IPersistentState<DemoRegionState> storage) : Grain, IDemoRegionGrain
{
    public async Task<DateTimeOffset> GenerationTime(DateTimeOffset proposed)
    {
        if (storage.State.GeneratedFor is { } fixedTime)
            return fixedTime;
        storage.State.GeneratedFor = proposed;
        await storage.WriteStateAsync();
        return proposed;
    }
}
