using System.Diagnostics;
using System.Globalization;
using System.Text;
using CareTwin.Bench.Shared;
using CareTwin.Grains.Boards;
using CareTwin.Journey.Blockers;
using CareTwin.Testing;

// Times the coordinators' board in Debian's chromium on a demo region of N children (2,000 unless given):
// the first render (navigation to the rows on screen, and the page's own show/render steps, from its User Timing
// entries), turning a page, and a live update (a blocker raised on a child on the page, until its row is redrawn).
// Figures only, never a pass/fail: the machine is shared. Usage:
//   dotnet run -c Release --project bench/BoardRender [-- children [report file name]]
// It also runs on a tree from before the board was paged (a69cc83, every row in the DOM): the steps that board did
// not have are reported as n/a. That is how the "before" figures in bench/results/README.md were taken.
var children = args is [var given, ..] ? int.Parse(given, CultureInfo.InvariantCulture) : 2000;
var reportName = args is [_, var name] ? name : "board-render.md";
const string Board = "region:" + CareTwinSite.Region;
const int Loads = 5, Updates = 10;

Console.WriteLine($"Starting a site with a demo region of {children} children…");
var loading = Stopwatch.StartNew();
await using var site = await CareTwinSite.StartAsync(children, new Dictionary<string, string> { ["Web:Live:SignInAttemptsPerMinute"] = "10000" });
var board = site.Grains.GetGrain<IBoardGrain>(Board);
while ((await board.GetSnapshot()).Summary.Rows.Count < children)
{
    if (loading.Elapsed > TimeSpan.FromMinutes(30)) throw new TimeoutException("The demo region did not load within 30 minutes.");
    await Task.Delay(1000);
}
var summary = (await board.GetSnapshot()).Summary;
var discharged = summary.Rows.Count - summary.Children;
Console.WriteLine($"Demo region loaded in {loading.Elapsed.TotalSeconds:F0} s: {summary.Children} children on the live list, {discharged} discharged.");

await using var chromium = await BoardInChromium.SignInAsync(site.Address);
var page = chromium.Page;

var firstRender = new List<(double Wall, double Page, double Show, double Render, int DomRows, double Paint, double LongestTask)>();
for (var i = 0; i < Loads; i++)
{
    var watch = Stopwatch.StartNew();
    await page.GotoAsync("/board");
    await page.Locator("#board-root[data-loaded='true']").WaitForAsync();
    var wall = watch.Elapsed.TotalMilliseconds;
    var fromNavigation = await page.EvaluateAsync<double>("() => { const e = performance.getEntriesByName('board-show').at(-1); return e ? e.startTime + e.duration : -1; }");
    var rows = await page.Locator("[data-board-table] tbody tr").CountAsync();
    var paint = await page.EvaluateAsync<double>("() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1");
    var longest = await page.EvaluateAsync<double>("() => Math.max(0, ...window.__longTasks.map(t => t.duration))");
    firstRender.Add((wall, fromNavigation, await chromium.MeasureAsync("board-show"), await chromium.MeasureAsync("board-render"), rows, paint, longest));
}

var paging = new List<double>();
for (var i = 0; i < Loads && await page.Locator("[data-pager] a[rel='next']").CountAsync() > 0; i++)
{
    var watch = Stopwatch.StartNew();
    await page.Locator("[data-pager] a[rel='next']").ClickAsync();
    await page.Locator($"[data-current-page='{i + 2}']").WaitForAsync();
    paging.Add(await chromium.MeasureAsync("board-render"));
}
await chromium.OpenLiveAsync("/board");

var updates = new List<(double Wall, double Apply)>();
for (var i = 0; updates.Count < Updates; i++)
{
    var row = page.Locator("[data-board-table] tbody tr[data-child-id]").Nth(i);
    var childId = (await row.GetAttributeAsync("data-child-id"))!;
    await row.EvaluateAsync("e => { e.dataset.benchOld = '1'; }");
    var watch = Stopwatch.StartNew();
    try
    {
        await site.RaiseBlockerAsync(childId, BlockerCategory.Transport, "health.transport.north-thames", $"Bench {i}: transport not booked", null);
    }
    catch (InvalidOperationException)
    {
        continue; // a discharged child (on the live list before it was paged) takes no new blockers
    }
    await page.Locator($"tr[data-child-id='{childId}']:not([data-bench-old])").WaitForAsync();
    updates.Add((watch.Elapsed.TotalMilliseconds, await chromium.MeasureAsync("board-apply")));
}

// Live: a steady stream of changes (a blocker raised on a different child every 1/rate s) while the board is open,
// and the page's longest main-thread task meanwhile.
const int StreamRate = 50, StreamSeconds = 10;
var live = summary.Rows.Values.Where(r => !r.IsDischarged).Select(r => r.ChildId).ToList();
var streamStart = await page.EvaluateAsync<double>("() => performance.now()");
var appliesBefore = await page.EvaluateAsync<int>("() => window.__applies.length");
var streaming = Stopwatch.StartNew();
var raised = new List<Task>();
for (var i = 0; i < StreamRate * StreamSeconds; i++)
{
    var due = TimeSpan.FromSeconds((double)i / StreamRate);
    if (due > streaming.Elapsed) await Task.Delay(due - streaming.Elapsed);
    raised.Add(site.RaiseBlockerAsync(live[(Updates + i) % live.Count], BlockerCategory.Equipment, "health.transport.north-thames", $"Stream {i}: equipment not delivered", null));
}
var streamOutcomes = await Task.WhenAll(raised.Select(async t => { try { await t; return true; } catch (InvalidOperationException) { return false; } }));
var streamElapsed = streaming.Elapsed;
await Task.Delay(2000); // the last changes reach the page
var streamTasks = await chromium.LongTasksSinceAsync(streamStart);
var streamApplies = await page.EvaluateAsync<double[]>($"() => window.__applies.slice({appliesBefore})");
var stillConnected = await page.Locator("[data-connection][data-state='connected']").CountAsync() > 0;

string Stats(IEnumerable<double> values)
{
    var sorted = values.Where(v => v >= 0).Order().ToList();
    if (sorted.Count == 0) return "n/a";
    return $"median {sorted[sorted.Count / 2]:F0} ms (min {sorted[0]:F0}, max {sorted[^1]:F0})";
}
string load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
var report = new StringBuilder()
    .AppendLine("# The coordinators' board in chromium")
    .AppendLine()
    .AppendLine($"`dotnet run -c Release --project bench/BoardRender{(args.Length > 0 ? " -- " + string.Join(' ', args) : "")}` ({children} children), {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {load} at the end.")
    .AppendLine($"Board `{Board}`: {summary.Children} children on the live list, {discharged} discharged; pages of 50 ({firstRender[0].DomRows} table rows in the DOM). Debian chromium, headless, 1280×900;")
    .AppendLine("the host (SQLite, demo region) runs in the same process as the bench. Figures, not targets.")
    .AppendLine()
    .AppendLine("| what | figure |")
    .AppendLine("|---|---|")
    .AppendLine($"| first render: navigation to the rows on screen, measured by the bench ({Loads} loads) | {Stats(firstRender.Select(f => f.Wall))} |")
    .AppendLine($"| first render: navigation start to the end of the page's `show`, in the page | {Stats(firstRender.Select(f => f.Page))} |")
    .AppendLine($"| of which the page's own work on the whole view (`show`: {children} rows in, one page drawn) | {Stats(firstRender.Select(f => f.Show))} |")
    .AppendLine($"| of which filtering, sorting and drawing one page (`render`) | {Stats(firstRender.Select(f => f.Render))} |")
    .AppendLine($"| table rows in the DOM | {firstRender[0].DomRows} |")
    .AppendLine($"| turning a page (`render`, {Loads} pages) | {Stats(paging)} |")
    .AppendLine($"| live update: a blocker raised on a child on the page until its row is redrawn ({Updates} updates; includes the bridge's batching) | {Stats(updates.Select(u => u.Wall))} |")
    .AppendLine($"| of which the page applying the change (`apply`: totals, re-sort of {children} rows, redraw) | {Stats(updates.Select(u => u.Apply))} |")
    .AppendLine($"| first contentful paint, from navigation start ({Loads} loads) | {Stats(firstRender.Select(f => f.Paint))} |")
    .AppendLine($"| longest main-thread task while loading (Long Tasks API; 0 when none over 50 ms) | {Stats(firstRender.Select(f => f.LongestTask))} |")
    .AppendLine($"| live stream: {streamOutcomes.Count(o => o)} blockers raised on different children at {StreamRate}/s for {StreamSeconds} s (sent in {streamElapsed.TotalSeconds:F1} s): page `apply` runs (each a batch of changes) and their time | {streamApplies.Length}; {Stats(streamApplies)} |")
    .AppendLine($"| live stream: main-thread tasks over 50 ms while it ran (Long Tasks API) | {streamTasks.Length} (longest {(streamTasks.Length == 0 ? 0 : streamTasks.Max()):F0} ms){(stillConnected ? "" : "; the page was no longer connected")} |")
    .ToString();
var results = Path.Combine(Repository.Root, "bench", "results", reportName);
await File.WriteAllTextAsync(results, report);
Console.Write(report);
