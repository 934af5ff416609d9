namespace CareTwin.Actors.Streams;

/// <summary>A stream's identity: a namespace (e.g. "child") and a key.</summary>
public readonly record struct StreamId(string Namespace, string Key)
{
    public static StreamId Create(string ns, string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ns);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return new StreamId(ns, key);
    }

    public static StreamId Create(string ns, Guid key) => Create(ns, key.ToString("D"));

    public override string ToString() => $"{Namespace}/{Key}";
}

/// <summary>Position of an item in its stream; a subscriber that sees a gap knows it missed items and can catch up from the source.</summary>
public abstract class StreamSequenceToken : IComparable<StreamSequenceToken>
{
    public abstract long SequenceNumber { get; }

    public int CompareTo(StreamSequenceToken? other) => other is null ? 1 : SequenceNumber.CompareTo(other.SequenceNumber);

    public override string ToString() => SequenceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class EventSequenceToken(long sequenceNumber) : StreamSequenceToken
{
    public override long SequenceNumber { get; } = sequenceNumber;
}

public interface IAsyncObserver<in T>
{
    Task OnNextAsync(T item, StreamSequenceToken? token = null);

    Task OnCompletedAsync();

    Task OnErrorAsync(Exception ex);
}

public interface IStreamProvider
{
    string Name { get; }

    IAsyncStream<T> GetStream<T>(StreamId streamId);
}

public interface IAsyncStream<T>
{
    StreamId StreamId { get; }

    /// <summary>Publishes to every subscriber without waiting for any of them.</summary>
    Task OnNextAsync(T item, StreamSequenceToken? token = null);

    Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncObserver<T> observer);

    Task<IList<StreamSubscriptionHandle<T>>> GetAllSubscriptionHandles();
}

public abstract class StreamSubscriptionHandle<T>
{
    public abstract Guid HandleId { get; }

    public abstract StreamId StreamId { get; }

    /// <summary>Items this subscription lost because it fell behind (its buffer was full).</summary>
    public abstract long DroppedCount { get; }

    public abstract Task UnsubscribeAsync();
}

/// <summary>Orleans's delegate overloads of SubscribeAsync and the provider accessors.</summary>
public static class StreamExtensions
{
    public static Task<StreamSubscriptionHandle<T>> SubscribeAsync<T>(this IAsyncStream<T> stream, Func<T, StreamSequenceToken?, Task> onNextAsync) =>
        stream.SubscribeAsync(new DelegateObserver<T>(onNextAsync, null, null));

    public static Task<StreamSubscriptionHandle<T>> SubscribeAsync<T>(
        this IAsyncStream<T> stream, Func<T, StreamSequenceToken?, Task> onNextAsync, Func<Exception, Task>? onErrorAsync, Func<Task>? onCompletedAsync) =>
        stream.SubscribeAsync(new DelegateObserver<T>(onNextAsync, onErrorAsync, onCompletedAsync));

    public static IStreamProvider GetStreamProvider(this IGrainBase grain, string name) =>
        GrainTimerExtensions.ActivationOf(grain).Runtime.GetStreamProvider(name);

    public static IStreamProvider GetStreamProvider(this IClusterClient client, string name) =>
        client is Runtime.ActorRuntime runtime ? runtime.GetStreamProvider(name)
        : throw new ArgumentException("Not an actor runtime client.", nameof(client));

    private sealed class DelegateObserver<T>(Func<T, StreamSequenceToken?, Task> onNext, Func<Exception, Task>? onError, Func<Task>? onCompleted) : IAsyncObserver<T>
    {
        public Task OnNextAsync(T item, StreamSequenceToken? token = null) => onNext(item, token);

        public Task OnCompletedAsync() => onCompleted?.Invoke() ?? Task.CompletedTask;

        public Task OnErrorAsync(Exception ex) => onError?.Invoke(ex) ?? Task.CompletedTask;
    }
}
