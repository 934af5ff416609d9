using System.Globalization;
using System.Net;
using System.Text.Json;
using CareTwin.Bench.Echo;
using CareTwin.Storage;
using CareTwin.Storage.Sqlite;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Orleans;
using Orleans.Hosting;

// A bare Grpc.AspNetCore unary echo on 127.0.0.1:PORT (h2c), until SIGTERM or Ctrl+C.
//   dotnet CareTwin.EchoServer.dll --port 5099
// Beside it (EchoLadder), the rungs between it and CareTwin's reads: the echo through one grain call, and through one
// grain call that first makes an audit entry durable. The grains run in an Orleans silo in this process, started by
// the first rung call (until then the bare echo is alone); the entries go to CareTwin's SQLite store (src/Storage,
// group commit) in a temporary directory deleted on exit.
var at = Array.IndexOf(args, "--port");
var port = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 5099;
var data = Directory.CreateTempSubdirectory("caretwin-echo-");
try
{
    var builder = WebApplication.CreateSlimBuilder(args);
    builder.Logging.ClearProviders();
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
    builder.Services.AddGrpc();
    // Made by a factory, so the container disposes it (the silo stopped) before the directory goes.
    builder.Services.AddSingleton(_ => new LadderSilo(Path.Combine(data.FullName, "echo.db")));
    await using var app = builder.Build();
    app.MapGrpcService<EchoService>();
    app.MapGrpcService<EchoLadderService>();
    await app.StartAsync();
    Console.WriteLine($"Echo listening on http://127.0.0.1:{port}");
    await app.WaitForShutdownAsync();
}
finally
{
    data.Delete(recursive: true);
}

internal sealed class EchoService : Echo.EchoBase
{
    public override Task<EchoReply> Say(EchoRequest request, ServerCallContext context) => Task.FromResult(new EchoReply { Text = request.Text });
}

/// <summary>The echo's text, answered by the grain keyed by it.</summary>
internal sealed class EchoLadderService(LadderSilo silo) : EchoLadder.EchoLadderBase
{
    public override async Task<EchoReply> SayThroughGrain(EchoRequest request, ServerCallContext context) =>
        new() { Text = await (await silo.GrainsAsync()).GetGrain<ILadderGrain>(request.Text).Say(request.Text) };

    public override async Task<EchoReply> SayAudited(EchoRequest request, ServerCallContext context) =>
        new() { Text = await (await silo.GrainsAsync()).GetGrain<ILadderGrain>(request.Text).SayAudited(request.Text) };
}

/// <summary>
/// An Orleans silo (localhost clustering) and CareTwin's SQLite store in this process, started by the first call that
/// needs them and stopped when the echo stops. Its own host beside the echo's, so the bare echo never shares the
/// process with an idle silo unless the rungs were called; a grain call from a gRPC handler takes the same path as
/// in CareTwin's host, where silo and API share one process too.
/// </summary>
internal sealed class LadderSilo : IAsyncDisposable
{
    private readonly Lazy<Task<IHost>> _host;

    public LadderSilo(string database) => _host = new(() => StartAsync(database));

    public async ValueTask<IGrainFactory> GrainsAsync() => (await _host.Value).Services.GetRequiredService<IGrainFactory>();

    private static async Task<IHost> StartAsync(string database)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        // Made by a factory, so the silo's container disposes it (its writer, its pooled connections) when it stops.
        builder.Services.AddSingleton<IStorageProvider>(_ => new SqliteStorageProvider(new SqliteStorageOptions { DataSource = database }));
        // A silo port of its own (no gateway): a CareTwin host or a test silo may hold Orleans's default ports.
        builder.UseOrleans(silo => silo.UseLocalhostClustering(FreePort(), 0, serviceId: "caretwin-echo", clusterId: $"echo-{Environment.ProcessId}"));
        var host = builder.Build();
        // The schema before any grain can append, as CareTwin's host opens its store before its grains activate.
        await host.Services.GetRequiredService<IStorageProvider>().InitializeAsync(CancellationToken.None);
        await host.StartAsync();
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        // Never called, or failed to start (its callers were told): nothing to stop.
        if (!_host.IsValueCreated || !_host.Value.IsCompletedSuccessfully)
            return;
        var host = await _host.Value;
        await host.StopAsync();
        if (host is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
        else
            host.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public interface ILadderGrain : IGrainWithStringKey
{
    /// <summary>The text back: nothing but the grain call.</summary>
    Task<string> Say(string text);

    /// <summary>The text back once an audit entry of the call is durable in this grain's journal.</summary>
    Task<string> SayAudited(string text);
}

/// <summary>
/// A plain grain, not reentrant: calls to one key take their turns, and each appends at the version after the last,
/// so one key's entries go one after another. (The load generator's workers each call keys of their own, so an
/// AuditGrain-style batching of concurrent entries would find nothing to batch.)
/// </summary>
public sealed class LadderGrain(IStorageProvider store) : Grain, ILadderGrain
{
    private RecordKey _journal;
    private int _version;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _journal = new RecordKey("audit", $"echo/{this.GetPrimaryKeyString()}");
        await LoadVersionAsync();
    }

    public Task<string> Say(string text) => Task.FromResult(text);

    public async Task<string> SayAudited(string text)
    {
        // About the size and shape of CareTwin's AuditEntry as JSON (~300 bytes).
        var entry = new LadderAuditEntry(DateTimeOffset.UtcNow, "api-key/load-generator", "Load generator", "System", _journal.Key, "Read",
            "SayAudited", true, "The calling system manages the journeys of this service.", "grpc", "127.0.0.1");
        var next = new JournalEntry(_version + 1, JsonSerializer.Serialize(entry));
        try
        {
            await store.AppendAsync(_journal, _version, [next], CancellationToken.None);
        }
        catch (InconsistentStateException)
        {
            // Only another activation could have appended: number on from where it left the journal.
            await LoadVersionAsync();
            throw;
        }
        _version = next.Version;
        return text;
    }

    private async Task LoadVersionAsync() =>
        _version = (await store.ReadJournalAsync(_journal, 0, int.MaxValue, CancellationToken.None)).LastOrDefault()?.Version ?? 0;
}

public sealed record LadderAuditEntry(
    DateTimeOffset At, string CallerId, string CallerName, string Role, string Subject, string Action, string? Detail,
    bool Allowed, string Reason, string Channel, string? Origin);
