using Orleans;
using Orleans.Streams;
using System.Collections.Concurrent;
using CareTwin.Grains.Boards;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Serialization;
using CareTwin.Grains.Publishing;
using CareTwin.Testing;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Grains.Tests.Twins;

public sealed class PublishingTests
{
    private const string SafeguardingText = "LEAK-SAFEGUARDING-PRO section 47 enquiry";
    private const string SafeguardingFamilyText = "LEAK-SAFEGUARDING-FAMILY written by mistake";
    private const string HousingText = "LEAK-HOUSING-PRO banding dispute";
    private const string EscalationReason = "LEAK-ESCALATION-REASON no reply in six weeks";
    private const string ResolutionNote = "LEAK-RESOLUTION-NOTE hoist delivered by courier";

    [Fact]
    public async Task The_family_stream_carries_only_family_safe_changes()
    {
        await using var host = await TwinHost.StartAsync();
        var family = await Subscribe(host.Streams.FamilyStream("child-family"));
        var child = await host.InHospitalAsync("child-family");
        await Eventually.True(() => family.Count == 2, "registration and the start of the journey");

        // Sensitive and professional-only changes: the family is told only that some work is not listed (once), never what.
        await TwinHost.Accept(child, new RaiseBlocker(host.Origin(), "transition-1", BlockerCategory.SocialCareSafeguarding, "social-care.newham",
            "Chloe Hart", SafeguardingText, SafeguardingFamilyText, host.Today.AddDays(20)));
        await TwinHost.Accept(child, new EscalateBlocker(host.Origin(), "blocker-1", EscalationReason));
        await TwinHost.Accept(child, new AddFamilyNote(host.Origin(Parent), "She sleeps better with the radio on."));
        await Eventually.True(() => family.Count == 4, "the agreed line that some work is not listed, then the family's own note");

        await TwinHost.Accept(child, new RaiseBlocker(host.Origin(), "transition-1", BlockerCategory.Equipment, "health.equipment.newham",
            null, HousingText, "Getting a hoist for your home.", host.Today.AddDays(20)));
        await TwinHost.Accept(child, new ResolveBlocker(host.Origin(), "blocker-2", ResolutionNote, "The hoist has been fitted."));
        await Eventually.True(() => family.Count == 6, "the visible blocker raised and resolved");

        var published = string.Join("\n", family.Select(JourneyJson.Serialize));
        foreach (var secret in new[] { SafeguardingText, SafeguardingFamilyText, HousingText, EscalationReason, ResolutionNote, "blocker-1", "social-care.newham", "Chloe Hart" })
            Assert.DoesNotContain(secret, published);
        Assert.Contains("The hoist has been fitted.", published);
        Assert.Equal([1L, 2L, 3L, 5L, 6L, 7L], family.Select(f => f.Version));
        Assert.Equal(CareTwin.Journey.Family.FamilyWording.WorkNotListed(family.ElementAt(2).View.ChildName), family.ElementAt(2).View.WorkNotListed);
    }

    [Fact]
    public async Task Every_accepted_change_is_published_to_the_child_service_and_boards()
    {
        await using var host = await TwinHost.StartAsync();
        var staff = await Subscribe(host.Streams.ChildStream("child-streams"));
        var housing = await Subscribe(host.Streams.ServiceStream(Housing.Key));
        var hospital = await Subscribe(host.Streams.BoardStream(BoardKey.ForHospital("royal-thamesbank")));
        var region = await Subscribe(host.Streams.BoardStream(BoardKey.ForRegion("north-thames")));
        var child = await host.InHospitalAsync("child-streams");

        await TwinHost.Accept(child, ChildTwinTests.RaiseBlocker(host, host.Today.AddDays(30)) with { ProfessionalText = HousingText });
        await TwinHost.Accept(child, new EscalateBlocker(host.Origin(), "blocker-1", EscalationReason));
        await child.Execute(new EscalateBlocker(host.Origin(), "blocker-1", "")); // refused: publishes nothing

        await Eventually.True(() => staff.Count == 4 && housing.Count == 2 && hospital.Count == 4 && region.Count == 4, "every change on every stream");
        var escalated = staff.Last();
        Assert.Equal((4L, "blocker-escalated"), (escalated.Version, Assert.Single(escalated.Events).Kind));
        Assert.Equal(1, escalated.Row.MaxEscalationLevel);
        Assert.Contains(HousingText, JourneyJson.Serialize(staff.ElementAt(2)));

        var raised = housing.First();
        Assert.Equal(("child-streams", 3L, HousingText), (raised.ChildId, raised.ChildVersion, Assert.Single(raised.ChildBlockers).ProfessionalText));
        Assert.Empty(raised.NewEscalations);
        var reached = housing.Last();
        Assert.Equal((1, EscalationReason, 1), (Assert.Single(reached.NewEscalations).Level, reached.NewEscalations[0].Reason, reached.AwaitingAcknowledgement));

        Assert.Equal([1L, 2L, 3L, 4L], hospital.Select(b => b.ChildVersion));
        Assert.Equal((1, 1), (hospital.Last().Totals.AwaitingAcknowledgement, hospital.Last().Children));
        Assert.Empty(hospital.Last().Totals.Rows); // one row per change, never the whole board
        Assert.Equal("region:north-thames", region.Last().BoardKey);
    }

    [Fact]
    public async Task Children_writing_at_once_reach_a_board_watcher_change_by_change_each_child_in_order()
    {
        // The board publishes what arrives while a publish is in flight as one batch; a watcher must still see every
        // change on its own, each child's in its order, with totals that end counting them all.
        await using var host = await TwinHost.StartAsync();
        var region = await Subscribe(host.Streams.BoardStream(BoardKey.ForRegion("north-thames")));
        var ids = Enumerable.Range(1, 30).Select(i => $"child-busy-{i:00}").ToArray();
        await Task.WhenAll(ids.Select(async id =>
        {
            var child = await host.InHospitalAsync(id);
            await TwinHost.Accept(child, ChildTwinTests.RaiseBlocker(host, host.Today.AddDays(30)));
        }));

        await Eventually.True(() => region.Count == ids.Length * 3, "three changes of every child");
        foreach (var id in ids)
            Assert.Equal([1L, 2L, 3L], region.Where(b => b.ChildId == id).Select(b => b.ChildVersion));
        Assert.Equal(ids.Length, region.Last().Children);
    }

    private static async Task<ConcurrentQueue<T>> Subscribe<T>(IAsyncStream<T> stream)
    {
        var received = new ConcurrentQueue<T>();
        await stream.SubscribeAsync((item, _) =>
        {
            received.Enqueue(item);
            return Task.CompletedTask;
        });
        return received;
    }
}
