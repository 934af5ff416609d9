using System.Collections.Immutable;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using CareTwin.Grains.Publishing;
using CareTwin.Grains.Views;

namespace CareTwin.Grains.Services;

/// <summary>Which version of a child this service holds, and that child's blockers in its ledger.</summary>
public sealed record ServiceChildStamp(long Version, ImmutableArray<string> BlockerIds);

public sealed class ServiceTwinState
{
    public ServiceLedger? Ledger { get; set; }

    public ImmutableDictionary<string, ServiceChildStamp> Children { get; set; } = ImmutableDictionary<string, ServiceChildStamp>.Empty;
}

[GrainType("service")]
public sealed class ServiceGrain([PersistentState("ledger")] IPersistentState<ServiceTwinState> storage, TimeProvider clock) : Grain, IServiceGrain
{
    private ServiceKey _key = null!;
    private WriteBehind<ServiceTwinState> _writes = null!;

    private ServiceLedger Ledger => storage.State.Ledger!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!ServiceKey.TryParse(this.GetPrimaryKeyString(), out var key))
            throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not {ServiceKey.FormatDescription}.");
        _key = key;
        storage.State.Ledger ??= ServiceLedger.For(key);
        _writes = new WriteBehind<ServiceTwinState>(this, storage);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _writes.FlushAsync();

    public async Task<bool> Apply(ServiceBlockersUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Blockers.IsDefault || update.Blockers.Any(b => b.ChildId != update.ChildId))
            throw new ArgumentException($"The blockers sent for child '{update.ChildId}' must all be that child's.", nameof(update));
        var state = storage.State;
        state.Children.TryGetValue(update.ChildId, out var held);
        if (held is not null && held.Version >= update.ChildVersion)
            return false;

        var before = Ledger;
        var ledger = (held?.BlockerIds ?? []).Aggregate(before, (l, blockerId) => l.Remove(update.ChildId, blockerId));
        state.Ledger = update.Blockers.Aggregate(ledger, (l, blocker) => l.Upsert(blocker));
        state.Children = state.Children.SetItem(update.ChildId, new ServiceChildStamp(update.ChildVersion, [.. update.Blockers.Select(b => b.BlockerId)]));
        _writes.Changed();

        var now = clock.GetUtcNow();
        var arrived = update.Blockers.Where(b => b.PendingEscalation is { } pending
            && before.Blockers.GetValueOrDefault(OwnedBlocker.KeyOf(b.ChildId, b.BlockerId))?.PendingEscalation?.Level != pending.Level);
        var newEscalations = arrived.Aggregate(ServiceLedger.For(_key), (l, b) => l.Upsert(b)).AwaitingAcknowledgement(now);
        await this.GetStreamProvider(JourneyStreams.ProviderName).ServiceStream(_key).PublishAsync(new ServiceChanged(
            _key, update.ChildId, update.ChildVersion, update.Blockers, newEscalations,
            state.Ledger.AwaitingAcknowledgementCount(), state.Ledger.Performance(now)));
        return true;
    }

    public async Task<ServiceOverview> GetOverview()
    {
        var directory = await GrainFactory.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory();
        var now = clock.GetUtcNow();
        return new ServiceOverview(_key, directory.Find(_key), Ledger.ActiveBlockers(), Ledger.AwaitingAcknowledgement(now), Ledger.Performance(now), now,
            storage.State.Children.ToImmutableDictionary(c => c.Key, c => c.Value.Version));
    }
}
