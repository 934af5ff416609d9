using CareTwin.Storage;
using Orleans.EventSourcing;
using Orleans.EventSourcing.CustomStorage;

namespace CareTwin.Grains.Persistence;

/// <summary>
/// A journaled grain whose log is CareTwin's journal table (Orleans's custom-storage log consistency).
/// Commit with <see cref="CommitAsync"/>: the events are written only if nobody else wrote since this activation
/// read the journal; otherwise nothing is written, the twin reloads, and the caller is told to decide again.
/// </summary>
public abstract class JournaledTwin<TState, TEvent>(JournalStore journal) : JournaledGrain<TState, TEvent>, ICustomStorageInterface<TState, TEvent>
    where TState : class, new()
    where TEvent : class
{
    protected RecordKey StoreKey => StoreKeys.Of(this.GetGrainId());

    protected JournalStore Journal => journal;

    /// <summary>Makes <paramref name="events"/> durable; throws <see cref="Storage.InconsistentStateException"/> if the journal moved.</summary>
    protected async Task CommitAsync(IReadOnlyList<TEvent> events)
    {
        if (events.Count == 0)
            return;
        var expected = Version;
        if (!await RaiseConditionalEvents(events))
            throw new Storage.InconsistentStateException($"The journal of {StoreKey} moved on from version {expected} while this change was being saved.",
                Version.ToString(System.Globalization.CultureInfo.InvariantCulture), expected.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private Exception? _unloadable;

    /// <summary>
    /// Fails the activation when the journal could not be loaded, so the caller gets the error now and the next
    /// call tries again. Orleans's adaptor would otherwise retry the load for ever, holding every call to this twin
    /// until it times out.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (_unloadable is { } failure)
            throw failure;
    }

    async Task<KeyValuePair<int, TState>> ICustomStorageInterface<TState, TEvent>.ReadStateFromStorage()
    {
        try
        {
            var (version, state) = await journal.LoadAsync<TState, TEvent>(StoreKey, TransitionState);
            _unloadable = null;
            return new(version, state);
        }
        catch (Exception ex)
        {
            // Never an empty twin in its place: the activation fails with this (see OnActivateAsync).
            _unloadable = ex;
            journal.LoadFailed(StoreKey, ex);
            return new(0, new TState());
        }
    }

    Task<bool> ICustomStorageInterface<TState, TEvent>.ApplyUpdatesToStorage(IReadOnlyList<TEvent> updates, int expectedVersion) =>
        journal.AppendAsync(StoreKey, expectedVersion, updates, () => TentativeState);
}
