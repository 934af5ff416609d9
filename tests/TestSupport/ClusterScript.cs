using System.Diagnostics;

namespace CareTwin.Testing;

/// <summary>deploy/dev/cluster.sh run to its end, for the cluster tests and the load generator's cluster mode.</summary>
public static class ClusterScript
{
    public static readonly string Path = System.IO.Path.Combine(Repository.Root, "deploy", "dev", "cluster.sh");

    /// <summary>What a run printed: stdout is the script's answer (addresses, pids), stderr its progress.</summary>
    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    /// <param name="silo">The host the nodes run (CARETWIN_SILO).</param>
    /// <param name="limit">Killed with its children past this, and a <see cref="TimeoutException"/> with its progress.</param>
    public static async Task<Run> RunAsync(string silo, TimeSpan limit, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("bash", [Path, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["CARETWIN_SILO"] = silo;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cluster.sh {string.Join(' ', arguments)} did not finish within {limit.TotalSeconds:F0} s:\n{await stderr}");
        }
        return new Run(process.ExitCode, await stdout, await stderr);
    }
}
