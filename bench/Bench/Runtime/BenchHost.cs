using System.Reflection;
using CareTwin.Grains;
using CareTwin.Storage;
using CareTwin.Storage.Memory;
using CareTwin.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Serialization;

namespace CareTwin.Bench.Runtime;

[Alias("CareTwin.Bench.Runtime.IPingGrain")]
public interface IPingGrain : IGrainWithStringKey
{
    [Alias("Ping")]
    Task<int> Ping(int value);
}

/// <summary>The smallest useful grain: no state, completes synchronously, so what is measured is the runtime.</summary>
public sealed class PingGrain : Grain, IPingGrain
{
    private int _calls;

    public Task<int> Ping(int value) => Task.FromResult(value + ++_calls);
}

/// <summary>
/// An Orleans silo hosting the CareTwin grains and the bench's own, composed as the host composes it
/// (localhost clustering on a free loopback port, <see cref="CareTwinSiloBuilderExtensions.AddCareTwinGrains"/>,
/// the store as the one <see cref="IStorageProvider"/>) but on the real clock, with Orleans logging only warnings.
/// Calls made through <see cref="Grains"/> come from outside any grain, as the API's calls do.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly IStorageProvider _storage;
    private readonly bool _ownsStorage;

    private BenchHost(IHost host, IStorageProvider storage, bool ownsStorage)
    {
        _host = host;
        _storage = storage;
        _ownsStorage = ownsStorage;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IClusterClient>();

    public IServiceProvider Services => _host.Services;

    /// <summary>The Orleans package version (e.g. 10.4.2), for reports: the assembly version stays at 10.0.0.0, and the informational one reads "10.4.2. Commit Hash: …".</summary>
    public static string OrleansVersion { get; } =
        typeof(Grain).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+', ' ')[0].TrimEnd('.')
        ?? typeof(Grain).Assembly.GetName().Version?.ToString() ?? "?";

    /// <param name="storage">The store, opened by the silo as it starts; null is a fresh in-memory store.</param>
    /// <param name="ownsStorage">Dispose <paramref name="storage"/> when the host stops (a store opened for this host only).</param>
    public static async Task<BenchHost> StartAsync(IStorageProvider? storage = null, bool ownsStorage = false)
    {
        var provider = storage ?? new MemoryStorageProvider();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Services.AddSingleton(provider);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(LoopbackPorts.Free(), 0, serviceId: "bench", clusterId: "bench");
            silo.AddCareTwinGrains();
            silo.UseJourneyClock(TimeProvider.System);
            // The bench's own grains and state (PingGrain, LoadTwinGrain), whatever process BenchmarkDotNet runs them in.
            silo.Services.AddSerializer(serializer => serializer.AddAssembly(typeof(BenchHost).Assembly));
        });
        var host = builder.Build();
        await host.StartAsync();
        return new BenchHost(host, provider, ownsStorage || storage is null);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        if (_ownsStorage && _storage is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
    }
}
