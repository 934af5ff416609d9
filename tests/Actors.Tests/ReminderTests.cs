using CareTwin.Testing;
using CareTwin.Storage.Sqlite;
using CareTwin.Actors.Tests.Infrastructure;
using CareTwin.Actors.Tests.TestGrains;

namespace CareTwin.Actors.Tests;

public sealed class ReminderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("caretwin-reminders-").FullName;

    private SqliteStorageProvider NewSqlite() => new(new SqliteStorageOptions { DataSource = Path.Combine(_directory, "reminders.db") });

    [Fact]
    public async Task A_reminder_registered_before_a_restart_fires_after_it()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        await using (var first = await Silo.StartAsync(NewSqlite(), clock))
        {
            await first.Grains.GetGrain<IReminderGrain>("r1").Register("sla-check", TimeSpan.FromMinutes(30), TimeSpan.FromHours(1));
        }

        // The host is down across the due time; the new host fires the missed tick at once, then keeps the grid.
        clock.Advance(TimeSpan.FromMinutes(45));
        await using var second = await Silo.StartAsync(NewSqlite(), clock);
        await Eventually.True(() => second.Log().Entries.Contains("reminder r1 sla-check at 09:30"), "the missed tick");

        clock.Advance(TimeSpan.FromMinutes(45));
        await Eventually.True(() => second.Log().Entries.Contains("reminder r1 sla-check at 10:30"), "the next tick on the grid");
        Assert.Equal(["sla-check"], await second.Grains.GetGrain<IReminderGrain>("r1").Registered());
    }

    [Fact]
    public async Task An_unregistered_reminder_stops_and_stays_stopped_after_a_restart()
    {
        var clock = new ManualTimeProvider();
        await using (var first = await Silo.StartAsync(NewSqlite(), clock))
        {
            var grain = first.Grains.GetGrain<IReminderGrain>("r2");
            await grain.Register("once", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10));
            clock.Advance(TimeSpan.FromMinutes(1));
            await Eventually.True(() => first.Log().Entries.Any(e => e.StartsWith("reminder r2 once", StringComparison.Ordinal)), "the first tick");
            await grain.Unregister("once");
        }

        await using var second = await Silo.StartAsync(NewSqlite(), clock);
        clock.Advance(TimeSpan.FromHours(2));
        await Task.Delay(50);
        Assert.DoesNotContain(second.Log().Entries, e => e.StartsWith("reminder r2", StringComparison.Ordinal));
        Assert.Empty(await second.Grains.GetGrain<IReminderGrain>("r2").Registered());
    }

    [Fact]
    public async Task A_reminder_due_beyond_the_longest_timer_wait_still_fires_on_time()
    {
        await using var silo = await Silo.StartAsync(NewSqlite());
        await silo.Grains.GetGrain<IReminderGrain>("r4").Register("annual-review", TimeSpan.FromDays(90), TimeSpan.FromDays(365));

        silo.Clock.Advance(TimeSpan.FromDays(89));
        await Task.Delay(50);
        Assert.DoesNotContain(silo.Log().Entries, e => e.StartsWith("reminder r4", StringComparison.Ordinal));

        silo.Clock.Advance(TimeSpan.FromDays(1));
        await Eventually.True(() => silo.Log().Entries.Contains("reminder r4 annual-review at 09:00"), "the tick after 90 days");
    }

    [Fact]
    public async Task A_reminder_period_below_the_minimum_is_refused_with_the_reminder_named()
    {
        await using var silo = await Silo.StartAsync(configure: o => o.MinimumReminderPeriod = TimeSpan.FromMinutes(1));
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            silo.Grains.GetGrain<IReminderGrain>("r3").Register("too-often", TimeSpan.Zero, TimeSpan.FromSeconds(5)));
        Assert.Contains("too-often", error.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
