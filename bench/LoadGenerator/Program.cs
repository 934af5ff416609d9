using System.Diagnostics;
using System.Globalization;
using System.Text;
using CareTwin.Api.Contracts.V1;
using CareTwin.Bench.Shared;
using CareTwin.Testing;
using Google.Protobuf.WellKnownTypes;

// Load on the caretwin.v1 API of a CareTwin host started here as its own process, over real HTTP/2 on 127.0.0.1,
// each call measured right after the same load on a bare Grpc.AspNetCore echo (the floor), which runs beside it
// (idle while CareTwin is measured): the machine is shared, so each ratio is taken against the echo next to it.
// Each phase first runs unmeasured for a warm-up (the JIT tiers up; the twins and trails activate).
// Right after the first echo, two rungs answered by the echo server too: the echo through one grain call, and through
// one grain call that appends an audit entry durably first (bench/EchoServer's EchoLadder), GetJourney's least.
// Every phase is bounded in time or count and each server is stopped at the end.
//   dotnet build -c Release src/Silo && dotnet build -c Release bench/EchoServer
//   dotnet run -c Release --project bench/LoadGenerator -- [--silo PATH] [--echo PATH] [--seconds 10] [--concurrency 64]
//     [--out bench/results/api.md] [--json bench/results/end-to-end.json]
// Besides api.md it writes each figure against issue 18's target to end-to-end.json, as ratios to the echo of this run.
// With --cluster 3,1 it runs the same phases through deploy/dev/cluster.sh's balancer instead (ClusterLoad.cs).
var options = Options.Parse(args);
if (options.ClusterNodes.Length > 0)
{
    await ClusterLoad.RunAsync(options);
    return;
}
await using var floor = await EchoFloor.StartAsync(options);

var key = GeneratedApiKey.New();

Console.WriteLine($"Starting {options.Silo} ...");
var data = Directory.CreateTempSubdirectory("caretwin-load-");
try
{
    var settings = LoadPlan.HostSettings(key);
    await using var silo = SiloProcess.Start(options.Silo, data.FullName, settings);
    await silo.WaitUntilListeningAsync(TimeSpan.FromMinutes(2));
    await silo.WaitUntilDemoRegionLoadedAsync(TimeSpan.FromMinutes(2));
    Console.WriteLine($"Host listening for gRPC on {silo.GrpcAddress}");
    using (var channel = new RawGrpcChannel(silo.GrpcAddress, key.Key))
        await RunAsync(channel, silo.Pid);
    Console.WriteLine($"Host stopped with exit code {await silo.StopAsync(TimeSpan.FromSeconds(60))}");
}
finally
{
    data.Delete(recursive: true);
}

async Task RunAsync(RawGrpcChannel channel, int siloPid)
{
    var plan = new LoadPlan(channel, options);
    var ingestRate = await plan.SetupAsync();
    var (children, target, read, write, readHot) = (plan.Children, plan.Target, plan.Read, plan.Write, plan.ReadHot);
    await plan.WarmAsync();

    var readsEcho = await floor.MeasureAsync();
    // The rungs between the echo and GetJourney, beside the echo just measured: what is left of it once a call
    // goes through one grain, then through one grain that makes an audit entry durable before answering.
    var throughGrain = await floor.MeasureThroughGrainAsync();
    var audited = await floor.MeasureAuditedAsync();
    var reads = await Load.RunAsync("GetJourney", options, siloPid, read);
    var writesEcho = await floor.MeasureAsync();
    var writes = await Load.RunAsync("UpdateBlocker", options, siloPid, write);
    var hotEcho = await floor.MeasureAsync();
    var hot = await Load.RunAsync("GetJourney, one hot child", options, siloPid, readHot);
    var ingest = await IngestThroughput.RunAsync(channel, options, children, target, siloPid);
    var push = await PushToWatch.RunAsync(channel, children.Take(options.Watchers).ToArray(), options.Pushes, target);

    var report = new StringBuilder();
    report.AppendLine("# gRPC API load (caretwin.v1)");
    report.AppendLine();
    report.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd} with `dotnet run -c Release --project bench/LoadGenerator` on this machine ({Environment.ProcessorCount} cores, .NET {Environment.Version}), the load generator and the host sharing its cores with whatever else the machine was running (see the load average). The host ran as its own process (`dotnet CareTwin.Silo.dll`, Release, SQLite file, Production settings) and was driven over real HTTP/2 without TLS (h2c) on 127.0.0.1 by `bench/LoadGenerator`: HttpClient with HTTP/2 prior knowledge and its own gRPC framing, messages from the same .proto files. Every call authenticated with an API key, passed the access gate (which writes a durable audit entry) and, for writes, appended to the child's journal durably before the reply.");
    report.AppendLine();
    report.AppendLine(CultureInfo.InvariantCulture, $"Load average (1, 5, 15 min) at the end of the run: {LoadAverage.Now()} (other work shares these cores: read the ratios to the echo).");
    report.AppendLine();
    report.AppendLine(CultureInfo.InvariantCulture, $"Setup: {children.Length} children, each registered with a hospital discharge and one blocker through Ingest in batches of 300 items: **{ingestRate:F0} items/s**.");
    report.AppendLine();
    report.AppendLine("| unary call | concurrency | seconds | calls | calls/s | p50 | p99 | errors | server CPU per call | client CPU per call |");
    report.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
    foreach (var result in new[] { readsEcho, throughGrain, audited, reads, hotEcho, hot, writesEcho, writes })
        report.AppendLine(result.Row());
    report.AppendLine();
    report.AppendLine(CultureInfo.InvariantCulture, $"The floor is `Echo`: a bare Grpc.AspNetCore unary echo (`bench/EchoServer`, same Kestrel h2c setup, nothing behind it), driven by the same client at the same concurrency in the same run, measured for {options.Seconds} s before each CareTwin call (the echo server stays up, idle, while CareTwin is measured; GetJourney's echo is the one measured before the two rungs). As ratios to that echo:");
    report.AppendLine();
    report.AppendLine("| unary call | calls/s ÷ echo | p50 ÷ echo | p99 ÷ echo | server CPU per call ÷ echo's |");
    report.AppendLine("|---|---|---|---|---|");
    foreach (var (result, beside) in new[] { (throughGrain, readsEcho), (audited, readsEcho), (reads, readsEcho), (hot, hotEcho), (writes, writesEcho) })
        report.AppendLine(result.RatioRow(beside));
    report.AppendLine();
    report.AppendLine(CultureInfo.InvariantCulture, $"Ingest: {ingest.Workers} callers, each sending batches of {ingest.BatchSize} UpdateBlocker items over its own {ingest.ChildrenPerWorker} children, for {ingest.Seconds:F1} s: {ingest.Items} items accepted, **{ingest.ItemsPerSecond:F0} items/s** (batch p50 {ingest.BatchP50:F0} ms, p99 {ingest.BatchP99:F0} ms); the host spent {ingest.ServerCpuPerItem:F0} µs of CPU per item.");
    report.AppendLine();
    report.AppendLine(CultureInfo.InvariantCulture, $"Push to watch: {push.Samples} changes (UpdateBlocker, one at a time, round-robin over {options.Watchers} children, each watched by its own WatchChild stream). Time from sending the push to its change arriving on the watch stream: **p50 {push.P50:F1} ms, p99 {push.P99:F1} ms, max {push.Max:F1} ms**. The same push's unary reply took p50 {push.ReplyP50:F1} ms.");
    report.AppendLine();
    report.AppendLine(CultureInfo.InvariantCulture, $"The two rungs between the echo and GetJourney bound what a read can reach: the least a call does that reads a grain and makes its audit entry durable before answering. Both are answered in the echo's own process: `{EchoFloor.ThroughGrain}` by a plain (non-reentrant) grain keyed by the request, one of {options.Children} keys spread over the callers like the children, in an Orleans silo beside the echo (localhost clustering; it starts with the first rung call, so the first echo is measured without it, and stays up, idle, after); `{EchoFloor.Audited}` by the same grain after it appends one audit-sized JSON entry (~300 bytes) to its own journal at the version after its last, through CareTwin's SQLite store (`SqliteStorageProvider`, its group commit, a database file in a temporary directory). What GetJourney adds above the second rung is its own: the API key, the access gate, the journey's read model and the reply.");
    report.AppendLine();
    report.AppendLine("GetJourney reads a whole journey (two grain calls: the access gate's read and an audit append). UpdateBlocker is a durable journal append per call, plus its audit entry; the writes are bounded by SQLite's group commit on this disk. A change reaches watchers through the runtime's in-memory stream, then one journey read per watcher.");
    Console.WriteLine(report);
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Out))!);
    await File.WriteAllTextAsync(options.Out, report.ToString());
    Console.WriteLine($"Written to {options.Out}");
    await EndToEnd.WriteAsync(options, readsEcho, throughGrain, audited, reads, writesEcho, hot, writes, ingest, push);
}


/// <param name="ClusterNodes">With --cluster 3,1: the load through a cluster of each size behind its balancer instead (ClusterLoad.cs).</param>
internal sealed record Options(int[] ClusterNodes, string Silo, string Echo, int Seconds, int Concurrency, int Children, int Watchers, int Pushes, string Out, string Json, int IngestBatch, int IngestWorkers, int WarmUpSeconds, int HostWarmUpSeconds)
{
    public static Options Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        }
        var root = Repository.Root;
        var cluster = Value("--cluster", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        return new Options(
            cluster,
            Value("--silo", Path.Combine(root, "src", "Silo", "bin", "Release", "net10.0", "CareTwin.Silo.dll")),
            Value("--echo", Path.Combine(root, "bench", "EchoServer", "bin", "Release", "net10.0", "CareTwin.EchoServer.dll")),
            // Issue 18 asks for at least 60 s of each phase through the cluster.
            int.Parse(Value("--seconds", cluster.Length > 0 ? "60" : "10"), CultureInfo.InvariantCulture),
            int.Parse(Value("--concurrency", "64"), CultureInfo.InvariantCulture),
            int.Parse(Value("--children", "256"), CultureInfo.InvariantCulture),
            int.Parse(Value("--watchers", "8"), CultureInfo.InvariantCulture),
            int.Parse(Value("--pushes", "2000"), CultureInfo.InvariantCulture),
            Value("--out", Path.Combine(root, "bench", "results", cluster.Length > 0 ? "end-to-end-cluster.md" : "api.md")),
            Value("--json", Path.Combine(root, "bench", "results", cluster.Length > 0 ? "end-to-end-cluster.json" : "end-to-end.json")),
            int.Parse(Value("--ingest-batch", "500"), CultureInfo.InvariantCulture),
            int.Parse(Value("--ingest-callers", "4"), CultureInfo.InvariantCulture),
            int.Parse(Value("--warm-up", "3"), CultureInfo.InvariantCulture),
            int.Parse(Value("--host-warm-up", "10"), CultureInfo.InvariantCulture));
    }
}

/// <summary>The bare echo server, up for the whole run, loaded like the CareTwin calls whenever a floor is wanted.</summary>
internal sealed class EchoFloor : IAsyncDisposable
{
    private readonly Process _server;
    private readonly RawGrpcChannel _channel;
    private readonly Options _options;

    private EchoFloor(Process server, RawGrpcChannel channel, Options options) => (_server, _channel, _options) = (server, channel, options);

    public static async Task<EchoFloor> StartAsync(Options options)
    {
        if (!File.Exists(options.Echo))
            throw new FileNotFoundException($"Build the echo server first: dotnet build -c Release bench/EchoServer ({options.Echo} is missing).");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { options.Echo, "--port", port.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        var server = Process.Start(start)!;
        var ready = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Console.WriteLine(ready);
        return new EchoFloor(server, new RawGrpcChannel(new Uri($"http://127.0.0.1:{port}/"), apiKey: null), options);
    }

    public const string ThroughGrain = "SayThroughGrain";

    public const string Audited = "SayAudited";

    public Task<LoadResult> MeasureAsync()
    {
        var request = new CareTwin.Bench.Echo.EchoRequest { Text = "floor" };
        return Load.RunAsync("Echo (floor)", _options, _server.Id, async (_, _, ct) =>
            await _channel.UnaryAsync("/caretwin.bench.v1.Echo/Say", request, CareTwin.Bench.Echo.EchoReply.Parser, ct));
    }

    /// <summary>The echo through one grain call.</summary>
    public Task<LoadResult> MeasureThroughGrainAsync() => MeasureRungAsync($"Echo through one grain call ({ThroughGrain})", ThroughGrain);

    /// <summary>The echo through one grain call that first appends an audit entry durably.</summary>
    public Task<LoadResult> MeasureAuditedAsync() => MeasureRungAsync($"Echo through one grain call and one durable append ({Audited})", Audited);

    /// <summary>The calls spread over as many grain keys as there are children, the way GetJourney spreads its reads.</summary>
    private async Task<LoadResult> MeasureRungAsync(string call, string method)
    {
        var requests = Enumerable.Range(0, _options.Children).Select(i => new CareTwin.Bench.Echo.EchoRequest { Text = $"echo-{i:D4}" }).ToArray();
        var path = $"/caretwin.bench.v1.EchoLadder/{method}";
        // The echo server starts its silo with the first rung call: that start is not the warm-up, so it is over before the warm-up begins.
        await _channel.UnaryAsync(path, requests[0], CareTwin.Bench.Echo.EchoReply.Parser);
        return await Load.RunAsync(call, _options, _server.Id, async (worker, n, ct) =>
            await _channel.UnaryAsync(path, requests[(worker + n * _options.Concurrency) % requests.Length], CareTwin.Bench.Echo.EchoReply.Parser, ct));
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        // SIGTERM (.NET has no API for it), so the echo server stops its silo and deletes its database; killed if it hangs.
        using (var term = Process.Start("kill", ["-TERM", _server.Id.ToString(CultureInfo.InvariantCulture)]))
            await term.WaitForExitAsync();
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _server.WaitForExitAsync(stopping.Token);
        }
        catch (OperationCanceledException)
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }
        _server.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal static class Dates
{
    public static Date Of(DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };
}

/// <param name="ServerCpuPerCall">CPU time the server process spent per call (µs), from its user+system time over the phase.</param>
/// <param name="ClientCpuPerCall">CPU time this load generator spent per call (µs).</param>
internal sealed record LoadResult(string Call, int Concurrency, double Seconds, long Calls, long Errors, double P50, double P99, double ServerCpuPerCall, double ClientCpuPerCall)
{
    /// <summary>Each measured process's share of <see cref="ServerCpuPerCall"/> (µs per call).</summary>
    public IReadOnlyList<(string Server, double CpuPerCall)> CpuPerServer { get; init; } = [];

    /// <summary>The errors by gRPC status.</summary>
    public IReadOnlyDictionary<string, long> ErrorKinds { get; init; } = new Dictionary<string, long>();

    /// <summary>/proc/loadavg's 1, 5 and 15 minute figures when the phase ended.</summary>
    public string LoadAverage { get; init; } = "";

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Call} | {Concurrency} | {Seconds:F1} | {Calls} | **{Calls / Seconds:F0}** | {P50:F2} ms | {P99:F2} ms | {Errors} | {ServerCpuPerCall:F0} µs | {ClientCpuPerCall:F0} µs |");

    public double PerSecond => Calls / Seconds;

    public string RatioRow(LoadResult floor) => string.Create(CultureInfo.InvariantCulture,
        $"| {Call} | **{Calls / Seconds / (floor.Calls / floor.Seconds):F2}** | {P50 / floor.P50:F1}× | {P99 / floor.P99:F1}× | {ServerCpuPerCall / floor.ServerCpuPerCall:F1}× |");
}

internal static class Load
{
    /// <summary>Runs <c>concurrency</c> workers, each calling back to back, for the configured seconds.</summary>
    /// <param name="server">The process answering, whose CPU time per call is reported.</param>
    public static Task<LoadResult> RunAsync(string call, Options options, int server, Func<int, int, CancellationToken, Task> send) =>
        RunAsync(call, options, [new CpuMeter("server", server)], send);

    /// <param name="servers">The processes answering (a cluster's nodes, its balancer, its database), each one's CPU time per call reported.</param>
    public static async Task<LoadResult> RunAsync(string call, Options options, IReadOnlyList<CpuMeter> servers, Func<int, int, CancellationToken, Task> send)
    {
        await RunForAsync(call, options, send, TimeSpan.FromSeconds(options.WarmUpSeconds), 1_000_000);
        var serverBefore = servers.Select(s => s.Cpu()).ToArray();
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var result = await RunForAsync(call, options, send, TimeSpan.FromSeconds(options.Seconds), 0);
        var calls = Math.Max(1, result.Calls);
        var perServer = servers.Select((s, i) => (s.Name, (s.Cpu() - serverBefore[i]).TotalMicroseconds / calls)).ToArray();
        result = result with
        {
            ServerCpuPerCall = perServer.Sum(s => s.Item2),
            ClientCpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalMicroseconds / calls,
            CpuPerServer = perServer,
            LoadAverage = LoadAverage.Now(),
        };
        Console.WriteLine(result.Row());
        return result;
    }

    /// <summary>Load that is not measured.</summary>
    public static Task WarmAsync(Options options, Func<int, int, CancellationToken, Task> send, TimeSpan duration, int firstCall) =>
        RunForAsync("warm-up", options, send, duration, firstCall);

    /// <param name="firstCall">Numbers the calls from here, so a warm-up's calls and the measured ones differ.</param>
    private static async Task<LoadResult> RunForAsync(string call, Options options, Func<int, int, CancellationToken, Task> send, TimeSpan duration, int firstCall)
    {
        using var stop = new CancellationTokenSource(duration);
        var latencies = new List<double>[options.Concurrency];
        long errors = 0;
        var kinds = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = [];
            for (var n = firstCall; !stop.IsCancellationRequested; n++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await send(worker, n, CancellationToken.None);
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (GrpcCallException error)
                {
                    kinds.AddOrUpdate(error.Status.ToString(), 1, (_, n) => n + 1);
                    if (Interlocked.Increment(ref errors) == 1)
                        Console.WriteLine($"{call}: {error.Message}");
                }
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(call, options.Concurrency, elapsed, all.Length, errors, Percentile(all, 0.50), Percentile(all, 0.99), 0, 0) { ErrorKinds = kinds };
    }

    public static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

internal sealed record PushResult(int Samples, double P50, double P99, double Max, double ReplyP50)
{
    public double Seconds { get; init; }

    public ErrorTally Errors { get; init; } = new(rethrow: true);

    public string LoadAverage { get; init; } = "";
}

internal static class PushToWatch
{
    /// <summary>Watches the children, then pushes one change at a time and times each until its watch shows it.</summary>
    public static Task<PushResult> RunAsync(RawGrpcChannel channel, string[] children, int pushes, DateOnly target) =>
        RunAsync(channel, children, pushes, TimeSpan.Zero, target, new ErrorTally(rethrow: true));

    /// <param name="pushes">At least this many changes...</param>
    /// <param name="minimum">...and for at least this long.</param>
    /// <param name="errors">Failed pushes and changes that never reached their watch: counted by kind (through a cluster), or thrown (one host).</param>
    public static async Task<PushResult> RunAsync(RawGrpcChannel channel, string[] children, int pushes, TimeSpan minimum, DateOnly target, ErrorTally errors)
    {
        using var watching = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var arrivals = new System.Collections.Concurrent.ConcurrentDictionary<(string Child, long Version), TaskCompletionSource<long>>();
        TaskCompletionSource<long> Arrival(string child, long version) =>
            arrivals.GetOrAdd((child, version), _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        var opened = children.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var watches = children.Select((child, i) => Task.Run(async () =>
        {
            try
            {
                await foreach (var update in channel.StreamAsync("/caretwin.v1.Watch/WatchChild", new WatchChildRequest { ChildId = child }, ChildUpdate.Parser, watching.Token))
                {
                    if (update.Snapshot is not null)
                        opened[i].TrySetResult();
                    else
                        Arrival(child, update.Change.Version).TrySetResult(Stopwatch.GetTimestamp());
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToArray();
        await Task.WhenAll(opened.Select(o => o.Task)).WaitAsync(TimeSpan.FromMinutes(1));

        var latencies = new List<double>();
        var replies = new List<double>();
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < pushes || clock.Elapsed < minimum; n++)
        {
            var child = children[n % children.Length];
            var sent = Stopwatch.GetTimestamp();
            ChangeReply reply;
            try
            {
                reply = await channel.UnaryAsync("/caretwin.v1.Journeys/UpdateBlocker", new UpdateBlockerRequest
                {
                    ChildId = child, ExternalId = $"push-{n}", BlockerId = "blocker-1", TargetDate = Dates.Of(target.AddDays(3 + n % 2)),
                }, ChangeReply.Parser);
            }
            catch (GrpcCallException error)
            {
                errors.Add($"push {error.Status}", error);
                continue;
            }
            replies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            long arrived;
            try
            {
                arrived = await Arrival(child, reply.Version).Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException error)
            {
                errors.Add("change not on its watch within 30 s", error);
                continue;
            }
            latencies.Add(Stopwatch.GetElapsedTime(sent, arrived).TotalMilliseconds);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        watching.Cancel();
        await Task.WhenAll(watches);
        var sorted = latencies.Order().ToArray();
        var replySorted = replies.Order().ToArray();
        return new PushResult(sorted.Length, Load.Percentile(sorted, 0.5), Load.Percentile(sorted, 0.99), sorted.Length == 0 ? double.NaN : sorted[^1], Load.Percentile(replySorted, 0.5))
        {
            Seconds = seconds, Errors = errors, LoadAverage = LoadAverage.Now(),
        };
    }
}

internal sealed record IngestResult(int Workers, int BatchSize, int ChildrenPerWorker, double Seconds, long Items, double BatchP50, double BatchP99, double ServerCpuPerItem)
{
    /// <summary>Each measured process's share of <see cref="ServerCpuPerItem"/> (µs per item).</summary>
    public IReadOnlyList<(string Server, double CpuPerItem)> CpuPerServer { get; init; } = [];

    public ErrorTally Errors { get; init; } = new(rethrow: true);

    public string LoadAverage { get; init; } = "";

    public double ItemsPerSecond => Items / Seconds;
}

internal static class IngestThroughput
{
    /// <summary>
    /// Callers each send full Ingest batches of UpdateBlocker items, back to back, over their own children (so one
    /// caller's items never queue behind another's twin); each batch is answered only when every item is durable.
    /// </summary>
    public static Task<IngestResult> RunAsync(RawGrpcChannel channel, Options options, string[] children, DateOnly target, int server) =>
        RunAsync(channel, options, children, target, [new CpuMeter("server", server)], new ErrorTally(rethrow: true));

    /// <param name="errors">Failed batches and refused items: counted by kind (through a cluster), or thrown (one host).</param>
    public static async Task<IngestResult> RunAsync(RawGrpcChannel channel, Options options, string[] children, DateOnly target, IReadOnlyList<CpuMeter> servers, ErrorTally errors)
    {
        var serverBefore = servers.Select(s => s.Cpu()).ToArray();
        var workers = Math.Max(1, Math.Min(options.IngestWorkers, children.Length));
        var perWorker = children.Length / workers;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.Seconds));
        long items = 0;
        var batches = new List<double>[workers];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var mine = batches[worker] = [];
            var own = children.Skip(worker * perWorker).Take(perWorker).ToArray();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var request = new IngestRequest();
                for (var i = 0; i < options.IngestBatch; i++)
                    request.Items.Add(new IngestItem { UpdateBlocker = new UpdateBlockerRequest
                    {
                        ChildId = own[i % own.Length], ExternalId = $"ingest-{worker}-{n}-{i}", BlockerId = "blocker-1",
                        TargetDate = Dates.Of(target.AddDays(5 + (n * options.IngestBatch + i) / own.Length % 2)),
                    } });
                var started = Stopwatch.GetTimestamp();
                IngestReply reply;
                try
                {
                    reply = await channel.UnaryAsync("/caretwin.v1.Ingest/Ingest", request, IngestReply.Parser);
                }
                catch (GrpcCallException error)
                {
                    errors.Add($"batch {error.Status}", error);
                    continue;
                }
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (reply.Accepted != request.Items.Count)
                    errors.Add($"items refused, {(GrpcStatusCode)(reply.Results.FirstOrDefault(r => r.Outcome == ChangeOutcome.Refused)?.StatusCode ?? 0)}",
                        new InvalidOperationException($"Ingest batch: {reply.Accepted} of {request.Items.Count} accepted; first refusal: {reply.Results.FirstOrDefault(r => r.Outcome == ChangeOutcome.Refused)?.Message}"),
                        request.Items.Count - reply.Accepted);
                Interlocked.Add(ref items, reply.Accepted);
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var sorted = batches.SelectMany(b => b).Order().ToArray();
        var perServer = servers.Select((s, i) => (s.Name, (s.Cpu() - serverBefore[i]).TotalMicroseconds / Math.Max(1, items))).ToArray();
        var result = new IngestResult(workers, options.IngestBatch, perWorker, elapsed, items, Load.Percentile(sorted, 0.5), Load.Percentile(sorted, 0.99),
            perServer.Sum(s => s.Item2)) { CpuPerServer = perServer, Errors = errors, LoadAverage = LoadAverage.Now() };
        Console.WriteLine($"Ingest: {result.Items} items in {result.Seconds:F1} s ({result.ItemsPerSecond:F0} items/s), batch p50 {result.BatchP50:F0} ms p99 {result.BatchP99:F0} ms");
        return result;
    }
}

/// <summary>Issue 18's figures against their targets, as bench/results/end-to-end.json.</summary>
internal static class EndToEnd
{
    private sealed record Figure(string name, double value, string unit, string target, bool met, string command);

    public static async Task WriteAsync(Options options, LoadResult echo, LoadResult throughGrain, LoadResult audited, LoadResult reads, LoadResult writesEcho, LoadResult hot, LoadResult writes, IngestResult ingest, PushResult push)
    {
        const string command = "dotnet run -c Release --project bench/LoadGenerator";
        static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
        var readShare = reads.PerSecond / echo.PerSecond;
        var writeShare = writes.PerSecond / writesEcho.PerSecond;
        var c = options.Concurrency;
        Figure[] figures =
        [
            new("echo calls/s (floor, just before GetJourney)", Round(echo.PerSecond, 0), "calls/s", $"reference, {c} concurrent calls", true, command),
            new("echo calls/s (floor, just before UpdateBlocker)", Round(writesEcho.PerSecond, 0), "calls/s", $"reference, {c} concurrent calls", true, command),
            // The rungs between the echo and GetJourney (bench/EchoServer's EchoLadder), each beside the echo before them.
            new($"echo through one grain call calls/s ({EchoFloor.ThroughGrain})", Round(throughGrain.PerSecond, 0), "calls/s", "reference", true, command),
            new($"echo through one grain call calls/s ÷ echo ({EchoFloor.ThroughGrain})", Round(throughGrain.PerSecond / echo.PerSecond, 3), "ratio", "reference", true, command),
            new($"echo through one grain call and one durable append calls/s ({EchoFloor.Audited})", Round(audited.PerSecond, 0), "calls/s", "reference", true, command),
            new($"echo through one grain call and one durable append calls/s ÷ echo ({EchoFloor.Audited})", Round(audited.PerSecond / echo.PerSecond, 3), "ratio", "reference", true, command),
            new("GetJourney calls/s ÷ echo", Round(readShare, 3), "ratio", ">= 0.30", readShare >= 0.30, command),
            new("GetJourney calls/s", Round(reads.PerSecond, 0), "calls/s", $">= {Round(0.30 * echo.PerSecond, 0)} (30% of echo)", readShare >= 0.30, command),
            new("GetJourney p99", Round(reads.P99, 2), "ms", $"<= 20 at {c} concurrent calls", reads.P99 <= 20, command),
            new("one hot child reads/s", Round(hot.PerSecond, 0), "calls/s", ">= 5000", hot.PerSecond >= 5000, command),
            new("one hot child p99", Round(hot.P99, 2), "ms", "reference", true, command),
            new("UpdateBlocker calls/s ÷ echo", Round(writeShare, 3), "ratio", ">= 0.15", writeShare >= 0.15, command),
            new("UpdateBlocker calls/s", Round(writes.PerSecond, 0), "calls/s", $">= {Round(0.15 * writesEcho.PerSecond, 0)} (15% of echo)", writeShare >= 0.15, command),
            new("UpdateBlocker p99", Round(writes.P99, 2), "ms", "<= 30", writes.P99 <= 30, command),
            new("Ingest items/s", Round(ingest.ItemsPerSecond, 0), "items/s", ">= 10000", ingest.ItemsPerSecond >= 10000, command),
            new("push to gRPC watch p99", Round(push.P99, 2), "ms", "<= 20", push.P99 <= 20, command),
            // What bounds the throughput on a machine of its own: CPU per call, server and this client (µs).
            new("echo server CPU per call", Round(echo.ServerCpuPerCall, 1), "µs", "reference", true, command),
            new($"{EchoFloor.ThroughGrain} server CPU per call", Round(throughGrain.ServerCpuPerCall, 1), "µs", "reference", true, command),
            new($"{EchoFloor.Audited} server CPU per call", Round(audited.ServerCpuPerCall, 1), "µs", "reference", true, command),
            new("GetJourney server CPU per call", Round(reads.ServerCpuPerCall, 1), "µs", "reference", true, command),
            new("one hot child server CPU per call", Round(hot.ServerCpuPerCall, 1), "µs", "reference", true, command),
            new("UpdateBlocker server CPU per call", Round(writes.ServerCpuPerCall, 1), "µs", "reference", true, command),
            new("Ingest server CPU per item", Round(ingest.ServerCpuPerItem, 1), "µs", "reference", true, command),
            new("client CPU per unary call (echo phase)", Round(echo.ClientCpuPerCall, 1), "µs", "reference", true, command),
        ];
        var json = System.Text.Json.JsonSerializer.Serialize(figures, new System.Text.Json.JsonSerializerOptions
        {
            WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Json))!);
        await File.WriteAllTextAsync(options.Json, json + Environment.NewLine);
        Console.WriteLine($"Written to {options.Json}");
    }
}
