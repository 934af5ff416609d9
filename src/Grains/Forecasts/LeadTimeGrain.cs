using System.Collections.Immutable;
using CareTwin.Grains.Views;
using CareTwin.Journey.Delays;

namespace CareTwin.Grains.Forecasts;

/// <summary>
/// The lead times learned from every child's resolved blockers (key: <see cref="DefaultKey"/>): children send the
/// blockers they resolve, and read the lead times back to forecast their ready dates.
/// </summary>
public interface ILeadTimeGrain : IGrainWithStringKey
{
    const string DefaultKey = "default";

    /// <summary>Records a child's resolved blockers; one already held is not counted twice. True if anything was new.</summary>
    Task<bool> Record(ResolvedBlockers resolved);

    [ReadOnly]
    Task<LeadTimes> GetLeadTimes();
}

/// <param name="Samples">Each resolved blocker by its id, with what it teaches.</param>
public sealed record ResolvedBlockers(string ChildId, ImmutableDictionary<string, LeadTimeSample> Samples)
{
    /// <summary>Sent again as the child activates (so a lost update heals), not just resolved: learned within <see cref="LeadTimeGrain.CatchUpWithin"/>.</summary>
    public bool SentAgain { get; init; }
}

public sealed class LeadTimeState
{
    /// <summary>Every sample, by "child id/blocker id", so a child sending again is not counted twice.</summary>
    public ImmutableDictionary<string, LeadTimeSample> Samples { get; set; } = ImmutableDictionary<string, LeadTimeSample>.Empty;
}

[GrainType("lead-times")]
public sealed class LeadTimeGrain([PersistentState("lead-times")] IPersistentState<LeadTimeState> storage, TimeProvider clock) : Grain, ILeadTimeGrain
{
    /// <summary>
    /// How late samples sent again may be learned. Learning afresh on each of them gave every twin that activated its
    /// own copy of the lead times (each as large as all the samples: quadratic memory and time when thousands activate).
    /// </summary>
    public static readonly TimeSpan CatchUpWithin = TimeSpan.FromMinutes(1);

    private WriteBehind _writes = null!;
    private LeadTimes? _learned;
    private DateTimeOffset _learnedAt;
    private bool _behind;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _writes = new WriteBehind(this, storage);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _writes.FlushAsync();

    public Task<bool> Record(ResolvedBlockers resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var samples = storage.State.Samples;
        foreach (var (blockerId, sample) in resolved.Samples)
        {
            var key = $"{resolved.ChildId}/{blockerId}";
            if (!samples.TryGetValue(key, out var held) || held != sample)
                samples = samples.SetItem(key, sample);
        }
        if (samples == storage.State.Samples)
            return Task.FromResult(false);
        storage.State.Samples = samples;
        // A blocker just resolved counts in the next forecast at once; samples sent again only catch up.
        if (resolved.SentAgain)
            _behind = true;
        else
            _learned = null;
        // Like a board, a view of the journals: written behind, healed when children re-send.
        _writes.Changed();
        return Task.FromResult(true);
    }

    public Task<LeadTimes> GetLeadTimes()
    {
        var now = clock.GetUtcNow();
        if (_learned is null || (_behind && (now - _learnedAt >= CatchUpWithin || now < _learnedAt)))
        {
            _learned = LeadTimes.Learn(storage.State.Samples.Values);
            _learnedAt = now;
            _behind = false;
        }
        return Task.FromResult(_learned);
    }
}
