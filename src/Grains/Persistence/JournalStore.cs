using System.Text.Json;
using CareTwin.Journey.Serialization;
using CareTwin.Storage;
using Microsoft.Extensions.Logging;

namespace CareTwin.Grains.Persistence;

/// <summary>
/// The append-only journals (a child's events, an audit trail) in CareTwin's store, as JSON with the journey's
/// options, with a snapshot every <see cref="JournalOptions.SnapshotInterval"/> events so activation replays only
/// what came after. Journaled grains load and append through it; timeline and audit pages read through it.
/// </summary>
public sealed class JournalStore(IStorageProvider store, JournalOptions options, ILogger<JournalStore> logger)
{
    /// <summary>
    /// The shape of the folded state in a snapshot. Raise it when the fold starts keeping something older snapshots
    /// lack (2: transitions and blockers keep who created them): an older snapshot is then ignored and the journal,
    /// which holds everything, is replayed from the start.
    /// </summary>
    public const int SnapshotFormat = 2;

    private readonly int _snapshotInterval = options.SnapshotInterval > 0
        ? options.SnapshotInterval
        : throw new ArgumentOutOfRangeException(nameof(options), options.SnapshotInterval, "The journal snapshot interval must be at least 1.");

    /// <summary>The folded state and its version: the newest snapshot, then every entry after it.</summary>
    public async Task<(int Version, TState State)> LoadAsync<TState, TEvent>(RecordKey key, Action<TState, TEvent> apply)
        where TState : class, new()
    {
        var snapshot = await store.ReadSnapshotAsync(key, CancellationToken.None);
        var stored = snapshot is null ? null : Read<StoredSnapshot<TState>>(snapshot.Payload, () => $"The snapshot at version {snapshot.Version} of {key}");
        var current = stored is { Format: SnapshotFormat, State: not null };
        var state = current ? stored!.State! : new TState();
        var version = current ? snapshot!.Version : 0;
        foreach (var entry in await store.ReadJournalAsync(key, version, int.MaxValue, CancellationToken.None))
        {
            if (entry.Version != version + 1)
                throw new InvalidOperationException($"The journal of {key} jumps from version {version} to {entry.Version}.");
            apply(state, Read<TEvent>(entry.Payload, () => $"Event {entry.Version} of {key}"));
            version = entry.Version;
        }
        return (version, state);
    }

    /// <summary>
    /// Appends the events after <paramref name="expectedVersion"/>; false when the journal has moved on (another
    /// writer won), and nothing is written. <paramref name="stateAfter"/> is snapshotted when one is due.
    /// </summary>
    public async Task<bool> AppendAsync<TState, TEvent>(RecordKey key, int expectedVersion, IReadOnlyList<TEvent> events, Func<TState> stateAfter)
    {
        var entries = new JournalEntry[events.Count];
        for (var i = 0; i < entries.Length; i++)
            entries[i] = new JournalEntry(expectedVersion + i + 1, JsonSerializer.Serialize(events[i], JourneyJson.Options));
        try
        {
            await store.AppendAsync(key, expectedVersion, entries, CancellationToken.None);
        }
        catch (Storage.InconsistentStateException ex)
        {
            logger.LogWarning("{Record}: an append at version {Version} lost to another writer: {Message}", key, expectedVersion, ex.Message);
            return false;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "{Record}: {Count} event(s) after version {Version} could not be written", key, events.Count, expectedVersion);
            throw;
        }
        var version = expectedVersion + entries.Length;
        if (version / _snapshotInterval > expectedVersion / _snapshotInterval)
            await SnapshotAsync(key, version, stateAfter());
        return true;
    }

    /// <summary>One clear line naming the twin whose journal could not be loaded (the caller gets the error too).</summary>
    public void LoadFailed(RecordKey key, Exception failure)
    {
        if (failure is StateDeserializationException)
            logger.LogError("{Record} cannot be loaded: {Message}", key, failure.Message);
        else
            logger.LogError(failure, "{Record} cannot be loaded: its journal could not be read from the store", key);
    }

    /// <summary>Entries with version in (afterVersion, upToVersion], in order.</summary>
    public async Task<IReadOnlyList<TEvent>> ReadAsync<TEvent>(RecordKey key, int afterVersion, int upToVersion)
    {
        var entries = await store.ReadJournalAsync(key, afterVersion, upToVersion, CancellationToken.None);
        return [.. entries.Select(e => Read<TEvent>(e.Payload, () => $"Event {e.Version} of {key}"))];
    }

    private async Task SnapshotAsync<TState>(RecordKey key, int version, TState state)
    {
        try
        {
            var payload = JsonSerializer.Serialize(new StoredSnapshot<TState>(SnapshotFormat, state), JourneyJson.Options);
            await store.WriteSnapshotAsync(key, new JournalSnapshot(version, payload), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The journal is the truth; a missing snapshot only makes the next activation replay more.
            logger.LogWarning(ex, "{Record}: the snapshot at version {Version} was not written", key, version);
        }
    }

    private T Read<T>(string payload, Func<string> what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(payload, JourneyJson.Options) ?? throw new JsonException("The stored value is null.");
        }
        catch (Exception ex)
        {
            throw new StateDeserializationException($"{what()} could not be read as {typeof(T).Name}: {ex.Message}", ex);
        }
    }
}

/// <summary>A snapshot as stored: its <see cref="JournalStore.SnapshotFormat"/> and the state (absent from format-1 snapshots, which were the bare state).</summary>
internal sealed record StoredSnapshot<TState>(int Format, TState? State);

/// <summary>How journals are kept (section "Storage"): a snapshot every <see cref="SnapshotInterval"/> events.</summary>
public sealed class JournalOptions
{
    public int SnapshotInterval { get; set; } = 100;
}
