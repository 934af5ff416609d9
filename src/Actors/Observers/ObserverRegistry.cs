using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace CareTwin.Actors.Runtime;

/// <summary>Hands out one reference per local observer object, so the same object always gets the same identity.</summary>
internal sealed class ObserverRegistry(ActorRuntime runtime)
{
    private readonly ConditionalWeakTable<IGrainObserver, ObserverMailbox> _mailboxes = new();

    public TObserver CreateReference<TObserver>(IGrainObserver observer) where TObserver : IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (observer is AddressableProxy)
            throw new ArgumentException("That is already a reference; pass the local observer object.", nameof(observer));
        if (observer is not TObserver)
            throw new ArgumentException($"{observer.GetType().Name} does not implement {typeof(TObserver).Name}.", nameof(observer));
        var mailbox = _mailboxes.GetValue(observer, o => new ObserverMailbox(runtime, o));
        var proxy = DispatchProxy.Create<TObserver, ObserverProxy>();
        ((ObserverProxy)(object)proxy!).Initialize(mailbox, ActorRuntime.MethodsOf(typeof(TObserver)));
        return proxy;
    }

    public void DeleteReference(IGrainObserver observer)
    {
        if (_mailboxes.TryGetValue(observer, out var mailbox))
        {
            mailbox.Close();
            _mailboxes.Remove(observer);
        }
    }
}

/// <summary>
/// Calls to one observer, delivered in order by a loop of their own. A grain that notifies never waits for the
/// observer's code: the call is buffered (bounded; the oldest is dropped and counted when the observer lags).
/// </summary>
internal sealed class ObserverMailbox
{
    private readonly ActorRuntime _runtime;
    private readonly IGrainObserver _target;
    private readonly Channel<ObserverCall> _calls;

    public ObserverMailbox(ActorRuntime runtime, IGrainObserver target)
    {
        _runtime = runtime;
        _target = target;
        Id = new GrainId("observer", Guid.NewGuid().ToString("N"));
        _calls = Channel.CreateBounded<ObserverCall>(
            new BoundedChannelOptions(runtime.Options.ObserverMailboxCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                runtime.Metrics.ObserverCallDropped();
                dropped.Response?.Fail(new TimeoutException($"Observer {Id} fell behind; the call to {dropped.Method.DisplayName} was dropped."));
            });
        _ = Task.Run(PumpAsync);
    }

    public GrainId Id { get; }

    public bool IsClosed { get; private set; }

    public Task Post(GrainMethod method, object?[]? args)
    {
        if (IsClosed) throw new ObjectDisposedException($"observer {Id}", "The observer reference was deleted.");
        var response = method.OneWay ? null : method.CreateResponse();
        if (response is not null)
            _runtime.Timeouts.Track(response, method.Timeout ?? _runtime.Options.ResponseTimeout, $"observer {Id} for {method.DisplayName}");
        if (!_calls.Writer.TryWrite(new ObserverCall(method, args, response)))
            response?.Fail(new ObjectDisposedException($"observer {Id}", "The observer reference was deleted."));
        return response?.Task ?? Task.CompletedTask;
    }

    public void Close()
    {
        IsClosed = true;
        _calls.Writer.TryComplete();
    }

    private async Task PumpAsync()
    {
        await foreach (var call in _calls.Reader.ReadAllAsync())
        {
            Task task;
            try
            {
                task = call.Method.Invoker(_target, call.Args);
                await task;
            }
            catch (Exception ex)
            {
                task = Task.FromException(ex);
                if (call.Response is null) _runtime.Logger.LogWarning(ex, "Observer {Observer} threw from {Method}", Id, call.Method.DisplayName);
            }
            if (call.Response is { } response)
            {
                response.SetFromTask(task);
                _runtime.Timeouts.Completed(response);
            }
        }
    }

    private readonly record struct ObserverCall(GrainMethod Method, object?[]? Args, IPendingResponse? Response);
}

/// <summary>The reference behind CreateObjectReference.</summary>
public class ObserverProxy : AddressableProxy
{
    private ObserverMailbox _mailbox = null!;
    private GrainInterfaceMethods _methods = null!;

    internal override GrainId GrainId => _mailbox.Id;

    internal void Initialize(ObserverMailbox mailbox, GrainInterfaceMethods methods)
    {
        _mailbox = mailbox;
        _methods = methods;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var method = _methods[targetMethod!];
        return method.ToDeclaredReturn(_mailbox.Post(method, args));
    }
}
