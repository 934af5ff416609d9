using CareTwin.Grains;
using CareTwin.Grains.Publishing;
using CareTwin.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Streams;

namespace CareTwin.Testing;

/// <summary>
/// An Orleans silo with the CareTwin grains, composed exactly as the host composes them, on a manual clock and
/// on loopback ports of its own. Stopping it leaves the storage, so a second silo over the same storage is a
/// host restart.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly IStorageProvider _storage;
    private readonly bool _ownsStorage;

    private TestSilo(IHost host, ManualTimeProvider clock, IStorageProvider storage, bool ownsStorage)
    {
        _host = host;
        _storage = storage;
        _ownsStorage = ownsStorage;
        Clock = clock;
    }

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public IGrainFactory Grains => Client;

    /// <summary>Where the twins publish their changes.</summary>
    public IStreamProvider Streams => Client.GetStreamProvider(JourneyStreams.ProviderName);

    public ManualTimeProvider Clock { get; }

    public IStorageProvider Storage => _storage;

    public IServiceProvider Services => _host.Services;

    /// <summary>Starts a silo over the given storage (a fresh in-memory one by default) and clock.</summary>
    /// <param name="ownsStorage">Dispose <paramref name="storage"/> when this silo stops (a store opened for this silo only).</param>
    public static async Task<TestSilo> StartAsync(
        IStorageProvider? storage = null,
        ManualTimeProvider? clock = null,
        Action<IServiceCollection>? services = null,
        bool ownsStorage = false)
    {
        clock ??= new ManualTimeProvider();
        var provider = storage ?? new Storage.Memory.MemoryStorageProvider();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Services.AddSingleton(provider);
        if (Environment.GetEnvironmentVariable("CARETWIN_TEST_LOGS") is { } level)
            builder.Logging.AddConsole().SetMinimumLevel(Enum.Parse<Microsoft.Extensions.Logging.LogLevel>(level));
        services?.Invoke(builder.Services);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(LoopbackPorts.Free(), 0, serviceId: "caretwin-test", clusterId: $"test-{Guid.NewGuid():N}");
            silo.AddCareTwinGrains();
            silo.UseJourneyClock(clock);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host, clock, provider, ownsStorage);
    }

    /// <summary>
    /// Lets time pass for the twins: the clock steps to each reminder that falls due on the way and waits for its
    /// grain to set the next one, as the days would pass, instead of jumping past wakes that are only set once
    /// the one before has run (Orleans moves a reminder found overdue to its next period, not to now).
    /// </summary>
    public async Task PassTimeAsync(TimeSpan by)
    {
        var target = Clock.GetUtcNow() + by;
        while (true)
        {
            var now = Clock.GetUtcNow();
            var reminders = await _storage.ReadAllRemindersAsync(CancellationToken.None);
            var due = reminders.Select(r => (Reminder: r, At: NextOccurrence(r, now))).Where(r => r.At <= target).OrderBy(r => r.At).FirstOrDefault();
            if (due.Reminder is null)
            {
                Clock.Advance(target - now);
                return;
            }
            Clock.Advance(due.At - now);
            await Eventually.True(async () => await _storage.ReadReminderAsync(due.Reminder.Record, due.Reminder.ReminderName, CancellationToken.None) is not { } row
                    || row.ETag != due.Reminder.ETag,
                $"{due.Reminder.Record} to set its next reminder after the one due at {due.At:u}");
        }
    }

    private static DateTimeOffset NextOccurrence(Storage.ReminderEntry reminder, DateTimeOffset now)
    {
        if (reminder.StartAt >= now)
            return reminder.StartAt;
        var sinceLast = (now - reminder.StartAt).Ticks % reminder.Period.Ticks;
        return sinceLast == 0 ? now : now + TimeSpan.FromTicks(reminder.Period.Ticks - sinceLast);
    }

    /// <summary>How many CareTwin twins are active in this silo (Orleans's own grains not counted).</summary>
    public async Task<int> ActivationCountAsync()
    {
        var statistics = await Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.StartsWith("CareTwin.", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }

    /// <summary>Stops the silo (every grain deactivates) but leaves the storage for the next one.</summary>
    public async Task StopAsync() => await _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
        if (_ownsStorage && _storage is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
    }
}
