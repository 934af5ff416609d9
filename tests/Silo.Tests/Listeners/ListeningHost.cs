using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using CareTwin.Silo.Composition;
using CareTwin.Testing;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CareTwin.Silo.Tests.Listeners;

/// <summary>
/// The whole host (<see cref="CareTwinHost.Build"/>) in this process, started as <see cref="CareTwinHost.RunAsync"/>
/// starts it, on SQLite in its own temp folder, with free Orleans ports and free Listeners ports on 127.0.0.1
/// unless <c>settings</c> say otherwise. Settings are configuration keys (Section:Key) and reach the host as
/// command-line arguments, after any <c>args</c> of the test's own.
/// </summary>
public sealed class ListeningHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _data;

    private ListeningHost(WebApplication app, string data, IReadOnlyDictionary<string, string?> settings)
    {
        _app = app;
        _data = data;
        Settings = settings;
    }

    /// <summary>Every setting the host was given, the generated ports included.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>What Kestrel bound, as it reports it.</summary>
    public IReadOnlyList<Uri> Addresses =>
        [.. _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Select(a => new Uri(a))];

    /// <summary>The Listeners port of this name ("WebPort", "ApiPort") at the listen address, bound or not.</summary>
    public Uri Listener(string port, string scheme = "http") => new($"{scheme}://127.0.0.1:{Settings[$"Listeners:{port}"]}/");

    public static async Task<ListeningHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, params string[] args)
    {
        var data = ScratchDirectory.Create("caretwin-listeners-");
        var all = new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Storage:Sqlite:DataSource"] = Path.Combine(data, "caretwin.db"),
            ["Orleans:SiloPort"] = FreePort(),
            ["Orleans:GatewayPort"] = FreePort(),
            ["Orleans:ClusterId"] = $"listeners-{Guid.NewGuid():N}",
            ["Listeners:Address"] = "127.0.0.1",
            ["Listeners:WebPort"] = FreePort(),
            ["Listeners:ApiPort"] = FreePort(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;

        WebApplication? app = null;
        try
        {
            app = CareTwinHost.Build([.. args, .. all.Select(s => $"--{s.Key}={s.Value}")], builder => builder.Logging.ClearProviders());
            await app.Services.GetRequiredService<StoragePreflight>().CheckAsync(app.Services, CancellationToken.None);
            await app.StartAsync();
            return new ListeningHost(app, data, all);
        }
        catch
        {
            if (app is not null)
                await app.DisposeAsync();
            ScratchDirectory.Remove(data);
            throw;
        }
    }

    /// <summary>grpc.health.v1 Check of the whole node, with Grpc.Net.Client (HTTP/2: h2c for http, ALPN for https).</summary>
    public static async Task<HealthCheckResponse.Types.ServingStatus> HealthAsync(Uri address, X509Certificate2? trusted = null)
    {
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = Handler(trusted) });
        var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        return reply.Status;
    }

    /// <summary>An HTTP client that trusts only <paramref name="trusted"/> (a test's self-signed certificate), if given.</summary>
    public static HttpClient Http(Uri address, X509Certificate2? trusted = null) =>
        new(Handler(trusted)) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        ScratchDirectory.Remove(_data);
    }

    public static string FreePort() => LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);

    private static SocketsHttpHandler Handler(X509Certificate2? trusted)
    {
        var handler = new SocketsHttpHandler { UseProxy = false };
        if (trusted is not null)
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == trusted.GetCertHashString();
        return handler;
    }
}
