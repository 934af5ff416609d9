using System.Diagnostics;

namespace CareTwin.LoadGenerator;

/// <summary>
/// The CareTwin host as a separate process on free 127.0.0.1 ports with a fresh SQLite file, one API key for the
/// load generator and the demo region's services (no children). Stopped with SIGTERM when disposed.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _data;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _demoReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private SiloProcess(Process process, string data, Uri grpcAddress)
    {
        _process = process;
        _data = data;
        GrpcAddress = grpcAddress;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri GrpcAddress { get; }

    public static async Task<SiloProcess> StartAsync(string siloDll, string system, string keyHash, string service)
    {
        var data = Directory.CreateTempSubdirectory("caretwin-load-").FullName;
        var grpcPort = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.GetFullPath(siloDll)]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = data };
        var settings = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Storage__Sqlite__DataSource"] = Path.Combine(data, "caretwin.db"),
            ["Grpc__ListenAddress"] = "127.0.0.1",
            ["Grpc__Port"] = grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Grpc__WebPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging__Console__FormatterName"] = "simple",
            ["Demo__Enabled"] = "true",
            ["Demo__Children"] = "0",
            ["Api__Keys__0__System"] = system,
            ["Api__Keys__0__DisplayName"] = "Load generator",
            ["Api__Keys__0__KeyHash"] = keyHash,
            ["Api__Keys__0__Services__0"] = service,
            ["Api__Keys__0__ManagesJourneys"] = "true",
            // The limits are not what is measured here.
            ["Api__RateLimit__PermitsPerSecond"] = "1000000",
            ["Api__RateLimit__Burst"] = "1000000",
            ["Api__MaxWatchesPerConnection"] = "1000",
            ["Api__MaxWatchesPerKey"] = "1000",
        };
        foreach (var (key, value) in settings)
            start.Environment[key] = value;
        var silo = new SiloProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."), data, new Uri($"http://127.0.0.1:{grpcPort}/"));
        var ready = Task.WhenAll(silo._listening.Task, silo._demoReady.Task);
        if (await Task.WhenAny(ready, silo._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2))) != ready)
            throw new InvalidOperationException($"The host did not start (or its demo services did not load) within 2 minutes:\n{string.Join('\n', silo._output.TakeLast(20))}");
        return silo;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await term.WaitForExitAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true); // only the host this run started
            }
        }
        _process.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.Add(line);
        if (line.Contains($"Now listening on: {GrpcAddress.ToString().TrimEnd('/')}", StringComparison.Ordinal))
            _listening.TrySetResult();
        if (line.Contains("Demo region", StringComparison.Ordinal) && line.Contains("ready", StringComparison.Ordinal))
            _demoReady.TrySetResult();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
