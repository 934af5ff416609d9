using CareTwin.Testing;
using CareTwin.Actors.Runtime;
using CareTwin.Actors.Streams;
using CareTwin.Actors.Tests.Infrastructure;
using CareTwin.Actors.Tests.TestGrains;

namespace CareTwin.Actors.Tests;

public sealed class PublishSubscribeTests
{
    [Fact]
    public async Task Observers_receive_notifications_in_order()
    {
        await using var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<IPublisherGrain>("p1");
        var observer = new RecordingObserver();
        var reference = silo.Grains.CreateObjectReference<IChangeObserver>(observer);
        await grain.Subscribe(reference);

        await grain.Publish(50);

        await Eventually.True(() => observer.Values.Count == 50, "all notifications");
        Assert.Equal(Enumerable.Range(1, 50), observer.Values);
        Assert.Equal(reference, silo.Grains.CreateObjectReference<IChangeObserver>(observer));
    }

    [Fact]
    public async Task An_observer_that_never_returns_does_not_stall_the_grain_and_its_lost_calls_are_counted()
    {
        await using var silo = await Silo.StartAsync(configure: o => o.ObserverMailboxCapacity = 16);
        var grain = silo.Grains.GetGrain<IPublisherGrain>("p2");
        var stuck = new StuckObserver();
        await grain.Subscribe(silo.Grains.CreateObjectReference<IChangeObserver>(stuck));
        using var drops = new MetricRecorder(silo.Runtime, "actors.observers.dropped");

        var published = await grain.Publish(5_000).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(5_000, published);
        Assert.True(drops.Total > 4_900, $"expected most calls dropped, got {drops.Total}");
        stuck.Release();
    }

    [Fact]
    public async Task A_stream_subscriber_that_never_reads_does_not_block_publishing_and_its_drops_are_counted()
    {
        await using var silo = await Silo.StartAsync(configure: o => o.StreamSubscriberCapacity = 64);
        var stream = silo.Runtime.GetStreamProvider("Default").GetStream<int>(StreamId.Create("publisher", "p3"));
        var never = new TaskCompletionSource();
        var slow = await stream.SubscribeAsync((_, _) => never.Task);
        var received = new List<long>();
        var fast = await stream.SubscribeAsync((item, token) =>
        {
            lock (received) received.Add(token!.SequenceNumber);
            return Task.CompletedTask;
        });

        var published = await silo.Grains.GetGrain<IPublisherGrain>("p3").Publish(10_000).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(10_000, published);
        await Eventually.True(() => { lock (received) return received.Count == 10_000 || fast.DroppedCount > 0; }, "the fast subscriber");
        Assert.True(slow.DroppedCount >= 10_000 - 64 - 1, $"slow subscriber dropped {slow.DroppedCount}");
        lock (received)
            Assert.Equal(received.Order(), received);
        never.SetResult();
        await slow.UnsubscribeAsync();
        await fast.UnsubscribeAsync();
    }

    [Fact]
    public async Task A_subscriber_sees_a_gap_in_sequence_numbers_when_it_fell_behind()
    {
        await using var silo = await Silo.StartAsync(configure: o => o.StreamSubscriberCapacity = 4);
        var stream = silo.Runtime.GetStreamProvider("Default").GetStream<string>(StreamId.Create("child", "gap"));
        var gate = new TaskCompletionSource();
        var first = new TaskCompletionSource();
        var seen = new List<long>();
        var handle = await stream.SubscribeAsync(async (_, token) =>
        {
            first.TrySetResult();
            await gate.Task;
            lock (seen) seen.Add(token!.SequenceNumber);
        });

        await stream.OnNextAsync("event 1");
        await first.Task.WaitAsync(TimeSpan.FromSeconds(20));
        for (var i = 2; i <= 20; i++) await stream.OnNextAsync($"event {i}");
        gate.SetResult();

        await Eventually.True(() => { lock (seen) return seen.Count >= 4 && seen[^1] == 20; }, "the last item");
        Assert.True(handle.DroppedCount >= 15);
        lock (seen) Assert.Contains(seen.Zip(seen.Skip(1)), pair => pair.Second - pair.First > 1);
    }

    private sealed class RecordingObserver : IChangeObserver
    {
        private readonly List<int> _values = [];

        public List<int> Values { get { lock (_values) return [.. _values]; } }

        public void Changed(int value)
        {
            lock (_values) _values.Add(value);
        }
    }

    private sealed class StuckObserver : IChangeObserver
    {
        private readonly ManualResetEventSlim _gate = new(false);

        public void Changed(int value) => _gate.Wait();

        public void Release() => _gate.Set();
    }
}
