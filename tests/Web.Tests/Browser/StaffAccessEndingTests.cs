using System.Diagnostics;
using CareTwin.Journey.Blockers;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace CareTwin.Web.Tests.Browser;

/// <summary>A staff member's open pages stop showing children's changes once their account is taken away, without a reload.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StaffAccessEndingTests(BrowserSite browser)
{
    [Fact]
    public async Task A_coordinators_open_board_and_child_page_close_within_seconds_when_their_account_is_removed_and_show_no_change_after()
    {
        var site = browser.Site;
        var childId = await site.RegisterChildAsync("Ezra", "Hall");
        var board = await browser.SignedInWithPasswordAsync(BrowserSite.ConfiguredCoordinator, BrowserSite.ConfiguredPassword);
        await board.GotoAsync("/board");
        await BrowserSite.LiveAsync(board, "#board-root");
        var record = await board.Context.NewPageAsync();
        await record.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(record, "#child-root");
        // A colleague still signed in, watching the same child: what reaches them would have reached Rowan.
        var colleague = await browser.SignedInAsync("coordinator");
        await colleague.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(colleague, "#child-root");

        // The operator takes the account out of the configuration (as a reloaded settings file would): no restart, no sign-out.
        var configuration = (IConfigurationBuilder)site.Services.GetRequiredService<IConfiguration>();
        var removal = new MemoryConfigurationSource { InitialData = new Dictionary<string, string?> { ["Web:Staff:0:UserName"] = "someone-else" } };
        var clock = Stopwatch.StartNew();
        configuration.Add(removal);
        try
        {
            foreach (var page in new[] { board, record })
                await Expect(page.Locator("[data-connection-text]")).ToContainTextAsync("Your access to this record has ended", new() { Timeout = 5_000 });
            Console.WriteLine($"Both staff pages closed {clock.Elapsed.TotalSeconds:F2} s after the account was removed.");

            await site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, "housing.eastmarsh", "Stair lift survey", "Checking the stairs at home.");
            await Expect(colleague.Locator("#child-root")).ToContainTextAsync("Stair lift survey");
            Assert.DoesNotContain("Stair lift survey", await record.Locator("#child-root").InnerTextAsync());

            // The next request is no longer signed in either.
            await record.ReloadAsync();
            await Expect(record).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sign-in"));
        }
        finally
        {
            configuration.Sources.Remove(removal);
        }
    }
}
