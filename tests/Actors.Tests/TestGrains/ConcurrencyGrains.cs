using CareTwin.Actors.Concurrency;

namespace CareTwin.Actors.Tests.TestGrains;

/// <summary>Records how many of its calls overlap, to prove turns do (or do not) interleave.</summary>
public interface IOverlap
{
    /// <summary>Yields mid-call so that any interleaving would be seen.</summary>
    Task<int> Work(int callNumber);

    Task<int> MaxOverlap();

    Task<IReadOnlyList<int>> Order();

    /// <summary>Waits until <see cref="Release"/> is called.</summary>
    Task WaitForRelease();

    Task Release();

    [AlwaysInterleave]
    Task ReleaseInterleaved();

    [ReadOnly]
    Task<int> ReadWhileHeld(string gate);

    [ReadOnly]
    Task OpenGate(string gate);

    Task<string> Identity();
}

public interface IOverlapGrain : IOverlap, IGrainWithStringKey;

public interface IReentrantOverlapGrain : IOverlap, IGrainWithStringKey;

public class OverlapGrain : OverlapBehaviour, IOverlapGrain;

[Reentrant]
public class ReentrantOverlapGrain : OverlapBehaviour, IReentrantOverlapGrain;

/// <summary>The same behaviour behind a non-reentrant and a reentrant grain class.</summary>
public abstract class OverlapBehaviour : Grain
{
    private readonly List<int> _order = [];
    private readonly Dictionary<string, TaskCompletionSource> _gates = new();
    private readonly Guid _identity = Guid.NewGuid();
    private TaskCompletionSource _release = new();
    private int _inside;
    private int _maxOverlap;

    public async Task<int> Work(int callNumber)
    {
        _inside++;
        _maxOverlap = Math.Max(_maxOverlap, _inside);
        _order.Add(callNumber);
        await Task.Yield();
        await Task.Delay(0);
        _inside--;
        return _order.Count;
    }

    public Task<int> MaxOverlap() => Task.FromResult(_maxOverlap);

    public Task<IReadOnlyList<int>> Order() => Task.FromResult<IReadOnlyList<int>>(_order.ToList());

    public async Task WaitForRelease()
    {
        _inside++;
        _maxOverlap = Math.Max(_maxOverlap, _inside);
        await _release.Task;
        _release = new TaskCompletionSource();
        _inside--;
    }

    public Task Release()
    {
        _release.TrySetResult();
        return Task.CompletedTask;
    }

    public Task ReleaseInterleaved() => Release();

    public async Task<int> ReadWhileHeld(string gate)
    {
        _inside++;
        _maxOverlap = Math.Max(_maxOverlap, _inside);
        await Gate(gate).Task;
        _inside--;
        return _maxOverlap;
    }

    public Task OpenGate(string gate)
    {
        Gate(gate).TrySetResult();
        return Task.CompletedTask;
    }

    public Task<string> Identity() => Task.FromResult(_identity.ToString());

    private TaskCompletionSource Gate(string name) =>
        _gates.TryGetValue(name, out var gate) ? gate : _gates[name] = new TaskCompletionSource();
}

/// <summary>Calls another grain, which may call back: the A→B→A cycle.</summary>
public interface ICycleGrain : IGrainWithStringKey
{
    Task<string> CallOther(string otherKey, bool callBack);

    Task<string> Hello();

    [ResponseTimeout("00:00:02")]
    Task<string> HelloWithShortTimeout();

    Task<string> CallOtherWithShortTimeout(string otherKey);

    Task Hang();
}

public class CycleGrain : Grain, ICycleGrain
{
    public Task<string> CallOther(string otherKey, bool callBack) =>
        callBack ? GrainFactory.GetGrain<ICycleGrain>(otherKey).CallOther(this.GetPrimaryKeyString(), callBack: false)
            : GrainFactory.GetGrain<ICycleGrain>(otherKey).Hello();

    public Task<string> Hello() => Task.FromResult($"hello from {this.GetPrimaryKeyString()}");

    public Task<string> HelloWithShortTimeout() => Hello();

    public async Task<string> CallOtherWithShortTimeout(string otherKey)
    {
        var other = GrainFactory.GetGrain<ICycleGrain>(otherKey);
        _ = other.Hang();
        return await other.HelloWithShortTimeout();
    }

    public Task Hang() => new TaskCompletionSource().Task;
}

public interface IStatelessGrain : IGrainWithStringKey
{
    Task<string> HoldAndIdentify(int holdUntilCount);
}

[StatelessWorker(3)]
public class StatelessGrain : Grain, IStatelessGrain
{
    private static readonly Dictionary<string, (int Arrived, TaskCompletionSource Gate)> Rendezvous = new();
    private readonly Guid _identity = Guid.NewGuid();

    /// <summary>Holds each call until <paramref name="holdUntilCount"/> calls have arrived, so several must be in flight at once.</summary>
    public async Task<string> HoldAndIdentify(int holdUntilCount)
    {
        TaskCompletionSource gate;
        lock (Rendezvous)
        {
            var key = this.GetPrimaryKeyString();
            var (arrived, existing) = Rendezvous.TryGetValue(key, out var r) ? r : (0, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            arrived++;
            Rendezvous[key] = (arrived, existing);
            gate = existing;
            if (arrived >= holdUntilCount) gate.TrySetResult();
        }
        await gate.Task;
        return _identity.ToString();
    }
}
