using System.Diagnostics.Metrics;

namespace CareTwin.Actors.Runtime;

/// <summary>
/// The runtime's instruments (meter "CareTwin.Actors"). Counters are cheap when nobody listens, so the call
/// path can always count; gauges are read from the catalog only when a listener asks.
/// </summary>
internal sealed class RuntimeMetrics : IDisposable
{
    public const string MeterName = "CareTwin.Actors";

    private readonly Meter _meter;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _callsFailed;
    private readonly Counter<long> _callsTimedOut;
    private readonly Counter<long> _activationsCreated;
    private readonly Counter<long> _activationsFailed;
    private readonly Counter<long> _deactivations;
    private readonly Counter<long> _expiredDropped;
    private readonly Counter<long> _streamDropped;
    private readonly Counter<long> _observerDropped;
    private long _waiting;

    public RuntimeMetrics(object runtime, Func<int> activeActivations)
    {
        // Scoped to the runtime, so listeners can tell runtimes in one process apart.
        _meter = new Meter(new MeterOptions(MeterName) { Scope = runtime });
        _calls = _meter.CreateCounter<long>("actors.calls", description: "Grain calls made (rate = calls/s).");
        _callsFailed = _meter.CreateCounter<long>("actors.calls.failed", description: "Grain calls that ended in an exception.");
        _callsTimedOut = _meter.CreateCounter<long>("actors.calls.timed_out", description: "Grain calls failed by the response timeout.");
        _activationsCreated = _meter.CreateCounter<long>("actors.activations.created");
        _activationsFailed = _meter.CreateCounter<long>("actors.activations.failed", description: "Activations whose activation threw.");
        _deactivations = _meter.CreateCounter<long>("actors.activations.deactivated");
        _expiredDropped = _meter.CreateCounter<long>("actors.messages.expired", description: "Queued requests dropped because their caller had timed out.");
        _streamDropped = _meter.CreateCounter<long>("actors.streams.dropped", description: "Stream items dropped for slow subscribers.");
        _observerDropped = _meter.CreateCounter<long>("actors.observers.dropped", description: "Observer notifications dropped for slow observers.");
        _meter.CreateObservableGauge("actors.activations.active", activeActivations);
        _meter.CreateObservableGauge("actors.queue.length", () => Interlocked.Read(ref _waiting),
            description: "Requests waiting for their activation's turn, over all activations.");
    }

    public long WaitingRequests => Interlocked.Read(ref _waiting);

    public void CallStarted() => _calls.Add(1);
    public void CallFailed() => _callsFailed.Add(1);
    public void CallTimedOut() => _callsTimedOut.Add(1);
    public void ActivationCreated() => _activationsCreated.Add(1);
    public void ActivationFailed() => _activationsFailed.Add(1);
    public void Deactivated() => _deactivations.Add(1);
    public void ExpiredDropped() => _expiredDropped.Add(1);
    public void StreamItemDropped() => _streamDropped.Add(1);
    public void ObserverCallDropped() => _observerDropped.Add(1);
    public void Enqueued() => Interlocked.Increment(ref _waiting);
    public void Dequeued() => Interlocked.Decrement(ref _waiting);

    public void Dispose() => _meter.Dispose();
}
