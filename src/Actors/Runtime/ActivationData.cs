using Microsoft.Extensions.Logging;

namespace CareTwin.Actors.Runtime;

internal enum ActivationState { Creating, Activating, Valid, Deactivating, Invalid }

/// <summary>
/// One activation of a grain and its turn scheduler. It is the SynchronizationContext its grain code runs
/// under, so every continuation of a request comes back through this queue: one turn at a time, always.
///
/// Requests are admitted (started) by the rules of the grain class: non-reentrant grains run one request at a
/// time in FIFO order unless a method is [AlwaysInterleave] or every running request is [ReadOnly];
/// [Reentrant] grains admit every request and interleave them at awaits. Activation and deactivation are
/// lifecycle requests that run alone.
///
/// When the activation is idle, a caller runs the request's synchronous part inline on its own thread (the
/// same turn rules apply); that keeps a call that completes synchronously free of thread hops.
/// </summary>
internal sealed partial class ActivationData : SynchronizationContext, IGrainContext, IThreadPoolWorkItem
{
    private const int MaxInlineDepth = 8;
    private const int TurnBudget = 64;

    [ThreadStatic] private static ActivationData? t_constructing;
    [ThreadStatic] private static int t_inlineDepth;

    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ActivationState _state = ActivationState.Creating;
    private Queue<Request>? _waiting;
    private Queue<Runnable>? _runnable;
    private int _running;
    private int _runningReadOnly;
    private bool _activationPending = true;
    private bool _lifecycleRunning;
    private bool _executing;
    private DeactivationReason? _deactivationRequested;
    private bool _deactivationForced;
    private ITimer? _deactivationDeadline;
    private int _lastActivityEpoch;
    private int _keepAliveUntilEpoch;
    private object? _grain;
    private List<IActivationParticipant>? _participants;
    private List<GrainTimer>? _timers;

    public ActivationData(ActorRuntime runtime, GrainId grainId, GrainClass grainClass)
    {
        Runtime = runtime;
        GrainId = grainId;
        Class = grainClass;
        _lastActivityEpoch = runtime.Collector.Epoch;
    }

    /// <summary>The activation whose grain is being constructed on this thread, for the Grain base constructor.</summary>
    internal static ActivationData? Constructing => t_constructing;

    public ActorRuntime Runtime { get; }

    public GrainClass Class { get; }

    public GrainId GrainId { get; }

    public object? GrainInstance => _grain;

    public IServiceProvider ActivationServices => Runtime.Services;

    public Task Deactivated => _deactivated.Task;

    internal ActivationState State => _state;

    internal bool IsInvalid => _state == ActivationState.Invalid;

    internal int LastActivityEpoch => _lastActivityEpoch;

    /// <summary>Busy: running or holding requests; a stateless worker pool prefers a worker that is not.</summary>
    internal bool IsBusy { get { lock (_lock) return _running > 0 || _executing || _waiting is { Count: > 0 }; } }

    internal int WaitingCount { get { lock (_lock) return _waiting?.Count ?? 0; } }

    public override string ToString() => $"activation {GrainId}";

    // ---- calls -------------------------------------------------------------------------------------------

    /// <summary>Calls a grain method. Returns null when this activation is gone and the call must be routed again.</summary>
    public Task? TryCall(GrainMethod method, object?[]? args)
    {
        MethodRequest? request = null;
        bool runInline = false, drain = false;
        lock (_lock)
        {
            if (_state == ActivationState.Invalid) return null;
            if (!_executing && t_inlineDepth < MaxInlineDepth && _runnable is not { Count: > 0 } && _waiting is not { Count: > 0 }
                && CanAdmitLocked(method.AlwaysInterleave, method.ReadOnly))
            {
                _executing = true;
                AdmitLocked(method.ReadOnly);
                runInline = true;
            }
            else
            {
                request = new MethodRequest(method, args, method.OneWay ? null : method.CreateResponse());
                EnqueueLocked(request);
                drain = !_executing;
                if (drain) _executing = true;
            }
        }
        Runtime.Metrics.CallStarted();
        _lastActivityEpoch = Runtime.Collector.Epoch;
        if (runInline) return RunInline(method, args);

        if (request!.Response is { } response)
            Runtime.Timeouts.Track(response, method.Timeout ?? Runtime.Options.ResponseTimeout, $"{GrainId} for {method.DisplayName}");
        if (drain) DrainInlineOrSchedule();
        return request.Response?.Task ?? Task.CompletedTask;
    }

    /// <summary>Queues a request that was already made (rerouted from a deactivated activation, or a timer tick).</summary>
    public bool TryEnqueue(Request request)
    {
        bool drain;
        lock (_lock)
        {
            if (_state == ActivationState.Invalid) return false;
            EnqueueLocked(request);
            drain = !_executing;
            if (drain) _executing = true;
        }
        if (drain) Schedule();
        return true;
    }

    private Task RunInline(GrainMethod method, object?[]? args)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        t_inlineDepth++;
        Task task;
        try
        {
            task = method.Invoker(_grain!, args);
        }
        catch (Exception ex)
        {
            var faulted = method.CreateResponse();
            faulted.Fail(ex);
            task = faulted.Task;
        }
        finally
        {
            t_inlineDepth--;
            SetSynchronizationContext(previous);
        }

        if (task.IsCompleted)
        {
            if (!task.IsCompletedSuccessfully) Runtime.Metrics.CallFailed();
            FinishRequestAndReleaseTurn(method.ReadOnly);
            return method.OneWay ? Task.CompletedTask : task;
        }

        var request = new MethodRequest(method, args, method.OneWay ? null : method.CreateResponse());
        if (request.Response is { } response)
            Runtime.Timeouts.Track(response, method.Timeout ?? Runtime.Options.ResponseTimeout, $"{GrainId} for {method.DisplayName}");
        ReleaseTurn();
        WhenRequestCompletes(request, task);
        return request.Response?.Task ?? Task.CompletedTask;
    }

    // ---- the turn queue ----------------------------------------------------------------------------------

    /// <summary>Continuations of grain code come here (await captured this context).</summary>
    public override void Post(SendOrPostCallback d, object? state)
    {
        bool schedule;
        lock (_lock)
        {
            (_runnable ??= new Queue<Runnable>()).Enqueue(new Runnable(d, state));
            schedule = !_executing;
            if (schedule) _executing = true;
        }
        if (schedule) Schedule();
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send onto a grain's turn would deadlock; use Post.");

    public override SynchronizationContext CreateCopy() => this;

    void IThreadPoolWorkItem.Execute() => Drain();

    private void Schedule() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    private void DrainInlineOrSchedule()
    {
        if (t_inlineDepth >= MaxInlineDepth)
        {
            Schedule();
            return;
        }
        t_inlineDepth++;
        try { Drain(); }
        finally { t_inlineDepth--; }
    }

    /// <summary>Runs turns until none is ready. Only the thread that set _executing gets here.</summary>
    private void Drain()
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            for (var turn = 0; turn < TurnBudget; turn++)
            {
                Runnable item = default;
                Request? start;
                lock (_lock)
                {
                    if (!TryTakeNextLocked(out item, out start))
                    {
                        _executing = false;
                        return;
                    }
                }
                if (start is not null) StartRequest(start);
                else RunTurn(item);
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
        // Out of budget: give the thread back to other activations but keep our place.
        ReleaseTurn();
    }

    private void RunTurn(Runnable item)
    {
        try
        {
            item.Callback(item.State);
        }
        catch (Exception ex)
        {
            Runtime.Logger.LogError(ex, "A callback posted to {Activation} threw", this);
        }
    }

    /// <summary>Gives up the turn; if more turns are ready, schedules them.</summary>
    private void ReleaseTurn()
    {
        lock (_lock)
        {
            if (!HasReadyWorkLocked())
            {
                _executing = false;
                return;
            }
        }
        Schedule();
    }

    private void FinishRequestAndReleaseTurn(bool readOnly)
    {
        lock (_lock)
        {
            _running--;
            if (readOnly) _runningReadOnly--;
            if (!HasReadyWorkLocked())
            {
                _executing = false;
                return;
            }
        }
        Schedule();
    }

    private bool TryTakeNextLocked(out Runnable item, out Request? start)
    {
        item = default;
        start = null;
        if (_runnable is { Count: > 0 })
        {
            item = _runnable.Dequeue();
            return true;
        }
        if (_lifecycleRunning) return false;
        if (_activationPending)
        {
            if (_running != 0) return false;
            _activationPending = false;
            _state = ActivationState.Activating;
            start = new LifecycleRequest(LifecycleKind.Activate, default);
            AdmitLifecycleLocked();
            return true;
        }
        if (_deactivationRequested is { } reason && _state == ActivationState.Valid)
        {
            if (_running != 0 && !_deactivationForced) return false;
            _state = ActivationState.Deactivating;
            start = new LifecycleRequest(LifecycleKind.Deactivate, reason);
            AdmitLifecycleLocked();
            return true;
        }
        while (_waiting is { Count: > 0 })
        {
            var head = _waiting.Peek();
            if (head.IsExpired)
            {
                _waiting.Dequeue();
                Runtime.Metrics.Dequeued();
                Runtime.Metrics.ExpiredDropped();
                continue;
            }
            if (!CanAdmitLocked(head.Interleave, head.ReadOnly)) return false;
            _waiting.Dequeue();
            Runtime.Metrics.Dequeued();
            AdmitLocked(head.ReadOnly);
            start = head;
            return true;
        }
        return false;
    }

    private bool HasReadyWorkLocked()
    {
        if (_runnable is { Count: > 0 }) return true;
        if (_lifecycleRunning) return false;
        if (_activationPending) return _running == 0;
        if (_deactivationRequested is not null && _state == ActivationState.Valid) return _running == 0 || _deactivationForced;
        if (_waiting is not { Count: > 0 }) return false;
        var head = _waiting.Peek();
        return head.IsExpired || CanAdmitLocked(head.Interleave, head.ReadOnly);
    }

    private bool CanAdmitLocked(bool interleave, bool readOnly)
    {
        if (_state != ActivationState.Valid || _lifecycleRunning || _activationPending || _deactivationRequested is not null) return false;
        if (_running == 0 || Class.Reentrant || interleave) return true;
        return readOnly && _runningReadOnly == _running;
    }

    private void AdmitLocked(bool readOnly)
    {
        _running++;
        if (readOnly) _runningReadOnly++;
    }

    private void AdmitLifecycleLocked()
    {
        _running++;
        _lifecycleRunning = true;
    }

    private void EnqueueLocked(Request request)
    {
        // FIFO, except that a request which may interleave with everything running starts at once (as in
        // Orleans): [AlwaysInterleave], and [ReadOnly] while only read-only requests run.
        var mayStartNow = (_waiting is not { Count: > 0 } || request.Interleave || (request.ReadOnly && _running > 0))
            && CanAdmitLocked(request.Interleave, request.ReadOnly);
        if (mayStartNow)
        {
            AdmitLocked(request.ReadOnly);
            (_runnable ??= new Queue<Runnable>()).Enqueue(new Runnable(s_startRequest, request));
            request.Owner = this;
        }
        else
        {
            (_waiting ??= new Queue<Request>()).Enqueue(request);
            Runtime.Metrics.Enqueued();
        }
    }

    private static readonly SendOrPostCallback s_startRequest = static state =>
    {
        var request = (Request)state!;
        request.Owner!.StartRequest(request);
    };

    private void StartRequest(Request request)
    {
        request.Owner = this;
        if (request.KeepsAlive) _lastActivityEpoch = Runtime.Collector.Epoch;
        Task task;
        try
        {
            task = request.Start(this);
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }
        WhenRequestCompletes(request, task);
    }

    private void WhenRequestCompletes(Request request, Task task)
    {
        request.Owner = this;
        request.RunningTask = task;
        if (task.IsCompleted) CompleteRequest(request);
        else task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(request.OnRunningTaskCompleted);
    }

    /// <summary>Runs on whichever thread completed the request's task.</summary>
    internal void CompleteRequest(Request request)
    {
        var task = request.RunningTask!;
        List<Request>? orphans = null;
        bool schedule;
        lock (_lock)
        {
            _running--;
            if (request.ReadOnly) _runningReadOnly--;
            if (request is LifecycleRequest lifecycle)
            {
                _lifecycleRunning = false;
                orphans = CompleteLifecycleLocked(lifecycle, task);
            }
            schedule = !_executing && HasReadyWorkLocked();
            if (schedule) _executing = true;
        }
        if (!task.IsCompletedSuccessfully && request is MethodRequest) Runtime.Metrics.CallFailed();
        request.Complete(this, task);
        if (request is LifecycleRequest completed) AfterLifecycle(completed, task, orphans);
        if (schedule) Schedule();
    }

    // ---- activation and deactivation -----------------------------------------------------------------------

    internal void AddParticipant(IActivationParticipant participant) => (_participants ??= []).Add(participant);

    public void Deactivate(DeactivationReason reason)
    {
        bool schedule;
        lock (_lock)
        {
            if (_state is ActivationState.Deactivating or ActivationState.Invalid || _deactivationRequested is not null) return;
            _deactivationRequested = reason;
            schedule = !_executing && HasReadyWorkLocked();
            if (schedule) _executing = true;
            // A request that never finishes must not keep the activation (and shutdown) forever.
            if (_running > 0)
                _deactivationDeadline = Runtime.TimeProvider.CreateTimer(static s => ((ActivationData)s!).ForceDeactivation(), this,
                    Runtime.Options.DeactivationTimeout, Timeout.InfiniteTimeSpan);
        }
        if (schedule) Schedule();
    }

    private void ForceDeactivation()
    {
        bool schedule;
        lock (_lock)
        {
            if (_state != ActivationState.Valid) return;
            _deactivationForced = true;
            schedule = !_executing;
            if (schedule) _executing = true;
        }
        Runtime.Logger.LogWarning("{Activation} still had requests running after {Timeout}; deactivating it anyway",
            this, Runtime.Options.DeactivationTimeout);
        if (schedule) Schedule();
    }

    public void DelayDeactivation(TimeSpan timeSpan)
    {
        var quanta = (int)Math.Ceiling(timeSpan / Runtime.Options.CollectionQuantum);
        _keepAliveUntilEpoch = Runtime.Collector.Epoch + Math.Max(quanta, 0);
    }

    /// <summary>Idle long enough to collect: nothing running or queued and no activity for the class's age.</summary>
    internal bool IsCollectable(int epoch, int ageInQuanta)
    {
        lock (_lock)
        {
            return _state == ActivationState.Valid && _running == 0 && !_executing
                && _waiting is not { Count: > 0 } && _deactivationRequested is null
                && epoch - _lastActivityEpoch >= ageInQuanta && epoch >= _keepAliveUntilEpoch;
        }
    }

    internal Task RunLifecycle(LifecycleRequest request) =>
        request.Kind == LifecycleKind.Activate ? ActivateAsync() : DeactivateAsync(request.Reason);

    private async Task ActivateAsync()
    {
        t_constructing = this;
        try
        {
            _grain = Class.CreateInstance(this);
        }
        finally
        {
            t_constructing = null;
        }
        if (_participants is not null)
            foreach (var participant in _participants)
                await participant.OnActivatingAsync(CancellationToken.None);
        if (_grain is IGrainBase grain)
            await grain.OnActivateAsync(CancellationToken.None);
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        _deactivationDeadline?.Dispose();
        DisposeTimers();
        using var timeout = new CancellationTokenSource(Runtime.Options.DeactivationTimeout, Runtime.TimeProvider);
        try
        {
            if (_grain is IGrainBase grain) await grain.OnDeactivateAsync(reason, timeout.Token);
        }
        catch (Exception ex)
        {
            Runtime.Logger.LogError(ex, "OnDeactivateAsync of {Activation} threw during {Reason}", this, reason);
        }
        if (_participants is not null)
            foreach (var participant in _participants)
            {
                try { await participant.OnDeactivatingAsync(timeout.Token); }
                catch (Exception ex) { Runtime.Logger.LogError(ex, "Persisting {Activation} on deactivation failed", this); }
            }
    }

    private List<Request>? CompleteLifecycleLocked(LifecycleRequest lifecycle, Task task)
    {
        if (lifecycle.Kind == LifecycleKind.Activate && task.IsCompletedSuccessfully)
        {
            _state = ActivationState.Valid;
            return null;
        }
        // Failed activation, or a finished deactivation: this activation is gone; its queue moves on.
        _state = ActivationState.Invalid;
        if (_waiting is null) return null;
        var orphans = _waiting.ToList();
        foreach (var _ in orphans) Runtime.Metrics.Dequeued();
        _waiting.Clear();
        return orphans;
    }

    private void AfterLifecycle(LifecycleRequest lifecycle, Task task, List<Request>? orphans)
    {
        if (lifecycle.Kind == LifecycleKind.Activate && task.IsCompletedSuccessfully)
        {
            Runtime.Metrics.ActivationCreated();
            return;
        }
        Runtime.Catalog.Remove(this);
        DisposeTimers();
        if (lifecycle.Kind == LifecycleKind.Activate)
        {
            var error = task.Exception!.InnerException!;
            Runtime.Metrics.ActivationFailed();
            Runtime.Logger.LogError(error, "Activation of {GrainId} failed; the next call will try again", GrainId);
            foreach (var request in orphans ?? []) request.Fail(error);
        }
        else
        {
            Runtime.Metrics.Deactivated();
            foreach (var request in orphans ?? []) Runtime.Reroute(GrainId, Class, request);
        }
        _deactivated.TrySetResult();
    }

    // ---- timers --------------------------------------------------------------------------------------------

    internal void AddTimer(GrainTimer timer)
    {
        lock (_lock) (_timers ??= []).Add(timer);
    }

    internal void RemoveTimer(GrainTimer timer)
    {
        lock (_lock) _timers?.Remove(timer);
    }

    private void DisposeTimers()
    {
        GrainTimer[] timers;
        lock (_lock)
        {
            if (_timers is null) return;
            timers = [.. _timers];
            _timers.Clear();
        }
        foreach (var timer in timers) timer.Dispose();
    }

    private readonly record struct Runnable(SendOrPostCallback Callback, object? State);
}
