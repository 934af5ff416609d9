using System.Text.Json.Nodes;
using CareTwin.Storage;
using CareTwin.Grains.Children;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.References;
using CareTwin.Journey.Serialization;
using CareTwin.Testing;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Grains.Tests.Twins;

public sealed class ChildTwinTests
{
    [Fact]
    public async Task A_twin_rebuilt_after_a_host_restart_equals_the_one_before()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-restart");
        for (var i = 0; i < 5; i++)
            await TwinHost.Accept(child, RaiseBlocker(host, host.Today.AddDays(40 + i)));
        for (var i = 0; i < 20; i++)
        {
            await TwinHost.Accept(child, new BookAppointment(host.Origin(), "health.equipment.newham",
                host.Clock.GetUtcNow().AddDays(3 + i), TimeSpan.FromHours(1), "Family home", $"Hoist training {i + 1}"));
        }
        // Past the snapshot interval (100 events), so the rebuild is a snapshot plus the journal after it.
        for (var i = 0; i < 80; i++)
            await TwinHost.Accept(child, new UpdateBlockerProgress(host.Origin(), $"blocker-{i % 5 + 1}", TargetDate: host.Today.AddDays(60 + i)));
        var before = await Snapshot(child);
        Assert.Equal(107, (await child.GetJourney())!.Version);

        await host.RestartAsync();
        child = host.Child("child-restart");

        Assert.Equal(before, await Snapshot(child));
        var next = await TwinHost.Accept(child, new EscalateBlocker(host.Origin(), "blocker-1", "No date for the adaptation after three visits."));
        Assert.Equal(108, next.Version);
    }

    [Fact]
    public async Task A_repeated_push_changes_nothing_even_after_a_restart()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-duplicate");
        var origin = host.Origin(new Actor("epr", "Hospital EPR", ActorRole.ExternalSystem), "epr.royal-thamesbank");
        var booking = new BookAppointment(origin, "health.equipment.newham", host.Clock.GetUtcNow().AddDays(2), TimeSpan.FromHours(1), "Ward 4", "Hoist fitting");
        var first = await TwinHost.Accept(child, booking);
        var journal = await Snapshot(child);

        var again = await child.Execute(booking);
        var sameIdOtherContent = await child.Execute(booking with { Place = "Family home" });
        await host.RestartAsync();
        var afterRestart = await host.Child("child-duplicate").Execute(booking);

        Assert.All(new[] { again, sameIdOtherContent, afterRestart }, outcome =>
        {
            Assert.Equal(OutcomeKind.Duplicate, outcome.Kind);
            Assert.Equal(first.Version, outcome.Version);
            Assert.Empty(outcome.Events);
        });
        Assert.Equal(journal, await Snapshot(host.Child("child-duplicate")));
    }

    [Fact]
    public async Task A_push_from_before_the_snapshot_is_still_a_duplicate_after_a_restart()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-snapshot-keys");
        var epr = new Actor("epr", "Hospital EPR", ActorRole.ExternalSystem);
        var booking = new BookAppointment(host.Origin(epr, "epr.royal-thamesbank"), "health.equipment.newham",
            host.Clock.GetUtcNow().AddDays(2), TimeSpan.FromHours(1), "Ward 4", "Hoist fitting");
        await TwinHost.Accept(child, booking);
        await TwinHost.Accept(child, RaiseBlocker(host, host.Today.AddDays(40)));
        // Past the snapshot interval (100 events), then one push after the snapshot.
        for (var i = 0; i < 96; i++)
            await TwinHost.Accept(child, new UpdateBlockerProgress(host.Origin(), "blocker-1", TargetDate: host.Today.AddDays(41 + i)));
        var afterSnapshot = new UpdateBlockerProgress(host.Origin(), "blocker-1", TargetDate: host.Today.AddDays(200));
        var last = await TwinHost.Accept(child, afterSnapshot);
        var snapshot = await host.Silo.Storage.ReadSnapshotAsync(new RecordKey("child", "child-snapshot-keys"), CancellationToken.None);
        Assert.Equal(100, snapshot!.Version);
        Assert.Contains("\"appliedKeys\":\"sha256-128:", snapshot.Payload);

        await host.RestartAsync();
        child = host.Child("child-snapshot-keys");

        foreach (var repeated in new JourneyCommand[] { booking, afterSnapshot })
            Assert.Equal((OutcomeKind.Duplicate, last.Version), ((await child.Execute(repeated)).Kind, (await child.GetJourney())!.Version));
    }

    [Fact]
    public async Task A_snapshot_written_before_the_digests_still_loads_and_knows_what_it_applied()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-old-snapshot");
        var booking = new BookAppointment(host.Origin(source: "epr.royal-thamesbank"), "health.equipment.newham",
            host.Clock.GetUtcNow().AddDays(2), TimeSpan.FromHours(1), "Ward 4", "Hoist fitting");
        await TwinHost.Accept(child, booking);
        await TwinHost.Accept(child, RaiseBlocker(host, host.Today.AddDays(40)));
        var before = await Snapshot(child);
        var journey = (await child.GetJourney())!;
        var timeline = (await child.GetTimeline(0, ChildGrain.MaxTimelinePage))!;
        // The snapshot as it was written before: the applied keys as "source\nexternal id" strings.
        var state = JsonNode.Parse(JourneyJson.Serialize(new ChildTwinState { Journey = journey }))!;
        state["journey"]!["appliedKeys"] = new JsonArray([.. timeline.Entries.Select(e => JsonValue.Create($"{e.SourceSystem}\n{e.ExternalId}"))]);
        await host.Silo.Storage.WriteSnapshotAsync(new RecordKey("child", "child-old-snapshot"),
            new JournalSnapshot((int)journey.Version, state.ToJsonString(JourneyJson.Options)), CancellationToken.None);
        await host.RestartAsync();
        child = host.Child("child-old-snapshot");

        Assert.Equal(before, await Snapshot(child));
        Assert.Equal(OutcomeKind.Duplicate, (await child.Execute(booking)).Kind);
        Assert.Equal(journey.Version + 1, (await TwinHost.Accept(child, booking with { Origin = host.Origin() })).Version);
    }

    [Fact]
    public async Task A_snapshot_from_before_blockers_kept_their_creator_is_replayed_so_the_creator_can_name_them()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-format-1");
        var raise = RaiseBlocker(host, host.Today.AddDays(40)) with { Origin = host.Origin(source: "epr.royal-thamesbank") };
        await TwinHost.Accept(child, raise);
        var journey = (await child.GetJourney())!;
        // As format 1 wrote it: the bare state, its blockers and transitions without who created them.
        var bare = new ChildTwinState
        {
            Journey = journey with
            {
                Blockers = [.. journey.Blockers.Select(b => b with { SourceSystem = null, ExternalId = null })],
                Transitions = [.. journey.Transitions.Select(t => t with { SourceSystem = null, ExternalId = null })],
            },
        };
        await host.Silo.Storage.WriteSnapshotAsync(new RecordKey("child", "child-format-1"),
            new JournalSnapshot((int)journey.Version, JourneyJson.Serialize(bare)), CancellationToken.None);
        await host.RestartAsync();
        child = host.Child("child-format-1");

        var resolved = await child.Execute(new ResolveBlocker(host.Origin(source: "epr.royal-thamesbank"), "")
        {
            BlockerRef = new ExternalReference("epr.royal-thamesbank", raise.Origin.ExternalId),
        });

        Assert.Equal(OutcomeKind.Accepted, resolved.Kind);
        Assert.Equal(("epr.royal-thamesbank", raise.Origin.ExternalId), ((await child.GetJourney())!.Blockers[0].SourceSystem, (await child.GetJourney())!.Blockers[0].ExternalId));
    }

    [Fact]
    public async Task A_repeated_change_answers_duplicate_with_the_id_of_what_it_created_first()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-duplicate-created");
        var raise = RaiseBlocker(host, host.Today.AddDays(40));
        var first = await TwinHost.Accept(child, raise);

        var again = await child.Execute(raise);

        Assert.Equal((OutcomeKind.Accepted, "blocker-1"), (first.Kind, first.CreatedId));
        Assert.Equal((OutcomeKind.Duplicate, "blocker-1"), (again.Kind, again.CreatedId));
    }

    public static TheoryData<string, string> BadInput => new()
    {
        { "unknown service", "owningService" },
        { "target date in the past", "targetDate" },
        { "empty text", "professionalText" },
        { "over-long text", "professionalText" },
        { "blank escalation reason", "reason" },
        { "registration for another child", "childId" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_is_refused_naming_the_field_and_the_journal_is_unchanged(string what, string field)
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-bad-input");
        await TwinHost.Accept(child, RaiseBlocker(host, host.Today.AddDays(30)));
        var before = await Snapshot(child);
        JourneyCommand command = what switch
        {
            "unknown service" => RaiseBlocker(host, host.Today.AddDays(30)) with { OwningService = "housing.nowhere" },
            "target date in the past" => RaiseBlocker(host, host.Today.AddDays(-1)),
            "empty text" => RaiseBlocker(host, host.Today.AddDays(30)) with { ProfessionalText = "   " },
            "over-long text" => RaiseBlocker(host, host.Today.AddDays(30)) with { ProfessionalText = new string('x', 2_001) },
            "blank escalation reason" => new EscalateBlocker(host.Origin(), "blocker-1", ""),
            _ => new RegisterChild(host.Origin(), "someone-else", ValidNhsNumber, "Ben", "Ade", new DateOnly(2020, 1, 1), "royal-thamesbank", "north-thames", []),
        };

        var outcome = await child.Execute(command);

        Assert.Equal(OutcomeKind.Refused, outcome.Kind);
        Assert.Equal(RefusalKind.InvalidArgument, outcome.Refusal!.Kind);
        Assert.Equal(field, outcome.Refusal.Field);
        Assert.Contains(field, outcome.Refusal.Message);
        Assert.Equal(before, await Snapshot(child));
    }

    [Fact]
    public async Task A_command_for_an_unknown_child_is_refused_as_not_found_and_leaves_no_phantom_child()
    {
        await using var host = await TwinHost.StartAsync();
        await host.InHospitalAsync("child-known");
        var activations = await host.Silo.ActivationCountAsync();
        var unknown = host.Child("child-unknown");

        var outcome = await unknown.Execute(RaiseBlocker(host, host.Today.AddDays(30)));
        Assert.Null(await unknown.GetJourney());
        Assert.Null(await unknown.GetTimeline(0, 10));

        Assert.Equal((OutcomeKind.Refused, RefusalKind.NotFound, "childId", 0L),
            (outcome.Kind, outcome.Refusal!.Kind, outcome.Refusal.Field, outcome.Version));
        await Eventually.True(() => host.Silo.ActivationCountAsync().GetAwaiter().GetResult() == activations, "the unknown child's activation to go");
        var grainId = new RecordKey("child", "child-unknown");
        Assert.Empty(await host.Silo.Storage.ReadJournalAsync(grainId, 0, int.MaxValue, CancellationToken.None));
        Assert.Null(await host.Silo.Storage.ReadSnapshotAsync(grainId, CancellationToken.None));
        Assert.DoesNotContain(await host.Silo.Storage.ReadAllRemindersAsync(CancellationToken.None), r => r.Record == grainId);
        Assert.Contains(await host.Silo.Storage.ReadAllRemindersAsync(CancellationToken.None), r => r.Record == new RecordKey("child", "child-known"));
    }

    [Fact]
    public async Task The_timeline_pages_through_the_journal_with_who_what_when_and_source()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-timeline");
        var raised = await TwinHost.Accept(child, RaiseBlocker(host, host.Today.AddDays(30)));

        var first = (await child.GetTimeline(0, 2))!;
        var rest = (await child.GetTimeline(first.NextAfterVersion!.Value, 2))!;

        Assert.Equal(["child-registered", "transition-started"], first.Entries.Select(e => e.Kind));
        Assert.Equal([1L, 2L], first.Entries.Select(e => e.Version));
        var entry = Assert.Single(rest.Entries);
        Assert.Equal((3L, "blocker-raised", Coordinator, "caretwin.web", host.Clock.GetUtcNow()),
            (entry.Version, entry.Kind, entry.Who, entry.SourceSystem, entry.At));
        Assert.Equal(raised.Events[0].Provenance.ExternalId, entry.ExternalId);
        Assert.Null(rest.NextAfterVersion);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => child.GetTimeline(0, 0));
    }

    [Fact]
    public async Task The_twin_predicts_the_ready_date_from_the_critical_path()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-prediction");
        await TwinHost.Accept(child, RaiseBlocker(host, host.Today.AddDays(20)));
        await TwinHost.Accept(child, RaiseBlocker(host, host.Today.AddDays(50)) with { OwningService = "health.equipment.newham", Category = BlockerCategory.Equipment });

        var prediction = (await child.GetPrediction())!;
        var row = (await child.GetBoardRow())!;

        Assert.Equal((host.Today.AddDays(50), "blocker-2"), (prediction.PredictedReadyDate, prediction.CriticalPathBlockerId));
        Assert.Equal(prediction.PredictedReadyDate, row.PredictedReadyDate);
    }

    [Fact]
    public async Task A_family_concern_is_read_answered_and_closed_and_the_family_s_travel_is_kept_across_a_restart()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-concern");
        var flagged = await TwinHost.Accept(child, new FlagConcern(host.Origin(Parent), "Nobody has called about the flat."));
        var messageId = Assert.IsType<FamilyConcernFlagged>(Assert.Single(flagged.Events)).MessageId;
        await TwinHost.Accept(child, new AcknowledgeConcern(host.Origin(), messageId));
        await TwinHost.Accept(child, new AnswerConcern(host.Origin(), messageId, "Callum from housing will ring you on Friday."));
        await TwinHost.Accept(child, new SetFamilyTravel(host.Origin(Parent), TravelMode.Car, 45, 12.50m, 4m, 4m));
        Assert.Equal(1, (await child.GetBoardRow())!.FamilyConcerns);
        await TwinHost.Accept(child, new CloseConcern(host.Origin(), messageId));
        var refused = await child.Execute(new AnswerConcern(host.Origin(Parent), messageId, "Thanks."));
        Assert.Equal(("origin.actor.role", OutcomeKind.Refused), (refused.Refusal!.Field, refused.Kind));
        var before = await Snapshot(child);

        // Rebuilt from the journal: the new events are stored and read back.
        await host.RestartAsync();
        child = host.Child("child-concern");
        Assert.Equal(before, await Snapshot(child));
        var family = (await child.GetFamilyView())!;
        var concern = Assert.Single(family.OurMessages);
        Assert.Equal((ConcernStatus.Closed, "Callum from housing will ring you on Friday.", "Priya Shah"), (concern.Status, concern.Answer, concern.AnsweredBy));
        Assert.Equal((TravelMode.Car, 45), (family.Travel!.Mode, family.Travel.TravelMinutes));
        Assert.NotNull(family.TimeAndMoney);
        Assert.Equal(0, (await child.GetBoardRow())!.FamilyConcerns);
        var timeline = (await child.GetTimeline(0, ChildGrain.MaxTimelinePage))!;
        Assert.Equal(["concern-acknowledged", "concern-answered", "family-travel-set", "concern-closed"],
            timeline.Entries.Select(e => e.Kind).Where(k => k.StartsWith("concern-", StringComparison.Ordinal) || k == "family-travel-set"));
    }

    internal static RaiseBlocker RaiseBlocker(TwinHost host, DateOnly target) => new(
        host.Origin(), "transition-1", BlockerCategory.HousingAdaptation, "housing.newham", "Callum Reid",
        "OT report submitted; priority banding requested.", "Finding a home with step-free access.", target);

    /// <summary>Everything a reader can see of a twin, as JourneyJson: the state, its journal and its projections.</summary>
    private static async Task<string> Snapshot(IChildGrain child) => JourneyJson.Serialize(new
    {
        journey = await child.GetJourney(),
        timeline = await child.GetTimeline(0, ChildGrain.MaxTimelinePage),
        row = await child.GetBoardRow(),
        family = await child.GetFamilyView(),
    });
}
