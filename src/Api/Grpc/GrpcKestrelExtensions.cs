using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;

namespace CareTwin.Api.Grpc;

public static class GrpcKestrelExtensions
{
    /// <summary>Configures Kestrel's listeners from the <c>Grpc</c> configuration section (see <see cref="ListenGrpcEndpoints"/>).</summary>
    public static IWebHostBuilder UseGrpcEndpoints(this IWebHostBuilder webHost) =>
        webHost.ConfigureKestrel((context, kestrel) =>
            kestrel.ListenGrpcEndpoints(context.Configuration.GetSection(GrpcOptions.SectionName).Get<GrpcOptions>() ?? new GrpcOptions()));

    /// <summary>
    /// Without a certificate: <see cref="GrpcOptions.WebPort"/> serves HTTP/1.1 (browser, SignalR) and
    /// <see cref="GrpcOptions.Port"/> serves HTTP/2 only, because Kestrel speaks h2c (HTTP/2 without TLS)
    /// only on an HTTP/2-only endpoint. With a certificate: one port, <see cref="GrpcOptions.Port"/>,
    /// serves HTTP/1.1 and HTTP/2 chosen by ALPN. The web listener comes first in Kestrel's address list.
    /// </summary>
    public static void ListenGrpcEndpoints(this KestrelServerOptions kestrel, GrpcOptions options)
    {
        if (options.UsesTls)
        {
            var certificate = LoadCertificate(options);
            Listen(kestrel, options.ListenAddress, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });
            return;
        }

        Listen(kestrel, options.ListenAddress, options.WebPort, listen => listen.Protocols = HttpProtocols.Http1);
        Listen(kestrel, options.ListenAddress, options.Port, listen => listen.Protocols = HttpProtocols.Http2);
    }

    private static void Listen(KestrelServerOptions kestrel, string address, int port, Action<ListenOptions> configure)
    {
        if (address == "*")
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else if (IPAddress.TryParse(address, out var ip))
        {
            kestrel.Listen(ip, port, configure);
        }
        else
        {
            throw new InvalidOperationException($"Grpc:ListenAddress '{address}' is neither an IP address nor '*'.");
        }
    }

    private static X509Certificate2 LoadCertificate(GrpcOptions options)
    {
        var path = options.CertificatePath!;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Grpc:CertificatePath '{path}' does not exist.");
        }

        if (string.IsNullOrEmpty(options.CertificateKeyPath))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
        }

        return string.IsNullOrEmpty(options.CertificatePassword)
            ? X509Certificate2.CreateFromPemFile(path, options.CertificateKeyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(path, options.CertificatePassword, options.CertificateKeyPath);
    }
}
