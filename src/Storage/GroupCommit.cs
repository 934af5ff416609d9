using System.Threading.Channels;

namespace CareTwin.Storage;

/// <summary>A write as a <see cref="GroupCommit{TWrite}"/> sees it: acknowledged or failed only after its batch's commit.</summary>
internal interface IBatchedWrite
{
    /// <summary>Called once the batch holding this write has committed: completes with the write's result or its refusal.</summary>
    void Acknowledge();

    /// <summary>The write was refused inside its batch (a stale ETag, a journal conflict); the others still commit.</summary>
    void Refuse(Exception reason);

    /// <summary>Called when the batch did not commit: nothing of it is durable.</summary>
    void Fail(Exception exception);
}

/// <summary>
/// The result a write produced inside its batch, held back until the batch commits. A write refused inside the
/// batch (a stale ETag, a journal conflict) is failed at acknowledgement without undoing the others.
/// </summary>
internal abstract class BatchedWrite<T> : IBatchedWrite
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T _result = default!;
    private Exception? _refusal;

    public Task<T> Task => _completion.Task;

    public void Accept(T result)
    {
        _result = result;
        _refusal = null;
    }

    public void Refuse(Exception reason) => _refusal = reason;

    public void Acknowledge()
    {
        if (_refusal is { } refusal) _completion.TrySetException(refusal);
        else _completion.TrySetResult(_result);
    }

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}

/// <summary>
/// Group commit: one writer takes whatever writes have queued (up to a batch size), commits them together,
/// and only then acknowledges them, so concurrent writers share one durable commit instead of paying for one
/// each. The commit callback records each write's outcome; if it throws, no write of the batch is acknowledged.
/// </summary>
internal sealed class GroupCommit<TWrite> : IAsyncDisposable where TWrite : class, IBatchedWrite
{
    private readonly Channel<TWrite> _queue = Channel.CreateUnbounded<TWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _maxBatchSize;
    private readonly Func<IReadOnlyList<TWrite>, ValueTask> _commit;
    private readonly Action<Exception, int> _onFailedBatch;
    private readonly bool _dedicatedThread;
    private Task? _writer;
    private long _batches;

    /// <param name="commit">Commits the batch, recording each write's outcome; returns once the commit is durable.</param>
    /// <param name="onFailedBatch">Told about a batch that did not commit (for logging), with its size.</param>
    /// <param name="dedicatedThread">For a synchronous commit (SQLite): the writer blocks its own thread, never a pool thread.</param>
    public GroupCommit(int maxBatchSize, Func<IReadOnlyList<TWrite>, ValueTask> commit, Action<Exception, int> onFailedBatch, bool dedicatedThread)
    {
        if (maxBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(maxBatchSize), maxBatchSize, "MaxBatchSize must be at least 1.");
        _maxBatchSize = maxBatchSize;
        _commit = commit;
        _onFailedBatch = onFailedBatch;
        _dedicatedThread = dedicatedThread;
    }

    /// <summary>Batches committed so far (tests check that concurrent writes did share commits).</summary>
    public long CommittedBatches => Interlocked.Read(ref _batches);

    public void Start()
    {
        if (_writer is not null) throw new InvalidOperationException("The writer is already running.");
        _writer = _dedicatedThread
            ? Task.Factory.StartNew(() => RunAsync().GetAwaiter().GetResult(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            : Task.Run(RunAsync);
    }

    /// <summary>Queues the write; its task completes after the commit of the batch it lands in.</summary>
    public Task<T> Enqueue<TTyped, T>(TTyped write, string storeName) where TTyped : BatchedWrite<T>, TWrite
    {
        if (_writer is null) return Task.FromException<T>(new InvalidOperationException($"The {storeName} store is not initialized."));
        return _queue.Writer.TryWrite(write) ? write.Task : Task.FromException<T>(new ObjectDisposedException(storeName));
    }

    /// <summary>Stops taking writes, commits what is queued, and waits for the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer is not null) await _writer;
    }

    private async Task RunAsync()
    {
        var batch = new List<TWrite>(_maxBatchSize);
        var reader = _queue.Reader;
        while (await WaitForWritesAsync(reader))
        {
            while (batch.Count < _maxBatchSize && reader.TryRead(out var write)) batch.Add(write);
            try
            {
                await _commit(batch);
            }
            catch (Exception ex)
            {
                _onFailedBatch(ex, batch.Count);
                foreach (var write in batch) write.Fail(ex);
                batch.Clear();
                continue;
            }
            Interlocked.Increment(ref _batches);
            // Only now is anything durable, so only now is anything acknowledged.
            foreach (var write in batch) write.Acknowledge();
            batch.Clear();
        }
    }

    private ValueTask<bool> WaitForWritesAsync(ChannelReader<TWrite> reader) => _dedicatedThread
        ? ValueTask.FromResult(reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        : reader.WaitToReadAsync();
}
