using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;

namespace CareTwin.Silo.Tests.Listeners;

/// <summary>
/// ASP.NET Core's own listener settings (Kestrel:Endpoints, --urls) replace CareTwin's Listeners ports rather than
/// adding to them, so an operator who names endpoints gets exactly those.
/// </summary>
public sealed class StandardListenerSettingsTests
{
    [Fact]
    public async Task Kestrel_endpoints_or_urls_replace_the_listeners_ports_so_two_hosts_with_the_same_listeners_settings_run_side_by_side()
    {
        // Both hosts have the same Listeners ports: had either bound them, the other could not have started.
        var listeners = new Dictionary<string, string?>
        {
            ["Listeners:WebPort"] = ListeningHost.FreePort(),
            ["Listeners:ApiPort"] = ListeningHost.FreePort(),
        };
        var endpoint = new Uri($"http://127.0.0.1:{ListeningHost.FreePort()}/");
        var urls = new Uri($"http://127.0.0.1:{ListeningHost.FreePort()}/");

        await using var kestrel = await ListeningHost.StartAsync(new Dictionary<string, string?>(listeners)
        {
            ["Kestrel:Endpoints:api:Url"] = endpoint.ToString(),
            ["Kestrel:Endpoints:api:Protocols"] = "Http2",
        });
        await using var commandLine = await ListeningHost.StartAsync(listeners, "--urls", urls.ToString());
        var health = await ListeningHost.HealthAsync(endpoint);
        using var web = ListeningHost.Http(urls);
        using var page = await web.GetAsync("/healthz");

        Assert.Equal([Origin(endpoint)], kestrel.Addresses.Select(Origin));
        Assert.Equal([Origin(urls)], commandLine.Addresses.Select(Origin));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (page.StatusCode, await page.Content.ReadAsStringAsync()));
        foreach (var port in new[] { "WebPort", "ApiPort" })
        {
            using var probe = new TcpClient();
            var refused = await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, kestrel.Listener(port).Port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
    }

    private static string Origin(Uri address) => address.GetLeftPart(UriPartial.Authority);
}
