using CareTwin.Api;
using CareTwin.Api.Authentication;

namespace CareTwin.Silo.Composition;

internal static class ApiComposition
{
    /// <summary>
    /// Kestrel listeners (section "Listeners"), the caretwin.v1 gRPC services with API-key authentication and limits
    /// (section "Api", keys reloaded from appsettings.json and Api:KeysFile without a restart), the read-only FHIR R4
    /// API on the same keys (<see cref="FhirComposition"/>), and in demo mode
    /// without configured keys or a keys file, generated demo keys (read at start only).
    /// </summary>
    public static void AddExternalApi(this WebApplicationBuilder builder)
    {
        builder.AddListeners();
        builder.Services.AddCareTwinApi();
        builder.AddDemoApiKeys();
        builder.AddFhirApi();
    }

    public static void MapExternalApi(this WebApplication app)
    {
        app.MapCareTwinApi();
        app.MapFhirApi();
        // The same readiness checks as grpc.health.v1, for load balancers and service managers that probe over plain HTTP.
        app.MapHealthChecks("/healthz");
    }

    private static void AddDemoApiKeys(this WebApplicationBuilder builder)
    {
        var keysConfigured = builder.Configuration.GetSection($"{ApiOptions.SectionName}:{nameof(ApiOptions.Keys)}").GetChildren().Any()
            || !string.IsNullOrWhiteSpace(builder.Configuration[$"{ApiOptions.SectionName}:{nameof(ApiOptions.KeysFile)}"]);
        if (!builder.DemoSettings().Enabled || keysConfigured)
            return;
        var path = DemoKeysPath(builder);
        var keys = DemoApiKeys.LoadOrCreate(path);
        builder.Services.PostConfigure<ApiOptions>(options => options.Keys = [.. keys]);
        builder.Services.AddHostedService(sp => new DemoApiKeysNotice(path, keys.Count, sp.GetRequiredService<ILogger<DemoApiKeysNotice>>()));
    }

    /// <summary>Api:DemoKeysFile, else beside the SQLite database, else the host's data folder.</summary>
    private static string DemoKeysPath(WebApplicationBuilder builder)
    {
        var root = builder.Environment.ContentRootPath;
        if (builder.Configuration[$"{ApiOptions.SectionName}:{nameof(ApiOptions.DemoKeysFile)}"] is { Length: > 0 } configured)
            return Path.GetFullPath(configured, root);
        var storage = builder.Configuration.GetSection(StorageSettings.SectionName).Get<StorageSettings>() ?? new StorageSettings();
        var folder = storage.Provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase)
            ? Path.GetDirectoryName(Path.GetFullPath(storage.Sqlite.DataSource, root))!
            : Path.Combine(root, "data");
        return Path.Combine(folder, DemoApiKeys.FileName);
    }
}

/// <summary>Says where the demo keys are, once the host is up; the keys themselves are never logged.</summary>
internal sealed class DemoApiKeysNotice(string path, int systems, ILogger<DemoApiKeysNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning(
            "Demo mode: API keys for {Systems} demo systems are in {DemoKeysFile} (readable by this user only). Send one as the x-api-key header; configure Api:Keys to use real keys",
            systems, path);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
