using System.Globalization;
using System.Net;
using CareTwin.Testing;
using CareTwin.Testing.Oidc;
using Grpc.Health.V1;

namespace CareTwin.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One real host (runtime on SQLite, gRPC and the web on Kestrel at 127.0.0.1) for every end-to-end test, in demo
/// mode so its demo users can sign in, with three external systems' keys: a housing case system, an equipment
/// system and a journey-managing EPR. Limits are raised so the suites never trip over them by accident.
/// </summary>
public sealed class EndToEndSite : IAsyncLifetime
{
    public const string Housing = "housing.eastmarsh";
    public const string Equipment = "health.equipment.north-thames";
    public const string Ventilation = "health.ltv-team.royal-thamesbank";
    public const string SocialCare = "social-care.disabled-children.eastmarsh";
    public const string Board = "region:north-thames";

    /// <summary>The keys' systems (as in audit entries and journal entries).</summary>
    public const string HousingSystem = "housing-system";
    public const string EquipmentSystem = "equipment-system";
    public const string EprSystem = "epr-royal-thamesbank";

    public const int MaxIngestItems = 50;

    private CareTwinSite? _site;
    private OidcIssuer? _issuer;

    public CareTwinSite Site => _site ?? throw new InvalidOperationException("The site is not started.");

    /// <summary>The OpenID Connect provider staff and families of this host can also sign in through.</summary>
    public OidcIssuer Issuer => _issuer ?? throw new InvalidOperationException("The issuer is not started.");

    public GeneratedApiKey HousingKey { get; } = GeneratedApiKey.New();

    public GeneratedApiKey EquipmentKey { get; } = GeneratedApiKey.New();

    public GeneratedApiKey EprKey { get; } = GeneratedApiKey.New();

    public async Task InitializeAsync()
    {
        _issuer = await CareTwinOidc.StartIssuerAsync();
        var settings = new Dictionary<string, string>(CareTwinOidc.Settings(_issuer))
        {
            ["Access:FamilyAccessFrom16"] = "RequiresYoungPersonConsent",
            ["Api:MaxIngestItems"] = MaxIngestItems.ToString(CultureInfo.InvariantCulture),
            ["Api:RateLimit:PermitsPerSecond"] = "100000",
            ["Api:RateLimit:Burst"] = "100000",
            ["Web:Live:CallBurst"] = "100000",
            ["Web:Live:CallsPerRefill"] = "100000",
            ["Web:Live:SignInAttemptsPerMinute"] = "100000",
            // Every role without a session is one client address here: the matrices' page views and posts share its minute.
            ["Web:Live:PageViewsPerMinute"] = "100000",
        };
        var systems = new[]
        {
            (HousingSystem, "Eastmarsh housing case system (test)", HousingKey, Housing, false),
            (EquipmentSystem, "North Thames equipment system (test)", EquipmentKey, Equipment, false),
            (EprSystem, "Royal Thamesbank EPR (test)", EprKey, Ventilation, true),
        };
        foreach (var (i, (system, name, key, service, managesJourneys)) in systems.Index())
        {
            var prefix = $"Api:Keys:{i.ToString(CultureInfo.InvariantCulture)}:";
            settings[prefix + "System"] = system;
            settings[prefix + "DisplayName"] = name;
            settings[prefix + "KeyHash"] = key.KeyHash;
            settings[prefix + "Services:0"] = service;
            settings[prefix + "ManagesJourneys"] = managesJourneys ? "true" : "false";
        }
        _site = await CareTwinSite.StartAsync(settings: settings);
        await CareTwinOidc.AllowAsync(_issuer, _site.Address);
    }

    /// <summary>A gRPC client of the host's HTTP/2 port with a key (or none) and any other headers.</summary>
    public RawGrpcChannel Grpc(string? key = null, IReadOnlyDictionary<string, string>? headers = null) => new(Site.GrpcAddress, key, headers);

    /// <summary>
    /// The host still serves: grpc.health.v1 Check answers SERVING and GET /healthz answers 200, each on a new
    /// connection (so a connection a hostile request broke does not count).
    /// </summary>
    public async Task AssertServingAsync()
    {
        using var grpc = Grpc();
        var health = await grpc.UnaryAsync("/grpc.health.v1.Health/Check", new HealthCheckRequest(), HealthCheckResponse.Parser);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        using var http = new HttpClient { BaseAddress = Site.Address };
        using var healthz = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
    }

    public async Task DisposeAsync()
    {
        if (_site is not null) await _site.DisposeAsync();
        if (_issuer is not null) await _issuer.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndSite>
{
    public const string Name = "end-to-end";
}
