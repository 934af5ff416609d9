using CareTwin.Actors.Runtime;

namespace CareTwin.Actors.Runtime;

/// <summary>
/// A timer owned by one activation. The clock only signals; the tick itself is queued as a request on the
/// activation, and the next tick is armed when the previous one finishes, so ticks never overlap.
/// </summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly ActivationData _activation;
    private readonly Func<object?, CancellationToken, Task> _callback;
    private readonly object? _state;
    private readonly ITimer _clock;
    private readonly CancellationTokenSource _disposed = new();
    private TimeSpan _period;

    public GrainTimer(ActivationData activation, Func<object?, CancellationToken, Task> callback, object? state, GrainTimerCreationOptions options)
    {
        ValidateTime(options.DueTime, nameof(options.DueTime));
        ValidateTime(options.Period, nameof(options.Period));
        _activation = activation;
        _callback = callback;
        _state = state;
        Interleave = options.Interleave;
        KeepAlive = options.KeepAlive;
        _period = options.Period;
        _clock = activation.Runtime.TimeProvider.CreateTimer(static s => ((GrainTimer)s!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        activation.AddTimer(this);
        _clock.Change(options.DueTime, Timeout.InfiniteTimeSpan);
    }

    public bool Interleave { get; }

    public bool KeepAlive { get; }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        ValidateTime(dueTime, nameof(dueTime));
        ValidateTime(period, nameof(period));
        _period = period;
        if (!_disposed.IsCancellationRequested) _clock.Change(dueTime, Timeout.InfiniteTimeSpan);
    }

    private void Fire()
    {
        if (_disposed.IsCancellationRequested) return;
        if (!_activation.TryEnqueue(new TimerTickRequest(this))) Dispose();
    }

    internal Task InvokeCallback() =>
        _disposed.IsCancellationRequested ? Task.CompletedTask : _callback(_state, _disposed.Token);

    internal void TickCompleted()
    {
        if (!_disposed.IsCancellationRequested && _period != Timeout.InfiniteTimeSpan)
            _clock.Change(_period, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested) return;
        _disposed.Cancel();
        _clock.Dispose();
        _activation.RemoveTimer(this);
    }

    private static void ValidateTime(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(name, value, "A timer time must be zero or more, or Timeout.InfiniteTimeSpan.");
    }
}
