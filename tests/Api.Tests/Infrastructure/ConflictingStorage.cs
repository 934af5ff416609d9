using CareTwin.Actors;
using CareTwin.Storage;
using CareTwin.Storage.Memory;

namespace CareTwin.Api.Tests.Infrastructure;

/// <summary>
/// In-memory storage that can make a child's next journal appends lose a race, as a second writer would
/// (PostgreSQL's version check refusing an append), to prove what a conflict becomes at the API.
/// </summary>
public sealed class ConflictingStorage : IStorageProvider
{
    private readonly MemoryStorageProvider _inner = new();
    private int _conflictsLeft;

    /// <summary>The next <paramref name="count"/> appends to any child's journal are refused.</summary>
    public void ConflictOnNextChildAppends(int count) => Volatile.Write(ref _conflictsLeft, count);

    public Task AppendAsync(GrainId grainId, int expectedVersion, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        if (grainId.Type == "child" && Interlocked.Decrement(ref _conflictsLeft) >= 0)
            throw new InconsistentStateException($"Journal of {grainId} moved (injected by the test).");
        return _inner.AppendAsync(grainId, expectedVersion, entries, cancellationToken);
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _inner.InitializeAsync(cancellationToken);

    public Task<StoredState?> ReadStateAsync(GrainId grainId, string stateName, CancellationToken cancellationToken) =>
        _inner.ReadStateAsync(grainId, stateName, cancellationToken);

    public Task<string> WriteStateAsync(GrainId grainId, string stateName, string payload, string? expectedEtag, CancellationToken cancellationToken) =>
        _inner.WriteStateAsync(grainId, stateName, payload, expectedEtag, cancellationToken);

    public Task<string> ClearStateAsync(GrainId grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken) =>
        _inner.ClearStateAsync(grainId, stateName, expectedEtag, cancellationToken);

    public Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(GrainId grainId, int afterVersion, int upToVersion, CancellationToken cancellationToken) =>
        _inner.ReadJournalAsync(grainId, afterVersion, upToVersion, cancellationToken);

    public Task<JournalSnapshot?> ReadSnapshotAsync(GrainId grainId, CancellationToken cancellationToken) => _inner.ReadSnapshotAsync(grainId, cancellationToken);

    public Task WriteSnapshotAsync(GrainId grainId, JournalSnapshot snapshot, CancellationToken cancellationToken) =>
        _inner.WriteSnapshotAsync(grainId, snapshot, cancellationToken);

    public Task<IReadOnlyList<ReminderEntry>> ReadAllRemindersAsync(CancellationToken cancellationToken) => _inner.ReadAllRemindersAsync(cancellationToken);

    public Task<ReminderEntry?> ReadReminderAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken) =>
        _inner.ReadReminderAsync(grainId, reminderName, cancellationToken);

    public Task<string> UpsertReminderAsync(ReminderEntry entry, CancellationToken cancellationToken) => _inner.UpsertReminderAsync(entry, cancellationToken);

    public Task<bool> RemoveReminderAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken) =>
        _inner.RemoveReminderAsync(grainId, reminderName, cancellationToken);

    public Task<string?> TryGetResultAsync(string scope, string key, CancellationToken cancellationToken) => _inner.TryGetResultAsync(scope, key, cancellationToken);

    public Task<bool> TryRecordAsync(string scope, string key, string result, CancellationToken cancellationToken) =>
        _inner.TryRecordAsync(scope, key, result, cancellationToken);
}
