using CareTwin.Journey.Blockers;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareTwin.Web.Tests.Browser;

/// <summary>A dropped connection shows, reconnects by itself, and the page catches up on what changed meanwhile.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReconnectTests(BrowserSite browser)
{
    [Fact]
    public async Task After_a_dropped_connection_the_page_says_so_reconnects_and_shows_what_changed_while_it_was_away()
    {
        var site = browser.Site;
        var childId = await site.RegisterChildAsync("Finn", "Walsh");
        var page = await browser.SignedInAsync("coordinator");
        // Every hub WebSocket goes through the test: while `cut` is set, new ones are refused, as on a dead network.
        var sockets = new List<IWebSocketRoute>();
        var cut = false;
        await page.RouteWebSocketAsync(url => url.Contains("/hubs/journey", StringComparison.Ordinal), socket =>
        {
            lock (sockets)
            {
                if (cut)
                {
                    _ = socket.CloseAsync(new WebSocketRouteCloseOptions { Code = 1011, Reason = "network down" });
                    return;
                }
                sockets.Add(socket);
                socket.ConnectToServer();
            }
        });
        await page.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(page, "#child-root");

        lock (sockets) cut = true;
        await sockets[0].CloseAsync(new WebSocketRouteCloseOptions { Code = 1011, Reason = "network down" });
        await Expect(page.Locator("[data-connection]")).ToHaveAttributeAsync("data-state", "reconnecting");

        await site.RaiseBlockerAsync(childId, BlockerCategory.Transport, "health.transport.north-thames", "Specialist ambulance for the journey home", null);
        await Expect(page.Locator("#child-root")).Not.ToContainTextAsync("Specialist ambulance");

        lock (sockets) cut = false;
        await Expect(page.Locator("[data-connection]")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(page.Locator("[data-blocker-id='blocker-1'] [data-professional-text]")).ToHaveTextAsync("Specialist ambulance for the journey home");
    }
}
