using CareTwin.Grains.Demo;
using CareTwin.Grains.Hosting;
using CareTwin.Grains.Persistence;
using CareTwin.Grains.Publishing;
using CareTwin.Grains.Serialization;
using CareTwin.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Reminders;
using Orleans.Serialization;
using Orleans.Storage;
using IGrainStorage = Orleans.Storage.IGrainStorage;
using IReminderTable = Orleans.IReminderTable;

namespace CareTwin.Grains;

public static class CareTwinSiloBuilderExtensions
{
    /// <summary>
    /// Everything a silo needs for the CareTwin grains, over the <see cref="IStorageProvider"/> the host registers:
    /// serialization of the journey's values, journals (custom-storage log consistency), grain state, reminders,
    /// the live streams and <see cref="DemoRegionLoader"/>.
    /// </summary>
    public static ISiloBuilder AddCareTwinGrains(this ISiloBuilder silo)
    {
        silo.Services.AddSerializer(serializer => serializer.AddCareTwinSerialization());
        silo.Services.TryAddSingleton(new JournalOptions());
        silo.Services.TryAddSingleton<JournalStore>();
        silo.AddCustomStorageBasedLogConsistencyProviderAsDefault();
        silo.Services.AddSingleton(services => new StoredGrainState(services.GetRequiredService<IStorageProvider>(), new StoredGrainState.JourneyJsonFormat()));
        silo.Services.AddSingleton<IGrainStorage>(services => services.GetRequiredService<StoredGrainState>());
        silo.Services.AddKeyedSingleton<IGrainStorage>(StoredGrainState.ProviderName, (services, _) => services.GetRequiredService<StoredGrainState>());
        silo.AddReminders();
        silo.Services.AddSingleton<IReminderTable>(services => new StoredReminderTable(services.GetRequiredService<IStorageProvider>()));
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, StoreLifecycle>();
        // Live views only: a subscriber that misses an item reads the twin again. Polled often, so a change
        // reaches the pages in milliseconds rather than the default 100 ms.
        silo.AddMemoryStreams(JourneyStreams.ProviderName, streams =>
        {
            streams.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(10)));
            // Nothing replays them, so a change is kept only while watchers may still be reading it: Orleans's default
            // (5 to 30 minutes) held every change of the last minutes in memory, boards' totals and all.
            streams.ConfigureCacheEviction(eviction => eviction.Configure(o =>
            {
                o.DataMinTimeInCache = TimeSpan.FromSeconds(30);
                o.DataMaxAgeInCache = TimeSpan.FromMinutes(1);
            }));
        });
        silo.AddMemoryGrainStorage(StreamSubscriptions);
        silo.Services.TryAddSingleton<DemoRegionLoader>();
        return silo;
    }

    /// <summary>Where Orleans keeps who subscribes to which stream (its pub-sub grain state).</summary>
    private const string StreamSubscriptions = "PubSubStore";

    /// <summary>
    /// For a cluster: who watches which child, service and board is kept in the store, not in memory. In memory, a
    /// node that dies takes with it the subscriptions it happened to hold, and watchers on the surviving nodes stop
    /// hearing changes without being told. One node needs no such thing: when it stops, so do its watchers.
    /// </summary>
    public static ISiloBuilder KeepStreamSubscriptionsInStore(this ISiloBuilder silo)
    {
        silo.Services.AddKeyedSingleton<IGrainStorage>(StreamSubscriptions, (services, _) => new StoredGrainState(
            services.GetRequiredService<IStorageProvider>(), new StoredGrainState.OrleansFormat(services.GetRequiredService<Orleans.Serialization.Serializer>())));
        return silo;
    }

    /// <summary>
    /// The journey's clock (the demo's clock-advance mode, a test's manual clock): the grains' rules and their
    /// reminders run on it. Grain timers (write-behind of views, stream polling) and Orleans's own housekeeping
    /// (membership, messaging, directory) keep real time: they are plumbing, not journey time.
    /// </summary>
    public static ISiloBuilder UseJourneyClock(this ISiloBuilder silo, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        silo.Services.AddSingleton(clock);
        foreach (var area in new[]
                 {
                     TimeProviderNames.Grains, TimeProviderNames.Messaging, TimeProviderNames.SystemTimers, TimeProviderNames.Membership,
                     TimeProviderNames.ActivationManagement, TimeProviderNames.GrainDirectory, StreamingTimeProviderNames.Streaming,
                 })
            silo.Services.AddKeyedSingleton(area, TimeProvider.System);
        // Reminders wait on their own keyed clock; without this they would count real days.
        silo.Services.AddKeyedSingleton(ReminderTimeProviderNames.Reminders, clock);
        // Orleans holds only reminders due within its loading window and looks again on a real-time refresh; a
        // clock that jumps by days would outrun that, so every journey reminder is held from the start.
        silo.Configure<ReminderOptions>(o => o.ReminderLoadingWindow = TimeSpan.FromDays(3650));
        return silo;
    }
}
