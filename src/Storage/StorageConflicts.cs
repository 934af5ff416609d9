using System.Globalization;

namespace CareTwin.Storage;

/// <summary>The refusals every provider gives, worded the same whichever store refused.</summary>
internal static class StorageConflicts
{
    public static InconsistentStateException StaleState(RecordKey grainId, string stateName, string? storedEtag, string? expectedEtag) =>
        new($"State '{stateName}' of {grainId} is at version {storedEtag ?? "none"}, not {expectedEtag ?? "none"}.", storedEtag, expectedEtag);

    public static InconsistentStateException JournalMoved(RecordKey grainId, int storedVersion, int expectedVersion) =>
        new($"Journal of {grainId} is at version {storedVersion}, not {expectedVersion}.",
            storedVersion.ToString(CultureInfo.InvariantCulture), expectedVersion.ToString(CultureInfo.InvariantCulture));

    /// <summary>Entries of an append must be numbered expectedVersion+1, +2, … in order.</summary>
    public static void CheckNumbering(RecordKey grainId, int expectedVersion, IReadOnlyList<JournalEntry> entries)
    {
        for (var i = 0; i < entries.Count; i++)
            if (entries[i].Version != expectedVersion + i + 1)
                throw new ArgumentException($"Entry {i} of the append to {grainId} has version {entries[i].Version}, expected {expectedVersion + i + 1}.", nameof(entries));
    }
}
