using CareTwin.Testing;
using CareTwin.Actors.Tests.Infrastructure;
using CareTwin.Actors.Tests.TestGrains;

namespace CareTwin.Actors.Tests;

public sealed class ActivationTests
{
    [Fact]
    public async Task Concurrent_first_calls_to_one_key_make_exactly_one_activation()
    {
        await using var silo = await Silo.StartAsync();
        var key = Guid.NewGuid();
        var before = ConstructionCountingGrain.Constructed;

        var identities = await Task.WhenAll(Enumerable.Range(0, 200)
            .Select(_ => Task.Run(() => silo.Grains.GetGrain<IConstructionCountingGrain>(key).Identity())));

        Assert.Single(identities.Distinct());
        Assert.Equal(1, ConstructionCountingGrain.Constructed - before);
        Assert.Equal(key, silo.Grains.GetGrain<IConstructionCountingGrain>(key).GetPrimaryKey());
    }

    [Fact]
    public async Task State_is_loaded_before_OnActivateAsync()
    {
        var storage = new CareTwin.Storage.Memory.MemoryStorageProvider();
        await using (var first = await Silo.StartAsync(storage))
        {
            var grain = first.Grains.GetGrain<ICounterGrain>("loaded");
            await grain.Increment();
            await grain.Increment();
            await grain.Save();
        }

        await using var second = await Silo.StartAsync(storage);
        Assert.Equal(2, await second.Grains.GetGrain<ICounterGrain>("loaded").ValueSeenOnActivate());
    }

    [Fact]
    public async Task A_failed_activation_fails_the_call_and_the_next_call_activates_again()
    {
        await using var silo = await Silo.StartAsync();
        lock (FlakyActivationGrain.FailingKeys) FlakyActivationGrain.FailingKeys.Add("flaky");
        var grain = silo.Grains.GetGrain<IFlakyActivationGrain>("flaky");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Ping());
        Assert.Contains("Activation refused", error.Message);

        Assert.Equal("pong", await grain.Ping());
        Assert.Equal(2, silo.Log().Count("construct flaky"));
    }

    [Fact]
    public async Task DeactivateOnIdle_ends_the_activation_after_the_request_and_the_next_call_reactivates_with_state()
    {
        await using var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("bye");
        await grain.Increment();

        await grain.Deactivate();
        await Eventually.True(() => silo.Log().Count("deactivate bye ApplicationRequested") == 1, "deactivation");

        Assert.Equal(2, await grain.Increment());
        Assert.Equal(2, silo.Log().Count("activate bye"));
    }

    [Fact]
    public async Task Graceful_shutdown_deactivates_every_grain_so_their_state_is_persisted()
    {
        var storage = new CareTwin.Storage.Memory.MemoryStorageProvider();
        await using (var first = await Silo.StartAsync(storage))
        {
            for (var i = 0; i < 20; i++) await first.Grains.GetGrain<ICounterGrain>($"g{i}").Increment();
            await first.StopAsync();
            Assert.Equal(20, first.Log().Entries.Count(e => e.EndsWith("ShuttingDown", StringComparison.Ordinal)));
            Assert.Equal(0, first.Runtime.ActivationCount);
        }

        await using var second = await Silo.StartAsync(storage);
        for (var i = 0; i < 20; i++) Assert.Equal(1, await second.Grains.GetGrain<ICounterGrain>($"g{i}").Get());
    }

    [Fact]
    public async Task A_call_after_shutdown_fails_with_SiloUnavailableException()
    {
        var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("late");
        await silo.DisposeAsync();

        await Assert.ThrowsAsync<SiloUnavailableException>(() => grain.Increment());
    }
}
