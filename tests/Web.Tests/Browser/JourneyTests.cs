using CareTwin.Grains.Children;
using CareTwin.Journey.Blockers;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareTwin.Web.Tests.Browser;

/// <summary>The three people of a blocker's life, each in their own browser: coordinator, agency, family.</summary>
[Collection(BrowserCollection.Name)]
public sealed class JourneyTests(BrowserSite browser)
{
    private const string Housing = "housing.eastmarsh";
    private const string SocialCare = "social-care.disabled-children.eastmarsh";

    [Fact]
    public async Task A_coordinator_raises_and_escalates_the_agency_sees_it_live_and_acknowledges_and_the_family_sees_only_the_non_sensitive_blocker()
    {
        var site = browser.Site;
        var childId = await site.RegisterChildAsync("Ava", "Thompson");
        var code = await site.InviteCodeAsync(childId);

        var coordinator = await browser.SignedInAsync("coordinator");
        await coordinator.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(coordinator, "#child-root");

        var agency = await browser.SignedInAsync("housing-officer");
        Assert.EndsWith($"/services/{Housing}", agency.Url);
        await BrowserSite.LiveAsync(agency, "#service-root");
        await agency.EvaluateAsync("() => { window.stillTheSamePage = true; }");

        var family = await browser.FamilyAsync(code, "Sam Thompson");
        await BrowserSite.LiveAsync(family, "#family-root");

        // The coordinator raises a housing blocker the family may see, and a safeguarding one they must not.
        var raise = coordinator.GetByRole(AriaRole.Form, new() { Name = "Raise a blocker" });
        await raise.GetByLabel("Category").SelectOptionAsync("housing-adaptation");
        await raise.GetByLabel("Owning service").SelectOptionAsync(Housing);
        await raise.GetByLabel("What is in the way (for professionals)").FillAsync("Structural survey needed before the ceiling hoist");
        await raise.GetByLabel("What the family is told (optional)").FillAsync("Getting a ceiling hoist fitted in Ava's bedroom.");
        await raise.GetByRole(AriaRole.Button, new() { Name = "Raise blocker" }).ClickAsync();
        var confirmation = coordinator.Locator("[data-confirmation]");
        await Expect(confirmation).ToContainTextAsync("Raised the housing / home adaptation blocker (Eastmarsh Council housing team).");
        await Expect(confirmation).ToBeFocusedAsync();

        await raise.GetByLabel("Category").SelectOptionAsync("social-care-safeguarding");
        await raise.GetByLabel("Owning service").SelectOptionAsync(SocialCare);
        await raise.GetByLabel("What is in the way (for professionals)").FillAsync("Strategy meeting about home safety");
        await raise.GetByLabel("What the family is told (optional)").FillAsync("Secret wording that must never reach the family");
        await raise.GetByRole(AriaRole.Button, new() { Name = "Raise blocker" }).ClickAsync();
        await Expect(coordinator.Locator("[data-blocker-id='blocker-2']")).ToHaveCountAsync(1);

        // The agency's view gets the blocker without a reload.
        await Expect(agency.Locator($"[data-blocker='{childId}/blocker-1']")).ToContainTextAsync("Structural survey needed");

        // The coordinator escalates it with a reason.
        var card = coordinator.Locator("[data-blocker-id='blocker-1']");
        await card.GetByText("Act on this blocker").ClickAsync();
        var escalate = card.GetByRole(AriaRole.Form, new() { Name = "Escalate the housing / home adaptation blocker (Eastmarsh Council housing team)" });
        await escalate.GetByLabel("Why escalate?").FillAsync("Family ready to go home; survey not booked after three weeks.");
        await escalate.GetByRole(AriaRole.Button, new() { Name = "Escalate" }).ClickAsync();
        await Expect(coordinator.Locator("[data-blocker-id='blocker-1']")).ToContainTextAsync("Escalation level 1");
        await Expect(confirmation).ToContainTextAsync("Escalated the housing / home adaptation blocker (Eastmarsh Council housing team) to level 1.");
        await Expect(confirmation).ToBeFocusedAsync();

        // The agency sees the escalation live, and acknowledges it.
        var waiting = agency.Locator($"[data-escalation='{childId}/blocker-1']");
        await Expect(waiting).ToContainTextAsync("survey not booked after three weeks");
        await Expect(waiting.Locator("[data-child-link]")).ToHaveAttributeAsync("href", $"/children/{childId}#blocker-blocker-1");
        await waiting.GetByLabel("Note about the acknowledgement (optional)").FillAsync("Surveyor booked for Monday.");
        await waiting.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Expect(agency.Locator($"[data-escalation='{childId}/blocker-1']")).ToHaveCountAsync(0);
        // The card goes once acknowledged; the confirmation stays, above the page, with focus on it.
        var acknowledged = agency.Locator("[data-confirmation]");
        await Expect(acknowledged).ToContainTextAsync("Acknowledged the level 1 escalation for Ava");
        await Expect(acknowledged).ToBeFocusedAsync();
        Assert.True(await agency.EvaluateAsync<bool>("() => window.stillTheSamePage === true"), "The agency view reloaded instead of updating in place.");

        // The coordinator's journal shows who acknowledged, live.
        await Expect(coordinator.Locator(".app-timeline")).ToContainTextAsync("Acknowledged the level 1 escalation of the housing / home adaptation blocker (Eastmarsh Council housing team): Surveyor booked for Monday.");
        await Expect(coordinator.Locator(".app-timeline")).ToContainTextAsync("Callum Reid");

        // The family sees the housing work in plain language, and nothing of the safeguarding blocker.
        var sortedOut = family.Locator("[data-being-sorted-out]");
        await Expect(sortedOut).ToContainTextAsync("Getting a ceiling hoist fitted in Ava's bedroom.");
        await Expect(sortedOut).ToContainTextAsync("Eastmarsh Council housing team");
        var familyText = await family.Locator("main").InnerTextAsync();
        Assert.DoesNotContain("Secret wording", familyText);
        Assert.DoesNotContain("Strategy meeting", familyText);
        Assert.DoesNotContain("Structural survey", familyText);
        Assert.DoesNotContain("disabled children", familyText);
        Assert.Equal(1, await family.Locator("[data-work-item]").CountAsync());
        Assert.Empty(browser.Dialogs);
    }

    [Fact]
    public async Task The_board_updates_a_childs_row_in_place_and_filters_by_agency()
    {
        var site = browser.Site;
        var childId = await site.RegisterChildAsync("Noah", "Bennett");
        var board = await browser.SignedInAsync("coordinator");
        Assert.EndsWith("/board", board.Url);
        // The board shows 50 children a page: find this one by its NHS number, as a coordinator would.
        var nhs = (await site.Grains.GetGrain<IChildGrain>(childId).GetBoardRow())!.NhsNumber!.Formatted;
        await board.Locator("#filter-search").FillAsync(nhs);
        await Expect(board).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("\\?q=" + nhs.Replace(" ", "(\\+|%20)") + "$"));
        await BrowserSite.LiveAsync(board, "#board-root");
        await board.EvaluateAsync("() => { window.stillTheSamePage = true; }");
        var row = board.Locator($"tr[data-child-id='{childId}']");
        await Expect(row).ToContainTextAsync("Noah B.");

        await site.RaiseBlockerAsync(childId, BlockerCategory.Equipment, "health.equipment.north-thames", "Suction machine on order", null);

        await Expect(row).ToContainTextAsync("North Thames community equipment service");
        await Expect(row).ToContainTextAsync("Equipment");
        Assert.True(await board.EvaluateAsync<bool>("() => window.stillTheSamePage === true"), "The board reloaded instead of updating in place.");

        await board.Locator("#filter-agency").SelectOptionAsync("housing.riverside");
        await Expect(row).ToHaveCountAsync(0);
        await board.Locator("#filter-agency").SelectOptionAsync("health.equipment.north-thames");
        await Expect(row).ToHaveCountAsync(1);
        await board.Locator("#filter-delay").FillAsync("100000");
        await Expect(row).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Script_in_a_blocker_is_shown_as_text_and_a_control_character_is_refused_naming_the_field()
    {
        var childId = await browser.Site.RegisterChildAsync("Leo", "Marsh");
        var coordinator = await browser.SignedInAsync("coordinator");
        await coordinator.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(coordinator, "#child-root");
        var raise = coordinator.GetByRole(AriaRole.Form, new() { Name = "Raise a blocker" });
        const string hostile = "<script>alert('blocker')</script><img src=x onerror=\"alert('img')\"> & done";

        await raise.GetByLabel("Category").SelectOptionAsync("housing-adaptation");
        await raise.GetByLabel("Owning service").SelectOptionAsync(Housing);
        await raise.GetByLabel("What is in the way (for professionals)").FillAsync(hostile);
        await raise.GetByRole(AriaRole.Button, new() { Name = "Raise blocker" }).ClickAsync();

        await Expect(coordinator.Locator("[data-blocker-id='blocker-1'] [data-professional-text]")).ToHaveTextAsync(hostile);
        Assert.Equal(0, await coordinator.Locator("#child-root img").CountAsync());
        Assert.Equal(0, await coordinator.Locator("#child-root script").CountAsync());

        await raise.GetByLabel("Category").SelectOptionAsync("housing-adaptation");
        await raise.GetByLabel("Owning service").SelectOptionAsync(Housing);
        await raise.GetByLabel("What is in the way (for professionals)").FillAsync("Hidden \u202E reversed text");
        await raise.GetByRole(AriaRole.Button, new() { Name = "Raise blocker" }).ClickAsync();
        var summary = raise.Locator(".nhsuk-error-summary");
        await Expect(summary).ToContainTextAsync("What is in the way contains a control character");
        await Expect(raise.Locator("[data-field='professionalText'].nhsuk-form-group--error")).ToHaveCountAsync(1);
        Assert.Empty(browser.Dialogs);
    }

    [Fact]
    public async Task Agency_staff_see_the_child_page_change_live_as_coordinators_do()
    {
        var site = browser.Site;
        var childId = await site.RegisterChildAsync("Isla", "Marsh");
        await site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, Housing, "Stair lift survey", null);
        var agency = await browser.SignedInAsync("housing-officer");
        await agency.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(agency, "#child-root");

        // Staff acting for a service watch the record in their own audience's group; the page must still hear it.
        await site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, Housing, "Downstairs bathroom plans", null);
        await Expect(agency.Locator("[data-open-blockers]")).ToContainTextAsync("Downstairs bathroom plans");
    }
}
