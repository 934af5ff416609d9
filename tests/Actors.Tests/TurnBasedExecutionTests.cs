using CareTwin.Testing;
using CareTwin.Actors.Tests.Infrastructure;
using CareTwin.Actors.Tests.TestGrains;

namespace CareTwin.Actors.Tests;

public sealed class TurnBasedExecutionTests
{
    [Fact]
    public async Task A_thousand_concurrent_calls_to_a_non_reentrant_grain_never_interleave()
    {
        await using var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<IOverlapGrain>("one");

        var calls = Enumerable.Range(0, 1000).Select(i => Task.Run(() => grain.Work(i))).ToArray();
        var results = await Task.WhenAll(calls);

        Assert.Equal(1, await grain.MaxOverlap());
        Assert.Equal(Enumerable.Range(1, 1000), results.Order());
    }

    [Fact]
    public async Task Calls_from_one_caller_run_in_the_order_they_were_made()
    {
        await using var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<IOverlapGrain>("fifo");

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => grain.Work(i)).ToArray());

        Assert.Equal(Enumerable.Range(0, 200), await grain.Order());
    }

    [Fact]
    public async Task A_reentrant_grain_interleaves_requests_at_their_awaits()
    {
        await using var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<IReentrantOverlapGrain>("re");

        var waiting = grain.WaitForRelease();
        // Only an interleaved request can release the first one.
        await grain.Release();
        await waiting.WaitAsync(TimeSpan.FromSeconds(20));

        var many = Enumerable.Range(0, 100).Select(i => Task.Run(() => grain.Work(i))).ToArray();
        await Task.WhenAll(many);
        Assert.True(await grain.MaxOverlap() > 1);
    }

    [Fact]
    public async Task A_non_reentrant_grain_queues_a_request_behind_one_that_is_waiting()
    {
        await using var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<IOverlapGrain>("held");

        var waiting = grain.WaitForRelease();
        var release = grain.Release();
        Assert.False(release.IsCompleted);
        Assert.False(waiting.IsCompleted);

        // [AlwaysInterleave] gets through and frees the first request; the queued Release then runs.
        await grain.ReleaseInterleaved();
        await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        await release.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Read_only_requests_interleave_with_each_other_but_not_with_writes()
    {
        await using var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<IOverlapGrain>("reads");

        var first = grain.ReadWhileHeld("a");
        var second = grain.ReadWhileHeld("b");
        var write = grain.Work(1);
        await grain.OpenGate("b").WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2, await second.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.False(write.IsCompleted);

        await grain.OpenGate("a");
        await first.WaitAsync(TimeSpan.FromSeconds(20));
        await write.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Exceptions_reach_the_caller_unchanged_and_the_activation_survives()
    {
        await using var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("thrower");
        await grain.Increment();

        var error = await Assert.ThrowsAsync<CounterRefusedException>(() => grain.Fail("no more, please"));

        Assert.Equal("no more, please", error.Message);
        Assert.Equal(2, await grain.Increment());
        Assert.Equal(1, silo.Log().Count("activate thrower"));
    }

    [Fact]
    public async Task Stateless_workers_run_several_activations_of_one_key_up_to_their_limit()
    {
        await using var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<IStatelessGrain>("pool");

        var identities = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => grain.HoldAndIdentify(3)));

        Assert.Equal(3, identities.Distinct().Count());
        var more = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => grain.HoldAndIdentify(0)));
        Assert.True(more.Distinct().Count() <= 3);
    }
}
