using System.Net;
using System.Text.RegularExpressions;
using CareTwin.Grains.Boards;
using CareTwin.Grains.Children;
using CareTwin.Grains.Forecasts;
using CareTwin.Grains.Services;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Services;
using CareTwin.Journey.Wording;
using CareTwin.Testing;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareTwin.Web.Tests.Browser;

/// <summary>
/// The ready-date forecast (issue 17 item 2): the child page says when the child is likely to be ready and which
/// blocker drives it, the same in the server's page and the live one; the board sorts by it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ForecastTests(BrowserSite browser)
{
    private CareTwinSite Site => browser.Site;

    [Fact]
    public async Task The_child_page_shows_the_likely_range_and_the_blocker_that_drives_it()
    {
        var childId = await Site.RegisterChildAsync("Esme", "Forecast");
        await Site.RaiseBlockerAsync(childId, BlockerCategory.Equipment, "health.equipment.north-thames", "Hoist on order", null);
        await Site.RaiseBlockerAsync(childId, BlockerCategory.FundingDecision, "health.continuing-care.north-thames", "Continuing care panel", null);
        await Site.RaiseBlockerAsync(childId, BlockerCategory.CarePackage, "voluntary.carers-together", "Two carers to recruit", null);
        // Recruitment starts after the funding decision: the two run end to end, so they drive the forecast.
        await Site.RunAsync(childId, o => new SetBlockerStartsAfter(o, "blocker-3", "blocker-2"));
        var expected = await ExpectedSentenceAsync(childId, "blocker-3");

        var page = await browser.SignedInAsync("coordinator");
        var served = await (await page.APIRequest.GetAsync($"/children/{childId}")).TextAsync();
        Assert.Equal(expected, Text(ServedForecast().Match(served).Groups["forecast"].Value));

        await page.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(page, "#child-root");
        var forecast = page.Locator("[data-forecast]");
        await Expect(forecast).ToHaveTextAsync(expected);
        await Expect(forecast.Locator("a")).ToHaveAttributeAsync("href", "#blocker-blocker-3");
        await BrowserSite.ScreenshotAsync(page, "child-forecast");
        Assert.Empty(browser.Dialogs);
    }

    [Fact]
    public async Task A_coordinator_says_what_a_blocker_starts_after_on_its_card_a_loop_is_refused_and_a_good_link_moves_the_forecast()
    {
        var childId = await Site.RegisterChildAsync("Otis", "Forecast");
        await Site.RaiseBlockerAsync(childId, BlockerCategory.Equipment, "health.equipment.north-thames", "Hoist on order", null);
        await Site.RaiseBlockerAsync(childId, BlockerCategory.FundingDecision, "health.continuing-care.north-thames", "Continuing care panel", null);
        await Site.RaiseBlockerAsync(childId, BlockerCategory.CarePackage, "voluntary.carers-together", "Two carers to recruit", null);
        await Site.RunAsync(childId, o => new SetBlockerStartsAfter(o, "blocker-3", "blocker-2"));
        var journey = (await Site.Grains.GetGrain<IChildGrain>(childId).GetJourney())!;
        var directory = await Site.Grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory();
        string Title(string id) => BlockerDependencies.Title(journey.FindBlocker(id)!, directory);
        var before = await ExpectedSentenceAsync(childId, "blocker-3");

        var page = await browser.SignedInAsync("coordinator");
        await page.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(page, "#child-root");
        await Expect(page.Locator("#blocker-blocker-3 [data-starts-after]")).ToHaveTextAsync(Title("blocker-2"));
        // The server's first view of the card says the same, for a reader without script.
        var served = await (await page.APIRequest.GetAsync($"/children/{childId}")).TextAsync();
        Assert.Equal(Title("blocker-2"), Text(ServedStartsAfter().Match(served).Groups["after"].Value));

        // The funding decision starting after recruitment, which already starts after it: refused at the field, nothing changed.
        var funding = await StartsAfterFormAsync(page, "blocker-2");
        await funding.GetByLabel(Title("blocker-3"), new() { Exact = true }).CheckAsync();
        await funding.GetByRole(AriaRole.Button, new() { Name = "Save what it starts after" }).ClickAsync();
        await Expect(funding.Locator("[data-field=afterBlockerId] .nhsuk-error-message")).ToHaveTextAsync(
            $"Error: This would make {Title("blocker-2")} wait on itself: {Title("blocker-2")} starts after {Title("blocker-3")} starts after {Title("blocker-2")}.");
        Assert.Empty((await Site.Grains.GetGrain<IChildGrain>(childId).GetJourney())!.FindBlocker("blocker-2")!.StartsAfter);
        await Expect(page.Locator("#blocker-blocker-2 [data-starts-after]")).ToHaveCountAsync(0);

        // The hoist goes in once the carers are recruited: the card says so and the chain now ends with the hoist.
        var hoist = await StartsAfterFormAsync(page, "blocker-1");
        await hoist.GetByLabel(Title("blocker-3"), new() { Exact = true }).CheckAsync();
        await hoist.GetByRole(AriaRole.Button, new() { Name = "Save what it starts after" }).ClickAsync();
        await Expect(page.Locator("#blocker-blocker-1 [data-starts-after]")).ToHaveTextAsync(Title("blocker-3"));
        var after = await ExpectedSentenceAsync(childId, "blocker-1");
        Assert.NotEqual(before, after);
        await Expect(page.Locator("[data-forecast]")).ToHaveTextAsync(after);
        await BrowserSite.ScreenshotAsync(page, "child-blocker-starts-after");
        Assert.Empty(browser.Dialogs);
    }

    /// <summary>The "Starts after" form on a blocker's card, with its actions opened.</summary>
    private static async Task<ILocator> StartsAfterFormAsync(IPage page, string blockerId)
    {
        var card = page.Locator($"#blocker-{blockerId}");
        await card.Locator("summary").ClickAsync();
        return card.Locator("form[aria-label$=' starts after']");
    }

    [Fact]
    public async Task The_board_sorts_by_the_forecast_latest_likely_ready_first()
    {
        foreach (var (name, category, service) in new[]
        {
            ("Quick", BlockerCategory.Transport, "health.transport.north-thames"),
            ("Slow", BlockerCategory.HousingAdaptation, "housing.eastmarsh"),
        })
        {
            var id = await Site.RegisterChildAsync(name, "Forecast");
            await Site.RaiseBlockerAsync(id, category, service, $"{name} blocker", null);
        }
        var page = await browser.SignedInAsync("coordinator");
        await page.GotoAsync("/board");
        await BrowserSite.LiveAsync(page, "#board-root");
        await page.GetByLabel("Sort by", new() { Exact = true }).SelectOptionAsync("forecast");
        await Expect(page).ToHaveURLAsync(new Regex("\\?sort=forecast$"));

        var rows = (await Site.Grains.GetGrain<IBoardGrain>(BoardKey.ForRegion(CareTwinSite.Region).ToString()).GetSnapshot()).Summary.Rows;
        var shown = await page.Locator("[data-board-table] tbody tr[data-child-id]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.childId)");
        Assert.NotEmpty(shown);
        // Latest likely-ready first; children without a forecast last.
        var lateEnds = shown.Select(id => rows[id].Forecast?.LikelyBy ?? DateOnly.MinValue).ToList();
        Assert.Equal(lateEnds.OrderDescending(), lateEnds);
        await Expect(page.Locator("[data-board-table] tbody tr[data-child-id]").First.Locator("[data-forecast]")).ToHaveTextAsync(new Regex("^(Between|On) .+ \\d{4}$"));
        await BrowserSite.ScreenshotAsync(page, "board-sorted-by-forecast");
    }

    /// <summary>What the page should say, from the child's journey and the lead times learned so far.</summary>
    private async Task<string> ExpectedSentenceAsync(string childId, string drivingBlockerId)
    {
        var journey = (await Site.Grains.GetGrain<IChildGrain>(childId).GetJourney())!;
        var leadTimes = await Site.Grains.GetGrain<ILeadTimeGrain>(ILeadTimeGrain.DefaultKey).GetLeadTimes();
        var directory = await Site.Grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory();
        var forecast = ReadyForecaster.Forecast(journey, journey.CurrentTransition()!, DateTimeOffset.UtcNow, leadTimes)!;
        var driver = journey.FindBlocker(forecast.DrivingBlockerId)!;
        Assert.Equal(drivingBlockerId, driver.Id);
        return $"Likely ready {DayRange.Describe(forecast.LikelyFrom, forecast.LikelyBy)}, driven by {BlockerCategories.Title(driver.Category)} ({directory.NameOf(driver.OwningService)})";
    }

    private static string Text(string html) => WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]+>", ""));

    [GeneratedRegex("<span data-forecast>(?<forecast>.*?)</span>")]
    private static partial Regex ServedForecast();

    [GeneratedRegex("<span data-starts-after>(?<after>.*?)</span>")]
    private static partial Regex ServedStartsAfter();
}
