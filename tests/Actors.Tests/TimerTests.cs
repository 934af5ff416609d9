using CareTwin.Testing;
using CareTwin.Actors.Tests.Infrastructure;
using CareTwin.Actors.Tests.TestGrains;

namespace CareTwin.Actors.Tests;

public sealed class TimerTests
{
    [Fact]
    public async Task A_grain_timer_ticks_at_its_due_time_and_then_every_period()
    {
        await using var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<ITimerGrain>("t1");
        await grain.Start(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), keepAlive: false);

        silo.Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await grain.Ticks());

        silo.Clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.True(() => grain.Ticks().Result == 1, "the first tick");
        silo.Clock.Advance(TimeSpan.FromSeconds(5));
        await Eventually.True(() => grain.Ticks().Result == 2, "the second tick");

        await grain.StopTimer();
        silo.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2, await grain.Ticks());
    }

    [Fact]
    public async Task A_tick_waits_for_the_running_request_unless_it_interleaves()
    {
        await using var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<ITimerGrain>("t2");
        await grain.Start(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan, keepAlive: false);
        var hold = grain.Hold();

        silo.Clock.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(50);
        Assert.DoesNotContain("t2: tick 1 held=True", silo.Log().Entries);

        await grain.Release();
        await hold.WaitAsync(TimeSpan.FromSeconds(20));
        await Eventually.True(() => silo.Log().Entries.Contains("t2: tick 1 held=False"), "the tick after the request");
    }

    [Fact]
    public async Task A_KeepAlive_timer_keeps_its_grain_from_idle_collection_and_a_plain_one_does_not()
    {
        await using var silo = await Silo.StartAsync();
        await silo.Grains.GetGrain<ITimerGrain>("alive").Start(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), keepAlive: true);
        await silo.Grains.GetGrain<ITimerGrain>("plain").Start(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), keepAlive: false);

        for (var minute = 0; minute < 20; minute++)
        {
            silo.Clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Yield();
        }

        await Eventually.True(() => silo.Log().Entries.Contains("plain: deactivate ActivationIdle"), "the plain timer's grain to be collected");
        Assert.DoesNotContain("alive: deactivate ActivationIdle", silo.Log().Entries);
    }
}
