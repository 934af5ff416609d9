using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CareTwin.Api.Contracts.V1;
using CareTwin.Bench.Shared;
using CareTwin.Testing;

// Push → browser (issue 18): a host started here as its own process (Release, SQLite, Production settings, 127.0.0.1),
// `children` children registered through Ingest on the demo region's board, `clients` board clients in Node
// (@microsoft/signalr on one shared coordinator's cookie session, each its own connection watching the region board)
// and one chromium with the board page open (sorted by name, so its first page is known), while UpdateBlocker is
// pushed through the gRPC API at `rate` changes/s on different children for `seconds` s (after an unmeasured warm-up).
// A change is identified by (child, version): the driver keeps each send time (epoch ms, this machine's clock, which
// Node and chromium read too); 1 change in `page-share` goes to a child on the page's first page, so chromium sees
// about rate/page-share redraws a second. Every process started here is stopped here, by its id.
//   dotnet build -c Release src/Silo && dotnet build -c Release bench/LivePush
//   dotnet run -c Release --project bench/LivePush -- [--clients 200] [--rate 500] [--seconds 20] [--children 2000]
//     [--node-processes 1] [--page-share 10] [--warm-up 15] [--out end-to-end-live-push] [--silo PATH]
//     [--flush-ms N: the bridge's Web:Live:FlushInterval, 100 ms unless given]
var options = Options.Parse(args);
var root = Repository.Root;
var clientApp = Path.Combine(root, "src", "Web", "ClientApp");
if (!File.Exists(options.Silo)) throw new FileNotFoundException($"Build the host first: dotnet build -c Release src/Silo ({options.Silo} is missing).");
if (!Directory.Exists(Path.Combine(clientApp, "node_modules", "@microsoft", "signalr")))
    throw new DirectoryNotFoundException("Build the browser app first (npm ci in src/Web/ClientApp, which dotnet build src/Web runs).");
const string Node = "/usr/bin/node"; // Debian's
const string Service = "health.ltv-team.royal-thamesbank";
const string Board = "region:north-thames";
var key = GeneratedApiKey.New();
var settings = BenchHostSettings.For(key, "live-push-bench", "Live push bench", Service);
// The hub's limits are not measured either: every Node client is the same signed-in coordinator, so its hub calls (one
// WatchBoard each) would otherwise be refused.
settings["Web__Live__CallBurst"] = "100000";
settings["Web__Live__CallsPerRefill"] = "100000";
settings["Web__Live__SignInAttemptsPerMinute"] = "10000";
settings["Web__Live__PageViewsPerMinute"] = "100000";
if (options.FlushMs is { } flush) settings["Web__Live__FlushInterval"] = TimeSpan.FromMilliseconds(flush).ToString("c", CultureInfo.InvariantCulture);

var data = Directory.CreateTempSubdirectory("caretwin-livepush-");
var nodes = new List<Process>();
try
{
    Console.WriteLine($"Starting {options.Silo} ...");
    await using var silo = SiloProcess.Start(options.Silo, data.FullName, settings);
    await silo.WaitUntilListeningAsync(TimeSpan.FromMinutes(2));
    await silo.WaitUntilDemoRegionLoadedAsync(TimeSpan.FromMinutes(2));
    using var channel = new RawGrpcChannel(silo.GrpcAddress, key.Key);

    var children = Enumerable.Range(0, options.Children).Select(i => $"live-{i:D4}").ToArray();
    var target = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60);
    var setup = Stopwatch.StartNew();
    await IngestedChildren.RegisterAsync(channel, children, Service, target, i => $"Bench {i:D4}");
    Console.WriteLine($"{children.Length} children registered in {setup.Elapsed.TotalSeconds:F1} s");

    // One coordinator's session for every Node client (the browser signs in on its own, through the page).
    var cookies = await RawHubClient.SignInAsync(silo.WebAddress, "coordinator");
    var connecting = Stopwatch.StartNew();
    for (var p = 0; p < options.NodeProcesses; p++)
    {
        var share = options.Clients / options.NodeProcesses + (p < options.Clients % options.NodeProcesses ? 1 : 0);
        var start = new ProcessStartInfo(Node) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(root, "bench", "LivePush", "board-clients.mjs"), silo.WebAddress.ToString(), Board, share.ToString(CultureInfo.InvariantCulture), clientApp })
            start.ArgumentList.Add(argument);
        start.Environment["CARETWIN_COOKIE"] = cookies.GetCookieHeader(silo.WebAddress);
        nodes.Add(Process.Start(start)!);
    }
    foreach (var node in nodes)
    {
        var line = await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(10));
        if (line is null || !line.StartsWith("connected ", StringComparison.Ordinal)) throw new InvalidOperationException($"A Node client process said: {line}");
    }
    Console.WriteLine($"{options.Clients} Node board clients in {nodes.Count} process(es) connected in {connecting.Elapsed.TotalSeconds:F1} s");

    await using var chromium = await BoardInChromium.SignInAsync(silo.WebAddress);
    await chromium.OpenLiveAsync($"/board?board={Uri.EscapeDataString(Board)}&sort=name");
    var onPage = await chromium.Page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('[data-board-table] tbody tr[data-child-id]')].map(r => r.dataset.childId)");
    // A row is redrawn when a new <tr> element for its child is put in the table (the page builds a row afresh only
    // when it changed): its predicted ready date (which names the change: see below), the time it is in the DOM, and
    // the next animation frame's (the frame that paints it).
    await chromium.Page.EvaluateAsync("""
        () => {
          window.__redraws = [];
          const table = document.querySelector('[data-board-table]');
          const predictedColumn = [...table.querySelectorAll('thead th')].findIndex(th => th.textContent === 'Predicted ready');
          const seen = new WeakSet(table.querySelectorAll('tr[data-child-id]'));
          new MutationObserver(records => {
            const inDom = performance.timeOrigin + performance.now();
            const fresh = [];
            for (const r of records) for (const n of r.addedNodes)
              if (n.nodeType === 1 && n.matches('tr[data-child-id]') && !seen.has(n)) { seen.add(n); fresh.push([n.dataset.childId, n.cells[predictedColumn].textContent]); }
            if (fresh.length) requestAnimationFrame(() => { const frame = performance.timeOrigin + performance.now(); for (const [c, d] of fresh) window.__redraws.push({ child: c, predicted: d, inDom, frame }); });
          }).observe(table, { childList: true, subtree: true });
        }
        """);
    Console.WriteLine($"Chromium on the board: {onPage.Length} rows on its first page");

    var pageSet = onPage.ToHashSet(StringComparer.Ordinal);
    var others = children.Where(c => !pageSet.Contains(c)).ToArray();
    var changesOf = new Dictionary<string, int>(StringComparer.Ordinal);
    var sendNumber = 0;
    // One stream of `rate` changes a second; a change's child is picked so each child's changes are far apart.
    async Task<List<Sent>> StreamAsync(TimeSpan length, Action? started = null)
    {
        var sent = new List<Sent>();
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        started?.Invoke();
        var count = (int)(options.Rate * length.TotalSeconds);
        for (var i = 0; i < count; i++)
        {
            var sendAt = TimeSpan.FromSeconds((double)i / options.Rate);
            if (sendAt > clock.Elapsed) await Task.Delay(sendAt - clock.Elapsed);
            var n = sendNumber++;
            var child = n % options.PageShare == 0 && onPage.Length > 0 ? onPage[n / options.PageShare % onPage.Length] : others[n % others.Length];
            var k = changesOf[child] = changesOf.GetValueOrDefault(child) + 1;
            // Its target date moves a day later each time: the child's only blocker, so it is the row's predicted ready
            // date, which tells chromium's redraws apart (a change that arrives late is not taken for an earlier one).
            var due = target.AddDays(k);
            var request = new UpdateBlockerRequest
            {
                ChildId = child, ExternalId = $"live-{n}", BlockerId = "blocker-1", TargetDate = new Date { Year = due.Year, Month = due.Month, Day = due.Day },
            };
            inFlight.Add(Task.Run(async () =>
            {
                var at = Epoch.Now();
                var watch = Stopwatch.StartNew();
                try
                {
                    var reply = await channel.UnaryAsync("/caretwin.v1.Journeys/UpdateBlocker", request, ChangeReply.Parser);
                    return new Sent(child, reply.Version, at, watch.Elapsed.TotalMilliseconds, pageSet.Contains(child), due);
                }
                catch (GrpcCallException)
                {
                    return new Sent(child, -1, at, watch.Elapsed.TotalMilliseconds, pageSet.Contains(child), due);
                }
            }).ContinueWith(t => { lock (sent) sent.Add(t.Result); }, TaskScheduler.Default));
        }
        await Task.WhenAll(inFlight);
        return sent;
    }

    Console.WriteLine($"Warm-up: {options.WarmUpSeconds} s at {options.Rate}/s, not measured");
    await StreamAsync(TimeSpan.FromSeconds(options.WarmUpSeconds));
    await Task.Delay(3000);

    using var host = Process.GetProcessById(silo.Pid);
    host.Refresh();
    var hostBefore = host.TotalProcessorTime;
    var nodeBefore = nodes.Select(n => n.TotalProcessorTime).ToArray();
    var machineBefore = MachineCpu.Read();
    var loadBefore = LoadAverage();
    var pageStart = await chromium.Page.EvaluateAsync<double>("() => performance.now()");
    var appliesBefore = await chromium.Page.EvaluateAsync<int>("() => window.__applies.length");
    var streamStart = Epoch.Now();
    Console.WriteLine($"Measured: {options.Seconds} s at {options.Rate}/s");
    var streaming = Stopwatch.StartNew();
    var sends = await StreamAsync(TimeSpan.FromSeconds(options.Seconds), () =>
    {
        foreach (var node in nodes) node.StandardInput.WriteLine("start");
    });
    var sendSeconds = streaming.Elapsed.TotalSeconds;
    await Task.Delay(3000); // the last batches reach every client
    var windowSeconds = streaming.Elapsed.TotalSeconds;
    host.Refresh();
    var hostCpu = (host.TotalProcessorTime - hostBefore).TotalSeconds;
    var nodeCpu = nodes.Select((n, i) => { n.Refresh(); return (n.TotalProcessorTime - nodeBefore[i]).TotalSeconds; }).ToArray();
    var machine = MachineCpu.Read() - machineBefore;
    var loadAfter = LoadAverage();

    var accepted = sends.Where(s => s.Version >= 0).ToList();
    var sentFile = Path.Combine(data.FullName, "sent.tsv");
    await File.WriteAllLinesAsync(sentFile, accepted.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Child}\t{s.Version}\t{s.At:F3}\t{s.At + s.ReplyMs:F3}")));
    var clientResults = new List<NodeResult>();
    foreach (var node in nodes)
    {
        await node.StandardInput.WriteLineAsync($"sent {sentFile}");
        string? line;
        while ((line = await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2))) is not null && !line.StartsWith("result ", StringComparison.Ordinal)) { }
        clientResults.Add(JsonSerializer.Deserialize<NodeResult>(line!["result ".Length..], new JsonSerializerOptions(JsonSerializerDefaults.Web))!);
    }

    // Each change on the page's children: when its row, showing its date, was first redrawn.
    var redraws = (await chromium.Page.EvaluateAsync<string[][]>("() => window.__redraws.map(r => [r.child, r.predicted, String(r.inDom), String(r.frame)])"))
        .Select(r => new Redraw(r[0], r[1], double.Parse(r[2], CultureInfo.InvariantCulture), double.Parse(r[3], CultureInfo.InvariantCulture)));
    var firstDrawn = redraws
        .Select(r => (r.Child, Day: DateOnly.TryParseExact(r.Predicted, "d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"), DateTimeStyles.None, out var day) ? day : (DateOnly?)null, r.InDom, r.Frame))
        .Where(r => r.Day is not null)
        .GroupBy(r => (r.Child, r.Day!.Value))
        .ToDictionary(g => g.Key, g => g.MinBy(r => r.InDom));
    var pageChanges = accepted.Where(s => s.OnPage).ToList();
    var drawn = pageChanges
        .Where(s => firstDrawn.ContainsKey((s.Child, s.Due)))
        .Select(s => (InDom: firstDrawn[(s.Child, s.Due)].InDom - s.At, Frame: firstDrawn[(s.Child, s.Due)].Frame - s.At))
        .ToList();
    var longTasks = await chromium.LongTasksSinceAsync(pageStart);
    var applies = await chromium.Page.EvaluateAsync<double[]>($"() => window.__applies.slice({appliesBefore})");
    var stillConnected = await chromium.Page.Locator("[data-connection][data-state='connected']").CountAsync() > 0;

    foreach (var node in nodes) await node.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
    Console.WriteLine($"Host stopped with exit code {await silo.StopAsync(TimeSpan.FromSeconds(60))}");
    // What the host warned about (e.g. why it closed connections), by category and message, most frequent first.
    var warnings = silo.Output.Where(l => l.StartsWith('{'))
        .Select(l => { try { return JsonDocument.Parse(l).RootElement.Clone(); } catch (JsonException) { return default; } })
        .Where(r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("LogLevel", out var level) && level.GetString() is "Warning" or "Error" or "Critical")
        .GroupBy(r => $"{r.GetProperty("Category").GetString()}: {(r.TryGetProperty("State", out var state) && state.ValueKind == JsonValueKind.Object && state.TryGetProperty("{OriginalFormat}", out var format) ? format.GetString() : r.GetProperty("Message").GetString())}")
        .Select(g => (What: g.Key, Count: g.Count())).OrderByDescending(g => g.Count).Take(6).ToList();

    var run = new Run(options, loadBefore, loadAfter, sendSeconds, windowSeconds, sends.Count, accepted.Count, sends.Where(s => s.Version >= 0).Select(s => s.ReplyMs).Order().ToArray(),
        clientResults, pageChanges.Count, drawn, longTasks, applies, stillConnected, hostCpu, nodeCpu, machine, onPage.Length, warnings);
    await Report.WriteAsync(run, Path.Combine(root, "bench", "results", options.Out));
}
finally
{
    foreach (var node in nodes)
    {
        if (!node.HasExited)
        {
            node.Kill();
            await node.WaitForExitAsync();
        }
        node.Dispose();
    }
    data.Delete(recursive: true);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

internal sealed record Options(string Silo, int Children, int Clients, int Rate, int Seconds, int NodeProcesses, int PageShare, int WarmUpSeconds, string Out, int? FlushMs)
{
    public string Command { get; init; } = "";

    public static Options Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        }
        int Number(string name, int fallback) => int.Parse(Value(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new Options(
            Value("--silo", Path.Combine(Repository.Root, "src", "Silo", "bin", "Release", "net10.0", "CareTwin.Silo.dll")),
            Number("--children", 2000), Number("--clients", 200), Number("--rate", 500), Number("--seconds", 20),
            Number("--node-processes", 1), Number("--page-share", 10), Number("--warm-up", 15), Value("--out", "end-to-end-live-push"),
            Value("--flush-ms", "") is { Length: > 0 } flush ? int.Parse(flush, CultureInfo.InvariantCulture) : null)
        {
            Command = "dotnet run -c Release --project bench/LivePush" + (args.Length > 0 ? " -- " + string.Join(' ', args) : ""),
        };
    }
}

/// <param name="At">When the driver sent it (epoch ms).</param>
/// <param name="Version">The child's version after it; -1 if it was refused or failed.</param>
/// <param name="Due">The blocker's target date it set.</param>
internal sealed record Sent(string Child, long Version, double At, double ReplyMs, bool OnPage, DateOnly Due);

/// <summary>A row chromium drew afresh: its child, the predicted ready date it shows, and when (epoch ms).</summary>
internal sealed record Redraw(string Child, string Predicted, double InDom, double Frame);

/// <param name="Histogram">Push → arrival over every client and change: [tenths of a millisecond, how many].</param>
/// <param name="AfterReply">The same from when the driver had the push's durable reply.</param>
internal sealed record NodeResult(int Clients, int Changes, long Expected, long Arrived, long Missing, long Batches, long Resyncs, long Closed, double CpuSeconds, double Seconds, long[][] Histogram, long[][] AfterReply);

internal static class Epoch
{
    /// <summary>Milliseconds since 1970 from the machine's clock, as Node's and chromium's performance.timeOrigin + now() read it.</summary>
    public static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
}

/// <summary>Busy and total CPU time of the whole machine (/proc/stat, in clock ticks).</summary>
internal sealed record MachineCpu(long Busy, long Total)
{
    public static MachineCpu Read()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var idle = fields[3] + fields[4];
        return new MachineCpu(fields.Sum() - idle, fields.Sum());
    }

    public static MachineCpu operator -(MachineCpu a, MachineCpu b) => new(a.Busy - b.Busy, a.Total - b.Total);

    public double BusyShare => Total == 0 ? 0 : (double)Busy / Total;
}

internal sealed record Run(
    Options Options, string LoadBefore, string LoadAfter, double SendSeconds, double WindowSeconds, int Sent, int Accepted, double[] Replies,
    List<NodeResult> Clients, int PageChanges, List<(double InDom, double Frame)> Drawn, double[] LongTasks, double[] Applies, bool StillConnected,
    double HostCpu, double[] NodeCpu, MachineCpu Machine, int PageRows, List<(string What, int Count)> HostWarnings);
