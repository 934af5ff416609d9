using System.Diagnostics;

namespace CareTwin.Testing;

/// <summary>
/// Debian's python3 with its python3-grpcio, the independent gRPC client the tests use. Called by its full path: the
/// python3 first on PATH may be another one without grpcio. Stubs are generated at test time by python3-grpc-tools
/// from the very .proto files the server compiles.
/// </summary>
public static class DebianPython
{
    public const string Path = "/usr/bin/python3";

    private const string Install = "Run deploy/dev/install-prerequisites.sh (it installs Debian's python3-grpcio, python3-grpc-tools and python3-protobuf).";

    /// <summary>The interpreter with only Debian's packages (nothing from another Python's environment), output redirected.</summary>
    public static ProcessStartInfo Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment.Remove("PYTHONPATH");
        start.Environment.Remove("PYTHONHOME");
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["GRPC_VERBOSITY"] = "ERROR";
        return start;
    }

    /// <summary>Python gRPC stubs for every .proto under <paramref name="protos"/>, written to <paramref name="stubs"/>.</summary>
    /// <exception cref="InvalidOperationException">Python, grpcio or grpc-tools is missing, or protoc refused the files.</exception>
    public static async Task GenerateStubsAsync(string protos, string stubs)
    {
        if (!File.Exists(Path))
            throw new InvalidOperationException($"The gRPC client tests need Debian's {Path}, which is missing. {Install}");
        var probe = await RunAsync(Start("-c", "import grpc, grpc_tools.protoc, google.protobuf"));
        if (probe.ExitCode != 0)
            throw new InvalidOperationException($"The gRPC client tests need grpcio, grpc_tools and protobuf in Debian's {Path} ({probe.Error.Trim().Split('\n')[^1]}). {Install}");

        // One protoc run over the whole tree, so protos may import each other by their package paths.
        var generate = Start("-m", "grpc_tools.protoc", $"-I{protos}", $"--python_out={stubs}", $"--grpc_python_out={stubs}");
        foreach (var proto in Directory.EnumerateFiles(protos, "*.proto", SearchOption.AllDirectories))
            generate.ArgumentList.Add(System.IO.Path.GetRelativePath(protos, proto));
        var generated = await RunAsync(generate);
        if (generated.ExitCode != 0)
            throw new InvalidOperationException($"python3-grpc-tools could not generate stubs from {protos}: {generated.Error}");
    }

    private static async Task<(int ExitCode, string Error)> RunAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Path} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path} {string.Join(' ', start.ArgumentList)} did not finish within 60 s.");
        }
        await output;
        return (process.ExitCode, await error);
    }
}
