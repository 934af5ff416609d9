using System.Collections.Concurrent;

namespace CareTwin.Actors.Runtime;

/// <summary>
/// The activations of this runtime. One activation per grain id (stateless workers: a small pool per id).
/// An activation leaves the catalog only after it has fully deactivated, so a new one never overlaps it.
/// </summary>
internal sealed class Catalog(ActorRuntime runtime)
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private readonly ConcurrentDictionary<GrainId, StatelessWorkerPool> _workerPools = new();

    public int Count => _activations.Count + _workerPools.Values.Sum(p => p.Count);

    public IEnumerable<ActivationData> All => _activations.Values.Concat(_workerPools.Values.SelectMany(p => p.Workers));

    public ActivationData GetOrCreate(GrainId grainId, GrainClass grainClass)
    {
        if (grainClass.StatelessWorkerMax > 0)
            return _workerPools.GetOrAdd(grainId, static (id, s) => new StatelessWorkerPool(s.runtime, id, s.grainClass), (runtime, grainClass)).Pick();
        if (_activations.TryGetValue(grainId, out var existing)) return existing;
        runtime.ThrowIfStopping(grainId);
        var created = new ActivationData(runtime, grainId, grainClass);
        return _activations.GetOrAdd(grainId, created);
    }

    public bool TryGet(GrainId grainId, out ActivationData? activation) => _activations.TryGetValue(grainId, out activation);

    public void Remove(ActivationData activation)
    {
        if (activation.Class.StatelessWorkerMax > 0)
        {
            if (_workerPools.TryGetValue(activation.GrainId, out var pool)) pool.Remove(activation);
            return;
        }
        _activations.TryRemove(KeyValuePair.Create(activation.GrainId, activation));
    }

    /// <summary>Activations of a [StatelessWorker] key: an idle one is preferred, then a new one up to the limit.</summary>
    private sealed class StatelessWorkerPool(ActorRuntime runtime, GrainId grainId, GrainClass grainClass)
    {
        private readonly Lock _lock = new();
        private readonly List<ActivationData> _workers = [];
        private int _next;

        public int Count { get { lock (_lock) return _workers.Count; } }

        public ActivationData[] Workers { get { lock (_lock) return [.. _workers]; } }

        public ActivationData Pick()
        {
            lock (_lock)
            {
                foreach (var worker in _workers)
                    if (!worker.IsInvalid && !worker.IsBusy) return worker;
                if (_workers.Count < grainClass.StatelessWorkerMax)
                {
                    runtime.ThrowIfStopping(grainId);
                    var created = new ActivationData(runtime, grainId, grainClass);
                    _workers.Add(created);
                    return created;
                }
                return _workers[_next++ % _workers.Count];
            }
        }

        public void Remove(ActivationData worker)
        {
            lock (_lock) _workers.Remove(worker);
        }
    }
}
