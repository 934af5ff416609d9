using CareTwin.Actors;
using CareTwin.Actors.Hosting;
using CareTwin.Grains.Children;
using CareTwin.Grains.Demo;
using CareTwin.Journey.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CareTwin.Grains;

public static class CareTwinSiloBuilderExtensions
{
    /// <summary>
    /// Everything a host needs for the CareTwin grains: the grain classes, the journey's JSON options for
    /// journals, snapshots and state, and <see cref="DemoRegionLoader"/>.
    /// </summary>
    public static ISiloBuilder AddCareTwinGrains(this ISiloBuilder silo)
    {
        silo.AddGrains(typeof(ChildGrain).Assembly);
        silo.Configure(options => options.SerializerOptions = JourneyJson.Options);
        silo.Services.TryAddSingleton<DemoRegionLoader>();
        return silo;
    }

    /// <summary>
    /// Clock-advance mode: the runtime and the grains run on <paramref name="clock"/>, so delays and
    /// escalations move faster than real time. The runtime's own housekeeping (response and deactivation
    /// timeouts, idle collection) is stretched by the same factor, so it keeps its real-time pace.
    /// </summary>
    public static ISiloBuilder UseAcceleratedClock(this ISiloBuilder silo, AcceleratedTimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        silo.Services.AddSingleton<TimeProvider>(clock);
        silo.Services.PostConfigure<ActorRuntimeOptions>(options =>
        {
            options.ResponseTimeout = clock.ToClock(options.ResponseTimeout);
            options.ResponseTimeoutCheckInterval = clock.ToClock(options.ResponseTimeoutCheckInterval);
            options.DeactivationTimeout = clock.ToClock(options.DeactivationTimeout);
            options.CollectionAge = clock.ToClock(options.CollectionAge);
            options.CollectionQuantum = clock.ToClock(options.CollectionQuantum);
            foreach (var (grainType, age) in options.ClassSpecificCollectionAge.ToList())
                options.ClassSpecificCollectionAge[grainType] = clock.ToClock(age);
        });
        return silo;
    }
}
