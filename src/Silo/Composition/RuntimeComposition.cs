using CareTwin.Actors;
using CareTwin.Actors.Hosting;
using CareTwin.Storage;
using CareTwin.Grains;
using CareTwin.Grains.Access;
using CareTwin.Storage.Postgres;
using CareTwin.Storage.Sqlite;

namespace CareTwin.Silo.Composition;

/// <summary>Which store the runtime persists to: Storage:Provider = Sqlite (the embedded default) or Postgres.</summary>
public sealed class StorageSettings
{
    public const string SectionName = "Storage";

    public string Provider { get; set; } = "Sqlite";

    public SqliteStorageOptions Sqlite { get; set; } = new();

    public PostgresStorageOptions Postgres { get; set; } = new();
}

internal static class RuntimeComposition
{
    public static void AddActorRuntime(this WebApplicationBuilder builder)
    {
        var store = StoreFactory(builder);
        var demo = builder.DemoSettings();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(45));
        builder.Services.AddSingleton(new StoragePreflight(store));
        builder.Services.AddActorRuntime(silo =>
        {
            silo.AddCareTwinGrains();
            silo.Configure(options => builder.Configuration.GetSection("Actors").Bind(options));
            silo.AddStorage("Default", store);
            silo.UseDemoClock(demo);
        });
        builder.Services.Configure<AccessOptions>(builder.Configuration.GetSection(AccessOptions.SectionName));
        builder.Services.AddSingleton<AccessGate>();
        builder.AddDemoRegion(demo);
    }

    private static Func<IServiceProvider, IStorageProvider> StoreFactory(WebApplicationBuilder builder)
    {
        var storage = builder.Configuration.GetSection(StorageSettings.SectionName).Get<StorageSettings>() ?? new StorageSettings();
        switch (storage.Provider.ToLowerInvariant())
        {
            case "sqlite":
                var path = Path.GetFullPath(storage.Sqlite.DataSource, builder.Environment.ContentRootPath);
                return sp => new SqliteStorageProvider(new SqliteStorageOptions { DataSource = path, MaxBatchSize = storage.Sqlite.MaxBatchSize },
                    sp.GetService<ILogger<SqliteStorageProvider>>());
            case "postgres":
                if (string.IsNullOrWhiteSpace(storage.Postgres.ConnectionString))
                    throw new InvalidOperationException("Storage:Postgres:ConnectionString is required when Storage:Provider is Postgres.");
                return sp => new PostgresStorageProvider(storage.Postgres, sp.GetService<ILogger<PostgresStorageProvider>>());
            default:
                throw new InvalidOperationException($"Storage:Provider '{storage.Provider}' is not known; use Sqlite or Postgres.");
        }
    }
}

/// <summary>
/// Opens the configured store once before the host starts, so a database that cannot be reached or has a
/// newer schema is one clear line and a non-zero exit instead of a failing host with stack traces.
/// </summary>
public sealed class StoragePreflight(Func<IServiceProvider, IStorageProvider> store)
{
    public async Task CheckAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var provider = store(services);
        try
        {
            await provider.InitializeAsync(cancellationToken);
        }
        finally
        {
            if (provider is IAsyncDisposable disposable) await disposable.DisposeAsync();
        }
    }
}
