using CareTwin.Testing;
using System.Net;
using CareTwin.Api.Grpc;
using CareTwin.Api.Tests.Infrastructure;
using CareTwin.Api.Tests.Probe;

namespace CareTwin.Api.Tests;

/// <summary>The listeners UseGrpcEndpoints sets up, on real Kestrel ports of 127.0.0.1.</summary>
public sealed class KestrelListenTests
{
    [Fact]
    public async Task Without_tls_the_web_port_speaks_http_1_1_and_the_grpc_port_speaks_h2c()
    {
        await using var host = await GrpcTestHost.StartKestrelAsync();
        Assert.NotNull(host.WebAddress);
        Assert.NotEqual(host.WebAddress.Port, host.GrpcAddress.Port);
        using var web = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = host.WebAddress };
        using var grpc = host.CreateGrpcClient();

        var page = await web.GetAsync("/");
        var call = await grpc.UnaryAsync("/caretwin.testing.v1.Probe/Echo", new EchoRequest { Text = "h2c" });

        Assert.Equal(HttpVersion.Version11, page.Version);
        Assert.Equal("CareTwin web", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpVersion.Version20, call.HttpVersion);
        Assert.Equal("h2c", call.Single(EchoReply.Parser).Text);
    }

    [Fact]
    public async Task A_grpc_call_sent_with_http_1_1_to_the_web_port_is_told_where_to_go()
    {
        await using var host = await GrpcTestHost.StartKestrelAsync();
        using var web = new RawGrpcClient(new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = host.WebAddress });

        var response = await web.SendAsync(RawGrpcClient.Request("/caretwin.testing.v1.Probe/Echo", GrpcChannel.Frame(new EchoRequest()), version: HttpVersion.Version11));

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.HttpStatus);
        Assert.Contains("gRPC requires HTTP/2, but this request used HTTP/1.1", System.Text.Encoding.UTF8.GetString(response.Body));
    }

    [Theory]
    [InlineData("pfx")]
    [InlineData("pem")]
    public async Task With_a_certificate_one_port_serves_the_browser_over_http_1_1_and_grpc_over_http_2(string format)
    {
        using var certificate = new TestCertificate();
        var settings = format == "pfx"
            ? new Dictionary<string, string?> { ["Grpc:CertificatePath"] = certificate.PfxPath, ["Grpc:CertificatePassword"] = TestCertificate.Password }
            : new Dictionary<string, string?> { ["Grpc:CertificatePath"] = certificate.PemPath, ["Grpc:CertificateKeyPath"] = certificate.KeyPemPath };
        await using var host = await GrpcTestHost.StartKestrelAsync(settings);
        Assert.Null(host.WebAddress);
        Assert.Equal("https", host.GrpcAddress.Scheme);
        using var web = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c?.GetCertHashString() == certificate.Certificate.GetCertHashString() },
        })
        { BaseAddress = host.GrpcAddress };
        using var grpc = host.CreateGrpcClient(certificate.Certificate);

        var page = await web.GetAsync("/");
        var call = await grpc.UnaryAsync("/caretwin.testing.v1.Probe/Echo", new EchoRequest { Text = "tls" });

        Assert.Equal(HttpVersion.Version11, page.Version);
        Assert.Equal("CareTwin web", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpVersion.Version20, call.HttpVersion);
        Assert.Equal(StatusCode.OK, call.Status);
        Assert.Equal("tls", call.Single(EchoReply.Parser).Text);
    }

    [Fact]
    public async Task A_listen_address_that_is_not_an_ip_fails_at_startup_with_the_setting_named()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            GrpcTestHost.StartKestrelAsync(new Dictionary<string, string?> { ["Grpc:ListenAddress"] = "example.invalid" }));

        Assert.Equal("Grpc:ListenAddress 'example.invalid' is neither an IP address nor '*'.", error.Message);
    }

    [Fact]
    public async Task An_invalid_max_message_size_fails_at_startup()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            GrpcTestHost.StartInMemoryAsync(new Dictionary<string, string?> { ["Grpc:MaxMessageBytes"] = "0" }));

        Assert.Contains("MaxMessageBytes", error.Message);
    }
}
