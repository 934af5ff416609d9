using CareTwin.Testing;

namespace CareTwin.Silo.Tests.Crash;

/// <summary>
/// One database and a host process on it at a time, started again after every kill. Writers reach the host
/// through <see cref="ChannelAsync"/>, which waits while none is up, so a change interrupted by a kill is sent
/// again to the next host.
/// </summary>
public sealed class RestartingHost(string dataDirectory, IReadOnlyDictionary<string, string> settings, string apiKey) : IAsyncDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    private readonly List<RawGrpcChannel> _channels = [];
    private TaskCompletionSource<RawGrpcChannel> _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SiloProcess? _process;

    /// <summary>The host running now.</summary>
    public SiloProcess Process => _process ?? throw new InvalidOperationException("No host is running.");

    /// <summary>Starts a host on the database and lets writers at it once it listens.</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
            throw new InvalidOperationException("A host is already running on this database.");
        if (_process is not null)
            await _process.DisposeAsync();
        _process = SiloProcess.Start(SiloProcess.BesideTests, dataDirectory, settings);
        await _process.WaitUntilListeningAsync(Generous);
        // Channels outlive their host: writers may still be failing on an old one.
        var channel = new RawGrpcChannel(_process.GrpcAddress, apiKey);
        _channels.Add(channel);
        Volatile.Read(ref _up).SetResult(channel);
    }

    /// <summary>The running host's channel, or the next host's once it listens.</summary>
    public Task<RawGrpcChannel> ChannelAsync() => Volatile.Read(ref _up).Task.WaitAsync(Generous);

    /// <summary>SIGKILL, at whatever the host is doing.</summary>
    public async Task KillAsync()
    {
        // Before the kill, so a call that fails because of it waits for the next host.
        Volatile.Write(ref _up, new TaskCompletionSource<RawGrpcChannel>(TaskCreationOptions.RunContinuationsAsynchronously));
        Process.Kill();
        await Process.WaitForExitAsync(Generous);
    }

    /// <summary>SIGTERM; the exit code.</summary>
    public Task<int> StopAsync()
    {
        Volatile.Write(ref _up, new TaskCompletionSource<RawGrpcChannel>(TaskCreationOptions.RunContinuationsAsynchronously));
        return Process.StopAsync(Generous);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
            channel.Dispose();
        if (_process is not null)
            await _process.DisposeAsync();
    }
}
