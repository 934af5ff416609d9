using System.Collections.Concurrent;
using System.Diagnostics;
using CareTwin.Api.Contracts.V1;
using CareTwin.Testing;
using Xunit.Abstractions;
using static CareTwin.Silo.Tests.Cluster.TwoNodeCluster;

namespace CareTwin.Silo.Tests.Cluster;

/// <summary>
/// Two CareTwin nodes as one Orleans cluster on one PostgreSQL database: a node killed with SIGKILL, or leaving with
/// SIGTERM, loses nothing that was acknowledged; its twins are served by the other node within seconds; watches on
/// the surviving node keep hearing changes; a node configured for another cluster is refused.
/// </summary>
[Collection(nameof(CrashTests))]
public sealed class ClusterFailoverTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_node_killed_mid_cluster_is_declared_dead_and_its_twins_are_served_by_the_other_within_five_seconds()
    {
        await using var cluster = await StartAsync(postgres);
        // Twins are placed across the cluster, so some of these live on node A.
        var children = Enumerable.Range(1, 12).Select(i => $"cluster-{i:D2}").ToArray();
        var versions = new Dictionary<string, long>();
        foreach (var child in children)
            versions[child] = await RegisterWithBlockerAsync(cluster.ViaA, child);

        cluster.NodeA.Kill();
        var clock = Stopwatch.StartNew();
        var served = new HashSet<string>();
        var unexpected = new List<string>();
        while (served.Count < children.Length && clock.Elapsed < Generous)
        {
            foreach (var child in children.Where(c => !served.Contains(c)))
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    var journey = await cluster.ViaB.UnaryAsync("/caretwin.v1.Journeys/GetJourney", new GetJourneyRequest { ChildId = child }, CareTwin.Api.Contracts.V1.Journey.Parser, attempt.Token);
                    Assert.Equal(versions[child], journey.Version); // nothing acknowledged was lost
                    served.Add(child);
                }
                catch (Exception ex) when (ex is GrpcCallException { Status: GrpcStatusCode.Unavailable } or OperationCanceledException)
                {
                    // Not yet: the dead node's twins come back once the cluster has declared it dead. UNAVAILABLE says so.
                }
                catch (GrpcCallException other)
                {
                    unexpected.Add($"{child}: {other.Status} {other.Detail}");
                }
            }
            await Task.Delay(20); // a client retrying UNAVAILABLE backs off a little
        }
        var allServed = clock.Elapsed;
        await Eventually.True(async () => await cluster.NodesAsync(Dead) == 1, "node A declared dead in the membership table", 30);
        var declaredDead = clock.Elapsed;
        var after = await cluster.ViaB.UnaryAsync("/caretwin.v1.Journeys/UpdateBlocker", new UpdateBlockerRequest
        {
            ChildId = children[0], ExternalId = "after-failover", BlockerId = "blocker-1", Status = BlockerStatus.InProgress,
        }, ChangeReply.Parser);

        output.WriteLine($"SIGKILL → every twin served by the other node: {allServed.TotalSeconds:F2} s; declared dead by {declaredDead.TotalSeconds:F2} s");
        Assert.Empty(unexpected);
        Assert.Equal(children.Length, served.Count);
        Assert.True(allServed < TimeSpan.FromSeconds(5), $"The twins took {allServed.TotalSeconds:F1} s to be served again.");
        Assert.Equal((ChangeOutcome.Accepted, versions[children[0]] + 1), (after.Outcome, after.Version));
    }

    [Fact]
    public async Task A_change_made_through_one_node_reaches_a_watch_open_on_the_other()
    {
        await using var cluster = await StartAsync(postgres);
        var children = Enumerable.Range(1, 6).Select(i => $"watched-{i:D2}").ToArray();
        foreach (var child in children)
            await RegisterWithBlockerAsync(cluster.ViaA, child);

        var latencies = new List<double>();
        foreach (var child in children)
        {
            using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await using var updates = cluster.ViaB.StreamAsync("/caretwin.v1.Watch/WatchChild", new WatchChildRequest { ChildId = child }, ChildUpdate.Parser, watching.Token)
                .GetAsyncEnumerator(watching.Token);
            Assert.True(await updates.MoveNextAsync());
            var snapshot = updates.Current.Snapshot;
            var sent = Stopwatch.StartNew();
            var change = await cluster.ViaA.UnaryAsync("/caretwin.v1.Journeys/UpdateBlocker", new UpdateBlockerRequest
            {
                ChildId = child, ExternalId = $"{child}-progress", BlockerId = "blocker-1", Status = BlockerStatus.InProgress,
            }, ChangeReply.Parser);

            Assert.True(await updates.MoveNextAsync());
            latencies.Add(sent.Elapsed.TotalMilliseconds);
            var seen = updates.Current;
            Assert.Equal(snapshot.Version + 1, change.Version);
            Assert.Equal(change.Version, seen.Change?.Version ?? seen.Snapshot.Version);
            watching.Cancel();
        }
        output.WriteLine($"Change through node A → on a watch at node B: {string.Join(", ", latencies.Order().Select(l => $"{l:F0} ms"))}");
    }

    [Fact]
    public async Task Watches_on_the_surviving_node_keep_receiving_changes_after_the_other_node_is_killed()
    {
        await using var cluster = await StartAsync(postgres);
        using var watching = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var watches = new List<IAsyncEnumerator<ChildUpdate>>();
        try
        {
            var children = Enumerable.Range(1, 8).Select(i => $"survivor-{i:D2}").ToArray();
            foreach (var child in children)
            {
                await RegisterWithBlockerAsync(cluster.ViaA, child);
                var watch = cluster.ViaB.StreamAsync("/caretwin.v1.Watch/WatchChild", new WatchChildRequest { ChildId = child }, ChildUpdate.Parser, watching.Token)
                    .GetAsyncEnumerator(watching.Token);
                Assert.True(await watch.MoveNextAsync());
                watches.Add(watch);
            }

            cluster.NodeA.Kill();
            for (var i = 0; i < children.Length; i++)
            {
                var child = children[i];
                var change = await WithRetryAsync(() => cluster.ViaB.UnaryAsync("/caretwin.v1.Journeys/UpdateBlocker", new UpdateBlockerRequest
                {
                    ChildId = child, ExternalId = $"{child}-after-kill", BlockerId = "blocker-1", Status = BlockerStatus.InProgress,
                }, ChangeReply.Parser));
                long seen;
                do
                {
                    try
                    {
                        Assert.True(await watches[i].MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15)), $"The watch on {child} ended.");
                    }
                    catch (TimeoutException)
                    {
                        // What the surviving node logged, to tell a lost publish from a lost subscription.
                        output.WriteLine($"No change reached the watch on {child}; node B's warnings and errors:");
                        foreach (var line in cluster.NodeB.Output.Where(l => l.Contains("\"Warning\"") || l.Contains("\"Error\"")).TakeLast(30))
                            output.WriteLine(line.Length > 1500 ? line[..1500] : line);
                        throw;
                    }
                    seen = watches[i].Current.Change?.Version ?? watches[i].Current.Snapshot.Version;
                }
                while (seen < change.Version);
                Assert.Equal(change.Version, seen);
            }
        }
        finally
        {
            watching.Cancel();
            foreach (var watch in watches)
                await DisposeQuietlyAsync(watch);
        }
    }

    [Fact]
    public async Task A_node_that_leaves_with_SIGTERM_under_load_hands_its_twins_over_and_no_call_fails_but_with_a_retryable_unavailable()
    {
        await using var cluster = await StartAsync(postgres);
        var children = Enumerable.Range(1, 8).Select(i => $"leaving-{i:D2}").ToArray();
        foreach (var child in children)
            await RegisterWithBlockerAsync(cluster.ViaA, child);

        // Writers through node B, one per child, while node A leaves.
        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentBag<string>();
        var acknowledged = new ConcurrentDictionary<string, long>();
        var writers = children.Select(child => Task.Run(() => WriteAsync(cluster.ViaB, child,
            (_, version) => acknowledged[child] = version, failures.Add, [GrpcStatusCode.Unavailable], stop.Token))).ToArray();
        await Eventually.True(() => acknowledged.Count == children.Length, "every writer acknowledged once", 30);

        cluster.NodeA.Terminate();
        var exit = await cluster.NodeA.WaitForExitAsync(Generous);
        // Load goes on after the node has gone: every writer has another change acknowledged.
        var atExit = new Dictionary<string, long>(acknowledged);
        await Eventually.True(() => children.All(c => acknowledged[c] > atExit[c]) || !failures.IsEmpty, "every writer acknowledged after node A left", 30);
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.Equal(0, exit);
        Assert.Empty(failures);
        foreach (var child in children)
        {
            var journey = await cluster.ViaB.UnaryAsync("/caretwin.v1.Journeys/GetJourney", new GetJourneyRequest { ChildId = child }, CareTwin.Api.Contracts.V1.Journey.Parser);
            Assert.Equal(acknowledged[child], journey.Version);
        }
    }

    [Fact]
    public async Task A_node_configured_for_another_cluster_is_refused_with_one_line_naming_the_cluster_to_join()
    {
        await using var cluster = await StartAsync(postgres, withNodeB: false);

        var stranger = cluster.StartNode(new Dictionary<string, string>(cluster.Settings) { ["Orleans__ClusterId"] = "another-cluster" });
        var exitCode = await stranger.WaitForExitAsync(Generous);

        Assert.Equal(1, exitCode);
        var refusal = Assert.Single(stranger.Output, line => line.StartsWith("CareTwin could not start:", StringComparison.Ordinal));
        Assert.Contains($"belongs to CareTwin cluster '{ClusterId}'", refusal);
        Assert.Contains($"Set Orleans__ClusterId={ClusterId}", refusal);
        Assert.Equal(1, await cluster.NodesAsync(Active));
    }

    /// <summary>A call made while the cluster is still declaring the dead node dead: tried again until it answers.</summary>
    private static async Task<T> WithRetryAsync<T>(Func<Task<T>> call)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (GrpcCallException) when (DateTime.UtcNow < until)
            {
            }
        }
    }

    private static async Task DisposeQuietlyAsync(IAsyncEnumerator<ChildUpdate> watch)
    {
        try
        {
            await watch.DisposeAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or GrpcCallException)
        {
        }
    }
}
