using System.Collections.Concurrent;
using System.Text.Json;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Serialization;
using CareTwin.Storage;
using ReminderEntry = CareTwin.Storage.ReminderEntry;
using CareTwin.Storage.Memory;

namespace CareTwin.Api.Tests.Infrastructure;

/// <summary>
/// In-memory storage where a second writer can win the race for a child's next journal appends: it appends a
/// family note of its own at the version the twin expected, so the twin's append is refused (PostgreSQL's version
/// check) and the twin finds the journal moved when it reads again. Proves what a conflict becomes at the API.
/// It can also stop answering reads (a database that is down) and fail one child's next load with any exception.
/// </summary>
public sealed class ConflictingStorage : IStorageProvider
{
    private readonly MemoryStorageProvider _inner = new();
    private readonly ConcurrentDictionary<string, Exception> _failNextLoad = new(StringComparer.Ordinal);
    private int _conflictsLeft;
    private volatile bool _readsFail;

    /// <summary>The next <paramref name="count"/> appends to any child's journal are refused.</summary>
    public void ConflictOnNextChildAppends(int count) => Volatile.Write(ref _conflictsLeft, count);

    /// <summary>
    /// While true, every read of records, journals and the idempotency store throws, as a database that does not
    /// answer would. The reminder table is left alone (the silo's reminder service reads it in the background).
    /// </summary>
    public bool ReadsFail
    {
        get => _readsFail;
        set => _readsFail = value;
    }

    /// <summary>The next load of the child's twin (its activation) throws <paramref name="failure"/>, once.</summary>
    public void FailNextLoadOf(string childId, Exception failure) => _failNextLoad[childId] = failure;

    public async Task AppendAsync(RecordKey grainId, int expectedVersion, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        if (grainId.Type == "child" && Interlocked.Decrement(ref _conflictsLeft) >= 0)
        {
            await _inner.AppendAsync(grainId, expectedVersion, [SecondWritersNote(expectedVersion + 1)], cancellationToken);
            throw new InconsistentStateException($"Journal of {grainId} moved (a second writer, injected by the test).");
        }
        await _inner.AppendAsync(grainId, expectedVersion, entries, cancellationToken);
    }

    private static JournalEntry SecondWritersNote(int version)
    {
        var parent = new Actor("family-test", "A parent", ActorRole.Family);
        JourneyEvent note = new FamilyNoteAdded(new Provenance(parent, DateTimeOffset.UtcNow, "caretwin.web", $"second-writer-{version}"),
            $"second-writer-{version}", "Written by a second writer.");
        return new JournalEntry(version, JsonSerializer.Serialize(note, JourneyJson.Options));
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _inner.InitializeAsync(cancellationToken);

    public Task<StoredState?> ReadStateAsync(RecordKey grainId, string stateName, CancellationToken cancellationToken) =>
        Read(() => _inner.ReadStateAsync(grainId, stateName, cancellationToken));

    public Task<string> WriteStateAsync(RecordKey grainId, string stateName, string payload, string? expectedEtag, CancellationToken cancellationToken) =>
        _inner.WriteStateAsync(grainId, stateName, payload, expectedEtag, cancellationToken);

    public Task<string> ClearStateAsync(RecordKey grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken) =>
        _inner.ClearStateAsync(grainId, stateName, expectedEtag, cancellationToken);

    public Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(RecordKey grainId, int afterVersion, int upToVersion, CancellationToken cancellationToken) =>
        Read(() => _inner.ReadJournalAsync(grainId, afterVersion, upToVersion, cancellationToken));

    /// <summary>The first read of a twin's load (see JournalStore.LoadAsync).</summary>
    public Task<JournalSnapshot?> ReadSnapshotAsync(RecordKey grainId, CancellationToken cancellationToken) =>
        grainId.Type == "child" && _failNextLoad.TryRemove(grainId.Key, out var failure)
            ? Task.FromException<JournalSnapshot?>(failure)
            : Read(() => _inner.ReadSnapshotAsync(grainId, cancellationToken));

    public Task WriteSnapshotAsync(RecordKey grainId, JournalSnapshot snapshot, CancellationToken cancellationToken) =>
        _inner.WriteSnapshotAsync(grainId, snapshot, cancellationToken);

    public Task<IReadOnlyList<ReminderEntry>> ReadAllRemindersAsync(CancellationToken cancellationToken) => _inner.ReadAllRemindersAsync(cancellationToken);

    public Task<ReminderEntry?> ReadReminderAsync(RecordKey grainId, string reminderName, CancellationToken cancellationToken) =>
        _inner.ReadReminderAsync(grainId, reminderName, cancellationToken);

    public Task<string> UpsertReminderAsync(ReminderEntry entry, CancellationToken cancellationToken) => _inner.UpsertReminderAsync(entry, cancellationToken);

    public Task<bool> RemoveReminderAsync(RecordKey grainId, string reminderName, CancellationToken cancellationToken) =>
        _inner.RemoveReminderAsync(grainId, reminderName, cancellationToken);

    public Task<string?> TryGetResultAsync(string scope, string key, CancellationToken cancellationToken) =>
        Read(() => _inner.TryGetResultAsync(scope, key, cancellationToken));

    public Task<bool> TryRecordAsync(string scope, string key, string result, CancellationToken cancellationToken) =>
        _inner.TryRecordAsync(scope, key, result, cancellationToken);

    public Task<IReadOnlyList<StoredKeyElement>> ReadKeyElementsAsync(CancellationToken cancellationToken) => _inner.ReadKeyElementsAsync(cancellationToken);

    public Task StoreKeyElementAsync(StoredKeyElement element, CancellationToken cancellationToken) => _inner.StoreKeyElementAsync(element, cancellationToken);

    private Task<T> Read<T>(Func<Task<T>> read) =>
        _readsFail ? Task.FromException<T>(new IOException("The database does not answer (injected by the test).")) : read();
}
