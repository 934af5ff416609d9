using System.Text.Json;
using CareTwin.Grains.Children;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Escalations;
using CareTwin.Testing;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareTwin.Web.Tests.Browser;

/// <summary>
/// Staff actions on the child and agency pages (issue 15, items 3 and 7): each confirms in an NHS success banner that
/// takes focus and outlives the card the action rebuilds; refusals name the field as the form does; only what the
/// access policy allows is offered, and a forced call is refused with a true sentence; offline, a change waits
/// visibly (and can be cancelled) and is sent once back online. At desktop and phone size, with axe clean.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ActionTests(BrowserSite browser)
{
    private const string Housing = "housing.eastmarsh";
    private const string SocialCare = "social-care.disabled-children.eastmarsh";
    private const string HousingBlocker = "the housing / home adaptation blocker (Eastmarsh Council housing team)";
    private static readonly string AxeScript = Path.Combine(Repository.Root, "src", "Web", "ClientApp", "node_modules", "axe-core", "axe.min.js");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_action_confirms_in_a_focused_banner_that_outlives_the_card(bool phone)
    {
        var childId = await browser.Site.RegisterChildAsync("Isla", "Moran");
        await browser.Site.RaiseBlockerAsync(childId, BlockerCategory.Equipment, "health.equipment.north-thames", "Hoist on order", null);
        var page = await browser.SignedInAsync("coordinator", phone, bypassCsp: true);
        await page.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(page, "#child-root");
        var banner = page.Locator("[data-confirmation]");

        // Raise: the form lists no category or service until one is chosen.
        var raise = page.GetByRole(AriaRole.Form, new() { Name = "Raise a blocker" });
        await raise.GetByLabel("Category").SelectOptionAsync("housing-adaptation");
        await raise.GetByLabel("Owning service").SelectOptionAsync(Housing);
        await raise.GetByLabel("What is in the way (for professionals)").FillAsync("Ramp to the front door");
        await raise.GetByRole(AriaRole.Button, new() { Name = "Raise blocker" }).ClickAsync();
        await ConfirmedAsync(banner, $"Raised {HousingBlocker}.");
        await Expect(page.Locator("[data-blocker-id='blocker-2']")).ToHaveCountAsync(1);

        // Escalate: the card is rebuilt with its new level; the banner stays, focused.
        var card = page.Locator("[data-blocker-id='blocker-2']");
        await ActOnAsync(card);
        var escalate = card.GetByRole(AriaRole.Form, new() { Name = $"Escalate {HousingBlocker}" });
        await escalate.GetByLabel("Why escalate?").FillAsync("No survey date after three weeks.");
        await escalate.GetByRole(AriaRole.Button, new() { Name = "Escalate" }).ClickAsync();
        await Expect(card).ToContainTextAsync("Escalation level 1");
        await ConfirmedAsync(banner, $"Escalated {HousingBlocker} to level 1.");

        // Acknowledge (a coordinator may, for the service).
        await ActOnAsync(card);
        var acknowledge = card.GetByRole(AriaRole.Form, new() { Name = $"Acknowledge the escalation of {HousingBlocker}" });
        await acknowledge.GetByLabel("Note about the acknowledgement (optional)").FillAsync("Surveyor booked.");
        await acknowledge.GetByRole(AriaRole.Button, new() { Name = "Acknowledge escalation" }).ClickAsync();
        await Expect(card.GetByRole(AriaRole.Form, new() { Name = $"Acknowledge the escalation of {HousingBlocker}" })).ToHaveCountAsync(0);
        await ConfirmedAsync(banner, $"Acknowledged the escalation of {HousingBlocker}.");

        // Reassign: to social care; the card's heading changes with it.
        await ActOnAsync(card);
        var reassign = card.GetByRole(AriaRole.Form, new() { Name = $"Reassign {HousingBlocker}" });
        await reassign.GetByLabel("New owning service").SelectOptionAsync(SocialCare);
        await reassign.GetByLabel("Reason for reassigning").FillAsync("Adaptation is funded by social care.");
        await reassign.GetByRole(AriaRole.Button, new() { Name = "Reassign" }).ClickAsync();
        await ConfirmedAsync(banner, $"Reassigned {HousingBlocker} to ");
        await Expect(card.Locator(".nhsuk-card__heading")).Not.ToContainTextAsync("housing team");

        // Resolve: the card leaves the open blockers; the banner does not.
        await ActOnAsync(card);
        var resolve = card.GetByRole(AriaRole.Form, new() { NameRegex = new("^Resolve ") });
        await resolve.GetByLabel("How it was resolved (optional)").FillAsync("Ramp fitted.");
        await resolve.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Expect(card).ToHaveCountAsync(0);
        await ConfirmedAsync(banner, "Resolved the housing / home adaptation blocker");

        // Change stage: the form is rebuilt with the new stage.
        var stage = page.GetByRole(AriaRole.Form, new() { Name = "Change stage" });
        await stage.GetByLabel("New stage").SelectOptionAsync("ready-for-discharge");
        await stage.GetByRole(AriaRole.Button, new() { Name = "Change stage" }).ClickAsync();
        await ConfirmedAsync(banner, "Stage changed: Hospital discharge is now at Ready for discharge.");
        await Expect(page.GetByRole(AriaRole.Form, new() { Name = "Change stage" })).ToContainTextAsync("now at Ready for discharge");
        await Expect(banner).ToBeFocusedAsync();

        await NoSeriousAccessibilityProblemAsync(page);
        await BrowserSite.ScreenshotAsync(page, $"child-confirmed-{(phone ? "phone" : "desktop")}");
        Assert.Empty(browser.Dialogs);
    }

    [Fact]
    public async Task Refusals_name_the_field_as_the_form_does_and_nothing_is_chosen_for_the_person()
    {
        var childId = await browser.Site.RegisterChildAsync("Ezra", "Lane");
        await browser.Site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, Housing, "Wet room", null);
        var page = await browser.SignedInAsync("coordinator");
        await page.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(page, "#child-root");

        var raise = page.GetByRole(AriaRole.Form, new() { Name = "Raise a blocker" });
        await Expect(raise.GetByLabel("Category")).ToHaveValueAsync("");
        await Expect(raise.GetByLabel("Owning service")).ToHaveValueAsync("");
        var button = raise.GetByRole(AriaRole.Button, new() { Name = "Raise blocker" });

        await button.ClickAsync();
        await RefusedAtAsync(raise, "category", "Choose the category");
        await raise.GetByLabel("Category").SelectOptionAsync("equipment");
        await button.ClickAsync();
        await RefusedAtAsync(raise, "owningService", "Choose the owning service");
        await raise.GetByLabel("Owning service").SelectOptionAsync(Housing);
        await button.ClickAsync();
        await RefusedAtAsync(raise, "professionalText", "Enter what is in the way");

        var card = page.Locator("[data-blocker-id='blocker-1']");
        await ActOnAsync(card);
        var escalate = card.GetByRole(AriaRole.Form, new() { Name = $"Escalate {HousingBlocker}" });
        await escalate.GetByRole(AriaRole.Button, new() { Name = "Escalate" }).ClickAsync();
        await RefusedAtAsync(escalate, "reason", "Enter a reason");
        var reassign = card.GetByRole(AriaRole.Form, new() { Name = $"Reassign {HousingBlocker}" });
        await reassign.GetByRole(AriaRole.Button, new() { Name = "Reassign" }).ClickAsync();
        await RefusedAtAsync(reassign, "reason", "Enter a reason for reassigning");

        // The summary's link takes the person to the field.
        await escalate.Locator(".nhsuk-error-summary a").ClickAsync();
        await Expect(escalate.GetByLabel("Why escalate?")).ToBeFocusedAsync();
        var text = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotContain("must not be blank", text);
        Assert.DoesNotContain("professionalText", text);
    }

    [Fact]
    public async Task Housing_staff_are_offered_only_what_they_may_do_and_a_forced_call_is_told_the_truth()
    {
        var childId = await browser.Site.RegisterChildAsync("Ruby", "Hale");
        await browser.Site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, Housing, "Stair lift", "A stair lift for your home.");
        await browser.Site.RaiseBlockerAsync(childId, BlockerCategory.CarePackage, SocialCare, "Carers to recruit", "Finding carers for home.");
        var housing = await browser.SignedInAsync("housing-officer");
        await housing.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(housing, "#child-root");

        var own = housing.Locator("[data-blocker-id='blocker-1']");
        var others = housing.Locator("[data-blocker-id='blocker-2']");
        await Expect(others).ToContainTextAsync("Carers to recruit");
        await Expect(others.GetByText("Act on this blocker")).ToHaveCountAsync(0);
        await Expect(others.Locator("form")).ToHaveCountAsync(0);
        await ActOnAsync(own);
        await Expect(own.GetByRole(AriaRole.Button, new() { Name = "Resolve" })).ToHaveCountAsync(1);
        await Expect(own.GetByRole(AriaRole.Button, new() { Name = "Escalate" })).ToHaveCountAsync(0);
        await Expect(housing.GetByRole(AriaRole.Form, new() { Name = "Change stage" })).ToHaveCountAsync(0);
        var raise = housing.GetByRole(AriaRole.Form, new() { Name = "Raise a blocker" });
        var services = await raise.GetByLabel("Owning service").Locator("option").AllInnerTextsAsync();
        Assert.Equal(["Choose…", "Eastmarsh Council housing team"], services);
        await raise.GetByLabel("Category").SelectOptionAsync("housing-adaptation");
        await raise.GetByRole(AriaRole.Button, new() { Name = "Raise blocker" }).ClickAsync();
        await RefusedAtAsync(raise, "owningService", "Choose the owning service");

        var (error, result) = await BrowserSite.RawHubCallAsync(housing, "ResolveBlocker", childId, new { requestId = "forced-1", blockerId = "blocker-2", note = "Done" });
        Assert.Null(result);
        Assert.Contains("Only the owning service or a coordinator can resolve this blocker.", error);
        (error, _) = await BrowserSite.RawHubCallAsync(housing, "EscalateBlocker", childId, new { requestId = "forced-2", blockerId = "blocker-1", reason = "Why not" });
        Assert.Contains("Only a coordinator can escalate a blocker.", error);
        var journey = await browser.Site.Grains.GetGrain<IChildGrain>(childId).GetJourney();
        Assert.True(journey!.FindBlocker("blocker-2")!.IsActive);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Offline_a_change_waits_visibly_and_is_sent_once_back_online(bool phone)
    {
        var childId = await browser.Site.RegisterChildAsync("Finn", "Doyle");
        await browser.Site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, Housing, "Hoist tracking", null);
        var page = await browser.SignedInAsync("coordinator", phone, bypassCsp: true);
        await page.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(page, "#child-root");
        var card = page.Locator("[data-blocker-id='blocker-1']");
        await ActOnAsync(card);

        await page.Context.SetOfflineAsync(true);
        var escalate = card.GetByRole(AriaRole.Form, new() { Name = $"Escalate {HousingBlocker}" });
        await escalate.GetByLabel("Why escalate?").FillAsync("Sent from a ward with no signal.");
        await escalate.GetByRole(AriaRole.Button, new() { Name = "Escalate" }).ClickAsync();

        var notSent = page.Locator("[data-not-sent]");
        await Expect(notSent).ToContainTextAsync("Not sent yet — will send when you're back online");
        await Expect(notSent.Locator("[data-queued]")).ToContainTextAsync($"Escalate {HousingBlocker}");
        await Expect(notSent).ToBeFocusedAsync();
        await Expect(escalate.Locator("[data-form-done]")).ToHaveTextAsync("Not sent yet — will send when you're back online.");
        await NoSeriousAccessibilityProblemAsync(page);
        await Task.Delay(500);
        Assert.Equal(0, (await browser.Site.Grains.GetGrain<IChildGrain>(childId).GetJourney())!.FindBlocker("blocker-1")!.EscalationLevel);

        await page.Context.SetOfflineAsync(false);
        await ConfirmedAsync(page.Locator("[data-confirmation]"), $"Escalated {HousingBlocker} to level 1.", TimeSpan.FromSeconds(30));
        await Expect(notSent).ToHaveCountAsync(0);
        await Expect(card).ToContainTextAsync("Escalation level 1");
        Assert.Equal(1, (await browser.Site.Grains.GetGrain<IChildGrain>(childId).GetJourney())!.FindBlocker("blocker-1")!.EscalationLevel);
    }

    [Fact]
    public async Task Offline_a_waiting_change_can_be_cancelled_and_is_never_sent()
    {
        var childId = await browser.Site.RegisterChildAsync("Maya", "Quinn");
        await browser.Site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, Housing, "Door widening", null);
        var page = await browser.SignedInAsync("coordinator");
        await page.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(page, "#child-root");
        var card = page.Locator("[data-blocker-id='blocker-1']");
        await ActOnAsync(card);

        await page.Context.SetOfflineAsync(true);
        var resolve = card.GetByRole(AriaRole.Form, new() { Name = $"Resolve {HousingBlocker}" });
        await resolve.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Cancel: Resolve {HousingBlocker}" }).ClickAsync();
        await Expect(page.Locator("[data-not-sent]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-outbox-note]")).ToHaveTextAsync($"Cancelled: Resolve {HousingBlocker}. Nothing was sent.");
        await Expect(page.Locator("[data-outbox-note]")).ToBeFocusedAsync();

        // Family access changes are not kept for later: offline, the person is told it was not done.
        await page.GetByRole(AriaRole.Button, new() { Name = "Record agreement of the young person" }).ClickAsync();
        await Expect(page.Locator("[data-family-access-problem]")).ToContainTextAsync("Record agreement of the young person: not done, because you're offline.");
        await Expect(page.Locator("[data-family-access-problem]")).ToBeFocusedAsync();

        await page.Context.SetOfflineAsync(false);
        await BrowserSite.LiveAsync(page, "#child-root");
        await Task.Delay(1500);
        Assert.True((await browser.Site.Grains.GetGrain<IChildGrain>(childId).GetJourney())!.FindBlocker("blocker-1")!.IsActive);
        await Expect(page.Locator("[data-confirmation]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Agency_staff_acknowledge_from_a_card_that_links_the_child_and_names_its_blocker()
    {
        var childId = await browser.Site.RegisterChildAsync("Leah", "Ward");
        await browser.Site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, Housing, "Ramp", null);
        await browser.Site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, Housing, "Wet room", null);
        await browser.Site.RunAsync(childId, o => new EscalateBlocker(o, "blocker-1", "No date for the ramp."));
        await browser.Site.RunAsync(childId, o => new EscalateBlocker(o, "blocker-2", "No date for the wet room."));
        var agency = await browser.SignedInAsync("housing-officer", phone: true);
        await BrowserSite.LiveAsync(agency, "#service-root");

        var first = agency.Locator($"[data-escalation='{childId}/blocker-1']");
        var second = agency.Locator($"[data-escalation='{childId}/blocker-2']");
        await Expect(first.Locator("[data-child-link]")).ToHaveAttributeAsync("href", $"/children/{childId}#blocker-blocker-1");
        var labels = await agency.Locator($"[data-escalation^='{childId}/'] form").EvaluateAllAsync<string[]>("forms => forms.map(f => f.getAttribute('aria-label'))");
        Assert.Equal(2, labels.Distinct().Count());

        await first.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Expect(first).ToHaveCountAsync(0);
        await ConfirmedAsync(agency.Locator("[data-confirmation]"), "Acknowledged the level 1 escalation for Leah");
        await Expect(second).ToHaveCountAsync(1);
    }

    private static async Task ActOnAsync(ILocator card)
    {
        var details = card.Locator("details");
        if (await details.GetAttributeAsync("open") is null) await card.GetByText("Act on this blocker").ClickAsync();
    }

    private static async Task ConfirmedAsync(ILocator banner, string text, TimeSpan? within = null)
    {
        var timeout = (float)(within ?? TimeSpan.FromSeconds(10)).TotalMilliseconds;
        await Expect(banner).ToContainTextAsync(text, new() { Timeout = timeout });
        await Expect(banner).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("nhsuk-notification-banner--success"));
        await Expect(banner).ToBeFocusedAsync();
    }

    private static async Task RefusedAtAsync(ILocator form, string field, string message)
    {
        await Expect(form.Locator(".nhsuk-error-summary")).ToContainTextAsync(message);
        await Expect(form.Locator(".nhsuk-error-summary")).ToBeFocusedAsync();
        await Expect(form.Locator($"[data-field='{field}'] .nhsuk-error-message")).ToContainTextAsync(message);
    }

    private static async Task NoSeriousAccessibilityProblemAsync(IPage page)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = AxeScript });
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
              .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))
            """);
        var serious = violations.EnumerateArray().Where(v => v.GetProperty("impact").GetString() is "serious" or "critical").Select(v => v.ToString()).ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
    }
}
