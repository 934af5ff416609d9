using Microsoft.Extensions.Logging;

namespace CareTwin.Web.Live;

/// <summary>
/// One watched topic: its grain-stream subscription, the changes waiting to be sent, and when its group was last
/// sent a batch (a group gets at most one batch per flush interval, and a change to a quiet group goes at once).
/// </summary>
public abstract class LiveFeed(LiveTopic topic)
{
    public LiveTopic Topic { get; } = topic;

    /// <summary>Connections watching; guarded by the bridge.</summary>
    internal int Members { get; set; }

    internal abstract Task SubscribeAsync(IStreamProvider streams);

    internal abstract Task UnsubscribeAsync();

    /// <summary>
    /// How long until the waiting changes may go out: zero when the group was not sent a batch within
    /// <paramref name="interval"/>, null when nothing waits.
    /// </summary>
    internal abstract TimeSpan? DueIn(TimeProvider clock, TimeSpan interval);

    /// <summary>The batch to send now, or null when nothing changed since the last one or it is not due yet (<see cref="DueIn"/>).</summary>
    internal abstract Task<LiveBatch?> TakeBatchAsync(TimeProvider clock, TimeSpan interval);

    /// <summary>Changes held for the next flush.</summary>
    internal abstract int Pending { get; }

    /// <summary>The next flush tells the group to read again.</summary>
    internal abstract bool Resync { get; }
}

/// <summary>Combines the changes of one flush into what a group is sent (e.g. only each child's latest row).</summary>
public interface IChangeShaper<T>
{
    /// <returns>The combined changes, or null when there is nothing to send.</returns>
    Task<object?> ShapeAsync(LiveTopic topic, IReadOnlyList<T> changes);
}

/// <summary>
/// A feed over one typed grain stream. Items are held until the notifier takes them; a stream error,
/// or more items than <paramref name="maxPending"/>, turns the next batch into a resync.
/// </summary>
/// <param name="waiting">Called when something waits where nothing did, so the notifier wakes for it instead of polling.</param>
internal sealed class LiveFeed<T>(
    LiveTopic topic, Func<IStreamProvider, IAsyncStream<T>> stream, IChangeShaper<T> shaper, int maxPending, Action waiting, ILogger logger)
    : LiveFeed(topic), IAsyncObserver<T>
{
    private readonly Lock _lock = new();
    private List<T> _pending = [];
    private bool _resync;
    private long? _lastTaken;
    private StreamSubscriptionHandle<T>? _subscription;

    internal override async Task SubscribeAsync(IStreamProvider streams) => _subscription = await stream(streams).SubscribeAsync(this);

    internal override async Task UnsubscribeAsync()
    {
        if (_subscription is { } subscription) await subscription.UnsubscribeAsync();
        _subscription = null;
    }

    public Task OnNextAsync(T item, StreamSequenceToken? token = null)
    {
        bool first;
        lock (_lock)
        {
            if (_resync) return Task.CompletedTask;
            first = _pending.Count == 0;
            if (_pending.Count >= maxPending) MarkResync();
            else _pending.Add(item);
        }
        if (first) waiting();
        return Task.CompletedTask;
    }

    internal override int Pending
    {
        get
        {
            lock (_lock) return _pending.Count;
        }
    }

    internal override bool Resync
    {
        get
        {
            lock (_lock) return _resync;
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        logger.LogWarning(ex, "The stream behind live topic {Topic} failed; its watchers re-read", Topic);
        lock (_lock) MarkResync();
        waiting();
        return Task.CompletedTask;
    }

    internal override TimeSpan? DueIn(TimeProvider clock, TimeSpan interval)
    {
        lock (_lock) return DueInLocked(clock, interval);
    }

    private TimeSpan? DueInLocked(TimeProvider clock, TimeSpan interval)
    {
        if (!_resync && _pending.Count == 0) return null;
        if (_lastTaken is not { } last) return TimeSpan.Zero;
        var left = interval - clock.GetElapsedTime(last);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    internal override async Task<LiveBatch?> TakeBatchAsync(TimeProvider clock, TimeSpan interval)
    {
        List<T> taken;
        long? before;
        long now;
        lock (_lock)
        {
            if (DueInLocked(clock, interval) != TimeSpan.Zero) return null;
            before = _lastTaken;
            _lastTaken = now = clock.GetTimestamp();
            if (_resync)
            {
                _resync = false;
                return new LiveBatch(Topic.Group, true, null);
            }
            taken = _pending;
            _pending = [];
        }
        var changes = await shaper.ShapeAsync(Topic, taken);
        if (changes is null)
        {
            // Nothing went out, so the group's next change need not wait out the interval.
            lock (_lock)
                if (_lastTaken == now) _lastTaken = before;
            return null;
        }
        return changes switch
        {
            AccessEndedChange => new LiveBatch(Topic.Group, false, null, AccessEnded: true),
            _ => new LiveBatch(Topic.Group, false, changes),
        };
    }

    private void MarkResync()
    {
        _resync = true;
        _pending.Clear();
    }
}
