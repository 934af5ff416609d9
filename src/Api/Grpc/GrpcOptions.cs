using System.ComponentModel.DataAnnotations;

namespace CareTwin.Api.Grpc;

/// <summary>Settings of the gRPC adapter and its listeners, bound from the <c>Grpc</c> configuration section.</summary>
public sealed class GrpcOptions
{
    public const string SectionName = "Grpc";

    /// <summary>
    /// The port gRPC clients connect to. Without a certificate it is HTTP/2 only (h2c, prior knowledge),
    /// because Kestrel serves h2c only on an HTTP/2-only endpoint; with a certificate it serves
    /// HTTP/1.1 and HTTP/2 (ALPN) for browsers and gRPC alike. 0 picks a free port.
    /// </summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 5081;

    /// <summary>The HTTP/1.1 port for the browser and SignalR; used only without a certificate. 0 picks a free port.</summary>
    [Range(0, 65535)]
    public int WebPort { get; set; } = 5080;

    /// <summary>An IP address to listen on, or "*" for all interfaces. Loopback unless deliberately opened.</summary>
    [Required]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The largest message, in bytes, a call may receive or send; larger ones end the call with RESOURCE_EXHAUSTED.</summary>
    [Range(1, int.MaxValue)]
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>A PKCS#12 file (.pfx/.p12), or a PEM certificate when <see cref="CertificateKeyPath"/> is set. Enables TLS.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key that goes with a PEM <see cref="CertificatePath"/>.</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>The PKCS#12 password, or the PEM key's password when it is encrypted.</summary>
    public string? CertificatePassword { get; set; }

    public bool UsesTls => !string.IsNullOrEmpty(CertificatePath);
}
