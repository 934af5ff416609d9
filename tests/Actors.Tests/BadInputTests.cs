using CareTwin.Testing;
using CareTwin.Storage;
using CareTwin.Actors.Tests.Infrastructure;
using CareTwin.Actors.Tests.TestGrains;

namespace CareTwin.Actors.Tests;

public interface INobodyImplementsThis : IGrainWithStringKey
{
    Task Nothing();
}

public sealed class BadInputTests
{
    [Fact]
    public async Task An_unknown_grain_interface_is_refused_naming_the_interface_and_the_key()
    {
        await using var silo = await Silo.StartAsync();
        var error = Assert.Throws<ArgumentException>(() => silo.Grains.GetGrain<INobodyImplementsThis>("k-17"));
        Assert.Contains(nameof(INobodyImplementsThis), error.Message);
        Assert.Contains("k-17", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_key_is_refused_naming_the_grain_interface(string key)
    {
        await using var silo = await Silo.StartAsync();
        var error = Assert.Throws<ArgumentException>(() => silo.Grains.GetGrain<ICounterGrain>(key));
        Assert.Contains(nameof(ICounterGrain), error.Message);
    }

    [Fact]
    public async Task State_that_cannot_be_deserialized_fails_the_call_naming_grain_key_and_state_never_a_silent_default()
    {
        await using var silo = await Silo.StartAsync();
        await silo.Storage.WriteStateAsync(new GrainId("counter", "corrupt"), "counter", "{not json", null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<StateDeserializationException>(() => silo.Grains.GetGrain<ICounterGrain>("corrupt").Get());

        Assert.Contains("counter/corrupt", error.Message);
        Assert.Contains("'counter'", error.Message);
        Assert.Equal(0, silo.Log().Count("activate corrupt"));
    }

    [Fact]
    public async Task A_journal_event_that_cannot_be_deserialized_fails_activation_naming_the_grain_and_version()
    {
        await using var silo = await Silo.StartAsync();
        await silo.Storage.AppendAsync(new GrainId("account", "bad"), 0,
            [new JournalEntry(1, """{"$type":"deposited","Amount":1,"Note":"ok"}"""), new JournalEntry(2, """{"$type":"teleported"}""")],
            CancellationToken.None);

        var error = await Assert.ThrowsAsync<StateDeserializationException>(() => silo.Grains.GetGrain<IAccountGrain>("bad").View());

        Assert.Contains("account/bad", error.Message);
        Assert.Contains("Event 2", error.Message);
    }

    [Fact]
    public async Task A_grain_id_of_an_unknown_type_is_refused_with_the_id()
    {
        await using var silo = await Silo.StartAsync();
        var error = Assert.Throws<ArgumentException>(() => silo.Grains.GetGrain<IRemindable>(new GrainId("nosuchtype", "x")));
        Assert.Contains("nosuchtype/x", error.Message);
    }
}
