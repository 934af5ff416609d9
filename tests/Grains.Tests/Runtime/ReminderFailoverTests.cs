using CareTwin.Grains.Children;
using CareTwin.Grains.Serialization;
using CareTwin.Grains.Services;
using CareTwin.Grains.Tests.Twins;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Transitions;
using CareTwin.Storage;
using CareTwin.Storage.Postgres;
using CareTwin.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.TestingHost;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Grains.Tests.Runtime;

/// <summary>
/// Two silos on Orleans's test host sharing one PostgreSQL store, on a manual clock: an SLA escalation that falls due
/// while the silo that held its twin is dead fires on the surviving silo.
/// </summary>
public sealed class ReminderFailoverTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task An_sla_escalation_due_while_its_silo_is_dead_fires_on_the_surviving_silo()
    {
        await using var schema = await postgres.CreateSchemaAsync();
        var clock = new ManualTimeProvider();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSiloHost((_, host) => host.Services.AddSingleton<IStorageProvider>(_ =>
            new PostgresStorageProvider(new PostgresStorageOptions { ConnectionString = schema.ConnectionString })));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddCareTwinGrains();
            silo.UseJourneyClock(clock);
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
            });
        });
        builder.ConfigureClientHost(host => host.Services.AddSerializer(s => s.AddCareTwinSerialization()));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var grains = cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();
        var directory = grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey);
        foreach (var profile in new[] { Housing, SocialCare, Equipment })
            await directory.Register(profile);

        // Twins are placed across both silos, so some of these live on the one that dies.
        var sequence = 0;
        CommandOrigin Origin() => new(Coordinator, "caretwin.web", $"failover-{++sequence}");
        var children = Enumerable.Range(1, 10).Select(i => $"reminded-{i}").ToArray();
        var breach = DateTimeOffset.MinValue;
        foreach (var id in children)
        {
            var child = grains.GetGrain<IChildGrain>(id);
            await Accept(child, new RegisterChild(Origin(), id, ValidNhsNumber, "Amelia", "Okonkwo", new DateOnly(2021, 3, 14),
                "royal-thamesbank", "north-thames", []));
            await Accept(child, new StartTransition(Origin(), TransitionKind.HospitalDischarge));
            await Accept(child, new RaiseBlocker(Origin(), "transition-1", BlockerCategory.HousingAdaptation, "housing.newham", null,
                "OT report submitted.", null, Journey.Calendar.UkCalendar.DateOf(clock.GetUtcNow()).AddDays(90)));
            breach = BlockerClock.SlaBreachesAt((await child.GetJourney())!.FindBlocker("blocker-1")!);
        }

        // The silo holding more of the twins dies (placement decides which); the other must take over their reminders.
        var twins = (await grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics())
            .Where(s => s.GrainId.Type.ToString() == "child").ToList();
        var dying = cluster.Silos.MaxBy(silo => twins.Count(t => t.SiloAddress == silo.SiloAddress))!;
        Assert.True(twins.Count(t => t.SiloAddress == dying.SiloAddress) > 0);
        var survivor = cluster.Silos.Single(silo => silo != dying);
        await cluster.KillSiloAsync(dying);
        grains = survivor.ServiceProvider.GetRequiredService<IGrainFactory>();
        clock.Advance(breach - clock.GetUtcNow() + TimeSpan.FromHours(2));
        var latest = clock.GetUtcNow() + JourneyClock.CatchUpWithin;

        // Read from the store, never through the twins: activating one would catch it up by itself, so only its
        // reminder, now run by the surviving silo, can write the escalation.
        await using var store = new PostgresStorageProvider(new PostgresStorageOptions { ConnectionString = schema.ConnectionString });
        async Task<int> EscalatedAsync()
        {
            var count = 0;
            foreach (var id in children)
                if ((await store.ReadJournalAsync(new RecordKey("child", id), 0, int.MaxValue, CancellationToken.None)).Any(e => e.Payload.Contains("\"blocker-escalated\"", StringComparison.Ordinal)))
                    count++;
            return count;
        }
        // Orleans moves a wake found overdue to the reminder's next period: journey time moves on a second at a time.
        await Until.Read(EscalatedAsync, escalated =>
        {
            if (escalated < children.Length && clock.GetUtcNow() < latest)
                clock.Advance(TimeSpan.FromSeconds(1));
            return escalated == children.Length;
        }, "every SLA escalation written by the surviving silo's reminders", limitSeconds: 60);
        var journey = (await grains.GetGrain<IChildGrain>(children[0]).GetJourney())!;
        Assert.Equal(EscalationTrigger.SlaBreached, journey.FindBlocker("blocker-1")!.Escalations.Single().Trigger);
    }

    private static async Task Accept(IChildGrain child, JourneyCommand command)
    {
        var outcome = await child.Execute(command);
        Assert.True(outcome.Kind == OutcomeKind.Accepted, $"{command.GetType().Name} was {outcome.Kind}: {outcome.Refusal}");
    }
}
