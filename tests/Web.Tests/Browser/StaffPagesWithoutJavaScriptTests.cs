using CareTwin.Grains.Access;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Escalations;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareTwin.Web.Tests.Browser;

/// <summary>
/// The child page and the agency page are readable with JavaScript off: their first view comes from the server with
/// its content, shaped for the reader as the live view is, and once the script is live it takes the view over
/// without showing anything twice.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StaffPagesWithoutJavaScriptTests(BrowserSite browser)
{
    private const string Housing = "housing.eastmarsh";
    private const string SocialCare = "social-care.disabled-children.eastmarsh";
    private const string HousingText = "Level-access shower needed before discharge";
    private const string SafeguardingText = "Strategy meeting about home safety";

    [Fact]
    public async Task With_JavaScript_off_staff_read_the_child_record_and_the_agency_its_blockers_and_escalations()
    {
        var site = browser.Site;
        var childId = await site.RegisterChildAsync("Nadia", "Okoro");
        await site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, Housing, HousingText, "Fitting a shower Nadia can use.");
        await site.RaiseBlockerAsync(childId, BlockerCategory.SocialCareSafeguarding, SocialCare, SafeguardingText, null, sensitive: true);
        await site.RunAsync(childId, o => new EscalateBlocker(o, "blocker-1", "Survey not booked after three weeks."));

        foreach (var phone in new[] { false, true })
        {
            var size = phone ? "phone" : "desktop";
            var coordinator = await browser.SignedInAsync("coordinator", phone, javaScript: false);
            await coordinator.GotoAsync($"/children/{childId}");
            var record = coordinator.Locator("#child-root");
            await Expect(record.Locator("dl.nhsuk-summary-list").First).ToContainTextAsync("Date of birth");
            await Expect(record.Locator("dl.nhsuk-summary-list").First).ToContainTextAsync("Discharge planning");
            await Expect(record.GetByRole(AriaRole.Link, new() { Name = "See what the family sees" })).ToHaveAttributeAsync("href", $"/family/{childId}");
            var housingCard = record.Locator("[data-blocker-id='blocker-1']");
            await Expect(housingCard.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Housing / home adaptation: Eastmarsh Council housing team");
            await Expect(housingCard).ToContainTextAsync(HousingText);
            await Expect(housingCard).ToContainTextAsync("Escalation level 1");
            await Expect(housingCard).ToContainTextAsync("Family sees: Fitting a shower Nadia can use.");
            // A coordinator sees the sensitive blocker, marked as never shown to the family.
            await Expect(record.Locator("[data-blocker-id='blocker-2']")).ToContainTextAsync("Sensitive: never shown to the family");
            await Expect(record.Locator(".app-timeline li").Filter(new() { HasText = "Raised a housing / home adaptation blocker for Eastmarsh Council housing team" })).ToHaveCountAsync(1);
            await Expect(record.Locator(".app-timeline")).ToContainTextAsync("Escalated the housing / home adaptation blocker");
            // Nothing that needs the live connection is offered, nor a page still "loading" or "connecting".
            await Expect(record).Not.ToContainTextAsync("Loading");
            await Expect(record.Locator("form")).ToHaveCountAsync(0);
            await Expect(coordinator.Locator("[data-connection]")).ToBeHiddenAsync();
            await BrowserSite.ScreenshotAsync(coordinator, $"child-without-javascript-{size}");

            var housing = await browser.SignedInAsync("housing-officer", phone, javaScript: false);
            Assert.EndsWith($"/services/{Housing}", housing.Url);
            var service = housing.Locator("#service-root");
            var row = service.Locator($"[data-blocker='{childId}/blocker-1']");
            await Expect(row).ToContainTextAsync(HousingText);
            await Expect(row.GetByRole(AriaRole.Link, new() { Name = "Nadia O." })).ToHaveAttributeAsync("href", $"/children/{childId}");
            var escalation = service.Locator($"[data-escalation='{childId}/blocker-1']");
            await Expect(escalation).ToContainTextAsync("Survey not booked after three weeks.");
            await Expect(escalation.Locator("[data-child-link]")).ToHaveTextAsync("Nadia O.");
            await Expect(service).Not.ToContainTextAsync(SafeguardingText);
            await Expect(service.Locator("form")).ToHaveCountAsync(0);
            await BrowserSite.ScreenshotAsync(housing, $"agency-without-javascript-{size}");

            // The link takes the housing officer to the record, without another service's sensitive blocker.
            await escalation.Locator("[data-child-link]").ClickAsync();
            await Expect(housing.Locator("#child-root [data-blocker-id='blocker-1']")).ToContainTextAsync(HousingText);
            await Expect(housing.Locator("#child-root [data-blocker-id]")).ToHaveCountAsync(1);
            Assert.DoesNotContain(SafeguardingText, await housing.ContentAsync(), StringComparison.Ordinal);

            await coordinator.Context.CloseAsync();
            await housing.Context.CloseAsync();
        }

        // Each view asked the gate once (no script, so no hub): one audited view each, per screen size.
        var views = (await site.AuditOfAsync(childId)).Where(e => e is { Action: AccessAction.ViewChild, Channel: "page" }).ToList();
        Assert.Equal(2, views.Count(e => e.CallerId == "demo.coordinator"));
        Assert.Equal(2, views.Count(e => e.CallerId == "demo.housing-officer"));
    }

    [Fact]
    public async Task Once_live_the_script_takes_over_the_server_rendered_view_without_showing_anything_twice()
    {
        var site = browser.Site;
        var childId = await site.RegisterChildAsync("Omar", "Haddad");
        await site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, Housing, HousingText, null);

        var coordinator = await browser.SignedInAsync("coordinator");
        await coordinator.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(coordinator, "#child-root");
        var record = coordinator.Locator("#child-root");
        await Expect(record.Locator("[data-blocker-id='blocker-1']")).ToHaveCountAsync(1);
        await Expect(record.Locator("dl.nhsuk-summary-list:has-text('NHS number')")).ToHaveCountAsync(1);
        foreach (var heading in new[] { "What the family told us", "Open blockers", "Appointments", "Closed blockers", "Journal" })
            await Expect(record.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToHaveCountAsync(1);
        // The live view's actions are there now.
        await Expect(record.GetByRole(AriaRole.Form, new() { Name = "Raise a blocker" })).ToBeVisibleAsync();

        var housing = await browser.SignedInAsync("housing-officer");
        await BrowserSite.LiveAsync(housing, "#service-root");
        await Expect(housing.Locator($"#service-root [data-blocker='{childId}/blocker-1']")).ToHaveCountAsync(1);
        foreach (var heading in new[] { "Escalations awaiting acknowledgement", "Blockers we own" })
            await Expect(housing.Locator("#service-root").GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToHaveCountAsync(1);
        await Expect(housing.Locator("#service-root .app-figures")).ToHaveCountAsync(1);

        await coordinator.Context.CloseAsync();
        await housing.Context.CloseAsync();
    }
}
