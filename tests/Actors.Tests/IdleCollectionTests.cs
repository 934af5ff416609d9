using CareTwin.Testing;
using CareTwin.Actors.Tests.Infrastructure;
using CareTwin.Actors.Tests.TestGrains;

namespace CareTwin.Actors.Tests;

public sealed class IdleCollectionTests
{
    [Fact]
    public async Task An_idle_grain_is_collected_after_the_collection_age_and_reactivates_with_its_state()
    {
        await using var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("idle");
        await grain.Increment();
        await grain.Increment();

        silo.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(0, silo.Log().Count("deactivate idle ActivationIdle"));

        silo.Clock.Advance(TimeSpan.FromMinutes(2));
        await Eventually.True(() => silo.Log().Count("deactivate idle ActivationIdle") == 1, "idle collection");
        await Eventually.True(() => silo.Runtime.ActivationCount == 0, "the catalog to empty");

        Assert.Equal(3, await grain.Increment());
        Assert.Equal(2, silo.Log().Count("activate idle"));
    }

    [Fact]
    public async Task A_grain_in_use_is_not_collected()
    {
        await using var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("busy");
        for (var minute = 0; minute < 40; minute++)
        {
            await grain.Increment();
            silo.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Equal(1, silo.Log().Count("activate busy"));
        Assert.Equal(0, silo.Log().Count("deactivate busy ActivationIdle"));
    }

    [Fact]
    public async Task CollectionAgeLimit_sets_a_class_specific_age()
    {
        await using var silo = await Silo.StartAsync();
        await silo.Grains.GetGrain<IShortLivedGrain>("brief").Touch();
        await silo.Grains.GetGrain<ICounterGrain>("long").Increment();

        silo.Clock.Advance(TimeSpan.FromMinutes(4));

        await Eventually.True(() => silo.Log().Count("deactivate short brief ActivationIdle") == 1, "the short-lived grain to be collected");
        Assert.Equal(0, silo.Log().Count("deactivate long ActivationIdle"));
    }

    [Fact]
    public async Task DelayDeactivation_keeps_an_idle_grain_for_the_time_asked()
    {
        await using var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("kept");
        await grain.DelayCollection(TimeSpan.FromHours(1));

        silo.Clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal(0, silo.Log().Count("deactivate kept ActivationIdle"));

        silo.Clock.Advance(TimeSpan.FromMinutes(15));
        await Eventually.True(() => silo.Log().Count("deactivate kept ActivationIdle") == 1, "collection after the delay");
    }
}
