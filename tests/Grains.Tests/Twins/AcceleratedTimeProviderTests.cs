using CareTwin.Grains.Demo;
using CareTwin.Testing;

namespace CareTwin.Grains.Tests.Twins;

public sealed class AcceleratedTimeProviderTests
{
    [Fact]
    public void Time_and_timers_run_factor_times_faster()
    {
        var real = new ManualTimeProvider();
        var start = new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var clock = new AcceleratedTimeProvider(start, 60, real);
        var ticks = 0;
        using var timer = clock.CreateTimer(_ => ticks++, null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
        var stopwatch = clock.GetTimestamp();

        real.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, ticks);
        real.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal((1, start.AddMinutes(1)), (ticks, clock.GetUtcNow()));
        real.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, ticks);
        timer.Change(TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        real.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(3, ticks);
        Assert.Equal(TimeSpan.FromMinutes(63), clock.GetElapsedTime(stopwatch));
    }

    [Fact]
    public void A_clock_slower_than_real_time_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AcceleratedTimeProvider(DateTimeOffset.UnixEpoch, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AcceleratedTimeProvider(DateTimeOffset.UnixEpoch, double.NaN));
    }
}
