using Orleans;
using Orleans.Streams;
using CareTwin.Storage.Sqlite;
using CareTwin.Grains.Children;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Serialization;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using CareTwin.Grains.Services;
using CareTwin.Testing;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Grains.Tests.Twins;

/// <summary>
/// The grains in a runtime over a SQLite file, on a manual clock. <see cref="RestartAsync"/> stops the runtime
/// (every grain deactivates) and starts a new one over the same file and clock: a host restart.
/// </summary>
internal sealed class TwinHost : IAsyncDisposable
{
    private readonly string _directory = ScratchDirectory.Create("caretwin-grains-");
    private int _sequence;

    private TwinHost()
    {
    }

    public ManualTimeProvider Clock { get; } = new();

    public TestSilo Silo => _silo ?? throw new InvalidOperationException("The host is stopped.");

    private TestSilo? _silo;

    public IGrainFactory Grains => Silo.Grains;

    public IStreamProvider Streams => Silo.Streams;

    public string DatabasePath => Path.Combine(_directory, "caretwin.db");

    public DateOnly Today => UkCalendar.DateOf(Clock.GetUtcNow());

    /// <summary>A host with the model tests' services (housing, social care, equipment) in the directory.</summary>
    public static async Task<TwinHost> StartAsync()
    {
        var host = new TwinHost();
        host._silo = await host.StartSiloAsync();
        var directory = host.Grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey);
        foreach (var profile in new[] { Housing, SocialCare, Equipment })
            Assert.Equal(OutcomeKind.Accepted, (await directory.Register(profile)).Kind);
        return host;
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAgainAsync();
    }

    /// <summary>The host goes down: every grain deactivates; storage and clock stay.</summary>
    public async Task StopAsync()
    {
        await Silo.DisposeAsync();
        _silo = null;
    }

    public async Task StartAgainAsync() => _silo = await StartSiloAsync();

    public IChildGrain Child(string childId) => Grains.GetGrain<IChildGrain>(childId);

    public IServiceGrain Service(ServiceProfile profile) => Grains.GetGrain<IServiceGrain>(profile.Key.Value);

    public CommandOrigin Origin(Actor? actor = null, string source = "caretwin.web") =>
        new(actor ?? Coordinator, source, $"test-{Interlocked.Increment(ref _sequence)}");

    /// <summary>Registers a child and starts its hospital discharge (transition-1, stage admitted).</summary>
    public async Task<IChildGrain> InHospitalAsync(string childId, string hospitalKey = "royal-thamesbank")
    {
        var child = Child(childId);
        await Accept(child, new RegisterChild(Origin(), childId, ValidNhsNumber, "Amelia", "Okonkwo", new DateOnly(2021, 3, 14),
            hospitalKey, "north-thames", [new CareTeamMember("Priya Shah", "Discharge coordinator")]));
        await Accept(child, new StartTransition(Origin(), TransitionKind.HospitalDischarge));
        return child;
    }

    public static async Task<CommandOutcome> Accept(IChildGrain child, JourneyCommand command)
    {
        var outcome = await child.Execute(command);
        Assert.True(outcome.Kind == OutcomeKind.Accepted, $"{command.GetType().Name} was {outcome.Kind}: {outcome.Refusal}");
        return outcome;
    }

    private Task<TestSilo> StartSiloAsync() =>
        TestSilo.StartAsync(new SqliteStorageProvider(new SqliteStorageOptions { DataSource = DatabasePath }), Clock, ownsStorage: true);

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
            await _silo.DisposeAsync();
        ScratchDirectory.Remove(_directory);
    }
}

/// <summary>Reads a twin until it shows what a test waits for (work carries on after the clock moves).</summary>
internal static class Until
{
    public static async Task<T> Read<T>(Func<Task<T>> read, Func<T, bool> condition, string what, int limitSeconds = 20)
    {
        var limit = DateTime.UtcNow.AddSeconds(limitSeconds);
        while (true)
        {
            var value = await read();
            if (condition(value))
                return value;
            if (DateTime.UtcNow > limit)
                throw new TimeoutException($"Gave up waiting for: {what}");
            await Task.Delay(5);
        }
    }
}
