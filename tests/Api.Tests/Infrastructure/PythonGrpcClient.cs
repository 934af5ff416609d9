using System.Diagnostics;
using System.Text.Json;

namespace CareTwin.Api.Tests.Infrastructure;

/// <summary>
/// Runs interop/grpc_interop.py with Debian's python3-grpcio. The interpreter is called by its
/// full path: the python3 first on PATH may be another one without grpcio. Stubs are generated
/// once per test run from the same .proto files by Debian's python3-grpc-tools.
/// </summary>
public sealed class PythonGrpcClient : IInteropClient, IDisposable
{
    public const string Python = "/usr/bin/python3";

    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    private readonly string _stubs = Directory.CreateTempSubdirectory("caretwin-pystubs-").FullName;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _ready;

    private static string Script => Path.Combine(AppContext.BaseDirectory, "interop", "grpc_interop.py");

    private static string Protos => Path.Combine(AppContext.BaseDirectory, "protos");

    /// <summary>Starts a scenario whose lines the test reads while it runs.</summary>
    public async Task<InteropRun> StartAsync(string scenario, Uri target, params string[] arguments)
    {
        await EnsureReadyAsync();
        var start = PythonStart("-u", Script, scenario, "--stubs", _stubs, "--target", $"{target.Host}:{target.Port}");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new InteropRun(Process.Start(start)!, RunLimit);
    }

    public void Dispose()
    {
        _gate.Dispose();
        Directory.Delete(_stubs, recursive: true);
    }

    private async Task EnsureReadyAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_ready)
            {
                return;
            }

            const string install = "Run deploy/dev/install-prerequisites.sh (it installs Debian's python3-grpcio, python3-grpc-tools and python3-protobuf).";
            if (!File.Exists(Python))
            {
                throw new InvalidOperationException($"The gRPC interop tests need Debian's {Python}, which is missing. {install}");
            }

            var probe = await RunToEndAsync(PythonStart("-c", "import grpc, grpc_tools.protoc, google.protobuf"));
            if (probe.ExitCode != 0)
            {
                throw new InvalidOperationException($"The gRPC interop tests need grpcio, grpc_tools and protobuf in Debian's {Python} ({LastLine(probe.Error)}). {install}");
            }

            // One protoc run over the whole tree, so protos may import each other by their package paths.
            var generate = PythonStart("-m", "grpc_tools.protoc", $"-I{Protos}", $"--python_out={_stubs}", $"--grpc_python_out={_stubs}");
            foreach (var proto in Directory.EnumerateFiles(Protos, "*.proto", SearchOption.AllDirectories))
            {
                generate.ArgumentList.Add(Path.GetRelativePath(Protos, proto));
            }

            var generated = await RunToEndAsync(generate);
            if (generated.ExitCode != 0)
            {
                throw new InvalidOperationException($"python3-grpc-tools could not generate stubs from {Protos}: {generated.Error}");
            }

            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string LastLine(string text) => text.Trim().Split('\n')[^1];

    private static ProcessStartInfo PythonStart(params string[] arguments)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Debian's interpreter with Debian's packages only: nothing from another Python's environment.
        start.Environment.Remove("PYTHONPATH");
        start.Environment.Remove("PYTHONHOME");
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["GRPC_VERBOSITY"] = "ERROR";
        return start;
    }

    private static async Task<(int ExitCode, string Error)> RunToEndAsync(ProcessStartInfo start)
    {
        await using var run = new InteropRun(Process.Start(start)!, RunLimit);
        return await run.WaitAsync();
    }
}
