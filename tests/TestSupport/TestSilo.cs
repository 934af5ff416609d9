using System.Reflection;
using CareTwin.Actors;
using CareTwin.Actors.Hosting;
using CareTwin.Actors.Runtime;
using CareTwin.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CareTwin.Testing;

/// <summary>
/// A runtime hosting the given grain assemblies, built through the same registration a host uses, on a
/// manual clock. Stopping it leaves the storage, so a second silo over the same storage is a host restart.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestSilo(ServiceProvider services, ManualTimeProvider clock)
    {
        _services = services;
        Clock = clock;
        Runtime = services.GetRequiredService<ActorRuntime>();
    }

    public ActorRuntime Runtime { get; }

    public IGrainFactory Grains => Runtime;

    public ManualTimeProvider Clock { get; }

    public IStorageProvider Storage => _services.GetRequiredService<TestStorage>().Provider;

    /// <summary>Starts a runtime over the given storage (a fresh in-memory one by default) and clock.</summary>
    public static async Task<TestSilo> StartAsync(
        Assembly grains,
        IStorageProvider? storage = null,
        ManualTimeProvider? clock = null,
        Action<ActorRuntimeOptions>? configure = null,
        Action<IServiceCollection>? services = null)
    {
        clock ??= new ManualTimeProvider();
        var provider = storage ?? new Storage.Memory.MemoryStorageProvider();
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(clock);
        collection.AddSingleton(new TestStorage(provider));
        services?.Invoke(collection);
        collection.AddActorRuntime(silo =>
        {
            silo.AddGrains(grains);
            silo.AddStorage("Default", _ => provider);
            silo.Configure(o =>
            {
                o.MinimumReminderPeriod = TimeSpan.FromSeconds(1);
                configure?.Invoke(o);
            });
        });
        var built = collection.BuildServiceProvider();
        var silo = new TestSilo(built, clock);
        await silo.Runtime.StartAsync(CancellationToken.None);
        return silo;
    }

    public IServiceProvider Services => _services;

    /// <summary>
    /// Stops the runtime (deactivating every grain) but leaves the storage for the next silo. The clock moves
    /// on while it waits, as real time would, so a grain stuck in a request is deactivated after the timeout.
    /// </summary>
    public async Task StopAsync()
    {
        var stopping = Runtime.StopAsync(CancellationToken.None);
        while (await Task.WhenAny(stopping, Task.Delay(20)) != stopping) Clock.Advance(TimeSpan.FromSeconds(5));
        await stopping;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
    }

    private sealed record TestStorage(IStorageProvider Provider);
}
