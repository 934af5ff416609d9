using System.Collections.Concurrent;

namespace CareTwin.Actors.Runtime;

/// <summary>
/// Fails calls whose response has not arrived by their deadline, so a call cycle on non-reentrant grains
/// surfaces as a TimeoutException instead of hanging. One coarse periodic sweep instead of a timer per call.
/// </summary>
internal sealed class ResponseTimeouts : IDisposable
{
    private readonly ConcurrentDictionary<IPendingResponse, byte> _pending = new(ReferenceEqualityComparer.Instance);
    private readonly TimeProvider _time;
    private readonly RuntimeMetrics _metrics;
    private readonly ITimer _sweep;

    public ResponseTimeouts(TimeProvider time, TimeSpan sweepInterval, RuntimeMetrics metrics)
    {
        _time = time;
        _metrics = metrics;
        _sweep = time.CreateTimer(static s => ((ResponseTimeouts)s!).Sweep(), this, sweepInterval, sweepInterval);
    }

    public int PendingCount => _pending.Count;

    public void Track(IPendingResponse response, TimeSpan timeout, string description)
    {
        response.Description = description;
        response.Timeout = timeout;
        if (timeout == Timeout.InfiniteTimeSpan) return;
        response.Deadline = _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        _pending.TryAdd(response, 0);
        // The response may have completed before it was added; the next sweep would drop it, but do it now.
        if (response.IsCompleted) _pending.TryRemove(response, out _);
    }

    public void Completed(IPendingResponse response)
    {
        if (response.Deadline != 0) _pending.TryRemove(response, out _);
    }

    internal void Sweep()
    {
        if (_pending.IsEmpty) return;
        var now = _time.GetTimestamp();
        foreach (var (response, _) in _pending)
        {
            if (response.IsCompleted)
                _pending.TryRemove(response, out _);
            else if (now >= response.Deadline && _pending.TryRemove(response, out _))
            {
                _metrics.CallTimedOut();
                response.TimedOut();
            }
        }
    }

    public void Dispose() => _sweep.Dispose();
}
