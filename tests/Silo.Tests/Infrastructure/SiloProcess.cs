using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CareTwin.Silo.Tests.Infrastructure;

/// <summary>
/// The real host as a separate process (dotnet CareTwin.Silo.dll), on free loopback ports, with its own data
/// directory; killed when disposed. Lets tests send SIGTERM or SIGKILL like an operator or a crash would.
/// </summary>
public sealed partial class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<(Uri Web, Uri Grpc)> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string SiloAssembly => Path.Combine(AppContext.BaseDirectory, "CareTwin.Silo.dll");

    public IReadOnlyList<string> Output
    {
        get { lock (_output) return [.. _output]; }
    }

    public Uri WebAddress => _listening.Task.Result.Web;

    public Uri GrpcAddress => _listening.Task.Result.Grpc;

    public int Pid => _process.Id;

    /// <summary>Starts the host with these settings (ASP.NET environment form: Section__Key), on ports the OS picks.</summary>
    public static SiloProcess Start(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var info = new ProcessStartInfo("dotnet", [SiloAssembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        info.Environment["Storage__Sqlite__DataSource"] = Path.Combine(dataDirectory, "caretwin.db");
        info.Environment["Grpc__Port"] = "0";
        info.Environment["Grpc__WebPort"] = "0";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) info.Environment[key] = value;
        return new SiloProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    /// <summary>Waits until Kestrel reports both listeners (web first, then gRPC).</summary>
    public async Task WaitUntilListeningAsync()
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != _listening.Task)
            throw new InvalidOperationException($"The host did not start listening. Output:\n{string.Join('\n', Output)}");
    }

    /// <summary>What systemd or a container runtime sends to stop the host.</summary>
    public void Terminate() => Signal("TERM");

    public void Kill() => Signal("KILL");

    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Structured (JSON) log records the host wrote, by category.</summary>
    public IEnumerable<JsonElement> LogRecords(string category) =>
        Output.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.TryGetProperty("Category", out var c) && c.GetString() == category);

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Add(line);
            var addresses = _output.Select(l => ListeningLine().Match(l)).Where(m => m.Success).Select(m => new Uri(m.Groups[1].Value)).ToList();
            if (addresses.Count >= 2) _listening.TrySetResult((addresses[0], addresses[1]));
        }
    }

    [GeneratedRegex("Now listening on: (http[s]?://[^\"]+)")]
    private static partial Regex ListeningLine();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
