using System.Diagnostics;
using CareTwin.Testing;

namespace CareTwin.Api.Tests.Infrastructure;

/// <summary>Runs interop/grpc_interop.py with Debian's python3-grpcio (<see cref="DebianPython"/>), stubs generated once per test run.</summary>
public sealed class PythonGrpcClient : IInteropClient, IDisposable
{
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
        var start = DebianPython.Start("-u", Script, scenario, "--stubs", _stubs, "--target", $"{target.Host}:{target.Port}");
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
            if (!_ready)
            {
                await DebianPython.GenerateStubsAsync(Protos, _stubs);
                _ready = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
