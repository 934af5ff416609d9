using CareTwin.Api.Contracts.V1;
using CareTwin.Testing;
using Npgsql;

namespace CareTwin.Silo.Tests.Cluster;

/// <summary>
/// Two CareTwin host processes as one Orleans cluster (Orleans:Membership = Postgres) on a fresh schema of a private
/// PostgreSQL: node A loads the demo region's services (blockers need an owning service), then node B joins. Both
/// serve the API with one journey-managing key.
/// </summary>
public sealed class TwoNodeCluster : IAsyncDisposable
{
    public const string Service = "health.ltv-team.royal-thamesbank";
    public const string ClusterId = "cluster-test";
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    private readonly List<string> _folders = [];
    private readonly List<IAsyncDisposable> _owned = [];

    private TwoNodeCluster(PostgresSchema schema, GeneratedApiKey key)
    {
        Schema = schema;
        Key = key;
        Settings = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["Storage__Postgres__ConnectionString"] = schema.ConnectionString,
            ["Orleans__Membership"] = "Postgres",
            ["Orleans__ClusterId"] = ClusterId,
            ["Demo__Enabled"] = "true",
            ["Demo__Children"] = "0",
            // Tests poll through failovers; the key's rate limit is not what they are about.
            ["Api__RateLimit__PermitsPerSecond"] = "1000000",
            ["Api__RateLimit__Burst"] = "1000000",
        };
        foreach (var (name, value) in key.Settings("cluster-test-epr", "Cluster test EPR", Service, managesJourneys: true))
            Settings[name] = value;
    }

    public PostgresSchema Schema { get; }

    public GeneratedApiKey Key { get; }

    /// <summary>What every node of this cluster is started with.</summary>
    public Dictionary<string, string> Settings { get; }

    public SiloProcess NodeA { get; private set; } = null!;

    public SiloProcess NodeB { get; private set; } = null!;

    public RawGrpcChannel ViaA { get; private set; } = null!;

    public RawGrpcChannel ViaB { get; private set; } = null!;

    /// <summary>Node A, and node B unless <paramref name="withNodeB"/> is false (for a test that starts its own second node).</summary>
    public static async Task<TwoNodeCluster> StartAsync(PostgresServer postgres, bool withNodeB = true)
    {
        var cluster = new TwoNodeCluster(await postgres.CreateSchemaAsync(), GeneratedApiKey.New());
        try
        {
            cluster.NodeA = cluster.StartNode(cluster.Settings);
            await cluster.NodeA.WaitUntilDemoRegionLoadedAsync(Generous);
            cluster.ViaA = new RawGrpcChannel(cluster.NodeA.GrpcAddress, cluster.Key.Key);
            if (withNodeB)
            {
                cluster.NodeB = cluster.StartNode(cluster.Settings);
                await cluster.NodeB.WaitUntilListeningAsync(Generous);
                cluster.ViaB = new RawGrpcChannel(cluster.NodeB.GrpcAddress, cluster.Key.Key);
                await Eventually.True(async () => await cluster.NodesAsync(Active) == 2, "both nodes active in the membership table", 60);
            }
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts node A again (a new process) after it was killed, and waits until it is an active member again.</summary>
    public async Task RestartNodeAAsync()
    {
        ViaA?.Dispose();
        NodeA = StartNode(Settings);
        await NodeA.WaitUntilListeningAsync(Generous);
        ViaA = new RawGrpcChannel(NodeA.GrpcAddress, Key.Key);
        await Eventually.True(async () => await NodesAsync(Active) == 2, "node A active again", 60);
    }

    /// <summary>Orleans membership statuses.</summary>
    public const int Active = 3;
    public const int Dead = 6;

    /// <summary>Another host process on this cluster's database, in its own folder; stopped with the cluster.</summary>
    public SiloProcess StartNode(IReadOnlyDictionary<string, string> settings)
    {
        var folder = ScratchDirectory.Create("caretwin-node-");
        _folders.Add(folder);
        var node = SiloProcess.Start(SiloProcess.BesideTests, folder, settings);
        _owned.Add(node);
        return node;
    }

    /// <summary>Rows of the Orleans membership table in a status.</summary>
    public async Task<long> NodesAsync(int status)
    {
        await using var connection = new NpgsqlConnection(Schema.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE status = @status", connection);
        count.Parameters.AddWithValue("status", status);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>Registers a child with a hospital discharge and one blocker; its version after the blocker.</summary>
    public static async Task<long> RegisterWithBlockerAsync(RawGrpcChannel channel, string child)
    {
        const string Journeys = "/caretwin.v1.Journeys/";
        var target = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60);
        await channel.UnaryAsync(Journeys + "RegisterChild", new RegisterChildRequest
        {
            ChildId = child, ExternalId = $"{child}-register", NhsNumber = "9434765919", GivenName = "Cluster", FamilyName = "Test",
            DateOfBirth = new Date { Year = 2021, Month = 3, Day = 14 }, HospitalKey = "royal-thamesbank", RegionKey = "north-thames",
        }, ChangeReply.Parser);
        await channel.UnaryAsync(Journeys + "StartTransition", new StartTransitionRequest
        {
            ChildId = child, ExternalId = $"{child}-start", Kind = TransitionKind.HospitalDischarge,
        }, ChangeReply.Parser);
        var raised = await channel.UnaryAsync(Journeys + "RaiseBlocker", new RaiseBlockerRequest
        {
            ChildId = child, ExternalId = $"{child}-blocker", TransitionRef = new ExternalRef { ExternalId = $"{child}-start" },
            Category = BlockerCategory.Equipment, OwningService = Service, ProfessionalText = "Home ventilator on order.",
            TargetDate = new Date { Year = target.Year, Month = target.Month, Day = target.Day },
        }, ChangeReply.Parser);
        return raised.Version;
    }

    /// <summary>
    /// An external system's writer: updates the child's blocker one change at a time until <paramref name="stop"/>,
    /// sending a change again with the same external id while it fails with one of <paramref name="retryable"/>
    /// (a client's retry); any other failure is reported to <paramref name="failed"/> and ends the writer.
    /// </summary>
    public static async Task WriteAsync(RawGrpcChannel channel, string child, Action<string, long> acknowledged, Action<string> failed,
        GrpcStatusCode[] retryable, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var request = new UpdateBlockerRequest
            {
                ChildId = child, ExternalId = $"{child}-w{n}", BlockerId = "blocker-1",
                TargetDate = new Date { Year = DateTime.UtcNow.Year + 1, Month = 1 + n % 12, Day = 1 + n % 28 },
            };
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    acknowledged(request.ExternalId, (await channel.UnaryAsync("/caretwin.v1.Journeys/UpdateBlocker", request, ChangeReply.Parser)).Version);
                    break;
                }
                catch (GrpcCallException failure) when (retryable.Contains(failure.Status) && attempt < 100)
                {
                    await Task.Delay(50);
                }
                catch (GrpcCallException failure)
                {
                    failed($"{child} {request.ExternalId}: {failure.Status} {failure.Detail}");
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        ViaA?.Dispose();
        ViaB?.Dispose();
        foreach (var owned in _owned)
            await owned.DisposeAsync();
        foreach (var folder in _folders)
            ScratchDirectory.Remove(folder);
        await Schema.DisposeAsync();
    }
}
