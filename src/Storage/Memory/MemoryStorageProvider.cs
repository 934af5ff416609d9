using System.Globalization;

namespace CareTwin.Storage.Memory;

/// <summary>Keeps everything in process memory, with the same ETag and version rules as the durable providers. For tests.</summary>
public sealed class MemoryStorageProvider : IStorageProvider
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(RecordKey, string), StoredState> _states = new();
    private readonly Dictionary<RecordKey, List<JournalEntry>> _journals = new();
    private readonly Dictionary<RecordKey, JournalSnapshot> _snapshots = new();
    private readonly Dictionary<(RecordKey, string), ReminderEntry> _reminders = new();
    private readonly Dictionary<(string, string), string> _idempotency = new();
    private readonly List<StoredKeyElement> _keyElements = [];
    private long _etagSequence;

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<StoredState?> ReadStateAsync(RecordKey grainId, string stateName, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_states.GetValueOrDefault((grainId, stateName)));
    }

    public Task<string> WriteStateAsync(RecordKey grainId, string stateName, string payload, string? expectedEtag, CancellationToken cancellationToken) =>
        Settle(() => PutState(grainId, stateName, payload, expectedEtag));

    public Task<string> ClearStateAsync(RecordKey grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken) =>
        Settle(() => PutState(grainId, stateName, null, expectedEtag));

    private string PutState(RecordKey grainId, string stateName, string? payload, string? expectedEtag)
    {
        lock (_lock)
        {
            var current = _states.GetValueOrDefault((grainId, stateName));
            if (current?.ETag != expectedEtag) throw StorageConflicts.StaleState(grainId, stateName, current?.ETag, expectedEtag);
            var etag = NextVersion(current);
            _states[(grainId, stateName)] = new StoredState(payload, etag);
            return etag;
        }
    }

    public Task AppendAsync(RecordKey grainId, int expectedVersion, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken) =>
        Settle(() =>
        {
            StorageConflicts.CheckNumbering(grainId, expectedVersion, entries);
            lock (_lock)
            {
                if (!_journals.TryGetValue(grainId, out var journal)) _journals[grainId] = journal = [];
                if (journal.Count != expectedVersion) throw StorageConflicts.JournalMoved(grainId, journal.Count, expectedVersion);
                journal.AddRange(entries);
                return true;
            }
        });

    public Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(RecordKey grainId, int afterVersion, int upToVersion, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<JournalEntry> result = _journals.TryGetValue(grainId, out var journal)
                ? journal.Where(e => e.Version > afterVersion && e.Version <= upToVersion).ToList()
                : [];
            return Task.FromResult(result);
        }
    }

    public Task<JournalSnapshot?> ReadSnapshotAsync(RecordKey grainId, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_snapshots.GetValueOrDefault(grainId));
    }

    public Task WriteSnapshotAsync(RecordKey grainId, JournalSnapshot snapshot, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_snapshots.TryGetValue(grainId, out var existing) || existing.Version < snapshot.Version) _snapshots[grainId] = snapshot;
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadAllRemindersAsync(CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult<IReadOnlyList<ReminderEntry>>(_reminders.Values.ToList());
    }

    public Task<ReminderEntry?> ReadReminderAsync(RecordKey grainId, string reminderName, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_reminders.GetValueOrDefault((grainId, reminderName)));
    }

    public Task<string> UpsertReminderAsync(ReminderEntry entry, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var etag = (++_etagSequence).ToString(CultureInfo.InvariantCulture);
            _reminders[(entry.Record, entry.ReminderName)] = entry with { ETag = etag };
            return Task.FromResult(etag);
        }
    }

    public Task<bool> RemoveReminderAsync(RecordKey grainId, string reminderName, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_reminders.Remove((grainId, reminderName)));
    }

    public Task<string?> TryGetResultAsync(string scope, string key, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_idempotency.GetValueOrDefault((scope, key)));
    }

    public Task<bool> TryRecordAsync(string scope, string key, string result, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_idempotency.TryAdd((scope, key), result));
    }

    public Task<IReadOnlyList<StoredKeyElement>> ReadKeyElementsAsync(CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult<IReadOnlyList<StoredKeyElement>>([.. _keyElements]);
    }

    public Task StoreKeyElementAsync(StoredKeyElement element, CancellationToken cancellationToken)
    {
        lock (_lock) _keyElements.Add(element);
        return Task.CompletedTask;
    }

    /// <summary>A refusal arrives as a faulted task, as from the durable stores, never as a throw from the call itself.</summary>
    private static Task<T> Settle<T>(Func<T> operation)
    {
        try
        {
            return Task.FromResult(operation());
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    private static string NextVersion(StoredState? current) =>
        (current is null ? 1 : long.Parse(current.ETag, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
}
