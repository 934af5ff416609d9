namespace CareTwin.Storage;

/// <summary>
/// One storage provider serves everything the host persists: grain state, event journals with snapshots,
/// reminders, the idempotency keys of external pushes, and the web's data-protection keys. Providers store serialized text; serialization stays in the runtime so every provider
/// behaves the same. Every method is durable when its task completes.
/// </summary>
public interface IStorageProvider : IGrainStorage, IJournalStorage, IReminderTable, IIdempotencyStore, IDataProtectionKeyStore
{
    /// <summary>Brings the schema up to this code's version (refusing a newer one); called once at start.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A stored grain state: serialized payload and its version tag. A cleared state keeps its row with a null
/// payload and a new version, so a writer holding a tag from before the clear is still refused.
/// </summary>
public sealed record StoredState(string? Payload, string ETag);

public interface IGrainStorage
{
    Task<StoredState?> ReadStateAsync(RecordKey grainId, string stateName, CancellationToken cancellationToken);

    /// <summary>
    /// Writes when the stored ETag equals <paramref name="expectedEtag"/> (null: no record may exist);
    /// returns the new ETag, or throws <see cref="InconsistentStateException"/>.
    /// </summary>
    Task<string> WriteStateAsync(RecordKey grainId, string stateName, string payload, string? expectedEtag, CancellationToken cancellationToken);

    /// <summary>Clears under the same ETag rule as a write; returns the new ETag.</summary>
    Task<string> ClearStateAsync(RecordKey grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken);
}

/// <summary>One journal entry: version n is the n-th event (1-based) of the grain's journal.</summary>
public sealed record JournalEntry(int Version, string Payload);

/// <summary>The folded state as of <see cref="Version"/>, so activation replays only what came after.</summary>
public sealed record JournalSnapshot(int Version, string Payload);

public interface IJournalStorage
{
    /// <summary>Appends entries numbered expectedVersion+1…; if the journal is not at expectedVersion, nothing is written and
    /// <see cref="InconsistentStateException"/> is thrown, so two writers cannot fork a history.</summary>
    Task AppendAsync(RecordKey grainId, int expectedVersion, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken);

    /// <summary>Entries with Version in (afterVersion, upToVersion], in order.</summary>
    Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(RecordKey grainId, int afterVersion, int upToVersion, CancellationToken cancellationToken);

    Task<JournalSnapshot?> ReadSnapshotAsync(RecordKey grainId, CancellationToken cancellationToken);

    /// <summary>Keeps the newest snapshot; an older one than stored is ignored.</summary>
    Task WriteSnapshotAsync(RecordKey grainId, JournalSnapshot snapshot, CancellationToken cancellationToken);
}

/// <summary>A durable reminder: first due at <see cref="StartAt"/>, then every <see cref="Period"/>.</summary>
public sealed record ReminderEntry(RecordKey Record, string ReminderName, DateTimeOffset StartAt, TimeSpan Period, string? ETag = null);

public interface IReminderTable
{
    Task<IReadOnlyList<ReminderEntry>> ReadAllRemindersAsync(CancellationToken cancellationToken);

    Task<ReminderEntry?> ReadReminderAsync(RecordKey grainId, string reminderName, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces; returns the new ETag.</summary>
    Task<string> UpsertReminderAsync(ReminderEntry entry, CancellationToken cancellationToken);

    Task<bool> RemoveReminderAsync(RecordKey grainId, string reminderName, CancellationToken cancellationToken);
}

/// <summary>
/// Results of external pushes by (scope, key), e.g. (source system, external id), so a repeated push is answered
/// with the first result instead of being applied again. The first recorded result wins and is never replaced.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>The result recorded for the key, or null if none is.</summary>
    Task<string?> TryGetResultAsync(string scope, string key, CancellationToken cancellationToken);

    /// <summary>Records the result unless the key already has one; true if this call recorded it.</summary>
    Task<bool> TryRecordAsync(string scope, string key, string result, CancellationToken cancellationToken);
}

/// <summary>One element of the web's data-protection key ring (a key, or a revocation), as the framework wrote it.</summary>
/// <param name="Name">The framework's name for it, e.g. key-{id}; informational, not necessarily unique.</param>
public sealed record StoredKeyElement(string Name, string Xml);

/// <summary>
/// ASP.NET Core's data-protection key ring (the keys that protect sign-in cookies and form tokens), kept in the store
/// so every node on it shares one key ring. The framework only adds elements, never changes or removes one: an
/// expired key still reads what it once protected, and a revocation is an element of its own.
/// </summary>
public interface IDataProtectionKeyStore
{
    /// <summary>Every element stored so far, in the order stored.</summary>
    Task<IReadOnlyList<StoredKeyElement>> ReadKeyElementsAsync(CancellationToken cancellationToken);

    /// <summary>Adds an element; an element stored before under the same name is kept too.</summary>
    Task StoreKeyElementAsync(StoredKeyElement element, CancellationToken cancellationToken);
}
