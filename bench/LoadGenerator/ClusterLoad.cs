using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.RegularExpressions;
using CareTwin.Testing;

// The same load through a cluster (issue 18): deploy/dev/cluster.sh up N (N nodes on a private PostgreSQL, HAProxy
// in front, all on 127.0.0.1), the phases of LoadPlan, Load, IngestThroughput and PushToWatch driven through the
// balancer's gRPC port, then cluster.sh down. With --cluster 3,1 the same run measures a 3-node cluster, then one
// node behind the same balancer on the same database, so the ratio is taken on the same machine in the same hour.
//   dotnet build -c Release src/Silo && dotnet build -c Release bench/LoadGenerator
//   dotnet run -c Release --no-build --project bench/LoadGenerator -- --cluster 3,1 [--seconds 60] [--concurrency 64]
//     [--out bench/results/end-to-end-cluster.md] [--json bench/results/end-to-end-cluster.json]

/// <summary>Runs the load through a cluster of each size asked for and writes the report and its figures.</summary>
internal static class ClusterLoad
{
    /// <summary>Issue 18: the same load through the cluster for at least this long per phase.</summary>
    private const int LeastSeconds = 60;

    public static async Task RunAsync(Options options)
    {
        var runs = new List<ClusterRun>();
        foreach (var nodes in options.ClusterNodes)
            runs.Add(await RunOnAsync(nodes, options));
        var command = "dotnet run -c Release --project bench/LoadGenerator -- " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
        var report = Report(runs, options, command);
        Console.WriteLine(report);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Out))!);
        await File.WriteAllTextAsync(options.Out, report);
        Console.WriteLine($"Written to {options.Out}");
        await WriteFiguresAsync(runs, options, command);
    }

    private static async Task<ClusterRun> RunOnAsync(int nodes, Options options)
    {
        var key = GeneratedApiKey.New();
        var dir = Directory.CreateTempSubdirectory("caretwin-cluster-load-");
        var succeeded = false;
        try
        {
            var run = await LoadAsync(nodes, options, key, dir.FullName);
            succeeded = true;
            return run with { NodeErrors = DevCluster.NodeErrors(dir.FullName) };
        }
        finally
        {
            if (succeeded)
                dir.Delete(recursive: true);
            else
                Console.WriteLine($"The cluster's logs are kept in {dir.FullName}");
        }
    }

    private static async Task<ClusterRun> LoadAsync(int nodes, Options options, GeneratedApiKey key, string dir)
    {
        await using var cluster = await DevCluster.UpAsync(options.Silo, nodes, dir, LoadPlan.HostSettings(key));
        Console.WriteLine($"{nodes}-node cluster up; balancer gRPC on {cluster.Grpc}");
        using var channel = new RawGrpcChannel(cluster.Grpc, key.Key);
        var plan = new LoadPlan(channel, options);
        var setupErrors = new ErrorTally(rethrow: false);
        var ingestRate = await plan.SetupAsync(setupErrors);
        await plan.WarmAsync();
        var meters = cluster.Meters();
        // Two windows: the first still holds the warm-up's tail (tier-1 JIT, GC), the second shows what stays.
        (string Server, double MillisecondsPerSecond)[][] idle =
            [await IdleAsync(meters, TimeSpan.FromSeconds(IdleSeconds)), await IdleAsync(meters, TimeSpan.FromSeconds(IdleSeconds))];
        var reads = await Load.RunAsync("GetJourney", options, meters, plan.Read);
        var writes = await Load.RunAsync("UpdateBlocker", options, meters, plan.Write);
        var hot = await Load.RunAsync("GetJourney, one hot child", options, meters, plan.ReadHot);
        var ingest = await IngestThroughput.RunAsync(channel, options, plan.Children, plan.Target, meters, new ErrorTally(rethrow: false));
        var push = await PushToWatch.RunAsync(channel, plan.Children.Take(options.Watchers).ToArray(), options.Pushes,
            TimeSpan.FromSeconds(options.Seconds), plan.Target, new ErrorTally(rethrow: false));
        Console.WriteLine($"Push to watch: {push.Samples} changes in {push.Seconds:F1} s, p50 {push.P50:F1} ms, p99 {push.P99:F1} ms, {push.Errors.Count} errors");
        return new ClusterRun(nodes, ingestRate, idle, reads, writes, hot, ingest, push) { SetupErrors = setupErrors };
    }

    /// <summary>Each process's CPU while no call is made: what a node costs by itself (timers, membership, GC), read against the CPU per call.</summary>
    private static async Task<(string Server, double MillisecondsPerSecond)[]> IdleAsync(IReadOnlyList<CpuMeter> meters, TimeSpan quiet)
    {
        var before = meters.Select(m => m.Cpu()).ToArray();
        var clock = Stopwatch.StartNew();
        await Task.Delay(quiet);
        var idle = meters.Select((m, i) => (m.Name, (m.Cpu() - before[i]).TotalMilliseconds / clock.Elapsed.TotalSeconds)).ToArray();
        Console.WriteLine($"Idle for {quiet.TotalSeconds:F0} s: {string.Join(", ", idle.Select(s => $"{s.Name} {s.Item2:F0} ms/s"))}");
        return idle;
    }

    private const int IdleSeconds = 10;

    private sealed record ClusterRun(int Nodes, double SetupItemsPerSecond, (string Server, double MillisecondsPerSecond)[][] Idle, LoadResult Reads, LoadResult Writes, LoadResult Hot, IngestResult Ingest, PushResult Push)
    {
        public ErrorTally SetupErrors { get; init; } = new(rethrow: false);

        /// <summary>Errors the nodes logged over the whole run, by node, category and event.</summary>
        public IReadOnlyDictionary<string, long> NodeErrors { get; init; } = new Dictionary<string, long>();

        public string Name => Nodes == 1 ? "1 node" : $"{Nodes} nodes";

        public IEnumerable<LoadResult> Unary => [Reads, Writes, Hot];
    }

    private static string Report(List<ClusterRun> runs, Options options, string command)
    {
        static string Kinds(IReadOnlyDictionary<string, long> kinds) =>
            kinds.Count == 0 ? "0" : $"{kinds.Values.Sum()} ({string.Join(", ", kinds.OrderByDescending(k => k.Value).Select(k => $"{k.Key} × {k.Value}"))})";
        static string Cpu(IEnumerable<(string Server, double Cpu)> servers) => string.Join(", ", servers.Select(s => $"{s.Server} {s.Cpu:F0} µs"));
        var text = new StringBuilder();
        text.AppendLine("# The same load through the cluster (issue 18)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on this machine ({Environment.ProcessorCount} cores, .NET {Environment.Version}), shared with whatever else it was running (see the load averages), with:");
        text.AppendLine();
        text.AppendLine("```");
        text.AppendLine("flock /tmp/caretwin-web.lock dotnet build -c Release src/Silo");
        text.AppendLine("dotnet build -c Release bench/LoadGenerator");
        text.AppendLine(command);
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"For each cluster size ({string.Join(", then ", runs.Select(r => r.Name))}) the generator ran `deploy/dev/cluster.sh up N DIR` (the nodes as `dotnet CareTwin.Silo.dll`, Release, Production settings, storage and membership on the script's private PostgreSQL; HAProxy in front with deploy/balancer/haproxy.cfg, gRPC spread per call with `balance leastconn`; everything on 127.0.0.1), drove the balancer's gRPC port over h2c with the same client, key and phases as the one-host run (`bench/LoadGenerator` without `--cluster`), and ended with `cluster.sh down`. Every call authenticated with an API key, passed the access gate (a durable audit entry) and, for writes, appended to the child's journal durably before the reply. {(runs.Any(r => r.Nodes == 1) ? "The one-node run is the same path with one node behind the balancer, so the ratio is the nodes' alone. " : "")}The load generator, HAProxy, PostgreSQL and every node share these {Environment.ProcessorCount} cores, so a cluster on one machine cannot add CPU: it shows what the cluster's own work (calls forwarded between nodes, membership, a shared database) costs, and that the load runs through it without errors.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Setup per cluster: {options.Children} children, each registered with a hospital discharge and one blocker through Ingest ({string.Join("; ", runs.Select(r => $"{r.Name}: {r.SetupItemsPerSecond:F0} items/s"))}), then {options.HostWarmUpSeconds} s of each unary call unmeasured. Each unary phase: {options.Concurrency} concurrent calls, {options.WarmUpSeconds} s unmeasured, then {options.Seconds} s measured. CPU per call is each process's user+system time over the phase divided by the calls answered (PostgreSQL: the postmaster and its backends).");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Setup items refused and sent again (as an EPR would; their external ids make a second delivery a duplicate): {string.Join("; ", runs.Select(r => $"{r.Name}: {Kinds(r.SetupErrors.Kinds)}"))}. Errors the nodes logged over the whole run (setup, warm-up, phases and shutdown): {string.Join("; ", runs.Select(r => $"{r.Name}: {Kinds(r.NodeErrors)}"))}.");
        text.AppendLine();
        static string Idle((string Server, double MillisecondsPerSecond)[] window) => string.Join(", ", window.Select(s => $"{s.Server} {s.MillisecondsPerSecond:F0}"));
        text.AppendLine(CultureInfo.InvariantCulture, $"CPU of each process while no calls are made, in ms of CPU per second, over the {IdleSeconds} s right after the warm-up and the {IdleSeconds} s after that: {string.Join("; ", runs.Select(r => $"{r.Name}: {Idle(r.Idle[0])}, then {Idle(r.Idle[1])}"))}. Whatever of this a node keeps up under load is part of its CPU per call below.");
        text.AppendLine();
        text.AppendLine("| phase | cluster | seconds | calls | calls/s | p50 | p99 | errors (kinds) | CPU per call | load average at the end |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var phase in new[] { 0, 1, 2 })
            foreach (var run in runs)
            {
                var r = run.Unary.ElementAt(phase);
                text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Call} | {run.Name} | {r.Seconds:F1} | {r.Calls} | **{r.PerSecond:F0}** | {r.P50:F2} ms | **{r.P99:F2} ms** | **{Kinds(r.ErrorKinds)}** | {Cpu(r.CpuPerServer)} | {r.LoadAverage} |");
            }
        foreach (var run in runs)
        {
            var i = run.Ingest;
            text.AppendLine(CultureInfo.InvariantCulture, $"| Ingest ({i.Workers} callers, batches of {i.BatchSize} UpdateBlocker items; per batch) | {run.Name} | {i.Seconds:F1} | {i.Items} items | **{i.ItemsPerSecond:F0} items/s** | {i.BatchP50:F0} ms | **{i.BatchP99:F0} ms** | **{Kinds(i.Errors.Kinds)}** | {Cpu(i.CpuPerServer)} (per item) | {i.LoadAverage} |");
        }
        foreach (var run in runs)
        {
            var p = run.Push;
            text.AppendLine(CultureInfo.InvariantCulture, $"| Push → gRPC watch (one change at a time over {options.Watchers} watched children; push to arrival) | {run.Name} | {p.Seconds:F1} | {p.Samples} changes | {p.Samples / p.Seconds:F0} | {p.P50:F2} ms | **{p.P99:F2} ms** (max {p.Max:F1} ms) | **{Kinds(p.Errors.Kinds)}** | | {p.LoadAverage} |");
        }
        text.AppendLine();
        var single = runs.FirstOrDefault(r => r.Nodes == 1);
        if (single is not null)
        {
            text.AppendLine("As ratios to one node behind the same balancer, in the same run:");
            text.AppendLine();
            text.AppendLine("| phase | cluster | calls/s ÷ 1 node | p99 ÷ 1 node | all CPU per call ÷ 1 node |");
            text.AppendLine("|---|---|---|---|---|");
            foreach (var run in runs.Where(r => r.Nodes != 1))
            {
                foreach (var (r, one) in run.Unary.Zip(single.Unary))
                    text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Call} | {run.Name} | **{r.PerSecond / one.PerSecond:F2}** | {r.P99 / one.P99:F2}× | {r.ServerCpuPerCall / one.ServerCpuPerCall:F2}× |");
                text.AppendLine(CultureInfo.InvariantCulture, $"| Ingest (items) | {run.Name} | **{run.Ingest.ItemsPerSecond / single.Ingest.ItemsPerSecond:F2}** | {run.Ingest.BatchP99 / single.Ingest.BatchP99:F2}× | {run.Ingest.ServerCpuPerItem / single.Ingest.ServerCpuPerItem:F2}× |");
                text.AppendLine(CultureInfo.InvariantCulture, $"| Push → gRPC watch | {run.Name} | | {run.Push.P99 / single.Push.P99:F2}× | |");
            }
            text.AppendLine();
        }
        text.AppendLine("Issue 18's targets for one host (GetJourney p99 ≤ 20 ms at 64 concurrent calls, UpdateBlocker p99 ≤ 30 ms, Ingest ≥ 10,000 items/s, push → gRPC watch p99 ≤ 20 ms) are measured by the one-host run (bench/results/end-to-end.json); the cluster's target is that the same load runs through the balancer for at least 60 s per phase with its throughput, p99 and errors reported, which end-to-end-cluster.json records per phase.");
        return text.ToString();
    }

    private sealed record Figure(string name, double value, string unit, string target, bool met, string command);

    /// <summary>Each figure as bench/results/end-to-end.json has them, so a later run can be compared line by line.</summary>
    private static async Task WriteFiguresAsync(List<ClusterRun> runs, Options options, string command)
    {
        static double Round(double value, int digits) => double.IsFinite(value) ? Math.Round(value, digits, MidpointRounding.AwayFromZero) : -1;
        const string Reported = "throughput, p99 and errors reported over >= 60 s through the balancer (issue 18)";
        var figures = new List<Figure>();
        foreach (var run in runs)
        {
            // One node behind the balancer is the reference the cluster is read against; the cluster carries the target.
            var target = run.Nodes > 1 ? Reported : "reference (1 node behind the same balancer, same run)";
            void Phase(string phase, double seconds, double perSecond, string unit, double p50, double p99, long errors, IEnumerable<(string Server, double Cpu)> cpu, string cpuUnit)
            {
                var met = run.Nodes == 1 || (seconds >= LeastSeconds && perSecond > 0 && double.IsFinite(p99));
                var name = $"{run.Name} behind the balancer: {phase}";
                figures.Add(new($"{name} seconds measured", Round(seconds, 1), "s", run.Nodes > 1 ? ">= 60" : "reference", run.Nodes == 1 || seconds >= LeastSeconds, command));
                figures.Add(new($"{name} throughput", Round(perSecond, 0), unit, target, met, command));
                figures.Add(new($"{name} p50", Round(p50, 2), "ms", "reference", true, command));
                figures.Add(new($"{name} p99", Round(p99, 2), "ms", target, met, command));
                figures.Add(new($"{name} errors", errors, "count", target, met, command));
                foreach (var (server, perCall) in cpu)
                    figures.Add(new($"{name} {server} CPU", Round(perCall, 1), cpuUnit, "reference", true, command));
            }
            foreach (var r in run.Unary)
                Phase(r.Call, r.Seconds, r.PerSecond, "calls/s", r.P50, r.P99, r.Errors, r.CpuPerServer, "µs per call");
            var i = run.Ingest;
            Phase("Ingest (per batch latency)", i.Seconds, i.ItemsPerSecond, "items/s", i.BatchP50, i.BatchP99, i.Errors.Count, i.CpuPerServer, "µs per item");
            var p = run.Push;
            Phase("push to gRPC watch", p.Seconds, p.Samples / p.Seconds, "changes/s (one at a time)", p.P50, p.P99, p.Errors.Count, [], "");
            figures.Add(new($"{run.Name} behind the balancer: setup items refused (sent again)", run.SetupErrors.Count, "count", target, true, command));
            figures.Add(new($"{run.Name} behind the balancer: errors logged by the nodes", run.NodeErrors.Values.Sum(), "count", target, true, command));
            foreach (var (server, perSecond) in run.Idle[^1])
                figures.Add(new($"{run.Name} behind the balancer: idle {server} CPU ({IdleSeconds}–{2 * IdleSeconds} s after the warm-up)", Round(perSecond, 1), "ms per s", "reference", true, command));
            figures.Add(new($"{run.Name} behind the balancer: load average (1 min) at the end", Round(double.Parse(run.Push.LoadAverage.Split(',')[0], CultureInfo.InvariantCulture), 2), "runnable tasks", "reference", true, command));
        }
        var single = runs.FirstOrDefault(r => r.Nodes == 1);
        if (single is not null)
            foreach (var run in runs.Where(r => r.Nodes > 1))
            {
                foreach (var (r, one) in run.Unary.Zip(single.Unary))
                    figures.Add(new($"{run.Name} ÷ 1 node: {r.Call} calls/s", Round(r.PerSecond / one.PerSecond, 3), "ratio", "reference", true, command));
                figures.Add(new($"{run.Name} ÷ 1 node: Ingest items/s", Round(run.Ingest.ItemsPerSecond / single.Ingest.ItemsPerSecond, 3), "ratio", "reference", true, command));
            }
        var json = System.Text.Json.JsonSerializer.Serialize(figures, new System.Text.Json.JsonSerializerOptions
        {
            WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Json))!);
        await File.WriteAllTextAsync(options.Json, json + Environment.NewLine);
        Console.WriteLine($"Written to {options.Json}");
    }
}

/// <summary>
/// A cluster started with deploy/dev/cluster.sh up: its balancer's gRPC address and the processes that do the work.
/// Disposing runs cluster.sh down, which stops every process up started (also when this process is ended by a signal).
/// </summary>
internal sealed partial class DevCluster : IAsyncDisposable
{
    private readonly string _silo;
    private readonly string _dir;
    private int _down;

    private DevCluster(string silo, string dir, Uri grpc, int[] nodePids)
    {
        (_silo, _dir, Grpc, NodePids) = (silo, dir, grpc, nodePids);
        AppDomain.CurrentDomain.ProcessExit += OnExit;
    }

    public Uri Grpc { get; }

    public int[] NodePids { get; }

    /// <summary><c>cluster.sh up <paramref name="nodes"/> <paramref name="dir"/> settings...</c>; settings are not secrets (a key's hash, limits).</summary>
    public static async Task<DevCluster> UpAsync(string silo, int nodes, string dir, IReadOnlyDictionary<string, string> settings)
    {
        Console.WriteLine($"cluster.sh up {nodes} {dir} ...");
        var stdout = await RunAsync(silo, TimeSpan.FromMinutes(5), ["up", nodes.ToString(CultureInfo.InvariantCulture), dir, .. settings.Select(s => $"{s.Key}={s.Value}")]);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var balancer = BalancerLine().Match(lines[^1]);
        if (!balancer.Success)
            throw new InvalidOperationException($"cluster.sh up printed no balancer line: {stdout}");
        var pids = lines[..^1].Select(l => int.Parse(NodePid().Match(l).Groups["pid"].Value, CultureInfo.InvariantCulture)).ToArray();
        return new DevCluster(silo, dir, new Uri($"http://{balancer.Groups["grpc"].Value}/"), pids);
    }

    /// <summary>The errors the nodes of the cluster in <paramref name="dir"/> logged, by node, category and event id.</summary>
    public static Dictionary<string, long> NodeErrors(string dir)
    {
        var errors = new Dictionary<string, long>();
        foreach (var log in Directory.EnumerateFiles(dir, "node.log", SearchOption.AllDirectories).Order())
            foreach (var line in File.ReadLines(log).Where(l => l.StartsWith('{')))
            {
                using var entry = System.Text.Json.JsonDocument.Parse(line);
                var root = entry.RootElement;
                if (root.GetProperty("LogLevel").GetString() is "Error" or "Critical")
                {
                    var kind = $"{Path.GetFileName(Path.GetDirectoryName(log))} {root.GetProperty("Category").GetString()} {root.GetProperty("EventId").GetInt32()}";
                    errors[kind] = errors.GetValueOrDefault(kind) + 1;
                }
            }
        return errors;
    }

    /// <summary>Every node, the balancer and PostgreSQL (the postmaster with its backends), as cluster.sh recorded them.</summary>
    public IReadOnlyList<CpuMeter> Meters()
    {
        var meters = NodePids.Select((pid, i) => new CpuMeter($"node {i + 1}", pid)).ToList();
        var balancer = File.ReadLines(Path.Combine(_dir, "pids")).Select(l => l.Split(' ')).Single(f => f[0] == "balancer");
        meters.Add(new CpuMeter("HAProxy", int.Parse(balancer[1], CultureInfo.InvariantCulture)));
        var postmaster = File.ReadLines(Path.Combine(_dir, "postgres", "data", "postmaster.pid")).First();
        meters.Add(new CpuMeter("PostgreSQL", int.Parse(postmaster, CultureInfo.InvariantCulture), WithChildren: true));
        return meters;
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
        if (Interlocked.Exchange(ref _down, 1) == 0)
            await RunAsync(_silo, TimeSpan.FromMinutes(4), ["down", _dir]);
        Console.WriteLine($"cluster.sh down {_dir}: done");
    }

    private void OnExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0)
            RunAsync(_silo, TimeSpan.FromMinutes(4), ["down", _dir]).GetAwaiter().GetResult();
    }

    /// <summary>Runs the script; its stdout, or a failure with its stderr (its progress).</summary>
    private static async Task<string> RunAsync(string silo, TimeSpan limit, string[] arguments)
    {
        var run = await ClusterScript.RunAsync(silo, limit, arguments);
        return run.ExitCode == 0 ? run.Stdout : throw new InvalidOperationException($"cluster.sh {arguments[0]} exited with {run.ExitCode}:\n{run.Stderr}");
    }

    [GeneratedRegex(@"^node \d+ web=\S+ grpc=\S+ pid=(?<pid>\d+)$")]
    private static partial Regex NodePid();

    [GeneratedRegex(@"^balancer web=\S+ grpc=(?<grpc>127\.0\.0\.1:\d+) keys=\S+$")]
    private static partial Regex BalancerLine();
}

/// <summary>A process whose CPU time (user + system) is read before and after a phase; with its children for PostgreSQL's backends.</summary>
internal sealed record CpuMeter(string Name, int Pid, bool WithChildren = false)
{
    public TimeSpan Cpu()
    {
        var total = Of(Pid);
        if (WithChildren)
            foreach (var entry in Directory.EnumerateDirectories("/proc"))
                if (int.TryParse(Path.GetFileName(entry), out var pid) && ParentOf(pid) == Pid)
                    total += Of(pid);
        return total;
    }

    private static TimeSpan Of(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return TimeSpan.Zero; // it has exited
        }
    }

    private static int ParentOf(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid ...", comm may hold spaces or parentheses.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}

/// <summary>Errors of a phase by kind; for one host, where none are expected, the first is thrown instead.</summary>
internal sealed class ErrorTally(bool rethrow)
{
    private readonly ConcurrentDictionary<string, long> _kinds = new();

    public IReadOnlyDictionary<string, long> Kinds => _kinds;

    public long Count => _kinds.Values.Sum();

    public void Add(string kind, Exception error, long count = 1)
    {
        if (rethrow)
            ExceptionDispatchInfo.Capture(error).Throw();
        _kinds.AddOrUpdate(kind, count, (_, n) => n + count);
    }
}

internal static class LoadAverage
{
    /// <summary>/proc/loadavg's 1, 5 and 15 minute figures.</summary>
    public static string Now() => File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
