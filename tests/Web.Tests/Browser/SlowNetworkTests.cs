using System.Diagnostics;
using System.Globalization;
using System.Text;
using CareTwin.Journey.Blockers;
using CareTwin.Testing;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareTwin.Web.Tests.Browser;

/// <summary>
/// Pages opened cold over slow 3G as chromium emulates it (about 2 s round trip, 400 kbit/s), and with JavaScript
/// off. The family page's content is on screen before its live connection is up and its whole transfer stays small;
/// the figures for it, the board and the agency page are written to bench/results/slow-3g-pages.md.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SlowNetworkTests(BrowserSite browser)
{
    private const int RoundTripMs = 2000;
    private const int BytesPerSecond = 400 * 1000 / 8;
    private const long FamilyTransferLimit = 60 * 1024;

    [Fact]
    public async Task Over_slow_3G_the_cold_family_page_shows_its_content_before_the_live_connection_and_transfers_under_60_KB()
    {
        var site = browser.Site;
        var childId = await site.RegisterChildAsync("Elsie", "Price");
        await site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, "housing.eastmarsh", "Ramp survey", "Checking the ramp to your front door.");
        var family = await browser.FamilyAsync(await site.InviteCodeAsync(childId), "Ruth Price");
        var familyPage = await ColdAsync(family, $"/family/{childId}", "[data-being-sorted-out]", "family-slow-3g");
        Assert.True(familyPage.ContentBeforeLive, "The family page's content should be on screen while it is still connecting.");
        Assert.True(familyPage.Bytes <= FamilyTransferLimit, $"The cold family page transferred {familyPage.Bytes:N0} bytes.");

        // The staff pages arrive whole from the server too: their rows are on screen before the live connection.
        var board = await ColdAsync(await browser.SignedInAsync("coordinator"), "/board", "#board-root tr[data-child-id]", "board-slow-3g");
        var agency = await ColdAsync(await browser.SignedInAsync("housing-officer"), "/services/housing.eastmarsh", "#service-root [data-service-blockers]", "agency-slow-3g");
        Assert.True(board.ContentBeforeLive, "The board's rows should be on screen while it is still connecting.");
        Assert.True(agency.ContentBeforeLive, "The agency page's blockers should be on screen while it is still connecting.");

        var report = new StringBuilder()
            .AppendLine("# Pages over slow 3G, cold")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Written {DateTime.UtcNow:yyyy-MM-dd} by `dotnet test tests/Web.Tests --filter FullyQualifiedName~SlowNetwork` ({Environment.ProcessorCount} cores): Debian's chromium with CDP network emulation ({RoundTripMs} ms latency per request, {BytesPerSecond * 8 / 1000} kbit/s down and up), browser cache cleared, signed in already. \"content on screen\" is the later of the content being in the page and the first contentful paint (the stylesheet holds painting back); \"live\" when its live connection is up and its view read; bytes are everything transferred (encoded), the live connection's messages until then included.")
            .AppendLine()
            .AppendLine("| page | content on screen (s) | first contentful paint (s) | live (s) | bytes transferred | requests |")
            .AppendLine("|---|---|---|---|---|---|");
        foreach (var (name, m) in new[] { ("family (rendered on the server)", familyPage), ("coordinator board (rendered on the server)", board), ("agency page (rendered on the server)", agency) })
            report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Math.Max(m.Content.TotalSeconds, m.FirstPaint.TotalSeconds):F1} | {m.FirstPaint.TotalSeconds:F1} | {m.Live.TotalSeconds:F1} | {m.Bytes:N0} | {m.Requests} |");
        Console.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(Repository.Root, "bench", "results", "slow-3g-pages.md"), report.ToString());
    }

    [Fact]
    public async Task With_JavaScript_off_the_family_page_shows_the_journey_and_telling_the_team_works()
    {
        var site = browser.Site;
        var childId = await site.RegisterChildAsync("Reggie", "Shaw");
        await site.RaiseBlockerAsync(childId, BlockerCategory.Equipment, "health.equipment.north-thames", "Suction unit order", "Ordering the suction machine you will use at home.");
        var code = await site.InviteCodeAsync(childId);
        var context = await browser.NewContextAsync(javaScript: false);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/join");
        await page.GetByLabel("Invite code").FillAsync(code);
        await page.GetByLabel("Your name").FillAsync("Dan Shaw");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/family/", StringComparison.Ordinal));

        await Expect(page.Locator("[data-being-sorted-out]")).ToContainTextAsync("Ordering the suction machine you will use at home.");
        await Expect(page.Locator("[data-journey]")).ToContainTextAsync("Arranging what is needed at home");
        await Expect(page.Locator("[data-checklist]")).ToContainTextAsync("Not yet");
        await Expect(page.Locator("[data-connection]")).ToBeHiddenAsync();
        // The ward's number comes from the service directory, as a link a phone can ring.
        await Expect(page.Locator("[data-urgent] a[href='tel:02079460101']")).ToHaveTextAsync("020 7946 0101");
        await Expect(page.Locator("[data-urgent]")).ToContainTextAsync("phone Kingfisher ward, Royal Thamesbank Children's Hospital");
        await page.GetByLabel("Something that matters to us").CheckAsync();
        await page.GetByLabel("Your message").FillAsync("He sleeps best with the door open.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send to the team" }).ClickAsync();
        await Expect(page.Locator("[data-confirmation]")).ToContainTextAsync("Message sent");
        await Expect(page.Locator("[data-family-messages]")).ToContainTextAsync("He sleeps best with the door open.");
        await BrowserSite.ScreenshotAsync(page, "family-without-javascript");
    }

    private sealed record Measured(TimeSpan Content, TimeSpan FirstPaint, TimeSpan Live, long Bytes, int Requests, bool ContentBeforeLive);

    /// <summary>Opens <paramref name="path"/> in the page's signed-in context with a cold cache over slow 3G.</summary>
    private static async Task<Measured> ColdAsync(IPage page, string path, string contentSelector, string screenshot)
    {
        await page.GotoAsync("about:blank");
        var cdp = await page.Context.NewCDPSessionAsync(page);
        long bytes = 0;
        var requests = 0;
        cdp.Event("Network.loadingFinished").OnEvent += (_, e) => Interlocked.Add(ref bytes, (long)e!.Value.GetProperty("encodedDataLength").GetDouble());
        cdp.Event("Network.requestWillBeSent").OnEvent += (_, _) => Interlocked.Increment(ref requests);
        // WebSocket frames are not loading events: count what the live connection received before the view was read.
        cdp.Event("Network.webSocketFrameReceived").OnEvent += (_, e) =>
            Interlocked.Add(ref bytes, Encoding.UTF8.GetByteCount(e!.Value.GetProperty("response").GetProperty("payloadData").GetString() ?? ""));
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.clearBrowserCache");
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = RoundTripMs, ["downloadThroughput"] = BytesPerSecond, ["uploadThroughput"] = BytesPerSecond,
        });

        var clock = Stopwatch.StartNew();
        var navigation = page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await Expect(page.Locator(contentSelector).First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var content = clock.Elapsed;
        var contentBeforeLive = await page.Locator("[data-connection]").GetAttributeAsync("data-state") != "connected";
        await navigation;
        await Expect(page.Locator("[data-connection]")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-loaded='true']")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        var live = clock.Elapsed;
        var paint = await page.EvaluateAsync<double>("() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1");
        await BrowserSite.ScreenshotAsync(page, screenshot);
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 0, ["downloadThroughput"] = -1, ["uploadThroughput"] = -1,
        });
        await cdp.DetachAsync();
        return new Measured(content, TimeSpan.FromMilliseconds(paint), live, Interlocked.Read(ref bytes), requests, contentBeforeLive);
    }
}
