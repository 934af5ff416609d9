using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Demo;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Serialization;
using CareTwin.Storage;
using CareTwin.Storage.Sqlite;
using CareTwin.Testing;

// Many child twins on one node (issue 18 item 3). For each N given (default 10000):
//  1. seed: the demo region's N children (DemoRegionGenerator), each history decided by the journey model
//     (JourneyDecider, as the twin's history import does) and appended as the child's journal through the real
//     SQLite store (SqliteStorageProvider, group commit) in a new file: batched direct writes, no grains;
//  2. cold start: the real host (dotnet CareTwin.Silo.dll, Production, that file) started as a process, and the
//     time from Process.Start to its first answered GetJourney (REST GET /v1/children/{id}, h2c, a journey-
//     managing key); the twins activate on demand;
//  3. every twin activated by reading it (32 reads in flight), then the host's resident memory from /proc, at once and
//     after SCALE_SETTLE seconds idle.
// The host is the Release build of src/Silo in this checkout (or CARETWIN_SILO, a CareTwin.Silo.dll), built first and
// not referenced, so the bench itself builds without src/Web. Usage:
//   flock /tmp/caretwin-web.lock dotnet build -c Release src/Silo && dotnet run -c Release --project bench/Scale [-- N ...]
var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [10_000];
var silo = Environment.GetEnvironmentVariable("CARETWIN_SILO") is { Length: > 0 } given
    ? given
    : Path.Combine(Repository.Root, "src", "Silo", "bin", "Release", "net10.0", "CareTwin.Silo.dll");
if (!File.Exists(silo)) throw new FileNotFoundException($"No host at {silo}: build src/Silo in Release first.");
Console.WriteLine($"Host: {silo} ({File.GetLastWriteTimeUtc(silo):yyyy-MM-dd HH:mm} UTC)");
var results = new List<object>();
foreach (var children in sizes)
    results.Add(await MeasureAsync(children));
Console.WriteLine(JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));

async Task<object> MeasureAsync(int children)
{
    var directory = Path.Combine(Path.GetTempPath(), $"caretwin-scale-{children}-{Environment.ProcessId}");
    Directory.CreateDirectory(directory);
    var database = Path.Combine(directory, "caretwin.db");
    try
    {
        // 1. Seed.
        var seeding = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        var region = DemoRegionGenerator.Generate(CareTwinSite.DemoSeedValue, now, children);
        var services = region.ServiceDirectory();
        var generated = seeding.Elapsed;
        long events = 0, journalBytes = 0;
        var folded = new ChildJourney[children];
        await using (var store = new SqliteStorageProvider(new SqliteStorageOptions { DataSource = database }))
        {
            await store.InitializeAsync(CancellationToken.None);
            await Parallel.ForEachAsync(region.Children.Select((child, index) => (child, index)), new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (item, _) =>
            {
                var (child, index) = item;
                var journey = ChildJourney.Empty;
                var entries = new List<JournalEntry>();
                foreach (var timed in child.Commands)
                {
                    if (JourneyDecider.Decide(journey, timed.Command, new DecisionContext(timed.At, services)) is not Decision.Accepted accepted)
                        continue; // the twin's import would stop here; a refused demo command only makes the journal shorter
                    foreach (var e in accepted.Events)
                    {
                        journey = JourneyFold.Apply(journey, e);
                        var payload = JsonSerializer.Serialize<JourneyEvent>(e, JourneyJson.Options);
                        entries.Add(new JournalEntry(entries.Count + 1, payload));
                        Interlocked.Add(ref journalBytes, payload.Length);
                    }
                }
                folded[index] = journey;
                await store.AppendAsync(new RecordKey("child", child.ChildId), 0, entries, CancellationToken.None);
                Interlocked.Add(ref events, entries.Count);
            });
        }
        var seeded = seeding.Elapsed;
        // What the model itself keeps per child: the folded journeys, and one board row each, as retained bytes.
        var withJourneys = GC.GetTotalMemory(forceFullCollection: true);
        var rows = folded.Select(j => BoardRowProjection.Build(j, now)).ToArray();
        var rowBytes = (GC.GetTotalMemory(forceFullCollection: true) - withJourneys) / (double)children;
        GC.KeepAlive(rows);
        Array.Clear(folded);
        var journeyBytes = (withJourneys - GC.GetTotalMemory(forceFullCollection: true)) / (double)children;
        Console.WriteLine($"{children}: a folded journey retains {journeyBytes / 1024:F1} KiB, a board row {rowBytes / 1024:F1} KiB");
        Console.WriteLine($"{children}: seeded {events} events ({journalBytes / 1024 / 1024} MiB of JSON) in {seeded.TotalSeconds:F0} s (generation {generated.TotalSeconds:F0} s); db {new FileInfo(database).Length / 1024 / 1024} MiB");

        // 2. Cold start to the first answer.
        var key = GeneratedApiKey.New();
        var settings = key.Settings("scale-bench", "Scale bench", "health.ltv-team.royal-thamesbank", managesJourneys: true);
        settings["Api__RateLimit__PermitsPerSecond"] = "100000";
        settings["Api__RateLimit__Burst"] = "100000";
        settings["Logging__LogLevel__Default"] = "Warning";
        settings["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        var started = Stopwatch.StartNew();
        await using var host = SiloProcess.Start(silo, directory, settings);
        // When Kestrel says it listens: the rest of the wait for the first answer is the silo and the twin.
        var listeningAt = host.WaitUntilListeningAsync(TimeSpan.FromMinutes(5)).ContinueWith(_ => started.Elapsed, TaskScheduler.Default);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 4 })
        {
            BaseAddress = host.GrpcAddress,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(120),
        };
        http.DefaultRequestHeaders.Add("x-api-key", key.Key);
        var first = region.Children[children / 2].ChildId;
        TimeSpan firstAnswer;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync($"/v1/children/{first}");
                if (response.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"GetJourney {first}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                firstAnswer = started.Elapsed;
                break;
            }
            catch (HttpRequestException) when (!host.HasExited && started.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(20);
            }
        }
        var listening = await listeningAt;
        await Task.Delay(2000); // let the first twin's propagation settle before the idle reading
        var idle = Memory(host.Pid);
        Console.WriteLine($"{children}: first GetJourney answered {firstAnswer.TotalMilliseconds:F0} ms after process start (listening at {listening.TotalMilliseconds:F0} ms); idle {idle}");

        // 3. Activate every twin.
        var cpuBefore = CpuSeconds(host.Pid);
        var activating = Stopwatch.StartNew();
        var failures = new ConcurrentQueue<string>();
        var done = 0;
        var peak = idle.Rss;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Memory(host.Pid).Rss);
                try { await Task.Delay(500, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        await Parallel.ForEachAsync(region.Children, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (child, _) =>
        {
            using var response = await http.GetAsync($"/v1/children/{child.ChildId}");
            if (response.StatusCode != HttpStatusCode.OK)
                failures.Enqueue($"{child.ChildId}: {(int)response.StatusCode}");
            if (Interlocked.Increment(ref done) % (children / 10) == 0)
                Console.WriteLine($"{children}: {done} read in {activating.Elapsed.TotalSeconds:F0} s, {Memory(host.Pid)}");
        });
        var activated = activating.Elapsed;
        var cpuActivating = CpuSeconds(host.Pid) - cpuBefore;
        await Task.Delay(5000); // boards and service twins catch up with the last activations
        var after = Memory(host.Pid);
        var load = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        Console.WriteLine($"{children}: all read in {activated.TotalSeconds:F1} s ({failures.Count} failed), host CPU {cpuActivating:F1} s ({cpuActivating * 1e6 / children:F0} µs a twin); after {after}; peak RSS {peak / 1024 / 1024} MiB; load {load}");
        // Then idle for SCALE_SETTLE seconds (default 200): what the node holds once the activations that are only
        // short-lived (audit trails: two minutes idle, then Orleans's next one-minute collection pass) have gone.
        var settle = TimeSpan.FromSeconds(int.Parse(Environment.GetEnvironmentVariable("SCALE_SETTLE") ?? "200", CultureInfo.InvariantCulture));
        await Task.Delay(settle);
        sampling.Cancel();
        await sampler;
        var settled = Memory(host.Pid);
        Console.WriteLine($"{children}: after {settle.TotalSeconds:F0} s idle {settled}: {(settled.Rss - idle.Rss) / 1024.0 / children:F1} KB a twin");
        foreach (var f in failures.Take(5)) Console.WriteLine("  " + f);
        // SCALE_GCDUMP=<file>: the host's heap by type once every twin is active (needs dotnet-gcdump on PATH).
        if (Environment.GetEnvironmentVariable("SCALE_GCDUMP") is { Length: > 0 } dump)
        {
            using var gcdump = Process.Start("dotnet-gcdump", ["collect", "-p", host.Pid.ToString(CultureInfo.InvariantCulture), "-o", dump]);
            await gcdump.WaitForExitAsync();
        }
        await host.StopAsync(TimeSpan.FromSeconds(60));
        return new
        {
            children,
            events,
            journalJsonBytes = journalBytes,
            databaseBytes = new FileInfo(database).Length,
            seedSeconds = seeded.TotalSeconds,
            journeyRetainedBytes = journeyBytes,
            boardRowRetainedBytes = rowBytes,
            firstAnswerMs = firstAnswer.TotalMilliseconds,
            listeningMs = listening.TotalMilliseconds,
            idleRssBytes = idle.Rss,
            idleAnonBytes = idle.Anon,
            activateSeconds = activated.TotalSeconds,
            failed = failures.Count,
            hostCpuSecondsActivating = cpuActivating,
            gcServer = Environment.GetEnvironmentVariable("DOTNET_gcServer") ?? "default",
            afterRssBytes = after.Rss,
            afterAnonBytes = after.Anon,
            peakRssBytes = peak,
            perTwinRssBytes = (after.Rss - idle.Rss) / (double)children,
            settleSeconds = settle.TotalSeconds,
            settledRssBytes = settled.Rss,
            settledAnonBytes = settled.Anon,
            settledPerTwinRssBytes = (settled.Rss - idle.Rss) / (double)children,
            load,
            at = DateTimeOffset.UtcNow,
        };
    }
    finally
    {
        Directory.Delete(directory, recursive: true);
    }
}

static (long Rss, long Anon) Memory(int pid)
{
    long Field(string[] lines, string name) =>
        long.Parse(lines.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    var status = File.ReadAllLines($"/proc/{pid}/status");
    return (Field(status, "VmRSS:"), Field(status, "RssAnon:"));
}

// utime + stime of the process (all threads), from /proc/<pid>/stat, in clock ticks of 1/100 s.
static double CpuSeconds(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

static class CareTwinSite
{
    public const int DemoSeedValue = 20_261_122;
}
