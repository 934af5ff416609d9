using System.Text.Json;

namespace CareTwin.Actors;

/// <summary>Settings of the actor runtime (configuration section "Actors").</summary>
public sealed class ActorRuntimeOptions
{
    /// <summary>A call that has not completed by then fails with TimeoutException; [ResponseTimeout] overrides per method.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often pending calls are checked against their deadlines.</summary>
    public TimeSpan ResponseTimeoutCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>An activation idle for longer than this is deactivated; [CollectionAgeLimit] or <see cref="ClassSpecificCollectionAge"/> override.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for; collection ages are rounded up to it.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Collection age per grain type name.</summary>
    public Dictionary<string, TimeSpan> ClassSpecificCollectionAge { get; } = new(StringComparer.Ordinal);

    /// <summary>How long OnDeactivateAsync (and the state flush after it) may take before its token is cancelled.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Reminders are durable and coarse; shorter periods belong to grain timers.</summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A journaled grain writes a snapshot every this many events, so activation replays at most this many.</summary>
    public int JournalSnapshotInterval { get; set; } = 100;

    /// <summary>Items buffered per stream subscriber; beyond it the oldest are dropped (and counted).</summary>
    public int StreamSubscriberCapacity { get; set; } = 1024;

    /// <summary>Calls buffered per observer reference; beyond it the oldest are dropped (and counted).</summary>
    public int ObserverMailboxCapacity { get; set; } = 1024;

    /// <summary>Storage provider used where a grain names none.</summary>
    public string DefaultStorageName { get; set; } = "Default";

    /// <summary>How grain state, journal events and snapshots are written.</summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = new(JsonSerializerDefaults.General);

    internal void Validate()
    {
        Positive(ResponseTimeout, nameof(ResponseTimeout), allowInfinite: true);
        Positive(ResponseTimeoutCheckInterval, nameof(ResponseTimeoutCheckInterval));
        Positive(CollectionAge, nameof(CollectionAge), allowInfinite: true);
        Positive(CollectionQuantum, nameof(CollectionQuantum));
        Positive(DeactivationTimeout, nameof(DeactivationTimeout));
        Positive(MinimumReminderPeriod, nameof(MinimumReminderPeriod));
        if (JournalSnapshotInterval < 1) throw new ArgumentOutOfRangeException(nameof(JournalSnapshotInterval), JournalSnapshotInterval, "Must be at least 1.");
        if (StreamSubscriberCapacity < 1) throw new ArgumentOutOfRangeException(nameof(StreamSubscriberCapacity), StreamSubscriberCapacity, "Must be at least 1.");
        if (ObserverMailboxCapacity < 1) throw new ArgumentOutOfRangeException(nameof(ObserverMailboxCapacity), ObserverMailboxCapacity, "Must be at least 1.");
        ArgumentException.ThrowIfNullOrWhiteSpace(DefaultStorageName, nameof(DefaultStorageName));
    }

    private static void Positive(TimeSpan value, string name, bool allowInfinite = false)
    {
        if (value <= TimeSpan.Zero && !(allowInfinite && value == Timeout.InfiniteTimeSpan))
            throw new ArgumentOutOfRangeException(name, value, "Must be a positive time.");
    }
}
