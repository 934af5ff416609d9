using System.Net;
using Grpc.Health.V1;

namespace CareTwin.Silo.Tests.Listeners;

/// <summary>With a certificate (PKCS#12, or PEM with its key): one port, browsers on HTTP/1.1 and gRPC on HTTP/2, by ALPN.</summary>
public sealed class TlsListenerTests
{
    [Theory]
    [InlineData("pfx")]
    [InlineData("pem")]
    public async Task With_a_certificate_one_port_serves_browsers_over_http_1_1_and_grpc_over_http_2(string format)
    {
        using var certificate = new TestCertificate();
        var settings = format == "pfx"
            ? new Dictionary<string, string?> { ["Listeners:CertificatePath"] = certificate.PfxPath, ["Listeners:CertificatePassword"] = TestCertificate.Password }
            : new Dictionary<string, string?> { ["Listeners:CertificatePath"] = certificate.PemPath, ["Listeners:CertificateKeyPath"] = certificate.KeyPemPath };
        await using var host = await ListeningHost.StartAsync(settings);
        var api = host.Listener("ApiPort", "https");
        using var web = ListeningHost.Http(api, certificate.Certificate);

        using var page = await web.GetAsync("/healthz");
        var health = await ListeningHost.HealthAsync(api, certificate.Certificate);

        Assert.Equal(api.GetLeftPart(UriPartial.Authority), Assert.Single(host.Addresses).GetLeftPart(UriPartial.Authority));
        Assert.Equal((HttpVersion.Version11, "Healthy"), (page.Version, await page.Content.ReadAsStringAsync()));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health);
    }
}
