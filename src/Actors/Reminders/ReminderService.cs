using CareTwin.Storage;
using Microsoft.Extensions.Logging;

namespace CareTwin.Actors.Runtime;

/// <summary>
/// Durable reminders: rows in the reminder table, and a clock timer per row while the runtime runs. On start
/// every row is scheduled again; a tick that fell due while the host was down fires at once, then the
/// reminder continues on its original period grid. Delivery is an ordinary grain call to
/// <see cref="IRemindable.ReceiveReminder"/>, which activates the grain if needed.
/// </summary>
internal sealed class ReminderService(ActorRuntime runtime, IReminderTable? table)
{
    private readonly ActorRuntime _runtime = runtime;
    private readonly Lock _lock = new();
    private readonly Dictionary<(GrainId, string), Scheduled> _scheduled = new();
    private bool _stopped;

    private IReminderTable Table => table
        ?? throw new InvalidOperationException($"Reminders need the default storage '{_runtime.Options.DefaultStorageName}', which is not configured.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (table is null) return;
        foreach (var entry in await table.ReadAllRemindersAsync(cancellationToken)) Schedule(entry);
    }

    public void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            foreach (var scheduled in _scheduled.Values) scheduled.Timer.Dispose();
            _scheduled.Clear();
        }
    }

    public async Task<IGrainReminder> RegisterOrUpdateAsync(GrainId grainId, string reminderName, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reminderName);
        if (dueTime < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, $"Reminder '{reminderName}' of {grainId}: due time cannot be negative.");
        if (period < _runtime.Options.MinimumReminderPeriod)
            throw new ArgumentOutOfRangeException(nameof(period), period,
                $"Reminder '{reminderName}' of {grainId}: period must be at least {_runtime.Options.MinimumReminderPeriod}.");
        var entry = new ReminderEntry(grainId, reminderName, _runtime.TimeProvider.GetUtcNow() + dueTime, period);
        var etag = await Table.UpsertReminderAsync(entry, CancellationToken.None);
        Schedule(entry with { ETag = etag });
        return new GrainReminder(reminderName);
    }

    public async Task UnregisterAsync(GrainId grainId, string reminderName)
    {
        Unschedule(grainId, reminderName);
        await Table.RemoveReminderAsync(grainId, reminderName, CancellationToken.None);
    }

    public async Task<IGrainReminder?> GetAsync(GrainId grainId, string reminderName) =>
        await Table.ReadReminderAsync(grainId, reminderName, CancellationToken.None) is null ? null : new GrainReminder(reminderName);

    public async Task<IReadOnlyList<IGrainReminder>> GetAllAsync(GrainId grainId) =>
        (await Table.ReadAllRemindersAsync(CancellationToken.None))
            .Where(r => r.GrainId == grainId).Select(r => (IGrainReminder)new GrainReminder(r.ReminderName)).ToList();

    private void Schedule(ReminderEntry entry)
    {
        var scheduled = new Scheduled(this, entry);
        lock (_lock)
        {
            if (_stopped)
            {
                scheduled.Timer.Dispose();
                return;
            }
            if (_scheduled.Remove((entry.GrainId, entry.ReminderName), out var previous)) previous.Timer.Dispose();
            _scheduled[(entry.GrainId, entry.ReminderName)] = scheduled;
        }
        scheduled.ArmNext();
    }

    private void Unschedule(GrainId grainId, string reminderName)
    {
        lock (_lock)
            if (_scheduled.Remove((grainId, reminderName), out var scheduled)) scheduled.Timer.Dispose();
    }

    private async Task DeliverAsync(Scheduled scheduled, DateTimeOffset tickTime)
    {
        var entry = scheduled.Entry;
        try
        {
            var grain = _runtime.GetGrain<IRemindable>(entry.GrainId);
            await grain.ReceiveReminder(entry.ReminderName, new TickStatus(entry.StartAt.UtcDateTime, entry.Period, tickTime.UtcDateTime));
        }
        catch (Exception ex)
        {
            _runtime.Logger.LogError(ex, "Reminder {Reminder} of {GrainId} failed; it will fire again at its next period", entry.ReminderName, entry.GrainId);
        }
        finally
        {
            bool current;
            lock (_lock) current = !_stopped && _scheduled.TryGetValue((entry.GrainId, entry.ReminderName), out var s) && s == scheduled;
            if (current) scheduled.ArmNext();
        }
    }

    /// <summary>The clock side of one reminder row.</summary>
    private sealed class Scheduled
    {
        private static readonly TimeSpan LongestWait = TimeSpan.FromDays(30);

        private readonly ReminderService _service;

        public Scheduled(ReminderService service, ReminderEntry entry)
        {
            _service = service;
            Entry = entry;
            Timer = service._runtime.TimeProvider.CreateTimer(static s => ((Scheduled)s!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public ReminderEntry Entry { get; }

        public ITimer Timer { get; }

        private DateTimeOffset _nextTick;

        /// <summary>Next tick on the grid StartAt + k·Period that is not before now; a missed tick is due at once.</summary>
        public void ArmNext()
        {
            var now = _service._runtime.TimeProvider.GetUtcNow();
            if (_nextTick == default)
            {
                _nextTick = Entry.StartAt;
            }
            else
            {
                _nextTick += Entry.Period;
                if (_nextTick <= now)
                {
                    var missed = (long)Math.Ceiling((now - _nextTick) / Entry.Period);
                    _nextTick += Entry.Period * missed;
                }
            }
            ArmFor(_nextTick - now);
        }

        /// <summary>System timers cannot wait longer than about 49 days; a later tick waits in steps.</summary>
        private void ArmFor(TimeSpan due)
        {
            try
            {
                Timer.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due > LongestWait ? LongestWait : due, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // Unregistered or stopped meanwhile.
            }
        }

        private void Fire()
        {
            var early = _nextTick - _service._runtime.TimeProvider.GetUtcNow();
            if (early > TimeSpan.Zero) ArmFor(early);
            else _ = _service.DeliverAsync(this, _nextTick);
        }
    }

    private sealed record GrainReminder(string ReminderName) : IGrainReminder;
}
