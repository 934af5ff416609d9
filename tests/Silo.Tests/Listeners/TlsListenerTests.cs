using System.Net;
using CareTwin.Web.Security;
using Grpc.Health.V1;

namespace CareTwin.Silo.Tests.Listeners;

/// <summary>
/// With a certificate (PKCS#12, or PEM with its key): one port, browsers on HTTP/1.1 and gRPC on HTTP/2, by ALPN, and
/// every response tells browsers to stay on HTTPS (HSTS), except in Development.
/// </summary>
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
        Assert.Equal(SecurityHeaders.StrictTransportSecurity, Assert.Single(page.Headers.GetValues("Strict-Transport-Security")));
        Assert.Equal("max-age=31536000; includeSubDomains", SecurityHeaders.StrictTransportSecurity); // one year, as deploy/README.md says
    }

    [Fact]
    public async Task In_development_tls_sends_no_hsts_which_would_pin_every_site_on_localhost_to_https_in_that_browser()
    {
        using var certificate = new TestCertificate();
        await using var host = await ListeningHost.StartAsync(new Dictionary<string, string?>
        {
            ["environment"] = "Development",
            ["Demo:Enabled"] = "false",
            ["Listeners:CertificatePath"] = certificate.PfxPath,
            ["Listeners:CertificatePassword"] = TestCertificate.Password,
        });
        using var web = ListeningHost.Http(host.Listener("ApiPort", "https"), certificate.Certificate);

        using var page = await web.GetAsync("/sign-in");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
    }
}
