using CareTwin.Actors.Streams;
using CareTwin.Actors.Utilities;
using Microsoft.Extensions.Logging.Abstractions;

namespace CareTwin.Actors.Tests.TestGrains;

public interface IChangeObserver : IGrainObserver
{
    void Changed(int value);
}

public interface IPublisherGrain : IGrainWithStringKey
{
    Task Subscribe(IChangeObserver observer);

    Task Unsubscribe(IChangeObserver observer);

    /// <summary>Notifies observers and publishes to the grain's stream, <paramref name="count"/> times.</summary>
    Task<int> Publish(int count);

    Task<int> ObserverCount();
}

public class PublisherGrain(TimeProvider time) : Grain, IPublisherGrain
{
    private readonly ObserverManager<IChangeObserver> _observers = new(TimeSpan.FromMinutes(5), NullLogger.Instance, time);
    private int _value;

    public Task Subscribe(IChangeObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IChangeObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public async Task<int> Publish(int count)
    {
        var stream = this.GetStreamProvider("Default").GetStream<int>(StreamId.Create("publisher", this.GetPrimaryKeyString()));
        for (var i = 0; i < count; i++)
        {
            _value++;
            _observers.Notify(o => o.Changed(_value));
            await stream.OnNextAsync(_value);
        }
        return _value;
    }

    public Task<int> ObserverCount() => Task.FromResult(_observers.Count);
}
