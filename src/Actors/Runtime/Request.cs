using Microsoft.Extensions.Logging;

namespace CareTwin.Actors.Runtime;

/// <summary>Hooks for parts of a grain that load before OnActivateAsync and flush on deactivation (state, journals).</summary>
internal interface IActivationParticipant
{
    Task OnActivatingAsync(CancellationToken cancellationToken);

    Task OnDeactivatingAsync(CancellationToken cancellationToken);
}

/// <summary>A unit of work for an activation: admitted by the turn rules, started on a turn, completed when its task ends.</summary>
internal abstract class Request
{
    private Action? _onRunningTaskCompleted;

    public abstract bool Interleave { get; }

    public abstract bool ReadOnly { get; }

    /// <summary>Counts as activity for idle collection.</summary>
    public virtual bool KeepsAlive => true;

    /// <summary>The caller already gave up (timed out): drop instead of running.</summary>
    public virtual bool IsExpired => false;

    internal ActivationData? Owner { get; set; }

    internal Task? RunningTask { get; set; }

    internal Action OnRunningTaskCompleted => _onRunningTaskCompleted ??= () => Owner!.CompleteRequest(this);

    public abstract Task Start(ActivationData activation);

    public abstract void Complete(ActivationData activation, Task task);

    /// <summary>The request will never run (its activation failed to activate, or the runtime stopped).</summary>
    public abstract void Fail(Exception exception);
}

internal sealed class MethodRequest(GrainMethod method, object?[]? args, IPendingResponse? response) : Request
{
    public IPendingResponse? Response { get; } = response;

    public override bool Interleave => method.AlwaysInterleave;

    public override bool ReadOnly => method.ReadOnly;

    public override bool IsExpired => Response is { IsCompleted: true };

    public GrainMethod Method => method;

    public object?[]? Arguments => args;

    public override Task Start(ActivationData activation) => method.Invoker(activation.GrainInstance!, args);

    public override void Complete(ActivationData activation, Task task)
    {
        if (Response is { } response)
        {
            response.SetFromTask(task);
            activation.Runtime.Timeouts.Completed(response);
        }
        else if (task.IsFaulted)
        {
            activation.Runtime.Logger.LogError(task.Exception!.InnerException, "One-way call {Method} on {GrainId} failed", method.DisplayName, activation.GrainId);
        }
    }

    public override void Fail(Exception exception)
    {
        Response?.Fail(exception);
    }
}

internal enum LifecycleKind { Activate, Deactivate }

internal sealed class LifecycleRequest(LifecycleKind kind, DeactivationReason reason) : Request
{
    public LifecycleKind Kind => kind;

    public DeactivationReason Reason => reason;

    public override bool Interleave => false;

    public override bool ReadOnly => false;

    public override bool KeepsAlive => false;

    public override Task Start(ActivationData activation) => activation.RunLifecycle(this);

    public override void Complete(ActivationData activation, Task task) { }

    public override void Fail(Exception exception) { }
}

/// <summary>A grain timer's tick, scheduled like a call so it respects the grain's turns.</summary>
internal sealed class TimerTickRequest(GrainTimer timer) : Request
{
    public override bool Interleave => timer.Interleave;

    public override bool ReadOnly => false;

    public override bool KeepsAlive => timer.KeepAlive;

    public override Task Start(ActivationData activation) => timer.InvokeCallback();

    public override void Complete(ActivationData activation, Task task)
    {
        if (task.IsFaulted)
            activation.Runtime.Logger.LogError(task.Exception!.InnerException, "A timer callback of {GrainId} threw", activation.GrainId);
        timer.TickCompleted();
    }

    public override void Fail(Exception exception) => timer.TickCompleted();
}
