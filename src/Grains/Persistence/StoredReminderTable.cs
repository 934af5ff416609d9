using CareTwin.Storage;

namespace CareTwin.Grains.Persistence;

/// <summary>
/// Orleans's reminder table over CareTwin's store (its <c>reminder</c> table), so a reminder registered before a
/// restart fires after it on SQLite as on PostgreSQL.
/// </summary>
internal sealed class StoredReminderTable(IStorageProvider store) : Orleans.IReminderTable
{
    public async Task<ReminderTableData> ReadRows(GrainId grainId)
    {
        var key = StoreKeys.Of(grainId);
        var all = await store.ReadAllRemindersAsync(CancellationToken.None);
        return new ReminderTableData(all.Where(r => r.Record == key).Select(ToOrleans));
    }

    /// <summary>The ring range (begin, end] of grain hashes; it wraps when begin ≥ end.</summary>
    public async Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        var all = await store.ReadAllRemindersAsync(CancellationToken.None);
        return new ReminderTableData(all.Select(ToOrleans).Where(r =>
        {
            var hash = r.GrainId.GetUniformHashCode();
            return begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
        }));
    }

    public async Task<Orleans.ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        await store.ReadReminderAsync(StoreKeys.Of(grainId), reminderName, CancellationToken.None) is { } row ? ToOrleans(row) : null;

    public async Task<string?> UpsertRow(Orleans.ReminderEntry entry) =>
        await store.UpsertReminderAsync(new Storage.ReminderEntry(StoreKeys.Of(entry.GrainId), entry.ReminderName,
            new DateTimeOffset(DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc)), entry.Period), CancellationToken.None);

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        var key = StoreKeys.Of(grainId);
        if (await store.ReadReminderAsync(key, reminderName, CancellationToken.None) is not { } row || row.ETag != eTag)
            return false;
        return await store.RemoveReminderAsync(key, reminderName, CancellationToken.None);
    }

    public Task TestOnlyClearTable() => throw new NotSupportedException("CareTwin's reminders are cleared with the database, never by Orleans.");

    /// <remarks>
    /// Start times are read to the whole millisecond, the resolution timers wait in: Orleans waits again when woken
    /// before a tick, and a remainder under a millisecond is a wait of zero, which spins on a clock that only moves
    /// when told to (a test's). Rows written before Orleans carry such remainders.
    /// </remarks>
    private static Orleans.ReminderEntry ToOrleans(Storage.ReminderEntry row) => new()
    {
        GrainId = StoreKeys.ToGrainId(row.Record),
        ReminderName = row.ReminderName,
        StartAt = new DateTime(row.StartAt.UtcTicks - row.StartAt.UtcTicks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc),
        Period = row.Period,
        ETag = row.ETag,
    };
}
