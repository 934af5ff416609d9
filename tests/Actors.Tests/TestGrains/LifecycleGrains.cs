using CareTwin.Testing;
using CareTwin.Actors.Tests.Infrastructure;

namespace CareTwin.Actors.Tests.TestGrains;

public sealed class CounterState
{
    public int Count { get; set; }

    public string? SeenOnActivate { get; set; }
}

/// <summary>A persistent counter that logs its lifecycle.</summary>
public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment();

    Task<int> Get();

    Task Save();

    Task<string?> Etag();

    Task<int?> ValueSeenOnActivate();

    Task Fail(string message);

    Task Deactivate();

    Task DelayCollection(TimeSpan time);
}

public class CounterGrain(CallLog log, [PersistentState("counter")] IPersistentState<CounterState> state) : Grain, ICounterGrain
{
    private int? _valueOnActivate;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        log.Add($"activate {this.GetPrimaryKeyString()}");
        _valueOnActivate = state.RecordExists ? state.State.Count : null;
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        log.Add($"deactivate {this.GetPrimaryKeyString()} {reason.ReasonCode}");
        await state.WriteStateAsync();
    }

    public Task<int> Increment() => Task.FromResult(++state.State.Count);

    public Task<int> Get() => Task.FromResult(state.State.Count);

    public Task Save() => state.WriteStateAsync();

    public Task<string?> Etag() => Task.FromResult(state.Etag);

    public Task<int?> ValueSeenOnActivate() => Task.FromResult(_valueOnActivate);

    public Task Fail(string message) => throw new CounterRefusedException(message);

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task DelayCollection(TimeSpan time)
    {
        DelayDeactivation(time);
        return Task.CompletedTask;
    }
}

public sealed class CounterRefusedException(string message) : Exception(message);

/// <summary>Fails to activate while its key is in <see cref="FailingKeys"/>.</summary>
public interface IFlakyActivationGrain : IGrainWithStringKey
{
    Task<string> Ping();
}

public class FlakyActivationGrain(CallLog log) : Grain, IFlakyActivationGrain
{
    public static readonly HashSet<string> FailingKeys = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        log.Add($"construct {this.GetPrimaryKeyString()}");
        lock (FailingKeys)
            if (FailingKeys.Remove(this.GetPrimaryKeyString()))
                throw new InvalidOperationException("Activation refused for this test.");
        return Task.CompletedTask;
    }

    public Task<string> Ping() => Task.FromResult("pong");
}

/// <summary>Counts its constructions, to show there is one activation per key.</summary>
public interface IConstructionCountingGrain : IGrainWithGuidKey
{
    Task<string> Identity();
}

public class ConstructionCountingGrain : Grain, IConstructionCountingGrain
{
    public static int Constructed;
    private readonly Guid _identity = Guid.NewGuid();

    public ConstructionCountingGrain()
    {
        Interlocked.Increment(ref Constructed);
    }

    public Task<string> Identity() => Task.FromResult(_identity.ToString());
}

[CollectionAgeLimit(Minutes = 2)]
public class ShortLivedGrain(CallLog log) : Grain, IShortLivedGrain
{
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        log.Add($"deactivate short {this.GetPrimaryKeyString()} {reason.ReasonCode}");
        return Task.CompletedTask;
    }

    public Task Touch() => Task.CompletedTask;
}

public interface IShortLivedGrain : IGrainWithStringKey
{
    Task Touch();
}
