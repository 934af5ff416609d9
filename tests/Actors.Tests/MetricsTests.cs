using CareTwin.Testing;
using CareTwin.Actors.Tests.Infrastructure;
using CareTwin.Actors.Tests.TestGrains;

namespace CareTwin.Actors.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Calls_failures_activations_and_queue_length_are_reported()
    {
        await using var silo = await Silo.StartAsync();
        using var calls = new MetricRecorder(silo.Runtime, "actors.calls");
        using var failed = new MetricRecorder(silo.Runtime, "actors.calls.failed");
        using var created = new MetricRecorder(silo.Runtime, "actors.activations.created");
        using var active = new MetricRecorder(silo.Runtime, "actors.activations.active");
        using var queued = new MetricRecorder(silo.Runtime, "actors.queue.length");

        for (var i = 0; i < 5; i++) await silo.Grains.GetGrain<ICounterGrain>($"m{i}").Increment();
        await Assert.ThrowsAsync<CounterRefusedException>(() => silo.Grains.GetGrain<ICounterGrain>("m0").Fail("x"));
        var held = silo.Grains.GetGrain<IOverlapGrain>("held");
        var waiting = held.WaitForRelease();
        var behind = held.Release();

        Assert.Equal(8, calls.Total);
        Assert.Equal(1, failed.Total);
        await Eventually.True(() => created.Total == 6, "six activations counted");
        active.Collect();
        Assert.Equal(6, active.Total);
        queued.Collect();
        Assert.Equal(1, queued.Total);

        await held.ReleaseInterleaved();
        await Task.WhenAll(waiting, behind);
    }
}
