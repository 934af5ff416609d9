using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

/// <summary>The run as bench/results/NAME.md (for people) and NAME.json (a row per figure, for comparing runs).</summary>
internal static class Report
{
    private sealed record Figure(string name, double value, string unit, string target, bool met, string command);

    public static async Task WriteAsync(Run run, string pathWithoutExtension)
    {
        var o = run.Options;
        var merged = Merge(run.Clients.Select(c => c.Histogram));
        var afterReply = Merge(run.Clients.Select(c => c.AfterReply));
        double Quantile(double p) => Histogram(merged, p);
        var nodeAfterReplyP50 = Histogram(afterReply, 0.5);
        var nodeAfterReplyP99 = Histogram(afterReply, 0.99);
        var expected = run.Clients.Sum(c => c.Expected);
        var arrived = run.Clients.Sum(c => c.Arrived);
        var nodeP50 = Quantile(0.5);
        var nodeP99 = Quantile(0.99);
        var nodeMax = merged.Length == 0 ? double.NaN : merged[^1].Tenths / 10.0;
        var inDom = run.Drawn.Select(d => d.InDom).Order().ToArray();
        var frame = run.Drawn.Select(d => d.Frame).Order().ToArray();
        var acceptedRate = run.Accepted / run.SendSeconds;
        var hostCores = run.HostCpu / run.WindowSeconds;
        var nodeCores = run.NodeCpu.Sum() / run.WindowSeconds;
        var longest = run.LongTasks.Length == 0 ? 0 : run.LongTasks.Max();
        var load1 = double.TryParse(run.LoadAfter.Split(' ')[0], CultureInfo.InvariantCulture, out var l) ? l : double.NaN;
        var loads = $"load average {run.LoadBefore} before, {run.LoadAfter} after";
        static string Ms(double v) => double.IsNaN(v) ? "n/a" : v.ToString("F1", CultureInfo.InvariantCulture) + " ms";

        var md = new StringBuilder()
            .AppendLine("# Push → browser over SignalR at a steady stream of changes (issue 18)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"`{o.Command}`, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores shared with other work ({loads} the measured window).")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"The host ran as its own process (`dotnet CareTwin.Silo.dll`, Release, SQLite file, Production settings, 127.0.0.1) with the demo region's services and {o.Children} children registered through Ingest on board `{BoardKey}`. ")
            .AppendLine(CultureInfo.InvariantCulture, $"{o.Clients} board clients ran in Debian's `node` ({run.NodeCpu.Length} process(es), bench/LivePush/board-clients.mjs) with the browser app's own `@microsoft/signalr` (10.0.0, WebSockets, JSON protocol), each its own connection on one shared coordinator cookie session (signed in once through `/sign-in/demo`), each calling `WatchBoard(\"{BoardKey}\")` as the page does. ")
            .AppendLine(CultureInfo.InvariantCulture, $"One headless Debian chromium had the board page open (signed in through the page, sorted by name, {run.PageRows} rows on its page). ")
            .AppendLine(CultureInfo.InvariantCulture, $"The driver pushed UpdateBlocker (the blocker's target date moved) through the gRPC API with an API key, open loop at {o.Rate}/s for {o.Seconds} s after a {o.WarmUpSeconds} s unmeasured warm-up; one change in {o.PageShare} went to a child on chromium's page, the rest round-robin over the other children. ")
            .AppendLine("A change is identified by (child, version from the reply); its send time is the driver's clock just before the call, and arrival times are Node's and chromium's `performance.timeOrigin + performance.now()` (the same machine clock). ")
            .AppendLine(CultureInfo.InvariantCulture, $"The bridge sends a group's first change after a quiet spell at once, then at most one `changes` message per `Web:Live:FlushInterval` ({(o.FlushMs is { } f ? $"{f} ms, set for this run" : "100 ms, the default")}), with the latest row of each changed child.")
            .AppendLine()
            .AppendLine("| what | figure |")
            .AppendLine("|---|---|")
            .AppendLine(CultureInfo.InvariantCulture, $"| changes sent / accepted (UpdateBlocker replies OK) | {run.Sent} / {run.Accepted} in {run.SendSeconds:F1} s: **{acceptedRate:F0}/s** |")
            .AppendLine(CultureInfo.InvariantCulture, $"| UpdateBlocker reply (send → durable reply) | p50 {Ms(Pct(run.Replies, 0.5))}, p99 {Ms(Pct(run.Replies, 0.99))}, max {Ms(run.Replies.LastOrDefault(double.NaN))} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| **push → arrival at the Node clients** (every client × change) | **p50 {Ms(nodeP50)}, p99 {Ms(nodeP99)}**, max {Ms(nodeMax)} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| of which after the driver had the durable reply (the stream, the bridge's batching, the send to every client) | p50 {Ms(nodeAfterReplyP50)}, p99 {Ms(nodeAfterReplyP99)} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| arrivals at the Node clients | {arrived} of {expected} ({(expected == 0 ? 0 : 100.0 * arrived / expected):F2}%); {run.Clients.Sum(c => c.Resyncs)} resync batches, {run.Clients.Sum(c => c.Batches)} batches in all, {run.Clients.Sum(c => c.Closed)} connections closed or ended |")
            .AppendLine(CultureInfo.InvariantCulture, $"| **push → the row redrawn in chromium** (new row in the DOM) | {run.Drawn.Count} of {run.PageChanges} changes on its page seen redrawn (a change a later one overtook before it was drawn is not): **p50 {Ms(Pct(inDom, 0.5))}, p99 {Ms(Pct(inDom, 0.99))}**, max {Ms(inDom.LastOrDefault(double.NaN))} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| push → the next animation frame after the redraw (the frame that paints it) | p50 {Ms(Pct(frame, 0.5))}, p99 {Ms(Pct(frame, 0.99))} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| chromium: page `apply` runs (one per batch) and their time | {run.Applies.Length}; p50 {Ms(Pct([.. run.Applies.Order()], 0.5))}, max {Ms(run.Applies.DefaultIfEmpty(double.NaN).Max())} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| chromium: main-thread tasks over 50 ms while the stream ran (Long Tasks API) | {run.LongTasks.Length} (longest {longest:F0} ms){(run.StillConnected ? "" : "; the page was no longer connected")} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| host CPU over the window ({run.WindowSeconds:F1} s: the stream and 3 s after) | {run.HostCpu:F1} s = **{hostCores:F2} cores** of {Environment.ProcessorCount} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| host CPU per accepted change (everything it did in the window: the write and its audit, the board, the bridge, the sends to {o.Clients + 1} connections) | **{(run.Accepted == 0 ? double.NaN : 1000 * run.HostCpu / run.Accepted):F2} ms** |")
            .AppendLine(CultureInfo.InvariantCulture, $"| Node clients' CPU over the window | {string.Join(" + ", run.NodeCpu.Select(c => c.ToString("F1", CultureInfo.InvariantCulture)))} s = **{nodeCores:F2} cores** |")
            .AppendLine(CultureInfo.InvariantCulture, $"| whole machine busy over the window (/proc/stat: host, Node, chromium, driver and anything else) | **{100 * run.Machine.BusyShare:F0}%** of {Environment.ProcessorCount} cores |")
            .AppendLine(CultureInfo.InvariantCulture, $"| load average (1, 5, 15 min) | {run.LoadBefore} before, {run.LoadAfter} after |")
            .AppendLine()
            .AppendLine(run.HostWarnings.Count == 0 ? "The host logged no warnings during the run." : "What the host warned about during the whole run (setup included), most frequent first:")
            .AppendLine()
            .AppendJoin("", run.HostWarnings.Select(w => $"- {w.Count} × {w.What.ReplaceLineEndings(" ")}{Environment.NewLine}"))
            .ToString();
        await File.WriteAllTextAsync(pathWithoutExtension + ".md", md);
        Console.Write(md);

        static double Round(double value) => double.IsNaN(value) ? -1 : Math.Round(value, 2, MidpointRounding.AwayFromZero);
        var c = o.Command;
        var at = $"{o.Clients} Node clients, {o.Rate}/s, load {load1.ToString(CultureInfo.InvariantCulture)}";
        Figure[] figures =
        [
            new("live push: changes accepted per second", Round(acceptedRate), "changes/s", $">= {o.Rate}", acceptedRate >= 0.98 * o.Rate, c),
            new("live push: push → Node board clients p50", Round(nodeP50), "ms", $"reference ({at})", true, c),
            new("live push: push → Node board clients p99", Round(nodeP99), "ms", $"<= 100 ({at})", nodeP99 <= 100, c),
            new("live push: durable reply → Node board clients p99", Round(nodeAfterReplyP99), "ms", "reference", true, c),
            new("live push: push → Node board clients max", Round(nodeMax), "ms", "reference", true, c),
            new("live push: changes arrived at the Node clients", Round(expected == 0 ? 0 : (double)arrived / expected), "ratio", "1", arrived == expected && expected > 0, c),
            new("live push: push → chromium row redrawn p50", Round(Pct(inDom, 0.5)), "ms", $"reference ({at})", true, c),
            new("live push: push → chromium row redrawn p99", Round(Pct(inDom, 0.99)), "ms", $"<= 100 ({at})", Pct(inDom, 0.99) <= 100, c),
            new("live push: chromium main-thread tasks over 50 ms during the stream", run.LongTasks.Length, "tasks", "0", run.LongTasks.Length == 0, c),
            new("live push: UpdateBlocker reply p99", Round(Pct(run.Replies, 0.99)), "ms", "reference", true, c),
            new("live push: host CPU", Round(hostCores), "cores", $"reference, of {Environment.ProcessorCount}", true, c),
            new("live push: host CPU per accepted change", Round(run.Accepted == 0 ? double.NaN : 1000 * run.HostCpu / run.Accepted), "ms", "reference", true, c),
            new("live push: Node clients' CPU", Round(nodeCores), "cores", "reference", true, c),
            new("live push: machine busy", Round(100 * run.Machine.BusyShare), "%", "reference", true, c),
            new("live push: load average (1 min) after", Round(load1), "load", "reference", true, c),
        ];
        var json = JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        await File.WriteAllTextAsync(pathWithoutExtension + ".json", json + Environment.NewLine);
        Console.WriteLine($"Written to {pathWithoutExtension}.md and .json");
    }

    private const string BoardKey = "region:north-thames";

    private static (long Tenths, long Count)[] Merge(IEnumerable<long[][]> histograms) =>
        [.. histograms.SelectMany(h => h).GroupBy(b => b[0]).Select(g => (Tenths: g.Key, Count: g.Sum(b => b[1]))).OrderBy(b => b.Tenths)];

    private static double Histogram((long Tenths, long Count)[] merged, double p)
    {
        var total = merged.Sum(b => b.Count);
        if (total == 0) return double.NaN;
        var rank = (long)Math.Ceiling(p * total);
        long seen = 0;
        foreach (var (tenths, count) in merged)
            if ((seen += count) >= rank) return tenths / 10.0;
        return merged[^1].Tenths / 10.0;
    }

    private static double Pct(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
