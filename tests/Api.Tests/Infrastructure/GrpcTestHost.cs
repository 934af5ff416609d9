using System.Security.Cryptography.X509Certificates;
using CareTwin.Api.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CareTwin.Api.Tests.Infrastructure;

/// <summary>
/// A host composed the way src/Silo composes it (AddGrpcAdapter, MapGrpcServices, UseGrpcEndpoints)
/// plus the test-only Probe service: in memory (TestServer) or on real Kestrel ports of 127.0.0.1.
/// </summary>
public sealed class GrpcTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpMessageHandler? _handler;

    private GrpcTestHost(WebApplication app, CapturingLoggerProvider logs, HttpMessageHandler? handler)
    {
        _app = app;
        _handler = handler;
        Logs = logs;
    }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _app.Services;

    public ProbeRecorder Probe => _app.Services.GetRequiredService<ProbeRecorder>();

    /// <summary>Kestrel only: the gRPC address (h2c without TLS, the shared port with TLS).</summary>
    public Uri GrpcAddress { get; private init; } = new("http://localhost/");

    /// <summary>Kestrel without TLS only: the HTTP/1.1 address for the browser.</summary>
    public Uri? WebAddress { get; private init; }

    /// <summary>An in-memory host; its client speaks HTTP/2 semantics (trailers) without sockets.</summary>
    public static async Task<GrpcTestHost> StartInMemoryAsync(
        IDictionary<string, string?>? configuration = null,
        Action<GrpcAdapterBuilder>? configureGrpc = null,
        TimeProvider? time = null)
    {
        var logs = new CapturingLoggerProvider();
        var builder = CreateBuilder(configuration, logs, configureGrpc, time);
        builder.WebHost.UseTestServer();
        var app = await StartAsync(builder);
        return new GrpcTestHost(app, logs, app.GetTestServer().CreateHandler());
    }

    /// <summary>A Kestrel host on free ports of 127.0.0.1, listening as <see cref="GrpcKestrelExtensions.UseGrpcEndpoints"/> sets it up.</summary>
    public static async Task<GrpcTestHost> StartKestrelAsync(
        IDictionary<string, string?>? configuration = null,
        TimeProvider? time = null,
        Action<GrpcAdapterBuilder>? configureGrpc = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Grpc:Port"] = "0",
            ["Grpc:WebPort"] = "0",
            ["Grpc:ListenAddress"] = "127.0.0.1",
        };
        foreach (var (key, value) in configuration ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var logs = new CapturingLoggerProvider();
        var builder = CreateBuilder(settings, logs, configureGrpc, time);
        builder.WebHost.UseGrpcEndpoints();
        var app = await StartAsync(builder);

        // Kestrel lists addresses in listen order: the web listener first, then gRPC.
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .Select(address => new Uri(address))
            .ToArray();
        return addresses.Length == 1
            ? new GrpcTestHost(app, logs, null) { GrpcAddress = addresses[0] }
            : new GrpcTestHost(app, logs, null) { WebAddress = addresses[0], GrpcAddress = addresses[1] };
    }

    /// <summary>A gRPC client: in memory, or HTTP/2 to <see cref="GrpcAddress"/> (trusting <paramref name="serverCertificate"/> for TLS).</summary>
    public RawGrpcClient CreateGrpcClient(X509Certificate2? serverCertificate = null)
    {
        var handler = _handler ?? new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    serverCertificate is not null && certificate?.GetCertHashString() == serverCertificate.GetCertHashString(),
            },
        };
        return new RawGrpcClient(new HttpClient(handler, disposeHandler: _handler is null) { BaseAddress = GrpcAddress });
    }

    /// <summary>Stops the host as a shutdown would: ApplicationStopping first, then the server.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
    }

    private static WebApplicationBuilder CreateBuilder(
        IDictionary<string, string?>? configuration,
        CapturingLoggerProvider logs,
        Action<GrpcAdapterBuilder>? configureGrpc,
        TimeProvider? time)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(configuration ?? new Dictionary<string, string?>());
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<ProbeRecorder>();
        if (time is not null)
        {
            builder.Services.AddSingleton(time); // before AddGrpcAdapter, which only adds the system clock if none is set
        }

        var grpc = builder.Services.AddGrpcAdapter().AddService<ProbeService>();
        configureGrpc?.Invoke(grpc);
        return builder;
    }

    private static async Task<WebApplication> StartAsync(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapGet("/", () => "CareTwin web");
        app.MapGrpcServices();
        try
        {
            await app.StartAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
