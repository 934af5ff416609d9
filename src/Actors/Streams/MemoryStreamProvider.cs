using System.Collections.Concurrent;
using System.Threading.Channels;
using CareTwin.Actors.Runtime;
using Microsoft.Extensions.Logging;

namespace CareTwin.Actors.Streams;

/// <summary>
/// In-process publish/subscribe for grain events. Publishing never waits for a subscriber: each subscription
/// has a bounded buffer drained by its own loop, and when a subscriber falls behind its oldest items are
/// dropped and counted. Items carry consecutive sequence numbers, so a subscriber can see that it lost some
/// and catch up from the source of truth (the journal) instead.
/// </summary>
internal sealed class MemoryStreamProvider(string name, int subscriberCapacity, RuntimeMetrics metrics, ILogger<MemoryStreamProvider> logger) : IStreamProvider
{
    private readonly ConcurrentDictionary<(StreamId, Type), object> _topics = new();
    private readonly int _subscriberCapacity = subscriberCapacity;
    private readonly RuntimeMetrics _metrics = metrics;
    private readonly ILogger _logger = logger;

    public string Name => name;

    public IAsyncStream<T> GetStream<T>(StreamId streamId) => new Stream<T>(this, streamId);

    public async Task CompleteAllAsync()
    {
        foreach (var topic in _topics.Values.ToList()) await ((ITopic)topic).CompleteAsync();
        _topics.Clear();
    }

    private Topic<T>? Find<T>(StreamId id) => _topics.TryGetValue((id, typeof(T)), out var topic) ? (Topic<T>)topic : null;

    private Topic<T> GetOrAdd<T>(StreamId id) => (Topic<T>)_topics.GetOrAdd((id, typeof(T)), static (key, p) => new Topic<T>(p, key.Item1), this);

    private interface ITopic
    {
        Task CompleteAsync();
    }

    /// <summary>A handle on a stream; cheap, holds nothing until someone subscribes.</summary>
    private sealed class Stream<T>(MemoryStreamProvider provider, StreamId streamId) : IAsyncStream<T>
    {
        public StreamId StreamId => streamId;

        public Task OnNextAsync(T item, StreamSequenceToken? token = null)
        {
            provider.Find<T>(streamId)?.Publish(item, token);
            return Task.CompletedTask;
        }

        public Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncObserver<T> observer)
        {
            ArgumentNullException.ThrowIfNull(observer);
            return Task.FromResult<StreamSubscriptionHandle<T>>(provider.GetOrAdd<T>(streamId).Subscribe(observer));
        }

        public Task<IList<StreamSubscriptionHandle<T>>> GetAllSubscriptionHandles() =>
            Task.FromResult<IList<StreamSubscriptionHandle<T>>>(provider.Find<T>(streamId)?.Subscriptions.ToList<StreamSubscriptionHandle<T>>() ?? []);
    }

    private sealed class Topic<T>(MemoryStreamProvider provider, StreamId streamId) : ITopic
    {
        private readonly Lock _lock = new();
        private volatile Subscription<T>[] _subscriptions = [];
        private long _sequence;

        public Subscription<T>[] Subscriptions => _subscriptions;

        public void Publish(T item, StreamSequenceToken? token)
        {
            token ??= new EventSequenceToken(Interlocked.Increment(ref _sequence));
            foreach (var subscription in _subscriptions) subscription.Offer(item, token);
        }

        public Subscription<T> Subscribe(IAsyncObserver<T> observer)
        {
            var subscription = new Subscription<T>(provider, this, streamId, observer);
            lock (_lock) _subscriptions = [.. _subscriptions, subscription];
            return subscription;
        }

        public void Remove(Subscription<T> subscription)
        {
            lock (_lock)
            {
                _subscriptions = _subscriptions.Where(s => s != subscription).ToArray();
                if (_subscriptions.Length == 0) provider._topics.TryRemove(KeyValuePair.Create((streamId, typeof(T)), (object)this));
            }
        }

        public Task CompleteAsync() => Task.WhenAll(_subscriptions.Select(s => s.CompleteAsync()));
    }

    private sealed class Subscription<T> : StreamSubscriptionHandle<T>
    {
        private readonly MemoryStreamProvider _provider;
        private readonly Topic<T> _topic;
        private readonly IAsyncObserver<T> _observer;
        private readonly Channel<(T Item, StreamSequenceToken Token)> _buffer;
        private readonly Task _pump;
        private long _dropped;
        private volatile bool _notifyCompletion;

        public Subscription(MemoryStreamProvider provider, Topic<T> topic, StreamId streamId, IAsyncObserver<T> observer)
        {
            _provider = provider;
            _topic = topic;
            _observer = observer;
            StreamId = streamId;
            _buffer = Channel.CreateBounded<(T, StreamSequenceToken)>(
                new BoundedChannelOptions(provider._subscriberCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
                _ => { Interlocked.Increment(ref _dropped); provider._metrics.StreamItemDropped(); });
            _pump = Task.Run(PumpAsync);
        }

        public override Guid HandleId { get; } = Guid.NewGuid();

        public override StreamId StreamId { get; }

        public override long DroppedCount => Interlocked.Read(ref _dropped);

        public void Offer(T item, StreamSequenceToken token) => _buffer.Writer.TryWrite((item, token));

        public override Task UnsubscribeAsync()
        {
            _topic.Remove(this);
            _buffer.Writer.TryComplete();
            return Task.CompletedTask;
        }

        /// <summary>The runtime is stopping: deliver what is buffered, then tell the observer the stream ended.</summary>
        public Task CompleteAsync()
        {
            _notifyCompletion = true;
            _buffer.Writer.TryComplete();
            return _pump;
        }

        private async Task PumpAsync()
        {
            await foreach (var (item, token) in _buffer.Reader.ReadAllAsync())
            {
                try
                {
                    await _observer.OnNextAsync(item, token);
                }
                catch (Exception ex)
                {
                    _provider._logger.LogError(ex, "A subscriber of stream {StreamId} threw; it stays subscribed", StreamId);
                }
            }
            if (!_notifyCompletion) return;
            try
            {
                await _observer.OnCompletedAsync();
            }
            catch (Exception ex)
            {
                _provider._logger.LogError(ex, "A subscriber of stream {StreamId} threw on completion", StreamId);
            }
        }
    }
}
