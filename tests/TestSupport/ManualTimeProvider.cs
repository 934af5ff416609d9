namespace CareTwin.Testing;

/// <summary>
/// A clock that moves only when a test advances it; due timers fire in order, on the advancing thread.
/// Time-dependent behaviour is tested with it, never with sleeps.
/// </summary>
/// <remarks>
/// Two allowances make it behave like a real clock for code that waits on it (Orleans's reminder service does):
/// a timer fires just under a millisecond after its due time, as a real one fires a little late, because timers
/// take whole milliseconds and a caller that is woken before its exact due time waits again; and a timer of at
/// most a millisecond (Orleans waits one for a reminder that is already due) moves the clock on by itself, so
/// what is due happens without a test advancing for it.
/// </remarks>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan WithinTheMillisecond = OneMillisecond - TimeSpan.FromTicks(1);

    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public ManualTimeProvider() : this(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock) return _now;
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (_lock) return _now.UtcTicks;
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_lock) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, in due order.</summary>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by));
        DateTimeOffset target;
        lock (_lock) target = _now + by;
        AdvanceTo(target);
    }

    private void AdvanceTo(DateTimeOffset target)
    {
        while (true)
        {
            ManualTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.Due is { } due && due <= target).MinBy(t => t.Due);
                if (next is null)
                {
                    if (target > _now) _now = target;
                    return;
                }
                var due = next.Due!.Value;
                var firedAt = due + WithinTheMillisecond < target ? due + WithinTheMillisecond : target;
                if (firedAt > _now) _now = firedAt;
                // A periodic timer keeps its cadence and, like a real one, does not catch up on missed periods.
                next.Due = next.Period is { } period ? (due + period > _now ? due + period : _now + period) : null;
            }
            next.Fire();
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (_lock) _timers.Remove(timer);
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private static readonly TimeSpan MaxSupportedTimeout = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

        public DateTimeOffset? Due { get; set; }

        public TimeSpan? Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // The limits of the system's timers, so code that passes here also runs on TimeProvider.System.
            ArgumentOutOfRangeException.ThrowIfGreaterThan(dueTime, MaxSupportedTimeout);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(period, MaxSupportedTimeout);
            DateTimeOffset? movesOnTo = null;
            lock (clock._lock)
            {
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    Due = null;
                    return true;
                }
                if (dueTime > OneMillisecond)
                {
                    Due = clock._now + dueTime;
                    return true;
                }
                if (dueTime > TimeSpan.Zero)
                {
                    Due = clock._now + dueTime;
                    movesOnTo = Due + WithinTheMillisecond;
                }
                else
                {
                    // Due now: like a real timer, fire at once (on the thread pool), without waiting for Advance.
                    Due = Period is { } p ? clock._now + p : null;
                }
            }
            if (movesOnTo is { } to)
                ThreadPool.QueueUserWorkItem(_ => clock.AdvanceTo(to));
            else
                ThreadPool.QueueUserWorkItem(_ => Fire());
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => clock.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
