using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CareTwin.Api.Contracts.V1;
using CareTwin.Storage;
using CareTwin.Storage.Postgres;
using CareTwin.Testing;
using Xunit.Abstractions;
using static CareTwin.Silo.Tests.Cluster.TwoNodeCluster;

namespace CareTwin.Silo.Tests.Cluster;

/// <summary>
/// Rounds of SIGKILL under load: writers update blockers through node B while node A is killed and started again,
/// ten times. Every acknowledged update must be in its child's journal exactly once, a watch on node B must end at
/// each child's final version, and the failover times and counts are written to bench/results/cluster-failover.md.
/// </summary>
[Collection(nameof(CrashTests))]
public sealed class ClusterSoakTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private const int Rounds = 10;

    [Fact]
    public async Task Ten_rounds_of_SIGKILL_under_load_lose_nothing_acknowledged_and_apply_nothing_twice()
    {
        await using var cluster = await StartAsync(postgres);
        var children = Enumerable.Range(1, 10).Select(i => $"soak-{i:D2}").ToArray();
        foreach (var child in children)
            await RegisterWithBlockerAsync(cluster.ViaA, child);
        using var watching = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var watched = new ConcurrentDictionary<string, long>();
        var watches = children.Select(child => WatchAsync(cluster.ViaB, child, watched, watching.Token)).ToArray();

        using var stop = new CancellationTokenSource();
        var acknowledged = new ConcurrentBag<(string Child, string ExternalId, long Version)>();
        var lost = new ConcurrentBag<string>();
        var writers = children.Select(child => Task.Run(() => WriteAsync(cluster.ViaB, child,
            (externalId, version) => acknowledged.Add((child, externalId, version)), lost.Add,
            [GrpcStatusCode.Unavailable, GrpcStatusCode.Aborted], stop.Token))).ToArray();

        var failovers = new List<TimeSpan>();
        for (var round = 1; round <= Rounds; round++)
        {
            cluster.NodeA.Kill();
            var clock = Stopwatch.StartNew();
            await AllServedAsync(cluster.ViaB, children);
            failovers.Add(clock.Elapsed);
            await cluster.RestartNodeAAsync();
        }
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        // Every acknowledged change is in its journal exactly once, and the journal holds nothing else from the writers.
        await using var store = new PostgresStorageProvider(new PostgresStorageOptions { ConnectionString = cluster.Schema.ConnectionString });
        var finals = new Dictionary<string, long>();
        var problems = new List<string>();
        foreach (var child in children)
        {
            var journal = await store.ReadJournalAsync(new RecordKey("child", child), 0, int.MaxValue, CancellationToken.None);
            finals[child] = journal.Count;
            foreach (var (_, externalId, version) in acknowledged.Where(a => a.Child == child))
            {
                var copies = journal.Count(e => e.Payload.Contains($"\"externalId\":\"{externalId}\"", StringComparison.Ordinal));
                if (copies != 1)
                    problems.Add($"{child} {externalId} (acknowledged at version {version}) is in the journal {copies} times");
            }
        }
        await Eventually.True(() => children.All(c => watched.GetValueOrDefault(c) == finals[c]), "every watch at its child's final version", 30);
        await watching.CancelAsync();
        await Task.WhenAll(watches);

        var report = Report(failovers, acknowledged.Count, lost.Count, problems.Count);
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(Repository.Root, "bench", "results", "cluster-failover.md"), report);
        Assert.Empty(problems);
        Assert.Empty(lost);
        Assert.All(failovers, f => Assert.True(f < TimeSpan.FromSeconds(5), $"A failover took {f.TotalSeconds:F1} s."));
    }

    /// <summary>Follows a child's watch, reconnecting when it ends, and keeps the newest version it has seen.</summary>
    private static async Task WatchAsync(RawGrpcChannel channel, string child, ConcurrentDictionary<string, long> seen, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await foreach (var update in channel.StreamAsync("/caretwin.v1.Watch/WatchChild", new WatchChildRequest { ChildId = child }, ChildUpdate.Parser, stop))
                    seen[child] = update.Change?.Version ?? update.Snapshot.Version;
            }
            catch (Exception ex) when (ex is GrpcCallException or OperationCanceledException)
            {
                if (!stop.IsCancellationRequested)
                    await Task.Delay(100, CancellationToken.None); // the watch ended (its node's stream moved): open it again
            }
        }
    }

    private static async Task AllServedAsync(RawGrpcChannel channel, string[] children)
    {
        var served = new HashSet<string>();
        var until = Stopwatch.StartNew();
        while (served.Count < children.Length && until.Elapsed < Generous)
        {
            foreach (var child in children.Where(c => !served.Contains(c)))
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    await channel.UnaryAsync("/caretwin.v1.Journeys/GetJourney", new GetJourneyRequest { ChildId = child }, CareTwin.Api.Contracts.V1.Journey.Parser, attempt.Token);
                    served.Add(child);
                }
                catch (Exception ex) when (ex is GrpcCallException { Status: GrpcStatusCode.Unavailable } or OperationCanceledException)
                {
                }
            }
            await Task.Delay(20);
        }
    }

    private static string Report(List<TimeSpan> failovers, int acknowledged, int lost, int problems)
    {
        var sorted = failovers.Select(f => f.TotalSeconds).Order().ToArray();
        var text = new StringBuilder();
        text.AppendLine("# Cluster failover under load");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Written {DateTime.UtcNow:yyyy-MM-dd} by `dotnet test tests/Silo.Tests --filter FullyQualifiedName~ClusterSoak` ({Environment.ProcessorCount} cores): two nodes on one PostgreSQL, ten children, one writer per child updating its blocker through node B (UNAVAILABLE retried with the same external id), a watch per child on node B; node A SIGKILLed and started again {Rounds} times.");
        text.AppendLine();
        text.AppendLine("| measure | value |");
        text.AppendLine("|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| failover, SIGKILL → every twin served by node B (s), each round | {string.Join(", ", failovers.Select(f => f.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| failover median / max (s) | {sorted[sorted.Length / 2]:F2} / {sorted[^1]:F2} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| updates acknowledged | {acknowledged} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| updates lost (failed other than with a retried UNAVAILABLE) | {lost} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| acknowledged updates not in the journal exactly once | {problems} |");
        return text.ToString();
    }
}
