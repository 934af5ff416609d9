using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CareTwin.Silo.Composition;

/// <summary>
/// Where this node listens (section "Listeners"): the browser port and the API port, or one TLS port for both.
/// ASP.NET Core's own listener settings (Kestrel:Endpoints, --urls, ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS) replace
/// these when given.
/// </summary>
public sealed class ListenerSettings
{
    public const string SectionName = "Listeners";

    /// <summary>An IP address to listen on, or "*" for all interfaces. Loopback unless deliberately opened.</summary>
    [Required]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>HTTP/1.1 for browsers, SignalR and the REST/JSON API; used only without a certificate. 0 picks a free port.</summary>
    [Range(0, 65535)]
    public int WebPort { get; set; } = 5080;

    /// <summary>
    /// The external API: gRPC, and REST/JSON over HTTP/2. Without a certificate it is HTTP/2 only (h2c with prior
    /// knowledge), because Kestrel speaks HTTP/2 without TLS only on an HTTP/2-only endpoint; with a certificate it
    /// serves HTTP/1.1 and HTTP/2 (ALPN) to browsers and systems alike. 0 picks a free port.
    /// </summary>
    [Range(0, 65535)]
    public int ApiPort { get; set; } = 5081;

    /// <summary>A PKCS#12 file (.pfx/.p12), or a PEM certificate when <see cref="CertificateKeyPath"/> is set. Enables TLS.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key that goes with a PEM <see cref="CertificatePath"/>.</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>The PKCS#12 password, or the PEM key's password when it is encrypted.</summary>
    public string? CertificatePassword { get; set; }

    public bool UsesTls => !string.IsNullOrEmpty(CertificatePath);

    /// <summary>
    /// IP addresses of load balancers or proxies in front of this node whose X-Forwarded-For and X-Forwarded-Proto are
    /// believed, so sign-in limits and audit entries see the client's address and cookies are Secure behind TLS
    /// termination. Loopback is always believed (a balancer on this machine).
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];
}

internal static class ListenerComposition
{
    /// <summary>ASP.NET Core's own ways of naming listeners; any of them replaces CareTwin's defaults.</summary>
    private static readonly string[] StandardListenerKeys = ["urls", "http_ports", "https_ports"];

    /// <summary>
    /// Without a certificate: <see cref="ListenerSettings.WebPort"/> serves HTTP/1.1 and <see cref="ListenerSettings.ApiPort"/>
    /// HTTP/2 only. With one: <see cref="ListenerSettings.ApiPort"/> serves both, chosen by ALPN. The web listener comes
    /// first in Kestrel's address list.
    /// </summary>
    public static void AddListeners(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var proxies = configuration.GetSection($"{ListenerSettings.SectionName}:{nameof(ListenerSettings.TrustedProxies)}").Get<List<string>>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies)
                forwarded.KnownProxies.Add(IPAddress.TryParse(proxy, out var ip)
                    ? ip
                    : throw new InvalidOperationException($"Listeners:TrustedProxies '{proxy}' is not an IP address."));
        });
        if (configuration.GetSection("Kestrel:Endpoints").GetChildren().Any()
            || StandardListenerKeys.Any(key => !string.IsNullOrWhiteSpace(configuration[key])))
            return; // Kestrel binds what the operator named, and nothing else.

        var settings = configuration.GetSection(ListenerSettings.SectionName).Get<ListenerSettings>() ?? new ListenerSettings();
        Validate(settings);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (settings.UsesTls)
            {
                var certificate = LoadCertificate(settings);
                Listen(kestrel, settings.Address, settings.ApiPort, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(certificate);
                });
                return;
            }

            Listen(kestrel, settings.Address, settings.WebPort, listen => listen.Protocols = HttpProtocols.Http1);
            Listen(kestrel, settings.Address, settings.ApiPort, listen => listen.Protocols = HttpProtocols.Http2);
        });
    }

    /// <summary>First in the pipeline: a request a trusted balancer forwarded is seen as the client sent it.</summary>
    public static void UseForwardedRequests(this WebApplication app) => app.UseForwardedHeaders();

    private static void Validate(ListenerSettings settings)
    {
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), problems, validateAllProperties: true))
            throw new InvalidOperationException($"{ListenerSettings.SectionName}: {string.Join(" ", problems.Select(p => p.ErrorMessage))}");
        if (settings.Address != "*" && !IPAddress.TryParse(settings.Address, out _))
            throw new InvalidOperationException($"Listeners:Address '{settings.Address}' is neither an IP address nor '*'.");
    }

    private static void Listen(KestrelServerOptions kestrel, string address, int port, Action<ListenOptions> configure)
    {
        if (address == "*")
            kestrel.ListenAnyIP(port, configure);
        else
            kestrel.Listen(IPAddress.Parse(address), port, configure);
    }

    private static X509Certificate2 LoadCertificate(ListenerSettings settings) =>
        CertificateFiles.Load(ListenerSettings.SectionName, settings.CertificatePath!, settings.CertificateKeyPath, settings.CertificatePassword);
}
