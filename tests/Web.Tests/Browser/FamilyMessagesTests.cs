using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Web.Tests.Infrastructure;
using CareTwin.Web.Tests.Security;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareTwin.Web.Tests.Browser;

/// <summary>
/// The family page and the child page carry only the latest family messages; "Show older messages" reads the rest,
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
        var messages = family.Locator("#family-root [data-messages] > li");
        var older = family.GetByRole(AriaRole.Button, new() { Name = "Show older messages" });
        await Expect(messages).ToHaveCountAsync(20);
        await Expect(messages.First).ToContainTextAsync("Worry 8");
        await Expect(messages.Last).ToContainTextAsync("Note 9");
        await Expect(family.Locator("#family-root [data-older-count]")).ToHaveTextAsync("8 older messages not shown.");
        await older.ScrollIntoViewIfNeededAsync();
        await family.ScreenshotAsync(new() { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "family-latest-messages.png") });

        await older.ClickAsync();
        await Expect(messages).ToHaveCountAsync(28);
        await Expect(messages.Last).ToContainTextAsync("Note 1");
        await Expect(older).ToBeHiddenAsync();
        await Expect(family.Locator("#family-root [data-older-count]")).ToBeHiddenAsync();

        // The day's 21st note: refused beside the message box, in words for the family; nothing is added.
        var form = family.GetByRole(AriaRole.Form, new() { Name = "Tell the team" });
        await family.GetByLabel("Your message").FillAsync("One more thing about her feeds.");
        await family.GetByRole(AriaRole.Button, new() { Name = "Send to the team" }).ClickAsync();
        await Expect(form.Locator(".nhsuk-error-message")).ToContainTextAsync(
            "The team has had 20 messages from your family today, the most one day allows. You can send more tomorrow; for anything urgent, phone the ward.");
        await Expect(form.Locator(".nhsuk-error-summary")).ToContainTextAsync("The team has had 20 messages from your family today");
        await Expect(messages).ToHaveCountAsync(28);
        await form.ScreenshotAsync(new() { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "family-message-cap.png") });

        // A worry still goes through (its own allowance), and arrives live above the older messages already shown.
        await family.GetByLabel("I am worried about something").CheckAsync();
        await family.GetByLabel("Your message").FillAsync("Worried about the night nurse.");
        await family.GetByRole(AriaRole.Button, new() { Name = "Send to the team" }).ClickAsync();
        await Expect(form.Locator("[data-form-done]")).ToHaveTextAsync("Thank you. The team will see your message.");
        await Expect(messages.First).ToContainTextAsync("Worried about the night nurse.");
        await Expect(messages).ToHaveCountAsync(29);
        await Expect(messages.Last).ToContainTextAsync("Note 1");
        await family.ScreenshotAsync(new() { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "family-older-messages.png"), FullPage = true });

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
