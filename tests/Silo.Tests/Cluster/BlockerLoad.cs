using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using CareTwin.Testing;

namespace CareTwin.Silo.Tests.Cluster;

/// <summary>
/// load/blocker_load.py running with Debian's python3-grpcio: an EPR updating each child's blocker through a target,
/// one change at a time. Collects what it reports; <see cref="StopAsync"/> closes its stdin and waits for its end.
/// </summary>
public sealed class BlockerLoad : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _stubs;
    private readonly Task _reading;
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly TaskCompletionSource<Ended> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<Acknowledgement> _acknowledged = new();
    private readonly ConcurrentQueue<string> _lost = new();

    private BlockerLoad(Process process, string stubs)
    {
        _process = process;
        _stubs = stubs;
        _reading = Task.WhenAll(ReadAsync(), Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
                _errors.Enqueue(line);
        }));
    }

    /// <summary>A change the cluster acknowledged, and the blocker's target date it set.</summary>
    public sealed record Acknowledgement(string Child, string ExternalId, long Version, DateOnly TargetDate);

    public sealed record Ended(int Acknowledged, int Retries);

    public IReadOnlyCollection<Acknowledgement> Acknowledged => _acknowledged;

    /// <summary>Changes that failed other than with a status the client sends again.</summary>
    public IReadOnlyCollection<string> Lost => _lost;

    public static async Task<BlockerLoad> StartAsync(Uri target, string apiKey, IEnumerable<string> children)
    {
        var stubs = ScratchDirectory.Create("caretwin-load-stubs-");
        await DebianPython.GenerateStubsAsync(Path.Combine(AppContext.BaseDirectory, "protos"), stubs);
        var start = DebianPython.Start("-u", Path.Combine(AppContext.BaseDirectory, "Cluster", "load", "blocker_load.py"),
            "--stubs", stubs, "--target", $"{target.Host}:{target.Port}", "--key", apiKey, "--children", string.Join(',', children));
        start.RedirectStandardInput = true;
        return new BlockerLoad(Process.Start(start) ?? throw new InvalidOperationException("python3 did not start."), stubs);
    }

    /// <summary>Waits until <paramref name="count"/> more changes have been acknowledged: the load is flowing.</summary>
    public async Task UntilMoreAcknowledgedAsync(int count, TimeSpan limit)
    {
        var wanted = _acknowledged.Count + count;
        var clock = Stopwatch.StartNew();
        while (_acknowledged.Count < wanted)
        {
            if (_process.HasExited || clock.Elapsed > limit)
                throw new TimeoutException($"The load acknowledged {_acknowledged.Count} of {wanted} changes within {limit.TotalSeconds:F0} s{(_process.HasExited ? " and exited" : "")}. " +
                    $"Lost: {string.Join("; ", _lost)}. Its stderr: {string.Join('\n', _errors)}");
            await Task.Delay(50);
        }
    }

    /// <summary>Closes its stdin: each writer finishes the change it is sending, then it reports its totals.</summary>
    public async Task<Ended> StopAsync()
    {
        _process.StandardInput.Close();
        var ended = await _ended.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(_process.ExitCode == 0, $"The load exited with {_process.ExitCode}: {string.Join('\n', _errors)}");
        return ended;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill();
        await _process.WaitForExitAsync();
        await _reading.WaitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
        ScratchDirectory.Remove(_stubs);
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            using var json = JsonDocument.Parse(line);
            var report = json.RootElement;
            if (report.TryGetProperty("ack", out var child))
            {
                var externalId = report.GetProperty("external_id").GetString()!;
                _acknowledged.Enqueue(new Acknowledgement(child.GetString()!, externalId, report.GetProperty("version").GetInt64(), TargetDateOf(externalId)));
            }
            else if (report.TryGetProperty("lost", out var lostChild))
                _lost.Enqueue($"{lostChild.GetString()} {report.GetProperty("external_id").GetString()}: {report.GetProperty("code").GetString()} {report.GetProperty("details").GetString()}");
            else if (report.TryGetProperty("done", out _))
                _ended.TrySetResult(new Ended(report.GetProperty("acknowledged").GetInt32(), report.GetProperty("retries").GetInt32()));
        }
        _ended.TrySetException(new InvalidOperationException($"The load ended without its totals: {string.Join('\n', _errors)}"));
    }

    /// <summary>The target date blocker_load.py sets with change CHILD-pyN: next year, month 1 + N mod 12, day 1 + N mod 28.</summary>
    private static DateOnly TargetDateOf(string externalId)
    {
        var n = int.Parse(externalId[(externalId.LastIndexOf("-py", StringComparison.Ordinal) + 3)..], System.Globalization.CultureInfo.InvariantCulture);
        return new DateOnly(DateTime.Now.Year + 1, 1 + n % 12, 1 + n % 28);
    }
}
