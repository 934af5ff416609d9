using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CareTwin.Api.Contracts.V1;
using CareTwin.Storage;
using CareTwin.Storage.Postgres;
using CareTwin.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CareTwin.Silo.Tests.Cluster;

/// <summary>
/// The cluster as its users meet it while it loses nodes: three nodes and HAProxy from deploy/dev/cluster.sh, an EPR
/// (Debian's python3-grpcio) updating blockers through the balancer, a coordinator's board open in chromium through
/// the balancer, and a gRPC watch per child on node 3. Nodes 1 and 2 are SIGKILLed in turn mid-load and started
/// again with <c>cluster.sh start</c>, ten times. Afterwards every acknowledged update is in its child's journal
/// exactly once, the board and the watches show each child's final state, and the failover times and counts are
/// written to bench/results/cluster-failover.md.
/// </summary>
[Collection(nameof(CrashTests))]
public sealed class ClusterUnderLoadTests(ITestOutputHelper output)
{
    private const int Rounds = 10;
    private const string Board = "region:north-thames";
    // Failover times go to the report, not into assertions (this machine is shared); a failover this long is a fault.
    private static readonly TimeSpan FailoverLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ten_SIGKILLs_under_load_through_the_balancer_lose_nothing_acknowledged_and_the_board_and_watches_end_at_the_final_state()
    {
        await using var cluster = await ScriptedCluster.UpAsync(3, output, "Demo__Children=8",
            // The load is one EPR key polling through failovers: the key's rate limit is not what this is about.
            "Api__RateLimit__PermitsPerSecond=1000000", "Api__RateLimit__Burst=1000000");
        var key = cluster.EprKey;
        using var viaBalancer = new RawGrpcChannel(cluster.Grpc, key);
        var children = Enumerable.Range(1, 6).Select(i => $"under-load-{i:D2}").ToArray();
        foreach (var child in children)
            await TwoNodeCluster.RegisterWithBlockerAsync(viaBalancer, child);

        // A coordinator's board, through the balancer.
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = HeadlessChromium.Require(), Headless = true, Args = HeadlessChromium.Arguments,
        });
        var board = await OpenBoardAsync(browser, cluster.Web);
        foreach (var child in children)
            await Assertions.Expect(board.Locator($"tr[data-child-id='{child}']")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // A watch per child on node 3, which is never killed; the changes are made through whichever node the balancer picks.
        var watchNode = cluster.Nodes[2];
        using var viaWatchNode = new RawGrpcChannel(watchNode.Grpc, key);
        using var watching = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var watched = new ConcurrentDictionary<string, long>();
        var watches = children.Select(child => WatchAsync(viaWatchNode, child, watched, watching.Token)).ToArray();

        await using var load = await BlockerLoad.StartAsync(cluster.Grpc, key, children);
        var rounds = new List<(int Node, TimeSpan Failover, TimeSpan Restart)>();
        for (var round = 1; round <= Rounds; round++)
        {
            await load.UntilMoreAcknowledgedAsync(20, TimeSpan.FromSeconds(60)); // mid-load: changes are flowing
            var victim = cluster.Nodes[(round - 1) % 2];
            Process.GetProcessById(victim.Pid).Kill();
            var sinceKill = Stopwatch.StartNew();
            await AllServedAsync(viaBalancer, children, sinceKill);
            var failover = sinceKill.Elapsed;
            var restart = Stopwatch.StartNew();
            await cluster.StartAgainAsync(victim.Index);
            rounds.Add((victim.Index, failover, restart.Elapsed));
            output.WriteLine($"round {round}: node {victim.Index} killed, every child served again in {failover.TotalSeconds:F2} s, node back in {restart.Elapsed.TotalSeconds:F1} s");
        }
        await load.UntilMoreAcknowledgedAsync(20, TimeSpan.FromSeconds(60));
        var ended = await load.StopAsync();

        // Every acknowledged change is in its journal exactly once.
        await using var store = new PostgresStorageProvider(new PostgresStorageOptions { ConnectionString = cluster.ConnectionString });
        var finals = new Dictionary<string, long>();
        var problems = new List<string>();
        foreach (var child in children)
        {
            var journal = await store.ReadJournalAsync(new RecordKey("child", child), 0, int.MaxValue, CancellationToken.None);
            finals[child] = journal.Count;
            foreach (var ack in load.Acknowledged.Where(a => a.Child == child))
            {
                var copies = journal.Count(e => e.Payload.Contains($"\"externalId\":\"{ack.ExternalId}\"", StringComparison.Ordinal));
                if (copies != 1)
                    problems.Add($"{child} {ack.ExternalId} (acknowledged at version {ack.Version}) is in the journal {copies} times");
            }
        }

        // The watches end at each child's final version; the live board shows what a freshly opened board shows,
        // and that is each child's last acknowledged target date.
        await Eventually.True(() => children.All(c => watched.GetValueOrDefault(c) == finals[c]),
            $"every watch on node 3 at its child's final version ({string.Join(", ", children.Select(c => $"{c}: {watched.GetValueOrDefault(c)}/{finals[c]}"))})", 30);
        await watching.CancelAsync();
        await Task.WhenAll(watches);
        var fresh = await OpenBoardAsync(browser, cluster.Web);
        foreach (var child in children)
        {
            var last = load.Acknowledged.Where(a => a.Child == child).MaxBy(a => a.Version)!;
            var predicted = await fresh.EvaluateAsync<string>(
                "iso => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(iso + 'T00:00:00Z'))",
                last.TargetDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            var row = $"tr[data-child-id='{child}']";
            // The "Predicted ready" column (the latest target), just before "Likely ready" (the learned forecast).
            await Assertions.Expect(fresh.Locator($"{row} td:nth-last-child(2)")).ToHaveTextAsync(predicted, new() { Timeout = 30_000 });
            await Assertions.Expect(board.Locator(row)).ToHaveTextAsync((await fresh.Locator(row).TextContentAsync())!, new() { Timeout = 30_000 });
        }
        await BrowserScreenshotAsync(board, "cluster-board-after-ten-node-kills");

        var report = Report(rounds, load.Acknowledged.Count, ended.Retries, load.Lost.Count, problems.Count);
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(Repository.Root, "bench", "results", "cluster-failover.md"), report);
        Assert.Empty(problems);
        Assert.Empty(load.Lost);
        Assert.Equal(load.Acknowledged.Count, ended.Acknowledged);
    }

    /// <summary>Signs in as the demo coordinator and opens the region's board, live.</summary>
    private static async Task<IPage> OpenBoardAsync(IBrowser browser, Uri site)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = site.ToString(), Locale = "en-GB", TimezoneId = "Europe/London" });
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync("/sign-in");
            await page.Locator("button[data-demo-user='coordinator']").ClickAsync();
            await page.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));
            await page.GotoAsync($"/board?board={Uri.EscapeDataString(Board)}");
            await Assertions.Expect(page.Locator("[data-connection]")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#board-root")).ToHaveAttributeAsync("data-loaded", "true", new() { Timeout = 30_000 });
            return page;
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
        {
            throw new InvalidOperationException($"Opening the board failed at {page.Url}, which showed: {await page.Locator("main").InnerTextAsync(new() { Timeout = 5_000 })}", ex);
        }
    }

    private static Task BrowserScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(Repository.Root, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>Follows a child's watch, opening it again when it ends, and keeps the newest version it has seen.</summary>
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
                    await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    /// <summary>Until GetJourney of every child succeeds through the balancer.</summary>
    private static async Task AllServedAsync(RawGrpcChannel channel, string[] children, Stopwatch sinceKill)
    {
        var served = new HashSet<string>();
        while (served.Count < children.Length)
        {
            if (sinceKill.Elapsed > FailoverLimit)
                throw new TimeoutException($"{string.Join(", ", children.Except(served))} not served within {FailoverLimit.TotalSeconds:F0} s of the kill.");
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

    private static string Report(List<(int Node, TimeSpan Failover, TimeSpan Restart)> rounds, int acknowledged, int retries, int lost, int problems)
    {
        string Seconds(TimeSpan t) => t.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);
        var failovers = rounds.Select(r => r.Failover).Order().ToArray();
        var text = new StringBuilder();
        text.AppendLine("# Cluster failover under load");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Written {DateTime.UtcNow:yyyy-MM-dd} by `dotnet test tests/Silo.Tests --filter FullyQualifiedName~ClusterUnderLoad` ({Environment.ProcessorCount} cores, everything on one machine): `deploy/dev/cluster.sh up 3` (three nodes on a private PostgreSQL, HAProxy in front); six children, Debian's python3-grpcio (tests/Silo.Tests/Cluster/load/blocker_load.py) updating each child's blocker through the balancer one change at a time (UNAVAILABLE and DEADLINE_EXCEEDED sent again with the same external id); a coordinator's board open in chromium through the balancer; a gRPC watch per child on node 3. Nodes 1 and 2 SIGKILLed in turn mid-load and started again with `cluster.sh start`, {rounds.Count} times.");
        text.AppendLine();
        text.AppendLine("| round | node killed | SIGKILL → every child served through the balancer (s) | node started again and ready (s) |");
        text.AppendLine("|---|---|---|---|");
        for (var i = 0; i < rounds.Count; i++)
            text.AppendLine(CultureInfo.InvariantCulture, $"| {i + 1} | {rounds[i].Node} | {Seconds(rounds[i].Failover)} | {Seconds(rounds[i].Restart)} |");
        text.AppendLine();
        text.AppendLine("| measure | value |");
        text.AppendLine("|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| failover median / max (s) | {Seconds(failovers[failovers.Length / 2])} / {Seconds(failovers[^1])} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| updates acknowledged | {acknowledged} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| calls sent again after UNAVAILABLE or DEADLINE_EXCEEDED | {retries} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| updates lost (failed otherwise) | {lost} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| acknowledged updates not in the journal exactly once | {problems} |");
        text.AppendLine("| board (chromium, through the balancer) at each child's last acknowledged target date | yes |");
        text.AppendLine("| gRPC watches on node 3 at each child's final version | yes |");
        return text.ToString();
    }
}
