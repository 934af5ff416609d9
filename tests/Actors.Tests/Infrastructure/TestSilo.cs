using CareTwin.Testing;
using CareTwin.Actors.Hosting;
using CareTwin.Actors.Runtime;
using CareTwin.Actors.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CareTwin.Actors.Tests.Infrastructure;

/// <summary>A runtime hosting this assembly's test grains, built through the same registration a host uses.</summary>
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
        IStorageProvider? storage = null, ManualTimeProvider? clock = null, Action<ActorRuntimeOptions>? configure = null)
    {
        clock ??= new ManualTimeProvider();
        var provider = storage ?? new Storage.Memory.MemoryStorageProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new TestStorage(provider));
        services.AddSingleton(new CallLog());
        services.AddActorRuntime(silo =>
        {
            silo.AddGrains(typeof(TestSilo).Assembly);
            silo.AddStorage("Default", _ => provider);
            silo.Configure(o =>
            {
                o.MinimumReminderPeriod = TimeSpan.FromSeconds(1);
                configure?.Invoke(o);
            });
        });
        var built = services.BuildServiceProvider();
        var silo = new TestSilo(built, clock);
        await silo.Runtime.StartAsync(CancellationToken.None);
        return silo;
    }

    public CallLog Log => _services.GetRequiredService<CallLog>();

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

/// <summary>What test grains did, for assertions (lifecycle calls, constructor runs, reminders received).</summary>
public sealed class CallLog
{
    private readonly Lock _lock = new();
    private readonly List<string> _entries = [];

    public void Add(string entry)
    {
        lock (_lock) _entries.Add(entry);
    }

    public IReadOnlyList<string> Entries
    {
        get { lock (_lock) return [.. _entries]; }
    }

    public int Count(string entry) => Entries.Count(e => e == entry);
}
