using CareTwin.Actors;

namespace CareTwin.Actors.Runtime;

/// <summary>A caller's promise for a call that did not complete synchronously; the timeout tracker can fail it.</summary>
internal interface IPendingResponse
{
    Task Task { get; }

    bool IsCompleted { get; }

    /// <summary>Deadline in TimeProvider timestamps; 0 when not tracked.</summary>
    long Deadline { get; set; }

    string Description { get; set; }

    TimeSpan Timeout { get; set; }

    void SetFromTask(Task completed);

    void Fail(Exception exception);

    void TimedOut();
}

/// <summary>
/// Continuations run asynchronously so that completing a response inside one activation's turn never runs
/// the caller's code on that turn (a grain caller resumes on its own activation; others on the thread pool).
/// </summary>
internal sealed class Response<T>() : TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously), IPendingResponse
{
    Task IPendingResponse.Task => Task;

    public bool IsCompleted => Task.IsCompleted;

    public long Deadline { get; set; }

    public string Description { get; set; } = "";

    public TimeSpan Timeout { get; set; }

    public void SetFromTask(Task completed)
    {
        if (completed.IsCompletedSuccessfully)
            TrySetResult(completed is Task<T> typed ? typed.Result : default!);
        else if (completed.IsCanceled)
            TrySetCanceled(CancellationTokenOf(completed));
        else
            TrySetException(completed.Exception!.InnerExceptions);
    }

    public void Fail(Exception exception) => TrySetException(exception);

    public void TimedOut() =>
        TrySetException(new TimeoutException($"Response from {Description} did not arrive within {Timeout}."));

    private static CancellationToken CancellationTokenOf(Task task)
    {
        try { task.GetAwaiter().GetResult(); }
        catch (OperationCanceledException oce) { return oce.CancellationToken; }
        catch { }
        return CancellationToken.None;
    }
}
