using CareTwin.Grains;
using CareTwin.Grains.Access;
using CareTwin.Grains.Persistence;
using CareTwin.Storage;
using CareTwin.Storage.Postgres;
using CareTwin.Storage.Sqlite;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace CareTwin.Silo.Composition;

/// <summary>Which store CareTwin persists to: Storage:Provider = Sqlite (the embedded default) or Postgres.</summary>
public sealed class StorageSettings
{
    public const string SectionName = "Storage";

    public string Provider { get; set; } = "Sqlite";

    public SqliteStorageOptions Sqlite { get; set; } = new();

    public PostgresStorageOptions Postgres { get; set; } = new();

    /// <summary>A journaled twin writes a snapshot every this many events, so activation replays at most this many.</summary>
    public int JournalSnapshotInterval { get; set; } = 100;

    /// <summary>The SQLite file: <see cref="SqliteStorageOptions.DataSource"/>, relative to the host's folder unless absolute.</summary>
    public string SqlitePath(string contentRoot) => Path.GetFullPath(Sqlite.DataSource, contentRoot);
}

/// <summary>
/// The Orleans silo this node hosts (section "Orleans"). One node by default: localhost clustering with the silo
/// and gateway ports on 127.0.0.1. <see cref="Membership"/> = Postgres makes it one node of a cluster whose
/// membership is in the PostgreSQL database the node stores to.
/// </summary>
public sealed class OrleansSettings
{
    public const string SectionName = "Orleans";

    /// <summary>
    /// Where the cluster's membership is kept: Localhost (one node, the default) or Postgres (a cluster; needs
    /// Storage:Provider = Postgres). Not "Clustering": Orleans reads Orleans:Clustering itself, as a provider name.
    /// </summary>
    public string Membership { get; set; } = "Localhost";

    /// <summary>
    /// The IP address other nodes reach this silo at (cluster only). The silo ports listen on every interface then,
    /// unless it is a loopback address (a development cluster on one machine).
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>How long a node waits for a probe's answer; a killed node is declared dead after <see cref="MissedProbesLimit"/> of them.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes after which a node suspects another.</summary>
    public int MissedProbesLimit { get; set; } = 2;

    /// <summary>How often each node re-reads the membership table (it is also told of changes directly).</summary>
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public int SiloPort { get; set; } = 11111;

    /// <summary>0: no gateway (nothing outside this process calls grains directly).</summary>
    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "caretwin";

    public string ServiceId { get; set; } = "caretwin";

    /// <summary>How long a grain call may take before the caller gets a timeout.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle twin stays in memory.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long one twin may take to deactivate (and write what it holds) at shutdown.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

internal static class OrleansComposition
{
    public static void AddOrleansSilo(this WebApplicationBuilder builder)
    {
        var storage = builder.Configuration.GetSection(StorageSettings.SectionName).Get<StorageSettings>() ?? new StorageSettings();
        var store = StoreFactory(builder, storage);
        var demo = builder.DemoSettings();
        var orleans = builder.Configuration.GetSection(OrleansSettings.SectionName).Get<OrleansSettings>() ?? new OrleansSettings();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(45));
        builder.Services.AddSingleton(new StoragePreflight(store, orleans.Membership.Equals("postgres", StringComparison.OrdinalIgnoreCase)
            ? cancellation => PostgresClusterIdentity.ClaimAsync(storage.Postgres.ConnectionString, orleans.ClusterId, orleans.ServiceId, cancellation)
            : null));
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(new JournalOptions { SnapshotInterval = storage.JournalSnapshotInterval });
        builder.UseOrleans(silo =>
        {
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = orleans.ResponseTimeout);
            silo.Configure<GrainCollectionOptions>(o =>
            {
                o.CollectionAge = orleans.CollectionAge;
                o.DeactivationTimeout = orleans.DeactivationTimeout;
            });
            silo.AddCareTwinGrains();
            // After the grains: a cluster replaces their in-memory stream subscriptions.
            silo.UseClustering(orleans, storage);
            silo.UseDemoClock(demo);
        });
        builder.Services.Configure<AccessOptions>(builder.Configuration.GetSection(AccessOptions.SectionName));
        builder.Services.AddSingleton(Options.Create(JourneySettings.Read(builder.Configuration)));
        builder.Services.AddSingleton<AccessGate>();
        builder.Services.AddHostedService<UnauthenticatedAttemptsFlush>();
        builder.AddServiceDirectoryFile();
        builder.AddDemoRegion(demo);
    }

    /// <summary>
    /// Localhost: this process is the whole cluster. Postgres: the membership table in the node's own database
    /// (schema step 0003), with probes tuned so a node that dies is declared dead and its twins served elsewhere
    /// within seconds (Orleans's defaults take 10–15 s).
    /// </summary>
    private static void UseClustering(this ISiloBuilder silo, OrleansSettings orleans, StorageSettings storage)
    {
        switch (orleans.Membership.ToLowerInvariant())
        {
            case "localhost":
                silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, serviceId: orleans.ServiceId, clusterId: orleans.ClusterId);
                return;
            case "postgres":
                if (!storage.Provider.Equals("postgres", StringComparison.OrdinalIgnoreCase))
                    throw new InvalidOperationException("Orleans:Membership Postgres needs Storage:Provider Postgres: the nodes of a cluster share one PostgreSQL database.");
                if (!System.Net.IPAddress.TryParse(orleans.AdvertisedAddress, out var advertised))
                    throw new InvalidOperationException($"Orleans:AdvertisedAddress '{orleans.AdvertisedAddress}' is not an IP address.");
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = orleans.ClusterId;
                    o.ServiceId = orleans.ServiceId;
                });
                // A loopback address is a cluster on one machine (development): its silo ports stay on loopback too.
                silo.ConfigureEndpoints(advertised, orleans.SiloPort, orleans.GatewayPort, listenOnAnyHostAddress: !System.Net.IPAddress.IsLoopback(advertised));
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = storage.Postgres.ConnectionString;
                });
                silo.Configure<ClusterMembershipOptions>(o =>
                {
                    o.ProbeTimeout = orleans.ProbeTimeout;
                    o.NumMissedProbesLimit = orleans.MissedProbesLimit;
                    o.TableRefreshTimeout = orleans.TableRefreshTimeout;
                });
                silo.KeepStreamSubscriptionsInStore();
                return;
            default:
                throw new InvalidOperationException($"Orleans:Membership '{orleans.Membership}' is not known; use Localhost or Postgres.");
        }
    }

    private static Func<IServiceProvider, IStorageProvider> StoreFactory(WebApplicationBuilder builder, StorageSettings storage)
    {
        switch (storage.Provider.ToLowerInvariant())
        {
            case "sqlite":
                var path = storage.SqlitePath(builder.Environment.ContentRootPath);
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
/// Opens the configured store once before the host starts, so a database that cannot be reached, has a newer
/// schema or belongs to another cluster is one clear line and a non-zero exit instead of a failing host with
/// stack traces.
/// </summary>
/// <param name="joinCluster">For a clustered node: claims the database for its cluster, or refuses another's.</param>
public sealed class StoragePreflight(Func<IServiceProvider, IStorageProvider> store, Func<CancellationToken, Task>? joinCluster = null)
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
        if (joinCluster is not null)
            await joinCluster(cancellationToken);
    }
}
