using CareTwin.Grains;
using CareTwin.Grains.Demo;

namespace CareTwin.Silo.Composition;

/// <summary>The synthetic demo region (section "Demo"): on in Development so a newcomer sees a live board, off in production.</summary>
public sealed class DemoSettings
{
    public const string SectionName = "Demo";

    public bool Enabled { get; set; }

    public int Seed { get; set; } = DemoRegionLoader.DefaultSeed;

    public int Children { get; set; } = 300;

    /// <summary>Clock-advance mode: 60 makes an hour pass every minute, so delays and escalations move while you watch.</summary>
    public double ClockFactor { get; set; } = 1;
}

internal static class DemoComposition
{
    public static DemoSettings DemoSettings(this WebApplicationBuilder builder) =>
        builder.Configuration.GetSection(Composition.DemoSettings.SectionName).Get<DemoSettings>() ?? new DemoSettings();

    /// <summary>The accelerated clock has to be chosen while the runtime is composed.</summary>
    public static void UseDemoClock(this ISiloBuilder silo, DemoSettings demo)
    {
        if (!demo.Enabled || demo.ClockFactor == 1) return;
        if (demo.ClockFactor is <= 0 or > 10_000)
            throw new InvalidOperationException($"Demo:ClockFactor {demo.ClockFactor} must be more than 0 and at most 10000.");
        silo.UseJourneyClock(new AcceleratedTimeProvider(DateTimeOffset.UtcNow, demo.ClockFactor));
    }

    public static void AddDemoRegion(this WebApplicationBuilder builder, DemoSettings demo)
    {
        if (demo.Enabled) builder.Services.AddHostedService(sp => new DemoRegionStartup(sp.GetRequiredService<DemoRegionLoader>(), demo,
            sp.GetRequiredService<ILogger<DemoRegionStartup>>()));
    }
}

/// <summary>Loads the demo region once the host is serving (loading again on the same database changes nothing).</summary>
internal sealed class DemoRegionStartup(DemoRegionLoader loader, DemoSettings demo, ILogger<DemoRegionStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var report = await loader.LoadAsync(demo.Seed, demo.Children, stoppingToken);
            logger.LogInformation(
                "Demo region {Seed} ready: {Services} services, {Children} children, {Accepted} changes recorded, {Duplicates} already there",
                report.Seed, report.Services, report.Children, report.CommandsAccepted, report.CommandsAlreadyApplied);
            foreach (var problem in report.Problems) logger.LogWarning("Demo region: {Problem}", problem);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Loading the demo region failed; CareTwin keeps running without it");
        }
    }
}
