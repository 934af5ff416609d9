namespace CareTwin.Grains.Demo;

/// <summary>
/// The demo's clock-advance mode: time runs <see cref="Factor"/> times faster than real time from
/// <see cref="Start"/>, so delays grow and escalations fall due while you watch. Timers are scaled to match
/// (a reminder due in one clock hour fires after 1/Factor real hours). Host it as the TimeProvider with
/// <c>ISiloBuilder.UseJourneyClock</c>, which keeps Orleans's own housekeeping at real-time pace.
/// </summary>
public sealed class AcceleratedTimeProvider : TimeProvider
{
    private readonly TimeProvider _real;
    private readonly long _startedAt;

    /// <param name="real">The clock it speeds up (the system clock unless a test passes its own).</param>
    public AcceleratedTimeProvider(DateTimeOffset start, double factor, TimeProvider? real = null)
    {
        if (!double.IsFinite(factor) || factor < 1)
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The clock can run 1 or more times as fast as real time.");
        _real = real ?? System;
        _startedAt = _real.GetTimestamp();
        Start = start;
        Factor = factor;
    }

    public DateTimeOffset Start { get; }

    public double Factor { get; }

    public override DateTimeOffset GetUtcNow() => Start + ToClock(_real.GetElapsedTime(_startedAt));

    // Timestamps in clock ticks, so elapsed-time measurements (e.g. response deadlines) run at the clock's pace.
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override TimeZoneInfo LocalTimeZone => _real.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(this, _real.CreateTimer(callback, state, ToReal(dueTime), ToReal(period)));

    /// <summary>How long a span of real time is on this clock.</summary>
    public TimeSpan ToClock(TimeSpan real) => Scale(real, Factor);

    /// <summary>How long a span of this clock's time takes in real time.</summary>
    public TimeSpan ToReal(TimeSpan clockTime) => Scale(clockTime, 1 / Factor);

    private static TimeSpan Scale(TimeSpan span, double by)
    {
        if (span == Timeout.InfiniteTimeSpan || span <= TimeSpan.Zero)
            return span;
        var ticks = span.Ticks * by;
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks(Math.Max(1, (long)ticks));
    }

    private sealed class ScaledTimer(AcceleratedTimeProvider clock, ITimer real) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => real.Change(clock.ToReal(dueTime), clock.ToReal(period));

        public void Dispose() => real.Dispose();

        public ValueTask DisposeAsync() => real.DisposeAsync();
    }
}
