using CareTwin.Api.Contracts.V1;
using Grpc.Core;
using CareTwin.Api.Tests.Infrastructure;
using CareTwin.Testing;

namespace CareTwin.Api.Tests;

/// <summary>Batch size, per-key rate limit and open watches per key and per connection.</summary>
public sealed class CareTwinApiLimitsTests
{
    [Fact]
    public async Task A_batch_over_the_limit_is_refused_whole_naming_items()
    {
        await using var host = await CareTwinApiHost.StartInMemoryAsync(new Dictionary<string, string?> { ["Api:MaxIngestItems"] = "3" });
        using var epr = host.Client(host.EprKey);
        var batch = new IngestRequest();
        for (var i = 0; i < 4; i++)
            batch.Items.Add(new IngestItem { RegisterChild = Requests.Register($"limit-batch-{i}") });

        var result = await epr.IngestAsync(batch);

        Assert.Equal(StatusCode.InvalidArgument, result.Status);
        Assert.Equal("items holds 4 changes; a batch holds at most 3. Split it into smaller batches.", result.Message);
        Assert.Equal(StatusCode.NotFound, (await epr.GetJourneyAsync("limit-batch-0")).Status); // nothing was registered
    }

    [Fact]
    public async Task A_key_that_uses_up_its_bucket_gets_resource_exhausted_while_other_keys_go_on()
    {
        await using var host = await CareTwinApiHost.StartInMemoryAsync(new Dictionary<string, string?>
        {
            ["Api:RateLimit:PermitsPerSecond"] = "1",
            ["Api:RateLimit:Burst"] = "3",
            ["Api:MaxIngestItems"] = "3",
        });
        using var epr = host.Client(host.EprKey);
        using var housing = host.Client(host.HousingKey);

        var statuses = new List<StatusCode>();
        while (statuses.Count < 10 && !statuses.Contains(StatusCode.ResourceExhausted))
            statuses.Add((await epr.GetJourneyAsync("limit-rate")).Status);

        Assert.True(statuses.Count(s => s == StatusCode.NotFound) >= 3, string.Join(", ", statuses)); // answered until the bucket ran out
        Assert.Equal(StatusCode.ResourceExhausted, statuses[^1]);
        Assert.Equal(StatusCode.PermissionDenied, (await housing.GetJourneyAsync("limit-rate")).Status);
    }

    [Fact]
    public async Task A_key_may_hold_only_so_many_watches_and_a_closed_one_frees_its_place()
    {
        await using var host = await CareTwinApiHost.StartInMemoryAsync(new Dictionary<string, string?> { ["Api:MaxWatchesPerKey"] = "1" });
        using var epr = host.Client(host.EprKey);
        await epr.RegisterWithDischargeAsync("limit-watch");
        var request = new WatchChildRequest { ChildId = "limit-watch" };

        var first = await epr.OpenWatchAsync("WatchChild", request);
        Assert.NotNull((await first.NextAsync(ChildUpdate.Parser)).Snapshot);
        using (var second = await epr.OpenWatchAsync("WatchChild", request))
        {
            var (status, message) = await second.EndAsync();
            Assert.Equal(StatusCode.ResourceExhausted, status);
            Assert.Equal("This API key already has 1 open watches, the most allowed; cancel one first.", message);
        }

        first.Dispose();
        WatchCall? third = null;
        await Eventually.True(() =>
        {
            third?.Dispose();
            third = epr.OpenWatchAsync("WatchChild", request).GetAwaiter().GetResult();
            try
            {
                return third.NextAsync(ChildUpdate.Parser).GetAwaiter().GetResult().Snapshot is not null;
            }
            catch (RpcException refused) when (refused.StatusCode == StatusCode.ResourceExhausted)
            {
                return false; // the server has not yet seen the first watch end
            }
        }, "a watch opens once the first one is closed");
        third!.Dispose();
    }

    [Fact]
    public async Task A_connection_may_hold_only_so_many_watches_whichever_keys_it_carries()
    {
        await using var host = await CareTwinApiHost.StartKestrelAsync(new Dictionary<string, string?> { ["Api:MaxWatchesPerConnection"] = "1" });
        using var epr = host.Client(host.EprKey);
        await epr.RegisterWithDischargeAsync("limit-connection");

        using var board = await epr.OpenWatchAsync("WatchBoard", new WatchBoardRequest { Board = $"hospital:{CareTwinApiHost.Hospital}" });
        Assert.NotNull((await board.NextAsync(BoardUpdate.Parser)).Snapshot);
        using var sameConnection = await epr.OpenWatchAsync("WatchChild", new WatchChildRequest { ChildId = "limit-connection" });
        var (status, message) = await sameConnection.EndAsync();
        using var otherConnection = host.Client(host.EprKey);
        using var other = await otherConnection.OpenWatchAsync("WatchChild", new WatchChildRequest { ChildId = "limit-connection" });

        Assert.Equal(StatusCode.ResourceExhausted, status);
        Assert.Equal("This connection already has 1 open watches, the most allowed; cancel one first.", message);
        Assert.NotNull((await other.NextAsync(ChildUpdate.Parser)).Snapshot);
    }
}
