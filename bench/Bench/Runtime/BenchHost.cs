using CareTwin.Actors;
using CareTwin.Actors.Hosting;
using CareTwin.Actors.Runtime;
using CareTwin.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CareTwin.Bench.Runtime;

public interface IPingGrain : IGrainWithStringKey
{
    Task<int> Ping(int value);
}

/// <summary>The smallest useful grain: no state, completes synchronously, so what is measured is the runtime.</summary>
public sealed class PingGrain : Grain, IPingGrain
{
    private int _calls;

    public Task<int> Ping(int value) => Task.FromResult(value + ++_calls);
}

/// <summary>A runtime hosting the bench grains, built as a host builds it; in memory unless given a store.</summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BenchHost(ServiceProvider services)
    {
        _services = services;
        Runtime = services.GetRequiredService<ActorRuntime>();
    }

    public ActorRuntime Runtime { get; }

    /// <param name="storage">The default store, initialized by the runtime and disposed with it; null keeps everything in memory.</param>
    public static async Task<BenchHost> StartAsync(IStorageProvider? storage = null)
    {
        var services = new ServiceCollection();
        services.AddActorRuntime(silo =>
        {
            silo.AddGrains(typeof(BenchHost).Assembly);
            if (storage is null) silo.AddMemoryGrainStorage();
            else silo.AddStorage("Default", _ => storage);
        });
        var host = new BenchHost(services.BuildServiceProvider());
        await host.Runtime.StartAsync(CancellationToken.None);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }
}
