using CareTwin.Grains.Children;
using CareTwin.Grains.Serialization;
using CareTwin.Grains.Services;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Transitions;
using CareTwin.Storage;
using CareTwin.Storage.Sqlite;
using CareTwin.Grains.Tests.Twins;
using CareTwin.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.TestingHost;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Grains.Tests.Runtime;

/// <summary>
/// The grains on Orleans's own test host (<see cref="InProcessTestCluster"/>), over a SQLite file that outlives
/// the silos and on a manual clock: what a silo restart must keep, and what Orleans must surface.
/// </summary>
public sealed class OrleansTestHostTests : IAsyncLifetime
{
    private static readonly TimeSpan ShortResponseTimeout = TimeSpan.FromSeconds(2);

    private readonly string _directory = ScratchDirectory.Create("caretwin-testhost-");
    private readonly ManualTimeProvider _clock = new();
    private InProcessTestCluster _cluster = null!;
    private int _sequence;

    public async Task InitializeAsync()
    {
        var database = Path.Combine(_directory, "caretwin.db");
        var builder = new InProcessTestClusterBuilder(1);
        // Each silo opens the file anew and closes it when it stops, as a restarted process would.
        builder.ConfigureSiloHost((_, host) => host.Services.AddSingleton<IStorageProvider>(_ =>
            new SqliteStorageProvider(new SqliteStorageOptions { DataSource = database })));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddCareTwinGrains();
            silo.UseJourneyClock(_clock);
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ShortResponseTimeout);
        });
        builder.ConfigureClientHost(host => host.Services.AddSerializer(s => s.AddCareTwinSerialization()));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        var directory = Grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey);
        foreach (var profile in new[] { Housing, SocialCare, Equipment })
            Assert.Equal(OutcomeKind.Accepted, (await directory.Register(profile)).Kind);
    }

    // The newest silo's own client: the cluster's external client may still try a stopped silo's gateway first.
    private IGrainFactory Grains => _cluster.Silos[^1].ServiceProvider.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task A_twin_with_state_activates_with_it_after_the_silo_restarts()
    {
        var before = await Grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory();

        await _cluster.RestartSiloAsync(_cluster.Silos[0]);

        var after = await Grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory();
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Profiles.Keys.Select(k => k.Value).Order(), after.Profiles.Keys.Select(k => k.Value).Order());
        Assert.Equal(Housing.Name, after.Find(Housing.Key)!.Name);
    }

    [Fact]
    public async Task A_child_rebuilds_from_its_journal_after_the_silo_restarts()
    {
        var child = await InHospitalAsync("child-rebuilt");
        await Accept(child, RaiseHousingBlocker());
        var before = (await child.GetJourney())!;

        await _cluster.RestartSiloAsync(_cluster.Silos[0]);

        var after = (await Grains.GetGrain<IChildGrain>("child-rebuilt").GetJourney())!;
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.FindBlocker("blocker-1")!.ProfessionalText, after.FindBlocker("blocker-1")!.ProfessionalText);
        Assert.Equal(before.Child!.NhsNumber, after.Child!.NhsNumber);
    }

    [Fact]
    public async Task A_reminder_set_before_the_silo_stopped_fires_after_it_starts_again()
    {
        var child = await InHospitalAsync("child-reminded");
        await Accept(child, RaiseHousingBlocker());
        var breach = BlockerClock.SlaBreachesAt((await child.GetJourney())!.FindBlocker("blocker-1")!);

        await _cluster.StopSiloAsync(_cluster.Silos[0]);
        _clock.Advance(breach - _clock.GetUtcNow() + TimeSpan.FromHours(2));
        await _cluster.StartAdditionalSiloAsync();
        var restartedAt = _clock.GetUtcNow();

        // Orleans moves a wake found overdue to the reminder's next period, so journey time moves on, a second
        // at a time, for at most that period.
        var latest = restartedAt + JourneyClock.CatchUpWithin;
        var escalated = await Until.Read(async () => (await Grains.GetGrain<IChildGrain>("child-reminded").GetJourney())!.FindBlocker("blocker-1")!,
            blocker =>
            {
                if (blocker.EscalationLevel == 0 && _clock.GetUtcNow() < latest)
                    _clock.Advance(TimeSpan.FromSeconds(1));
                return blocker.EscalationLevel == 1;
            }, "the SLA escalation after the restart");
        var escalation = escalated.Escalations.Single();
        Assert.Equal(EscalationTrigger.SlaBreached, escalation.Trigger);
        Assert.InRange(escalation.RaisedAt, restartedAt, latest);
    }

    [Fact]
    public async Task A_stale_write_of_grain_state_is_refused_as_an_inconsistent_state()
    {
        var storage = _cluster.Silos[0].ServiceProvider.GetRequiredService<Orleans.Storage.IGrainStorage>();
        var id = GrainId.Create("board", "ward:etag-test");
        var first = new GrainState<Boards.BoardState>(new Boards.BoardState());
        var second = new GrainState<Boards.BoardState>(new Boards.BoardState());
        await storage.ReadStateAsync("board", id, first);
        await storage.ReadStateAsync("board", id, second);

        await storage.WriteStateAsync("board", id, first);

        await Assert.ThrowsAsync<Orleans.Storage.InconsistentStateException>(() => storage.WriteStateAsync("board", id, second));
        await storage.ReadStateAsync("board", id, second);
        await storage.WriteStateAsync("board", id, second);
    }

    [Fact]
    public async Task A_call_cycle_surfaces_as_a_timeout_and_the_grains_keep_serving()
    {
        var first = Grains.GetGrain<ICallCycleGrain>("first");

        await Assert.ThrowsAsync<TimeoutException>(() => first.CallBackThrough("second"));

        Assert.Equal("first", await first.Name());
    }

    private async Task<IChildGrain> InHospitalAsync(string childId)
    {
        var child = Grains.GetGrain<IChildGrain>(childId);
        await Accept(child, new RegisterChild(Origin(), childId, ValidNhsNumber, "Amelia", "Okonkwo", new DateOnly(2021, 3, 14),
            "royal-thamesbank", "north-thames", [new CareTeamMember("Priya Shah", "Discharge coordinator")]));
        await Accept(child, new StartTransition(Origin(), TransitionKind.HospitalDischarge));
        return child;
    }

    private RaiseBlocker RaiseHousingBlocker() => new(
        Origin(), "transition-1", BlockerCategory.HousingAdaptation, "housing.newham", "Callum Reid",
        "OT report submitted; priority banding requested.", "Finding a home with step-free access.", UkToday().AddDays(90));

    private DateOnly UkToday() => Journey.Calendar.UkCalendar.DateOf(_clock.GetUtcNow());

    private CommandOrigin Origin() => new(Coordinator, "caretwin.web", $"testhost-{Interlocked.Increment(ref _sequence)}");

    private static async Task Accept(IChildGrain child, JourneyCommand command)
    {
        var outcome = await child.Execute(command);
        Assert.True(outcome.Kind == OutcomeKind.Accepted, $"{command.GetType().Name} was {outcome.Kind}: {outcome.Refusal}");
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        ScratchDirectory.Remove(_directory);
    }
}

/// <summary>A grain that calls another that calls it back: a cycle Orleans does not let through.</summary>
public interface ICallCycleGrain : IGrainWithStringKey
{
    Task<string> CallBackThrough(string other);

    Task<string> CallBack(string caller);

    Task<string> Name();
}

public sealed class CallCycleGrain : Grain, ICallCycleGrain
{
    public Task<string> CallBackThrough(string other) => GrainFactory.GetGrain<ICallCycleGrain>(other).CallBack(this.GetPrimaryKeyString());

    public Task<string> CallBack(string caller) => GrainFactory.GetGrain<ICallCycleGrain>(caller).Name();

    public Task<string> Name() => Task.FromResult(this.GetPrimaryKeyString());
}
