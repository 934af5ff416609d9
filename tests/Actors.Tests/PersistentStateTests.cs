using CareTwin.Testing;
using CareTwin.Storage;
using CareTwin.Actors.Tests.Infrastructure;
using CareTwin.Actors.Tests.TestGrains;

namespace CareTwin.Actors.Tests;

public sealed class PersistentStateTests
{
    [Fact]
    public async Task A_write_after_someone_else_changed_the_record_throws_InconsistentStateException()
    {
        await using var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("contended");
        await grain.Increment();
        await grain.Save();
        var etag = await grain.Etag();

        // Another writer moves the stored version on underneath the activation.
        await silo.Storage.WriteStateAsync(new GrainId("counter", "contended"), "counter", """{"Count":99}""", etag, CancellationToken.None);

        await grain.Increment();
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Save());
        Assert.Contains("counter/contended", error.Message);
        Assert.Equal(2, await grain.Get());
    }

    [Fact]
    public async Task Each_write_advances_the_etag()
    {
        await using var silo = await Silo.StartAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("tags");
        Assert.Null(await grain.Etag());
        await grain.Save();
        var first = await grain.Etag();
        await grain.Save();
        Assert.NotEqual(first, await grain.Etag());
    }
}
