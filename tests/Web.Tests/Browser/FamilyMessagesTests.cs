using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Web.Tests.Infrastructure;
using CareTwin.Web.Tests.Security;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareTwin.Web.Tests.Browser;

/// <summary>
/// The family page and the child page carry only the latest family messages; "Show older messages" shows the rest,
/// and a family over the day's cap is told so beside their message.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FamilyMessagesTests(BrowserSite browser)
{
    private static readonly Actor Parent = new("parent.seed", "Seed parent", ActorRole.Family);

    [Fact]
    public async Task The_family_page_shows_the_latest_messages_reads_older_ones_on_request_and_says_when_the_days_cap_is_reached()
    {
        var site = browser.Site;
        await FamilyMessageHubTests.MidnightIsNotAboutToPassAsync();
        var childId = await site.RegisterChildAsync("Ivy", "Moss");
        for (var i = 1; i <= 20; i++)
        {
            var text = $"Note {i}";
            await site.RunAsync(childId, o => new AddFamilyNote(o with { Actor = Parent }, text));
        }
        for (var i = 1; i <= 8; i++)
        {
            var text = $"Worry {i}";
            await site.RunAsync(childId, o => new FlagConcern(o with { Actor = Parent }, text));
        }

        var family = await browser.FamilyAsync(await site.InviteCodeAsync(childId), "Jade Moss");
        await BrowserSite.LiveAsync(family, "#family-root");
        var messages = family.Locator("#family-root [data-family-messages] > li");
        var older = family.GetByRole(AriaRole.Link, new() { Name = "Show older messages (8)" });
        await Expect(messages).ToHaveCountAsync(20);
        await Expect(messages.First).ToContainTextAsync("Worry 8");
        await Expect(messages.Last).ToContainTextAsync("Note 9");
        await older.ScrollIntoViewIfNeededAsync();
        await family.ScreenshotAsync(new() { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "family-latest-messages.png") });

        // A plain link: the older ones are on the page it opens, and there are none older than those.
        await older.ClickAsync();
        var olderMessages = family.Locator("#older-messages [data-family-messages] > li");
        await Expect(olderMessages).ToHaveCountAsync(8);
        await Expect(olderMessages.First).ToContainTextAsync("Note 8");
        await Expect(olderMessages.Last).ToContainTextAsync("Note 1");
        await Expect(family.Locator("#older-messages [data-older-messages]")).ToHaveCountAsync(0);
        await family.ScreenshotAsync(new() { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "family-older-messages.png"), FullPage = true });

        // Nothing chosen, then nothing written: each named as the family sees it.
        var form = family.Locator("form[data-tell-the-team]");
        await family.GetByRole(AriaRole.Button, new() { Name = "Send to the team" }).ClickAsync();
        await Expect(family.Locator(".nhsuk-error-summary")).ToContainTextAsync("Choose what you would like to tell the team");
        await family.GetByLabel("Something that matters to us").CheckAsync();
        await family.GetByRole(AriaRole.Button, new() { Name = "Send to the team" }).ClickAsync();
        await Expect(family.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter your message");
        await Expect(family.GetByLabel("Something that matters to us")).ToBeCheckedAsync();

        // The day's 21st note: refused beside the message box, in words for the family, with what they wrote kept; nothing is added.
        await family.GetByLabel("Your message").FillAsync("One more thing about her feeds.");
        await family.GetByRole(AriaRole.Button, new() { Name = "Send to the team" }).ClickAsync();
        await Expect(family.Locator(".nhsuk-error-summary")).ToContainTextAsync("The team has had 20 messages from your family today");
        await Expect(form.Locator(".nhsuk-error-message")).ToContainTextAsync(
            "The team has had 20 messages from your family today, the most one day allows. You can send more tomorrow; for anything urgent, phone the ward.");
        await Expect(family.GetByLabel("Your message")).ToHaveValueAsync("One more thing about her feeds.");
        await Expect(messages).ToHaveCountAsync(20);
        await Expect(messages.First).ToContainTextAsync("Worry 8");
        await form.ScreenshotAsync(new() { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "family-message-cap.png") });

        // A worry still goes through (its own allowance): a confirmation that has the focus, and the worry first in the list.
        await family.GetByLabel("I am worried about something").CheckAsync();
        await family.GetByLabel("Your message").FillAsync("Worried about the night nurse.");
        await family.GetByRole(AriaRole.Button, new() { Name = "Send to the team" }).ClickAsync();
        await Expect(family.Locator("[data-confirmation]")).ToContainTextAsync("Message sent");
        await Expect(family.Locator("[data-confirmation]")).ToBeFocusedAsync();
        await Expect(messages.First).ToContainTextAsync("Worried about the night nurse.");
        await Expect(family.GetByLabel("Your message")).ToHaveValueAsync("");
        await BrowserSite.LiveAsync(family, "#family-root");

        // The child page does the same for staff.
        var coordinator = await browser.SignedInAsync("coordinator");
        await coordinator.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(coordinator, "#child-root");
        var staffMessages = coordinator.Locator("#child-root [data-messages] > li");
        await Expect(staffMessages).ToHaveCountAsync(20);
        await Expect(staffMessages.First).ToContainTextAsync("Worried about the night nurse.");
        await Expect(coordinator.Locator("#child-root [data-older-count]")).ToHaveTextAsync("9 older messages not shown.");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Show older messages" }).ClickAsync();
        await Expect(staffMessages).ToHaveCountAsync(29);
        await Expect(staffMessages.Last).ToContainTextAsync("Note 1");
    }
}
