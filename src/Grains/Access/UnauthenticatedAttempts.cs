using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CareTwin.Grains.Access;

/// <summary>
/// Attempts by callers nobody has identified (not signed in, no valid API key), counted so that they cannot multiply
/// durable writes: one audit entry per caller address and window (<see cref="AccessOptions.UnauthenticatedAuditWindow"/>),
/// saying how many attempts there were, through which channels and naming the first subjects, in the trail
/// <see cref="Subject"/>. Counted on each node until its window ends, then written by <see cref="FlushAsync"/>.
/// </summary>
public sealed class UnauthenticatedAttempts(IGrainFactory grains, TimeProvider time, TimeSpan window)
{
    public const string Subject = "security/unauthenticated";
    private const int SubjectsNamed = 10;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Address, long Window), Tally> _open = [];

    private sealed class Tally(AccessAction action, string reason)
    {
        public AccessAction Action { get; } = action;
        public string Reason { get; } = reason;
        public int Count { get; set; }
        public SortedSet<string> Channels { get; } = new(StringComparer.Ordinal);
        public List<string> Subjects { get; } = [];
    }

    /// <summary>Counts one attempt (no write: the window's entry is written when it ends).</summary>
    public void Note(string subject, AccessAction action, string reason, AccessChannel channel)
    {
        var key = (AddressOf(channel.Origin), time.GetUtcNow().UtcTicks / window.Ticks);
        lock (_lock)
        {
            if (!_open.TryGetValue(key, out var tally)) _open[key] = tally = new Tally(action, reason);
            tally.Count++;
            tally.Channels.Add(channel.Name);
            if (tally.Subjects.Count < SubjectsNamed && !tally.Subjects.Contains(subject)) tally.Subjects.Add(subject);
        }
    }

    /// <summary>Writes the entries of the windows that have ended (all of them when <paramref name="all"/>, as the host stops).</summary>
    public async Task FlushAsync(bool all = false)
    {
        var current = time.GetUtcNow().UtcTicks / window.Ticks;
        List<((string Address, long Window) Key, Tally Tally)> ended;
        lock (_lock)
        {
            ended = [.. _open.Where(o => all || o.Key.Window < current).Select(o => (o.Key, o.Value))];
            foreach (var (key, _) in ended) _open.Remove(key);
        }
        var audit = grains.GetGrain<IAuditGrain>(Subject);
        foreach (var ((address, number), tally) in ended)
        {
            var from = new DateTimeOffset(number * window.Ticks, TimeSpan.Zero);
            var more = tally.Count > tally.Subjects.Count ? ", …" : "";
            await audit.Record(new AuditEntry(
                from + window, $"unauthenticated:{address}", $"Unidentified caller at {address}", CallerRole.Anonymous, Subject, tally.Action,
                $"{tally.Count} attempt{(tally.Count == 1 ? "" : "s")} from {from:HH:mm:ss} to {from + window:HH:mm:ss} UTC on {string.Join(", ", tally.Subjects)}{more}",
                false, tally.Reason, string.Join(",", tally.Channels), address));
        }
    }

    /// <summary>The caller's address without its port ("ipv4:10.0.0.5:53122" and "10.0.0.5:53122" are both "10.0.0.5").</summary>
    public static string AddressOf(string? origin)
    {
        if (string.IsNullOrEmpty(origin)) return "unknown";
        var text = origin.StartsWith("ipv4:", StringComparison.Ordinal) || origin.StartsWith("ipv6:", StringComparison.Ordinal) ? origin[5..] : origin;
        if (IPEndPoint.TryParse(text, out var endpoint)) return endpoint.Address.ToString();
        return text;
    }
}

/// <summary>Writes the unauthenticated attempts' entries as their windows end, and what is left when the host stops.</summary>
public sealed class UnauthenticatedAttemptsFlush(AccessGate gate, ILogger<UnauthenticatedAttemptsFlush> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync(all: false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(all: true);
    }

    private async Task FlushAsync(bool all)
    {
        try
        {
            await gate.Unauthenticated.FlushAsync(all);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The counts stay out of the trail if the store is down; they are counts, not accesses anyone made.
            logger.LogWarning(ex, "Writing the unauthenticated attempts' audit entries failed");
        }
    }
}
