using CareTwin.Storage;
using CareTwin.Storage.Sqlite;
using CareTwin.Grains.Boards;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Escalations;

namespace CareTwin.Grains.Tests.Twins;

public sealed class BoardTests
{
    [Fact]
    public async Task A_board_reflects_one_childs_change_without_activating_the_others()
    {
        await using var host = await TwinHost.StartAsync();
        foreach (var id in new[] { "child-a1", "child-a2", "child-a3" })
            await host.InHospitalAsync(id);
        await host.InHospitalAsync("child-b1", hospitalKey: "st-brigids");
        await host.RestartAsync();

        var child = host.Child("child-a2");
        await TwinHost.Accept(child, ChildTwinTests.RaiseBlocker(host, host.Today.AddDays(30)));
        await TwinHost.Accept(child, new EscalateBlocker(host.Origin(), "blocker-1", "Three weeks without a response."));

        var hospital = (await host.Grains.GetGrain<IBoardGrain>(BoardKey.ForHospital("royal-thamesbank").ToString()).GetSnapshot()).Summary;
        var region = (await host.Grains.GetGrain<IBoardGrain>(BoardKey.ForRegion("north-thames").ToString()).GetSnapshot()).Summary;
        Assert.Equal((3, 4), (hospital.Children, region.Children));
        Assert.All(new[] { hospital, region }, board =>
        {
            Assert.Equal(1, board.OpenBlockersByCategory[BlockerCategory.HousingAdaptation]);
            Assert.Equal(1, board.AwaitingAcknowledgement);
            Assert.Equal([board.Children - 1, 1, 0, 0], board.ChildrenByEscalationLevel.ToArray());
            Assert.Equal(1, board.Rows["child-a2"].MaxEscalationLevel);
        });
        // Only the changed child woke: it, the two boards, the housing service, the directory and the lead times it forecasts with.
        Assert.Equal(6, await host.Silo.ActivationCountAsync());
    }

    [Fact]
    public async Task A_board_that_lost_a_childs_row_gets_it_back_when_the_child_next_wakes()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-heal");
        await TwinHost.Accept(child, ChildTwinTests.RaiseBlocker(host, host.Today.AddDays(30)));
        await host.StopAsync();
        await using (var storage = new SqliteStorageProvider(new SqliteStorageOptions { DataSource = host.DatabasePath }))
        {
            await storage.InitializeAsync(CancellationToken.None);
            var board = new RecordKey("board", BoardKey.ForHospital("royal-thamesbank").ToString());
            var stored = await storage.ReadStateAsync(board, "board", CancellationToken.None);
            await storage.ClearStateAsync(board, "board", stored!.ETag, CancellationToken.None);
        }
        await host.StartAgainAsync();
        var hospital = host.Grains.GetGrain<IBoardGrain>(BoardKey.ForHospital("royal-thamesbank").ToString());
        Assert.Equal(0, (await hospital.GetSnapshot()).Summary.Children);

        await host.Child("child-heal").GetBoardRow();

        var row = Assert.Single((await hospital.GetSnapshot()).Summary.Rows).Value;
        Assert.Equal(1, row.OpenBlockersByCategory[BlockerCategory.HousingAdaptation]);
    }

    [Fact]
    public async Task A_repeated_or_older_row_changes_nothing_and_a_new_day_refreshes_the_row()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-upsert");
        await TwinHost.Accept(child, ChildTwinTests.RaiseBlocker(host, host.Today.AddDays(30)));
        var board = host.Grains.GetGrain<IBoardGrain>(BoardKey.ForHospital("royal-thamesbank").ToString());
        var held = (await board.GetSnapshot()).Summary;
        var row = held.Rows["child-upsert"];
        var version = (await child.GetJourney())!.Version;

        Assert.False(await board.Upsert(new BoardRowUpdate("child-upsert", version, row)));
        Assert.False(await board.Upsert(new BoardRowUpdate("child-upsert", version - 1, row with { DaysDelayed = 99 })));
        Assert.Same(held, (await board.GetSnapshot()).Summary);
        await Assert.ThrowsAsync<ArgumentException>(() => board.Upsert(new BoardRowUpdate("child-upsert", version + 1, row with { HospitalKey = "st-brigids" })));

        var today = host.Today;
        await host.Silo.PassTimeAsync(TimeSpan.FromDays(1));
        var refreshed = await Until.Read(async () => (await board.GetSnapshot()).Summary.Rows["child-upsert"],
            r => UkCalendar.DateOf(r.AsOf) > today, "the row to be refreshed on the new day");
        Assert.Equal(version, (await child.GetJourney())!.Version);
        Assert.NotSame(row, refreshed);
    }
}
