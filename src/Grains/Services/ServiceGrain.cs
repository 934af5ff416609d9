using System.Collections.Immutable;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using CareTwin.Grains.Publishing;
using CareTwin.Grains.Persistence;
using CareTwin.Grains.Views;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace CareTwin.Grains.Services;

/// <summary>Which version of a child this service holds, and that child's blockers in its ledger.</summary>
public sealed record ServiceChildStamp(long Version, ImmutableArray<string> BlockerIds);

/// <summary>A child's part of a service's ledger as stored: the child's version it reflects and its blockers at the service.</summary>
public sealed record StoredServiceChild(long Version, ImmutableArray<OwnedBlocker> Blockers);

/// <summary>A service's ledger in memory, and which version of each child it holds.</summary>
public sealed class ServiceTwinState
{
    public ServiceLedger? Ledger { get; set; }

    public ImmutableDictionary<string, ServiceChildStamp> Children { get; set; } = ImmutableDictionary<string, ServiceChildStamp>.Empty;
}

/// <param name="whole">Where a ledger was stored in one piece before it was bucketed by child: read once, taken over, cleared.</param>
[GrainType("service")]
public sealed class ServiceGrain(
    [PersistentState("ledger")] IPersistentState<ServiceTwinState> whole,
    [FromKeyedServices(StoredGrainState.ProviderName)] IGrainStorage storage,
    TimeProvider clock,
    ILogger<ServiceGrain> logger) : Grain, IServiceGrain
{
    private ServiceKey _key = null!;
    private readonly ServiceTwinState _state = new();
    private BucketedRows<StoredServiceChild> _children = null!;
    private WriteBehind _writes = null!;
    private StreamOutbox<ServiceChanged> _changes = null!;

    private ServiceLedger Ledger => _state.Ledger!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!ServiceKey.TryParse(this.GetPrimaryKeyString(), out var key))
            throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not {ServiceKey.FormatDescription}.");
        _key = key;
        _children = new BucketedRows<StoredServiceChild>(storage, this.GetGrainId(), "ledger-children", whole);
        _writes = new WriteBehind(this, _children.WriteChangedAsync);
        _changes = new StreamOutbox<ServiceChanged>(this.GetStreamProvider(JourneyStreams.ProviderName).ServiceStream(key), logger);
        await _children.ReadAsync();
        var children = _children.Rows.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        if (whole.RecordExists && whole.State.Ledger is { } stored)
        {
            // A ledger stored whole: each child's part is taken over where no newer bucketed one exists (a move cut short).
            var blockers = stored.Blockers.Values.ToLookup(b => b.ChildId);
            foreach (var (childId, stamp) in whole.State.Children)
            {
                if (children.TryGetValue(childId, out var held) && held.Version >= stamp.Version)
                    continue;
                children[childId] = new StoredServiceChild(stamp.Version, [.. blockers[childId]]);
                _children.Set(childId, children[childId]);
            }
            _writes.Changed();
        }
        _state.Ledger = children.Values.SelectMany(c => c.Blockers).Aggregate(ServiceLedger.For(key), (ledger, blocker) => ledger.Upsert(blocker));
        _state.Children = children.ToImmutableDictionary(c => c.Key, c => new ServiceChildStamp(c.Value.Version, [.. c.Value.Blockers.Select(b => b.BlockerId)]));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.WhenAll(_writes.FlushAsync(), _changes.DrainedAsync());

    public Task<bool> Apply(ServiceBlockersUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Blockers.IsDefault || update.Blockers.Any(b => b.ChildId != update.ChildId))
            throw new ArgumentException($"The blockers sent for child '{update.ChildId}' must all be that child's.", nameof(update));
        var state = _state;
        state.Children.TryGetValue(update.ChildId, out var held);
        if (held is not null && held.Version >= update.ChildVersion)
            return Task.FromResult(false);

        var before = Ledger;
        var ledger = (held?.BlockerIds ?? []).Aggregate(before, (l, blockerId) => l.Remove(update.ChildId, blockerId));
        state.Ledger = update.Blockers.Aggregate(ledger, (l, blocker) => l.Upsert(blocker));
        state.Children = state.Children.SetItem(update.ChildId, new ServiceChildStamp(update.ChildVersion, [.. update.Blockers.Select(b => b.BlockerId)]));
        _children.Set(update.ChildId, new StoredServiceChild(update.ChildVersion, update.Blockers));
        _writes.Changed();

        var now = clock.GetUtcNow();
        var arrived = update.Blockers.Where(b => b.PendingEscalation is { } pending
            && before.Blockers.GetValueOrDefault(OwnedBlocker.KeyOf(b.ChildId, b.BlockerId))?.PendingEscalation?.Level != pending.Level);
        var newEscalations = arrived.Aggregate(ServiceLedger.For(_key), (l, b) => l.Upsert(b)).AwaitingAcknowledgement(now);
        _changes.Send(new ServiceChanged(_key, update.ChildId, update.ChildVersion, update.Blockers, newEscalations,
            state.Ledger.AwaitingAcknowledgementCount(), state.Ledger.Performance(now)));
        return Task.FromResult(true);
    }

    public async Task<ServiceOverview> GetOverview()
    {
        var directory = await GrainFactory.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory();
        var now = clock.GetUtcNow();
        return new ServiceOverview(_key, directory.Find(_key), Ledger.ActiveBlockers(), Ledger.AwaitingAcknowledgement(now), Ledger.Performance(now), now,
            _state.Children.ToImmutableDictionary(c => c.Key, c => c.Value.Version));
    }
}
