using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CareTwin.Testing;

/// <summary>
/// The real host as a separate process (<c>dotnet CareTwin.Silo.dll</c>) on free 127.0.0.1 ports (gRPC h2c and
/// web), configured only through environment variables, with its output captured. Readiness is read from its
/// JSON log, not guessed. It can be stopped like an operator would (SIGTERM) or crashed (SIGKILL); disposing
/// kills it if it still runs.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private const string ListeningFormat = "Now listening on: {address}";

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _output = [];
    private readonly List<(Func<JsonElement, bool> Match, TaskCompletionSource<JsonElement> Found)> _waiters = [];

    private SiloProcess(ProcessStartInfo start, Uri webAddress, Uri grpcAddress)
    {
        WebAddress = webAddress;
        GrpcAddress = grpcAddress;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        if (!_process.Start())
            throw new InvalidOperationException("dotnet did not start.");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The host built beside a test assembly that references src/Silo.</summary>
    public static string BesideTests => Path.Combine(AppContext.BaseDirectory, "CareTwin.Silo.dll");

    public Uri WebAddress { get; }

    /// <summary>gRPC over HTTP/2 without TLS (prior knowledge).</summary>
    public Uri GrpcAddress { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Every line the host wrote to stdout and stderr so far.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_gate) return [.. _output];
        }
    }

    /// <summary>
    /// Starts <paramref name="siloAssembly"/> in <paramref name="dataDirectory"/> with a SQLite file there, in
    /// Production, on two free loopback ports. <paramref name="settings"/> (ASP.NET environment form, Section__Key)
    /// come last and win. Logs stay JSON: readiness is read from them.
    /// </summary>
    public static SiloProcess Start(string siloAssembly, string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.GetFullPath(siloAssembly)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        var environment = new Dictionary<string, string>
        {
            // Both, as the host reads both and the ASPNETCORE_ one wins: nothing inherited from the caller's shell.
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Storage__Sqlite__DataSource"] = Path.Combine(dataDirectory, "caretwin.db"),
            ["Listeners__Address"] = "127.0.0.1",
            ["Listeners__ApiPort"] = FreePort(),
            ["Listeners__WebPort"] = FreePort(),
            ["Orleans__SiloPort"] = FreePort(),
            ["Orleans__GatewayPort"] = "0",
            // Tests sign in over http://127.0.0.1 with .NET's CookieContainer, which keeps Secure cookies to https.
            ["Web__AllowInsecureCookiesOnLoopback"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            environment[key] = value;
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var host = environment["Listeners__Address"];
        return new SiloProcess(start, new Uri($"http://{host}:{environment["Listeners__WebPort"]}/"), new Uri($"http://{host}:{environment["Listeners__ApiPort"]}/"));
    }

    /// <summary>Waits until Kestrel reports both listeners; fails with the host's output if it exits or the limit passes.</summary>
    public async Task WaitUntilListeningAsync(TimeSpan? limit = null)
    {
        var within = limit ?? TimeSpan.FromSeconds(60);
        await Task.WhenAll(
            WaitForLogAsync(r => ListeningOn(r) == Origin(WebAddress), $"listening on {WebAddress}", within),
            WaitForLogAsync(r => ListeningOn(r) == Origin(GrpcAddress), $"listening on {GrpcAddress}", within));
    }

    /// <summary>With Demo__Enabled: waits until the demo region (its services, and children if asked for) is loaded.</summary>
    public Task WaitUntilDemoRegionLoadedAsync(TimeSpan? limit = null) => WaitForLogAsync(
        r => r.TryGetProperty("Message", out var message) && message.GetString() is { } text
            && text.StartsWith("Demo region", StringComparison.Ordinal) && text.Contains(" ready", StringComparison.Ordinal),
        "the demo region loaded", limit ?? TimeSpan.FromSeconds(60));

    /// <summary>The first JSON log record (already written or still to come) that matches.</summary>
    public async Task<JsonElement> WaitForLogAsync(Func<JsonElement, bool> match, string what, TimeSpan limit)
    {
        var found = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var line in _output)
                if (Record(line) is { } record && match(record))
                    return record;
            _waiters.Add((match, found));
        }
        await Task.WhenAny(found.Task, _process.WaitForExitAsync(), Task.Delay(limit));
        if (found.Task.IsCompleted)
            return await found.Task;
        lock (_gate) _waiters.RemoveAll(w => w.Found == found);
        var why = _process.HasExited ? $"the host exited with {_process.ExitCode}" : $"not within {limit.TotalSeconds:F0} s";
        throw new TimeoutException($"Waiting for the host to log {what}: {why}. Its last output:\n{string.Join('\n', Output.TakeLast(40))}");
    }

    /// <summary>Structured (JSON) log records the host wrote, by category.</summary>
    public IEnumerable<JsonElement> LogRecords(string category) =>
        Output.Select(Record).OfType<JsonElement>()
            .Where(r => r.TryGetProperty("Category", out var c) && c.GetString() == category);

    /// <summary>What systemd or a container runtime sends to stop the host (.NET has no API for SIGTERM).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>A crash (SIGKILL): the host gets no chance to finish anything.</summary>
    public void Kill() => _process.Kill();

    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The host (pid {Pid}) did not exit within {limit.TotalSeconds:F0} s. Its last output:\n{string.Join('\n', Output.TakeLast(40))}");
        }
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, then its exit code once it has stopped.</summary>
    public Task<int> StopAsync(TimeSpan limit)
    {
        Terminate();
        return WaitForExitAsync(limit);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_gate)
        {
            _output.Add(line);
            if (_waiters.Count > 0 && Record(line) is { } record)
                _waiters.RemoveAll(w => Settles(w.Match, w.Found, record));
        }
    }

    /// <summary>A matcher that throws fails its waiter, not the output reader (which would take the process down).</summary>
    private static bool Settles(Func<JsonElement, bool> match, TaskCompletionSource<JsonElement> found, JsonElement record)
    {
        try
        {
            return match(record) && found.TrySetResult(record);
        }
        catch (Exception ex)
        {
            return found.TrySetException(ex);
        }
    }

    private static JsonElement? Record(string line)
    {
        if (!line.StartsWith('{'))
            return null;
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? ListeningOn(JsonElement record) =>
        record.TryGetProperty("State", out var state) && state.ValueKind == JsonValueKind.Object
        && state.TryGetProperty("{OriginalFormat}", out var format) && format.GetString() == ListeningFormat
        && state.TryGetProperty("address", out var address)
            ? address.GetString()
            : null;

    private static string Origin(Uri address) => address.GetLeftPart(UriPartial.Authority);

    private static string FreePort() => LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
}
