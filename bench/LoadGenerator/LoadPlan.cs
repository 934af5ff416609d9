using System.Diagnostics;
using CareTwin.Api.Contracts.V1;
using CareTwin.Bench.Shared;
using CareTwin.Testing;

/// <summary>
/// The load itself, whatever answers it (one host, or a cluster behind its balancer): the children it is run over,
/// their setup through Ingest, the calls each phase makes, and the unmeasured warm-up.
/// </summary>
internal sealed class LoadPlan
{
    private const string LoadSystem = "load-generator";
    private const string Service = "health.ltv-team.royal-thamesbank";

    private readonly RawGrpcChannel _channel;
    private readonly Options _options;

    public LoadPlan(RawGrpcChannel channel, Options options)
    {
        (_channel, _options) = (channel, options);
        Children = Enumerable.Range(0, options.Children).Select(i => $"load-{i:D4}").ToArray();
        Target = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60);
        Read = async (worker, n, ct) =>
            await channel.UnaryAsync("/caretwin.v1.Journeys/GetJourney", new GetJourneyRequest { ChildId = Children[(worker + n * options.Concurrency) % Children.Length] }, Journey.Parser, ct);
        Write = async (worker, n, ct) =>
            await channel.UnaryAsync("/caretwin.v1.Journeys/UpdateBlocker", new UpdateBlockerRequest
            {
                // Each worker has its own children, so writes to one twin do not queue behind another worker's.
                ChildId = Children[(worker + (n % Math.Max(1, Children.Length / options.Concurrency)) * options.Concurrency) % Children.Length],
                ExternalId = $"w{worker}-{n}",
                BlockerId = "blocker-1",
                TargetDate = Dates.Of(Target.AddDays(1 + n % 2)),
            }, ChangeReply.Parser, ct);
        // One hot child: every worker reads the same twin (and appends to the same audit trail).
        ReadHot = async (_, _, ct) =>
            await channel.UnaryAsync("/caretwin.v1.Journeys/GetJourney", new GetJourneyRequest { ChildId = Children[0] }, Journey.Parser, ct);
    }

    public string[] Children { get; }

    public DateOnly Target { get; }

    /// <summary>GetJourney, spread over the children.</summary>
    public Func<int, int, CancellationToken, Task> Read { get; }

    /// <summary>UpdateBlocker, each worker over its own children.</summary>
    public Func<int, int, CancellationToken, Task> Write { get; }

    /// <summary>GetJourney of one child by every worker.</summary>
    public Func<int, int, CancellationToken, Task> ReadHot { get; }

    /// <summary>What every host under load is given besides its storage and listeners (<see cref="BenchHostSettings"/>).</summary>
    public static Dictionary<string, string> HostSettings(GeneratedApiKey key) => BenchHostSettings.For(key, LoadSystem, "Load generator", Service);

    /// <summary>Setup: children registered, each with a hospital discharge and one blocker, in Ingest batches. Returns items/s.</summary>
    public Task<double> SetupAsync() => SetupAsync(new ErrorTally(rethrow: true));

    /// <param name="errors">Refused items: thrown (one host), or counted and sent again, as an EPR would (through a cluster).</param>
    public async Task<double> SetupAsync(ErrorTally errors)
    {
        var setup = Stopwatch.StartNew();
        foreach (var batch in IngestedChildren.Batches(Children, Service, Target, _ => "Test"))
        {
            var request = batch;
            for (var attempt = 1; ; attempt++)
            {
                var reply = await _channel.UnaryAsync("/caretwin.v1.Ingest/Ingest", request, IngestReply.Parser);
                var refused = reply.Results.Where(r => r.Outcome == ChangeOutcome.Refused).ToArray();
                if (refused.Length == 0)
                    break;
                var failure = new InvalidOperationException($"Setup batch: {reply.Accepted} of {request.Items.Count} accepted; first refusal: {refused[0].Message}");
                if (attempt == 5)
                    throw failure;
                errors.Add($"setup items refused, {(GrpcStatusCode)refused[0].StatusCode}", failure, refused.Length);
                // The same items again (their external ids make a second delivery of one that did land a duplicate), in order.
                var again = new IngestRequest();
                again.Items.Add(refused.Select(r => request.Items[r.Index]));
                request = again;
            }
        }
        var ingestRate = Children.Length * 3 / setup.Elapsed.TotalSeconds;
        Console.WriteLine($"Setup: {Children.Length * 3} ingest items in {setup.Elapsed.TotalSeconds:F1} s ({ingestRate:F0} items/s)");
        return ingestRate;
    }

    /// <summary>A host in service has run these paths long since: the JIT has tiered them up before anything is measured.</summary>
    public async Task WarmAsync()
    {
        Console.WriteLine($"Warming the host up: {_options.HostWarmUpSeconds} s of each call, not measured");
        foreach (var (warm, first) in new[] { (Read, 2_000_000), (Write, 2_000_000), (ReadHot, 2_000_000) })
            await Load.WarmAsync(_options, warm, TimeSpan.FromSeconds(_options.HostWarmUpSeconds), first);
    }
}
