using System.Collections.Immutable;
using CareTwin.Grains.Services;
using CareTwin.Journey.Services;

namespace CareTwin.Silo.Composition;

/// <summary>The trust's services (section "Services"): its agencies and wards, from a file the operator keeps.</summary>
public sealed class ServiceDirectorySettings
{
    public const string SectionName = "Services";

    /// <summary>A JSON file of service profiles (see deploy/systemd/services.example.json); every node should read the same one.</summary>
    public string? DirectoryFile { get; set; }
}

internal static class ServiceDirectoryComposition
{
    /// <summary>Reads and checks the directory file while the host is composed, so a bad file stops the start with one line naming it.</summary>
    public static void AddServiceDirectoryFile(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(ServiceDirectorySettings.SectionName).Get<ServiceDirectorySettings>() ?? new ServiceDirectorySettings();
        if (string.IsNullOrWhiteSpace(settings.DirectoryFile)) return;
        var path = settings.DirectoryFile;
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Services:DirectoryFile {path} cannot be read: {e.Message}");
        }
        var (services, problem) = ServiceDirectoryDocument.Parse(json);
        if (problem is not null) throw new InvalidOperationException($"Services:DirectoryFile {path}: {problem}");
        builder.Services.AddHostedService(sp => new ServiceDirectoryStartup(sp.GetRequiredService<IGrainFactory>(), path, services,
            sp.GetRequiredService<ILogger<ServiceDirectoryStartup>>()));
    }
}

/// <summary>Registers the file's services once the silo is up; a profile already registered unchanged is a duplicate, so a restart changes nothing.</summary>
internal sealed class ServiceDirectoryStartup(IGrainFactory grains, string path, ImmutableArray<ServiceProfile> services, ILogger<ServiceDirectoryStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var directory = grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey);
        try
        {
            foreach (var profile in services)
            {
                if ((await directory.Register(profile)).Refusal is { } refused)
                    logger.LogWarning("Service directory {Path}: {Service} was not registered: {Field}: {Message}", path, profile.Key.Value, refused.Field, refused.Message);
            }
            logger.LogInformation("Service directory {Path}: {Services} services registered", path, services.Length);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Registering the service directory {Path} failed; CareTwin keeps running with the services it already has", path);
        }
    }
}
