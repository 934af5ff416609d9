using CareTwin.Testing;
using CareTwin.Actors.Tests.Infrastructure;
using CareTwin.Actors.Tests.TestGrains;

namespace CareTwin.Actors.Tests;

public sealed class TimeoutTests
{
    [Fact]
    public async Task A_call_cycle_between_non_reentrant_grains_fails_with_TimeoutException_instead_of_hanging()
    {
        await using var silo = await Silo.StartAsync();
        var a = silo.Grains.GetGrain<ICycleGrain>("a");

        var cycle = a.CallOther("b", callBack: true);
        // B's call back into A is queued behind A's own request: nothing moves until the response timeout.
        await Eventually.True(() => silo.Runtime.Metrics.WaitingRequests >= 1, "the call back into A to be queued");
        Assert.False(cycle.IsCompleted);

        silo.Clock.Advance(TimeSpan.FromSeconds(31));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => cycle.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("cycle/a", error.Message);
        Assert.Contains("ICycleGrain.CallOther", error.Message);
        // Both grains keep working afterwards.
        Assert.Equal("hello from a", await a.Hello());
    }

    [Fact]
    public async Task No_timeout_fires_before_the_response_timeout_has_passed()
    {
        await using var silo = await Silo.StartAsync();
        var cycle = silo.Grains.GetGrain<ICycleGrain>("c").CallOther("d", callBack: true);
        await Eventually.True(() => silo.Runtime.Metrics.WaitingRequests >= 1, "the call back to be queued");

        silo.Clock.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(50);
        Assert.False(cycle.IsCompleted);

        silo.Clock.Advance(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<TimeoutException>(() => cycle.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task A_method_with_ResponseTimeout_uses_its_own_timeout()
    {
        await using var silo = await Silo.StartAsync();
        var call = silo.Grains.GetGrain<ICycleGrain>("e").CallOtherWithShortTimeout("f");
        await Eventually.True(() => silo.Runtime.Metrics.WaitingRequests >= 1, "the short call to be queued");

        silo.Clock.Advance(TimeSpan.FromSeconds(3));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => call.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("HelloWithShortTimeout", error.Message);
        Assert.Contains("00:00:02", error.Message);
    }
}
