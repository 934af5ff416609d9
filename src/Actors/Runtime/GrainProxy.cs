using System.Reflection;

namespace CareTwin.Actors.Runtime;

/// <summary>A grain or observer reference: what GetGrain and CreateObjectReference hand out.</summary>
public abstract class AddressableProxy : DispatchProxy
{
    internal abstract GrainId GrainId { get; }

    public override bool Equals(object? obj) => obj is AddressableProxy other && other.GrainId == GrainId;

    public override int GetHashCode() => GrainId.GetHashCode();

    public override string ToString() => GrainId.ToString();
}

/// <summary>
/// The reference behind <c>GetGrain&lt;T&gt;(key)</c>. It caches the activation it last reached and routes
/// again when that activation has gone (deactivated or failed), which is how calls survive idle collection.
/// </summary>
public class GrainProxy : AddressableProxy
{
    private ActorRuntime _runtime = null!;
    private GrainClass _class = null!;
    private GrainInterfaceMethods _methods = null!;
    private GrainId _grainId;
    private ActivationData? _activation;

    internal override GrainId GrainId => _grainId;

    internal void Initialize(ActorRuntime runtime, GrainId grainId, GrainClass grainClass, GrainInterfaceMethods methods)
    {
        _runtime = runtime;
        _grainId = grainId;
        _class = grainClass;
        _methods = methods;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var method = _methods[targetMethod!];
        if (_runtime.IsStopped)
            return method.ToDeclaredReturn(Faulted(method, new SiloUnavailableException($"The actor runtime has stopped; {_grainId} cannot be called.")));
        var spin = new SpinWait();
        while (true)
        {
            ActivationData activation;
            try
            {
                activation = _class.StatelessWorkerMax > 0 ? _runtime.Catalog.GetOrCreate(_grainId, _class) : CachedOrRouted();
            }
            catch (Exception ex)
            {
                return method.ToDeclaredReturn(Faulted(method, ex));
            }
            var task = activation.TryCall(method, args);
            if (task is not null) return method.ToDeclaredReturn(task);
            _activation = null;
            spin.SpinOnce();
        }
    }

    private ActivationData CachedOrRouted()
    {
        var activation = _activation;
        if (activation is null || activation.IsInvalid) _activation = activation = _runtime.Catalog.GetOrCreate(_grainId, _class);
        return activation;
    }

    private static Task Faulted(GrainMethod method, Exception exception)
    {
        var response = method.CreateResponse();
        response.Fail(exception);
        return response.Task;
    }
}
