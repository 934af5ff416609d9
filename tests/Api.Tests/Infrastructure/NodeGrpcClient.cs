using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using CareTwin.Testing;

namespace CareTwin.Api.Tests.Infrastructure;

/// <summary>
/// Runs interop/node/grpc_interop.mjs with Node's @grpc/grpc-js, which loads the same .proto files the server
/// compiles (the test output's protos/ folder) with @grpc/proto-loader at run time. The script runs from its source
/// folder, where the test project's build installed its node_modules with `npm ci` from the committed lock file.
/// </summary>
public sealed class NodeGrpcClient : IInteropClient, IDisposable
{
    public const string Node = "node";

    private const int MinimumMajorVersion = 20;

    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _ready;

    /// <summary>tests/Api.Tests/interop/node in the checkout these tests were built from.</summary>
    public static string Folder => Path.Combine(Repository.Root, "tests", "Api.Tests", "interop", "node");

    private static string Script => Path.Combine(Folder, "grpc_interop.mjs");

    private static string Protos => Path.Combine(AppContext.BaseDirectory, "protos");

    /// <summary>Starts a scenario whose lines the test reads while it runs.</summary>
    public async Task<InteropRun> StartAsync(string scenario, Uri target, params string[] arguments)
    {
        await EnsureReadyAsync();
        var start = NodeStart(Script, scenario, "--protos", Protos, "--target", $"{target.Host}:{target.Port}");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new InteropRun(Process.Start(start)!, RunLimit);
    }

    public void Dispose() => _gate.Dispose();

    private async Task EnsureReadyAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_ready)
            {
                return;
            }

            const string install = "Install Node.js 20+ with npm (e.g. Debian's nodejs and npm packages), then build tests/Api.Tests again: its build runs `npm ci` in tests/Api.Tests/interop/node.";
            (int ExitCode, string Output, string Error) version;
            try
            {
                version = await RunToEndAsync(NodeStart("--version"));
            }
            catch (Win32Exception missing)
            {
                throw new InvalidOperationException($"The Node gRPC interop tests need `{Node}` on PATH, which was not found ({missing.Message}). {install}");
            }

            if (version.ExitCode != 0 || !int.TryParse(version.Output.Trim().TrimStart('v').Split('.')[0], out var major) || major < MinimumMajorVersion)
            {
                throw new InvalidOperationException($"The Node gRPC interop tests need Node.js {MinimumMajorVersion}+; `{Node} --version` said '{version.Output.Trim()}' {version.Error.Trim()}. {install}");
            }

            foreach (var package in new[] { "@grpc/grpc-js", "@grpc/proto-loader" })
            {
                if (!File.Exists(Path.Combine(Folder, "node_modules", package, "package.json")))
                {
                    throw new InvalidOperationException(
                        $"The Node gRPC interop tests need {package} in {Path.Combine(Folder, "node_modules")}, which is missing. " +
                        "Build tests/Api.Tests with node and npm on PATH (its build runs `npm ci` there), or run `npm ci` in that folder.");
                }
            }

            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static ProcessStartInfo NodeStart(params string[] arguments)
    {
        var start = new ProcessStartInfo(Node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The packages of the lock file only: nothing from another Node setup's options or module paths.
        start.Environment.Remove("NODE_OPTIONS");
        start.Environment.Remove("NODE_PATH");
        start.Environment["GRPC_VERBOSITY"] = "ERROR";
        return start;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunToEndAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        using var limit = new CancellationTokenSource(RunLimit);
        var output = process.StandardOutput.ReadToEndAsync(limit.Token);
        var error = process.StandardError.ReadToEndAsync(limit.Token);
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, await error);
    }
}
