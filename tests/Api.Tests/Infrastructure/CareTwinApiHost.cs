using CareTwin.Storage;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Hosting;
using CareTwin.Testing;
using System.Collections.Immutable;
using System.Globalization;
using CareTwin.Api.Authentication;
using CareTwin.Grains;
using CareTwin.Grains.Access;
using CareTwin.Grains.Children;
using CareTwin.Grains.Publishing;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Services;
using CareTwin.Grains.Services;
using Microsoft.Extensions.DependencyInjection;

namespace CareTwin.Api.Tests.Infrastructure;

using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
/// <summary>
/// The caretwin.v1 API composed from the same parts the host uses (Orleans silo with the CareTwin grains, the
/// access gate, Grpc.AspNetCore with AddCareTwinApi/MapCareTwinApi) over in-memory storage, with three test
/// systems' keys and their services registered. In memory (TestServer) or on Kestrel at 127.0.0.1 (HTTP/2, plus an
/// HTTP/1.1 listener for REST/JSON).
/// </summary>
public sealed class CareTwinApiHost : IAsyncDisposable
{
    public const string Ward = "health.ward.test-hospital";
    public const string Housing = "housing.testborough";
    public const string SocialCare = "social-care.testborough";
    public const string Hospital = "test-hospital";
    public const string Region = "test-region";

    private readonly WebApplication _app;
    private readonly HttpMessageHandler? _inMemory;
    private readonly Uri? _http1Address;

    private CareTwinApiHost(WebApplication app, HttpMessageHandler? inMemory, Uri address, Uri? http1Address, CapturingLoggerProvider logs, ConflictingStorage storage, IReadOnlyDictionary<string, string> keys)
    {
        _app = app;
        _inMemory = inMemory;
        GrpcAddress = address;
        _http1Address = http1Address;
        Logs = logs;
        Storage = storage;
        Keys = keys;
    }

    public IServiceProvider Services => _app.Services;

    public CapturingLoggerProvider Logs { get; }

    public ConflictingStorage Storage { get; }

    /// <summary>System id to its key: "test-epr" (manages journeys, the ward), "test-housing", "test-social-care".</summary>
    public IReadOnlyDictionary<string, string> Keys { get; }

    public string EprKey => Keys["test-epr"];

    public string HousingKey => Keys["test-housing"];

    public string SocialCareKey => Keys["test-social-care"];

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>Kestrel: the API's h2c address on 127.0.0.1; in memory: the TestServer's.</summary>
    public Uri GrpcAddress { get; }

    /// <summary>Kestrel only: a second listener on 127.0.0.1 speaking HTTP/1.1 only, as the host's web port does, for REST/JSON.</summary>
    public Uri Http1Address => _http1Address ?? throw new InvalidOperationException("The in-memory host has no HTTP/1.1 listener; start it on Kestrel.");

    public static Task<CareTwinApiHost> StartInMemoryAsync(IDictionary<string, string?>? settings = null) => StartAsync(settings, kestrel: false);

    public static Task<CareTwinApiHost> StartKestrelAsync(IDictionary<string, string?>? settings = null) => StartAsync(settings, kestrel: true);

    public CareTwinClient Client(string? key) => new(Channel(), key);

    /// <summary>A Grpc.Net.Client channel to the API: over sockets to Kestrel, or straight into the TestServer.</summary>
    public GrpcChannel Channel() => GrpcChannel.ForAddress(GrpcAddress, new GrpcChannelOptions
    {
        HttpHandler = _inMemory is null ? new SocketsHttpHandler { UseProxy = false, EnableMultipleHttp2Connections = true } : new NonDisposing(_inMemory),
        MaxReceiveMessageSize = null,
        MaxSendMessageSize = null,
    });

    public async Task<ImmutableArray<AuditEntry>> AuditOfAsync(string subject) =>
        (await Grains.GetGrain<IAuditGrain>(subject).GetRecent(AuditGrain.MaxPage)).Entries;

    /// <summary>Attempts by callers nobody identified that named <paramref name="subject"/>: their counts, written now.</summary>
    public Task<List<AuditEntry>> UnidentifiedAttemptsOnAsync(string subject) => UnidentifiedCallers.AttemptsOnAsync(Services, subject);

    /// <summary>A change made in the web by a coordinator (straight to the twin), e.g. a blocker only a coordinator may raise.</summary>
    public Task<CommandOutcome> AsCoordinatorAsync(string childId, Func<CommandOrigin, JourneyCommand> command) =>
        InTheWebAsync(childId, new Actor("coordinator-1", "Test Coordinator", ActorRole.Coordinator), command);

    /// <summary>A change the child's family made on their page (straight to the twin): a note, a concern, how they travel.</summary>
    public Task<CommandOutcome> AsFamilyAsync(string childId, Func<CommandOrigin, JourneyCommand> command) =>
        InTheWebAsync(childId, new Actor("family-member-1", "Amara's mum", ActorRole.Family), command);

    private async Task<CommandOutcome> InTheWebAsync(string childId, Actor actor, Func<CommandOrigin, JourneyCommand> command)
    {
        var origin = new CommandOrigin(actor, "caretwin-web", Guid.NewGuid().ToString("N"));
        var outcome = await Grains.GetGrain<IChildGrain>(childId).Execute(command(origin));
        Assert.True(outcome.Kind == OutcomeKind.Accepted, $"{outcome.Kind}: {outcome.Refusal}");
        return outcome;
    }

    /// <summary>Raises a blocker on transition-1 owned by <paramref name="service"/>, as a coordinator; returns its id.</summary>
    public async Task<string> RaiseAsCoordinatorAsync(string childId, string service, BlockerCategory category = BlockerCategory.HousingAdaptation)
    {
        var outcome = await AsCoordinatorAsync(childId, origin => new RaiseBlocker(
            origin, "transition-1", category, service, null, "Raised by the coordinator.", null, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20)));
        return ((BlockerRaised)outcome.Events[0]).BlockerId;
    }

    /// <summary>Subscriptions to the child's change stream: one per open watch on it, none once every watch has let go.</summary>
    public async Task<int> ChildStreamSubscriptionsAsync(string childId) =>
        (await Services.GetRequiredService<IClusterClient>().GetStreamProvider(JourneyStreams.ProviderName).ChildStream(childId).GetAllSubscriptionHandles()).Count;

    /// <summary>Stops the host as a shutdown would: ApplicationStopping first, then the server and the silo.</summary>
    public Task StopAsync() => _app.StopAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static async Task<CareTwinApiHost> StartAsync(IDictionary<string, string?>? settings, bool kestrel)
    {
        var systems = new (string System, string Service, bool ManagesJourneys)[]
        {
            ("test-epr", Ward, true),
            ("test-housing", Housing, false),
            ("test-social-care", SocialCare, false),
        };
        var keys = systems.ToDictionary(s => s.System, _ => ApiKey.New());
        var configuration = new Dictionary<string, string?>();
        for (var i = 0; i < systems.Length; i++)
        {
            var prefix = $"Api:Keys:{i.ToString(CultureInfo.InvariantCulture)}:";
            configuration[prefix + "System"] = systems[i].System;
            configuration[prefix + "DisplayName"] = $"{systems[i].System} (test)";
            configuration[prefix + "KeyHash"] = ApiKey.Hash(keys[systems[i].System]);
            configuration[prefix + "Services:0"] = systems[i].Service;
            configuration[prefix + "ManagesJourneys"] = systems[i].ManagesJourneys.ToString();
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            configuration[key] = value;

        var storage = new ConflictingStorage();
        var logs = new CapturingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        ListenOptions? http2 = null, http1 = null;
        if (kestrel)
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Listen(IPAddress.Loopback, 0, listen => (http2 = listen).Protocols = HttpProtocols.Http2);
                k.Listen(IPAddress.Loopback, 0, listen => (http1 = listen).Protocols = HttpProtocols.Http1);
            });
        else
            builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<IStorageProvider>(storage);
        builder.Services.AddOrleans(silo =>
        {
            silo.UseLocalhostClustering(LoopbackPorts.Free(), 0, serviceId: "caretwin-api-test", clusterId: $"api-test-{Guid.NewGuid():N}");
            silo.AddCareTwinGrains();
        });
        builder.Services.Configure<AccessOptions>(_ => { });
        builder.Services.AddSingleton<AccessGate>();
        builder.Services.AddCareTwinApi();

        var app = builder.Build();
        try
        {
            app.MapCareTwinApi();
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        HttpMessageHandler? inMemory = kestrel ? null : app.GetTestServer().CreateHandler();
        // Kestrel writes the port it bound back into each listener's options.
        var address = kestrel ? new Uri($"http://127.0.0.1:{http2!.IPEndPoint!.Port}/") : app.GetTestServer().BaseAddress;
        var http1Address = kestrel ? new Uri($"http://127.0.0.1:{http1!.IPEndPoint!.Port}/") : null;
        var host = new CareTwinApiHost(app, inMemory, address, http1Address, logs, storage, keys);
        var directory = host.Grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey);
        foreach (var (key, name, kind) in new[] { (Ward, "Test ward", AgencyKind.Health), (Housing, "Testborough housing", AgencyKind.Housing), (SocialCare, "Testborough social care", AgencyKind.SocialCare) })
            await directory.Register(Profile(key, name, kind));
        return host;
    }

    private static ServiceProfile Profile(string key, string name, AgencyKind kind) => new(
        ServiceKey.Parse(key), name, kind, 30, ImmutableDictionary<BlockerCategory, int>.Empty,
        [
            new(1, new EscalationContact("Team Lead", "Team lead", null), TimeSpan.FromHours(48)),
            new(2, new EscalationContact("Service Manager", "Service manager", null), TimeSpan.FromHours(48)),
            new(3, new EscalationContact("Director", "Director", null), TimeSpan.FromHours(72)),
        ]);

    /// <summary>The TestServer's handler outlives every channel made from it.</summary>
    private sealed class NonDisposing(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
        }
    }
}
