namespace CareTwin.Actors.Runtime;

/// <summary>
/// Collects idle activations. Time is counted in quanta (epochs) so the call path records activity with a
/// plain int write instead of reading a clock; an activation is collected once it has been idle for more than
/// its class's collection age.
/// </summary>
internal sealed class ActivationCollector : IDisposable
{
    private readonly ActorRuntime _runtime;
    private ITimer? _timer;
    private volatile int _epoch;

    public ActivationCollector(ActorRuntime runtime) => _runtime = runtime;

    public int Epoch => _epoch;

    public void Start()
    {
        var quantum = _runtime.Options.CollectionQuantum;
        _timer = _runtime.TimeProvider.CreateTimer(static s => ((ActivationCollector)s!).Collect(), this, quantum, quantum);
    }

    /// <summary>One quantum has passed: deactivate what has been idle long enough.</summary>
    internal int Collect()
    {
        var epoch = Interlocked.Increment(ref _epoch);
        var collected = 0;
        foreach (var activation in _runtime.Catalog.All)
        {
            var age = activation.Class.CollectionAgeInQuanta;
            if (age == int.MaxValue || !activation.IsCollectable(epoch - 1, age)) continue;
            activation.Deactivate(new DeactivationReason(DeactivationReasonCode.ActivationIdle, "Idle for longer than the collection age."));
            collected++;
        }
        return collected;
    }

    public void Dispose() => _timer?.Dispose();
}
