using System.Net;
using System.Net.Http.Headers;
using Grpc.Health.V1;

namespace CareTwin.Silo.Tests.Listeners;

/// <summary>One host on CareTwin's default listeners (no certificate), shared by the facts that only call it.</summary>
public sealed class DefaultListenersHost : IAsyncLifetime
{
    public ListeningHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await ListeningHost.StartAsync();

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();
}

/// <summary>
/// Without a certificate: browsers on the web port (HTTP/1.1), external systems on the API port (gRPC over h2c),
/// and a caller on the wrong one told so instead of left hanging.
/// </summary>
public sealed class DefaultListenerTests(DefaultListenersHost fixture) : IClassFixture<DefaultListenersHost>
{
    private ListeningHost Host => fixture.Host;

    [Fact]
    public void The_host_binds_the_web_port_and_the_api_port_and_nothing_else()
    {
        Assert.Equal(
            new[] { Host.Listener("WebPort"), Host.Listener("ApiPort") }.Select(Origin).Order(),
            Host.Addresses.Select(Origin).Order());
    }

    [Fact]
    public async Task The_web_port_speaks_http_1_1_and_healthz_answers_healthy()
    {
        using var web = ListeningHost.Http(Host.Listener("WebPort"));

        using var response = await web.GetAsync("/healthz");

        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (response.StatusCode, await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Behind_a_balancer_on_this_machine_that_terminated_tls_the_pages_are_served_as_https()
    {
        using var web = ListeningHost.Http(Host.Listener("WebPort"));
        async Task<bool> StrictTransportSecurityAsync(bool forwardedHttps)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/sign-in");
            if (forwardedHttps)
            {
                request.Headers.Add("X-Forwarded-Proto", "https");
                request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            }
            using var response = await web.SendAsync(request);
            return response.Headers.Contains("Strict-Transport-Security");
        }

        // The page tells browsers to keep to HTTPS only when the request reached the balancer over HTTPS.
        Assert.True(await StrictTransportSecurityAsync(forwardedHttps: true));
        Assert.False(await StrictTransportSecurityAsync(forwardedHttps: false));
    }

    [Fact]
    public async Task The_api_port_speaks_grpc_over_h2c_and_health_is_serving()
    {
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await ListeningHost.HealthAsync(Host.Listener("ApiPort")));
    }

    [Fact]
    public async Task Http_1_1_sent_to_the_api_port_is_refused_with_a_reason()
    {
        using var client = ListeningHost.Http(Host.Listener("ApiPort"));

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("An HTTP/1.x request was sent to an HTTP/2 only endpoint.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_grpc_call_over_http_1_1_to_the_web_port_gets_426_upgrade_required()
    {
        using var web = ListeningHost.Http(Host.Listener("WebPort"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/grpc.health.v1.Health/Check")
        {
            Version = HttpVersion.Version11,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]) { Headers = { ContentType = new MediaTypeHeaderValue("application/grpc") } },
        };

        using var response = await web.SendAsync(request);

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        Assert.Equal("HTTP/2", Assert.Single(response.Headers.Upgrade).ToString());
        Assert.Equal("Request protocol 'HTTP/1.1' is not supported.", Assert.Single(response.Headers.GetValues("grpc-message")));
    }

    private static string Origin(Uri address) => address.GetLeftPart(UriPartial.Authority);
}
