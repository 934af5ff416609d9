using System.Collections.Immutable;
using System.Globalization;
using CareTwin.Grains.Access;
using CareTwin.Grains.Children;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Demo;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Transitions;
using CareTwin.Grains.Services;
using CareTwin.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CareTwin.Testing;

/// <summary>
/// The real CareTwin host (runtime on SQLite, gRPC, web) on Kestrel at 127.0.0.1 with free ports, in demo mode
/// with a small demo region, plus children each test registers for itself. Stops when disposed.
/// </summary>
public sealed class CareTwinSite : IAsyncDisposable
{
    public const int DemoSeed = 20261122;
    public const string Hospital = "royal-thamesbank";
    public const string Region = "north-thames";

    private static readonly Actor SeedActor = new("test.seed", "Test seed", ActorRole.Coordinator);
    private readonly string _directory;
    private readonly WebApplication _app;
    private int _sequence;

    private CareTwinSite(string directory, WebApplication app, Uri address, Uri grpcAddress)
    {
        _directory = directory;
        _app = app;
        Address = address;
        GrpcAddress = grpcAddress;
    }

    /// <summary>The web listener (HTTP/1.1: pages, sign-in, the hub, /healthz).</summary>
    public Uri Address { get; }

    /// <summary>The gRPC listener (HTTP/2 without TLS).</summary>
    public Uri GrpcAddress { get; }

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Configuration on top of the test defaults (e.g. smaller limits).</param>
    public static async Task<CareTwinSite> StartAsync(int demoChildren = 0, IReadOnlyDictionary<string, string>? settings = null)
    {
        var directory = Directory.CreateTempSubdirectory("caretwin-web-").FullName;
        var all = new Dictionary<string, string>
        {
            ["Storage:Sqlite:DataSource"] = Path.Combine(directory, "caretwin.db"),
            ["Listeners:WebPort"] = "0",
            ["Listeners:ApiPort"] = "0",
            ["Orleans:SiloPort"] = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = "0",
            ["Demo:Enabled"] = "true",
            ["Demo:Seed"] = DemoSeed.ToString(CultureInfo.InvariantCulture),
            ["Demo:Children"] = demoChildren.ToString(CultureInfo.InvariantCulture),
            ["Logging:Console:FormatterName"] = "simple",
            ["Logging:LogLevel:Default"] = "Warning",
            // Tests sign in over http://127.0.0.1 with .NET's CookieContainer, which keeps Secure cookies to https;
            // tests/Web.Tests/Security/SecureCookiesTests turns this off to see the production default.
            ["Web:AllowInsecureCookiesOnLoopback"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) all[key] = value;
        var app = CareTwinHost.Build(["--environment", "Production", .. all.Select(s => $"--{s.Key}={s.Value}")]);
        await app.StartAsync();
        // The web listener is the first address (HTTP/1.1); the second is gRPC's HTTP/2 port.
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal))).ToList();
        var site = new CareTwinSite(directory, app, addresses[0], addresses[1]);
        await site.RegisterDemoServicesAsync();
        return site;
    }

    /// <summary>The demo region's services (the host registers them too; a second registration is a duplicate).</summary>
    private async Task RegisterDemoServicesAsync()
    {
        var directory = Grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey);
        foreach (var profile in DemoRegionGenerator.Generate(DemoSeed, DateTimeOffset.UtcNow, 0).Services)
        {
            var outcome = await directory.Register(profile);
            if (outcome.Refusal is { } refusal) throw new InvalidOperationException($"{profile.Key}: {refusal.Message}");
        }
    }

    public DateOnly Today => UkCalendar.DateOf(DateTimeOffset.UtcNow);

    /// <summary>A child of its own for one test: registered, medically optimised and in discharge planning, no blockers.</summary>
    /// <param name="dateOfBirth">Four years ago unless given.</param>
    /// <param name="startDischarge">False: registered only, with no transition started.</param>
    public async Task<string> RegisterChildAsync(string givenName, string familyName, DateOnly? dateOfBirth = null, bool startDischarge = true)
    {
        var number = Interlocked.Increment(ref _sequence);
        var childId = $"e2e-{givenName.ToLowerInvariant()}-{number}-{Guid.NewGuid():N}"[..40];
        var child = Grains.GetGrain<IChildGrain>(childId);
        await Run(child, new RegisterChild(Origin(), childId, NhsNumber.TestRange(number * 7).First(), givenName, familyName, dateOfBirth ?? Today.AddYears(-4), Hospital, Region,
            [new CareTeamMember("Priya Shah", "Discharge coordinator")]));
        if (!startDischarge) return childId;
        await Run(child, new StartTransition(Origin(), TransitionKind.HospitalDischarge));
        await Run(child, new ChangeStage(Origin(), "transition-1", HospitalDischargeStages.MedicallyOptimised));
        await Run(child, new ChangeStage(Origin(), "transition-1", HospitalDischargeStages.DischargePlanning));
        return childId;
    }

    public Task<CommandOutcome> RaiseBlockerAsync(string childId, BlockerCategory category, string service, string professionalText, string? familyText, bool sensitive = false) =>
        Run(Grains.GetGrain<IChildGrain>(childId), new RaiseBlocker(Origin(), "transition-1", category, service, null, professionalText, familyText, Today.AddDays(30), sensitive));

    /// <summary>Runs any command on a child as the seeding coordinator.</summary>
    public Task<CommandOutcome> RunAsync(string childId, Func<CommandOrigin, JourneyCommand> command) =>
        Run(Grains.GetGrain<IChildGrain>(childId), command(Origin()));

    /// <summary>An invite code for the child's family, as a coordinator would hand it over.</summary>
    public async Task<string> InviteCodeAsync(string childId) =>
        (await Grains.GetGrain<IFamilyAccessGrain>(childId).IssueInvite("Priya Shah", TimeSpan.FromDays(1))).Code;

    public async Task<IReadOnlyList<AuditEntry>> AuditOfAsync(string childId) =>
        (await Grains.GetGrain<IAuditGrain>($"child/{childId}").GetRecent(100)).Entries;

    private async Task<CommandOutcome> Run(IChildGrain child, JourneyCommand command)
    {
        var outcome = await child.Execute(command);
        if (outcome.Kind == OutcomeKind.Refused) throw new InvalidOperationException($"Seeding was refused: {outcome.Refusal!.Field}: {outcome.Refusal.Message}");
        return outcome;
    }

    private CommandOrigin Origin() => new(SeedActor, "caretwin.test", $"seed-{Guid.NewGuid():N}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still be letting go of the file; the temporary folder is cleaned up by the system.
        }
    }
}
