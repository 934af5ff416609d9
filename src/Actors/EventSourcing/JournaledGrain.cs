using CareTwin.Actors.Runtime;
using CareTwin.Storage;

namespace CareTwin.Actors.EventSourcing;

/// <summary>Names the storage provider a journaled grain keeps its journal in (default storage otherwise).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class StorageProviderAttribute : Attribute
{
    public string ProviderName { get; init; } = "Default";
}

/// <summary>
/// A grain whose state is the fold of an append-only journal of events, in Orleans's JournaledGrain shape.
/// <see cref="RaiseEvent"/> applies an event to <see cref="State"/> at once (tentatively);
/// <see cref="ConfirmEvents"/> appends the raised events to the journal at the expected version, so two
/// writers can never fork the history. A snapshot every <c>JournalSnapshotInterval</c> events keeps
/// activation from replaying the whole journal.
/// </summary>
public abstract class JournaledGrain<TState, TEvent> : Grain, IActivationParticipant
    where TState : class, new()
    where TEvent : class
{
    private readonly List<TEvent> _unconfirmed = [];
    private TState _state = new();
    private int _confirmedVersion;
    private int _snapshotVersion;
    private IJournalStorage? _journal;

    protected JournaledGrain()
    {
        Activation.AddParticipant(this);
    }

    /// <summary>The current state, including events raised but not yet confirmed.</summary>
    protected TState State => _state;

    protected TState TentativeState => _state;

    /// <summary>How many events of this grain's journal are durable.</summary>
    protected int Version => _confirmedVersion;

    protected int ConfirmedVersion => _confirmedVersion;

    protected IEnumerable<TEvent> UnconfirmedEvents => _unconfirmed;

    private IJournalStorage Journal => _journal ??= Activation.Runtime.GetStorage(
        GetType().GetCustomAttributes(typeof(StorageProviderAttribute), true).Cast<StorageProviderAttribute>().FirstOrDefault()?.ProviderName,
        Activation.GrainId);

    protected void RaiseEvent(TEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        TransitionState(_state, @event);
        _unconfirmed.Add(@event);
        OnStateChanged();
    }

    protected void RaiseEvents(IEnumerable<TEvent> events)
    {
        foreach (var @event in events) RaiseEvent(@event);
    }

    /// <summary>
    /// Makes the raised events durable. If the append fails (a conflict, or storage down) the state is reloaded
    /// from storage, so the grain never shows what was not stored, and the exception reaches the caller.
    /// </summary>
    protected async Task ConfirmEvents()
    {
        if (_unconfirmed.Count == 0) return;
        var serializer = Activation.Runtime.Serializer;
        var entries = new JournalEntry[_unconfirmed.Count];
        for (var i = 0; i < entries.Length; i++)
            entries[i] = new JournalEntry(_confirmedVersion + i + 1, serializer.Serialize(_unconfirmed[i]));
        try
        {
            await Journal.AppendAsync(Activation.GrainId, _confirmedVersion, entries, CancellationToken.None);
        }
        catch (Exception)
        {
            await ReloadAsync();
            throw;
        }
        _confirmedVersion += entries.Length;
        _unconfirmed.Clear();
        if (_confirmedVersion - _snapshotVersion >= Activation.Runtime.Options.JournalSnapshotInterval)
            await WriteSnapshotAsync();
    }

    /// <summary>Appends one event only if nothing else was appended since this grain's version; false if it lost.</summary>
    protected async Task<bool> RaiseConditionalEvent(TEvent @event)
    {
        if (_unconfirmed.Count > 0) await ConfirmEvents();
        RaiseEvent(@event);
        try
        {
            await ConfirmEvents();
            return true;
        }
        catch (InconsistentStateException)
        {
            return false;
        }
    }

    /// <summary>Confirmed events with Version in (fromVersion, toVersion], e.g. for a timeline.</summary>
    protected async Task<IReadOnlyList<TEvent>> RetrieveConfirmedEvents(int fromVersion, int toVersion)
    {
        if (fromVersion < 0 || toVersion < fromVersion)
            throw new ArgumentOutOfRangeException(nameof(fromVersion), $"Need 0 <= fromVersion <= toVersion; got {fromVersion}..{toVersion}.");
        var entries = await Journal.ReadJournalAsync(Activation.GrainId, fromVersion, Math.Min(toVersion, _confirmedVersion), CancellationToken.None);
        return entries.Select(DeserializeEvent).ToList();
    }

    /// <summary>Applies one event to the state. Override it; the default calls a public Apply(event) on the state.</summary>
    protected virtual void TransitionState(TState state, TEvent @event) => ((dynamic)state).Apply((dynamic)@event);

    /// <summary>Called after every change of <see cref="State"/> (raised events, and activation).</summary>
    protected virtual void OnStateChanged()
    {
    }

    async Task IActivationParticipant.OnActivatingAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync();
    }

    async Task IActivationParticipant.OnDeactivatingAsync(CancellationToken cancellationToken)
    {
        // Events raised but not confirmed by the grain would otherwise be lost with the activation.
        await ConfirmEvents();
    }

    private async Task ReloadAsync()
    {
        var grainId = Activation.GrainId;
        var snapshot = await Journal.ReadSnapshotAsync(grainId, CancellationToken.None);
        var state = new TState();
        var version = 0;
        if (snapshot is not null)
        {
            try
            {
                state = Activation.Runtime.Serializer.Deserialize<TState>(snapshot.Payload);
            }
            catch (Exception ex)
            {
                throw new StateDeserializationException(
                    $"The snapshot at version {snapshot.Version} of grain {grainId} could not be read as {typeof(TState).Name}: {ex.Message}", ex);
            }
            version = snapshot.Version;
        }
        var entries = await Journal.ReadJournalAsync(grainId, version, int.MaxValue, CancellationToken.None);
        foreach (var entry in entries)
        {
            if (entry.Version != version + 1)
                throw new InvalidOperationException($"The journal of grain {grainId} jumps from version {version} to {entry.Version}.");
            TransitionState(state, DeserializeEvent(entry));
            version = entry.Version;
        }
        _state = state;
        _confirmedVersion = version;
        _snapshotVersion = snapshot?.Version ?? 0;
        _unconfirmed.Clear();
        OnStateChanged();
    }

    private async Task WriteSnapshotAsync()
    {
        var snapshot = new JournalSnapshot(_confirmedVersion, Activation.Runtime.Serializer.Serialize(_state));
        try
        {
            await Journal.WriteSnapshotAsync(Activation.GrainId, snapshot, CancellationToken.None);
            _snapshotVersion = snapshot.Version;
        }
        catch (Exception ex)
        {
            // The journal is the truth; a missing snapshot only makes the next activation replay more.
            Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(Activation.Runtime.Logger, ex,
                "Snapshot of {GrainId} at version {Version} was not written", Activation.GrainId, snapshot.Version);
        }
    }

    private TEvent DeserializeEvent(JournalEntry entry)
    {
        try
        {
            return Activation.Runtime.Serializer.Deserialize<TEvent>(entry.Payload);
        }
        catch (Exception ex)
        {
            throw new StateDeserializationException(
                $"Event {entry.Version} of grain {Activation.GrainId} could not be read as {typeof(TEvent).Name}: {ex.Message}", ex);
        }
    }
}
