using CareTwin.Storage;
using CareTwin.Storage.Sqlite;
using CareTwin.Grains.Boards;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Escalations;
using CareTwin.Grains.Views;
using CareTwin.Journey.Serialization;
using System.Collections.Immutable;
using System.Text.Json;

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
            var stored = await storage.ReadStateAsync(board, RowsOf("child-heal"), CancellationToken.None);
            await storage.ClearStateAsync(board, RowsOf("child-heal"), stored!.ETag, CancellationToken.None);
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

    [Fact]
    public async Task A_change_stores_only_the_share_of_the_board_that_holds_the_childs_row()
    {
        await using var host = await TwinHost.StartAsync();
        foreach (var id in Enumerable.Range(1, 12).Select(i => $"child-share-{i:D2}"))
            await host.InHospitalAsync(id);
        await host.StopAsync();
        var before = await StoredBucketsAsync(host);
        Assert.Equal(12, before.Values.Sum(b => b.Rows));

        await host.StartAgainAsync();
        await TwinHost.Accept(host.Child("child-share-07"), ChildTwinTests.RaiseBlocker(host, host.Today.AddDays(30)));
        await host.StopAsync();

        var after = await StoredBucketsAsync(host);
        var rewritten = after.Where(b => before[b.Key].ETag != b.Value.ETag).Select(b => b.Key);
        Assert.Equal([RowsOf("child-share-07")], rewritten);
    }

    [Fact]
    public async Task A_board_stored_whole_by_an_earlier_release_is_taken_over_and_then_stored_in_shares()
    {
        await using var host = await TwinHost.StartAsync();
        var child = await host.InHospitalAsync("child-earlier");
        await TwinHost.Accept(child, ChildTwinTests.RaiseBlocker(host, host.Today.AddDays(30)));
        var hospital = BoardKey.ForHospital("royal-thamesbank").ToString();
        var snapshot = await host.Grains.GetGrain<IBoardGrain>(hospital).GetSnapshot();
        await host.StopAsync();
        // As an earlier release left it: the whole board in one state, no shares.
        var key = new RecordKey("board", hospital);
        await using (var storage = await OpenAsync(host))
        {
            var whole = new BoardState
            {
                Summary = snapshot.Summary,
                Stamps = snapshot.Summary.Rows.ToImmutableDictionary(r => r.Key, r => new BoardRowStamp(snapshot.ChildVersions![r.Key], UkCalendar.DateOf(r.Value.AsOf))),
            };
            await storage.WriteStateAsync(key, "board", JsonSerializer.Serialize(whole, JourneyJson.Options), null, CancellationToken.None);
            var share = await storage.ReadStateAsync(key, RowsOf("child-earlier"), CancellationToken.None);
            await storage.ClearStateAsync(key, RowsOf("child-earlier"), share!.ETag, CancellationToken.None);
        }

        await host.StartAgainAsync();
        var row = Assert.Single((await host.Grains.GetGrain<IBoardGrain>(hospital).GetSnapshot()).Summary.Rows).Value;
        Assert.Equal(1, row.OpenBlockersByCategory[BlockerCategory.HousingAdaptation]);
        await host.StopAsync();

        await using (var storage = await OpenAsync(host))
        {
            Assert.Null((await storage.ReadStateAsync(key, "board", CancellationToken.None))!.Payload);
            Assert.Contains("child-earlier", (await storage.ReadStateAsync(key, RowsOf("child-earlier"), CancellationToken.None))!.Payload);
        }
    }

    private static string RowsOf(string childId) => $"board-rows-{BucketedRows<StoredBoardRow>.BucketOf(childId):D2}";

    private static async Task<SqliteStorageProvider> OpenAsync(TwinHost host)
    {
        var storage = new SqliteStorageProvider(new SqliteStorageOptions { DataSource = host.DatabasePath });
        await storage.InitializeAsync(CancellationToken.None);
        return storage;
    }

    /// <summary>Each stored share of the hospital board: its version tag and how many rows it holds.</summary>
    private static async Task<Dictionary<string, (string ETag, int Rows)>> StoredBucketsAsync(TwinHost host)
    {
        await using var storage = await OpenAsync(host);
        var key = new RecordKey("board", BoardKey.ForHospital("royal-thamesbank").ToString());
        var shares = new Dictionary<string, (string, int)>();
        foreach (var name in Enumerable.Range(0, BucketedRows<StoredBoardRow>.Buckets).Select(i => $"board-rows-{i:D2}"))
            if (await storage.ReadStateAsync(key, name, CancellationToken.None) is { Payload: { } payload } stored)
                shares[name] = (stored.ETag, JsonSerializer.Deserialize<RowBucket<StoredBoardRow>>(payload, JourneyJson.Options)!.Rows.Count);
        return shares;
    }
}
