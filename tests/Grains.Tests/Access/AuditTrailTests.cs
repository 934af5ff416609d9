using CareTwin.Grains.Access;
using CareTwin.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using CareTwin.Grains.Tests.Twins;

namespace CareTwin.Grains.Tests.Access;

/// <summary>Entries arriving together at one trail share appends, and every one of them is kept, in the trail and after a restart.</summary>
public sealed class AuditTrailTests
{
    [Fact]
    public async Task Many_readers_of_one_child_at_once_each_leave_an_entry_that_survives_a_restart()
    {
        await using var host = await TwinHost.StartAsync();
        const string subject = "child/hot-1";
        var trail = host.Grains.GetGrain<IAuditGrain>(subject);

        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => trail.Record(Entry(host, subject, $"reader-{i}"))));
        Assert.Equal(300, (await trail.GetRecent(1)).Total);

        await host.RestartAsync();
        var page = await host.Grains.GetGrain<IAuditGrain>(subject).GetRecent(AuditGrain.MaxPage);
        Assert.Equal(300, page.Total);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"reader-{i}").Order(), page.Entries.Select(e => e.CallerId).Order());
    }

    [Fact]
    public async Task An_entry_about_another_subject_is_refused_and_the_others_still_land()
    {
        await using var host = await TwinHost.StartAsync();
        var trail = host.Grains.GetGrain<IAuditGrain>("child/hot-2");

        var good = Enumerable.Range(0, 20).Select(i => trail.Record(Entry(host, "child/hot-2", $"reader-{i}"))).ToList();
        await Assert.ThrowsAsync<ArgumentException>(() => trail.Record(Entry(host, "child/someone-else", "stray")));
        await Task.WhenAll(good);
        Assert.Equal(20, (await trail.GetRecent(1)).Total);
    }

    [Fact]
    public async Task A_set_of_entries_lands_whole_or_not_at_all()
    {
        await using var host = await TwinHost.StartAsync();
        var trail = host.Grains.GetGrain<IAuditGrain>("child/hot-3");

        await trail.RecordAll([Entry(host, "child/hot-3", "item-0"), Entry(host, "child/hot-3", "item-1")]);
        await Assert.ThrowsAsync<ArgumentException>(() => trail.RecordAll([Entry(host, "child/hot-3", "item-2"), Entry(host, "child/someone-else", "stray")]));

        var page = await trail.GetRecent(10);
        Assert.Equal(["item-0", "item-1"], page.Entries.Reverse().Select(e => e.CallerId));
    }

    [Fact]
    public async Task Entries_another_writer_appended_meanwhile_are_kept_and_the_trail_numbers_on_after_them()
    {
        // As when a node leaves a cluster and, for a moment, a second activation of the trail writes elsewhere.
        await using var host = await TwinHost.StartAsync();
        const string subject = "child/moved-1";
        var trail = host.Grains.GetGrain<IAuditGrain>(subject);
        await trail.Record(Entry(host, subject, "first"));

        var store = host.Silo.Services.GetRequiredService<JournalStore>();
        var key = StoreKeys.Of(((IGrain)trail).GetGrainId());
        Assert.True(await store.AppendAsync(key, 1, [Entry(host, subject, "elsewhere")], () => new AuditTrailState { Count = 2 }));

        await trail.Record(Entry(host, subject, "after"));
        var page = await trail.GetRecent(10);
        Assert.Equal(3, page.Total);
        Assert.Equal(["first", "elsewhere", "after"], page.Entries.Reverse().Select(e => e.CallerId));
    }

    private static AuditEntry Entry(TwinHost host, string subject, string callerId) =>
        new(host.Clock.GetUtcNow(), callerId, "Reader", CallerRole.ExternalSystem, subject, AccessAction.ViewChild, null, true, "allowed", "grpc", "ipv4:127.0.0.1:5000");
}
