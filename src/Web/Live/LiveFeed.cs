using Microsoft.Extensions.Logging;

namespace CareTwin.Web.Live;

/// <summary>One watched topic: its grain-stream subscription and the changes waiting for the next flush.</summary>
public abstract class LiveFeed(LiveTopic topic)
{
    public LiveTopic Topic { get; } = topic;

    /// <summary>Connections watching; guarded by the bridge.</summary>
    internal int Members { get; set; }

    internal abstract Task SubscribeAsync(IStreamProvider streams);

    internal abstract Task UnsubscribeAsync();

    /// <summary>The batch to send now, or null when nothing changed since the last one.</summary>
    internal abstract Task<LiveBatch?> TakeBatchAsync();

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
internal sealed class LiveFeed<T>(
    LiveTopic topic, Func<IStreamProvider, IAsyncStream<T>> stream, IChangeShaper<T> shaper, int maxPending, ILogger logger)
    : LiveFeed(topic), IAsyncObserver<T>
{
    private readonly Lock _lock = new();
    private List<T> _pending = [];
    private bool _resync;
    private StreamSubscriptionHandle<T>? _subscription;

    internal override async Task SubscribeAsync(IStreamProvider streams) => _subscription = await stream(streams).SubscribeAsync(this);

    internal override async Task UnsubscribeAsync()
    {
        if (_subscription is { } subscription) await subscription.UnsubscribeAsync();
        _subscription = null;
    }

    public Task OnNextAsync(T item, StreamSequenceToken? token = null)
    {
        lock (_lock)
        {
            if (_resync) return Task.CompletedTask;
            if (_pending.Count >= maxPending) MarkResync();
            else _pending.Add(item);
        }
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
        return Task.CompletedTask;
    }

    internal override async Task<LiveBatch?> TakeBatchAsync()
    {
        List<T> taken;
        lock (_lock)
        {
            if (_resync)
            {
                _resync = false;
                return new LiveBatch(Topic.Group, true, null);
            }
            if (_pending.Count == 0) return null;
            taken = _pending;
            _pending = [];
        }
        var changes = await shaper.ShapeAsync(Topic, taken);
        return changes switch
        {
            null => null,
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
