using CareTwin.Grains.Access;
using CareTwin.Journey.Blockers;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareTwin.Web.Tests.Browser;

/// <summary>A family member sees their own child's family view and nothing else, by any route.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FamilyAccessTests(BrowserSite browser)
{
    [Fact]
    public async Task A_family_member_cannot_open_another_childs_pages_or_join_its_groups_and_each_denial_is_audited()
    {
        var site = browser.Site;
        var ownChild = await site.RegisterChildAsync("Maya", "Patel");
        var otherChild = await site.RegisterChildAsync("Oliver", "Grant");
        await site.RaiseBlockerAsync(otherChild, BlockerCategory.Equipment, "health.equipment.north-thames", "Oxygen concentrator", "Delivering the oxygen machine.");
        var family = await browser.FamilyAsync(await site.InviteCodeAsync(ownChild), "Rani Patel");
        await BrowserSite.LiveAsync(family, "#family-root");

        foreach (var path in new[] { $"/family/{otherChild}", $"/children/{otherChild}", $"/children/{ownChild}", "/board", "/services/health.equipment.north-thames" })
        {
            var response = await family.GotoAsync(path);
            Assert.Equal(403, response!.Status);
            await Expect(family.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You cannot see this page");
        }
        Assert.DoesNotContain("Oliver", await family.ContentAsync());

        await family.GotoAsync($"/family/{ownChild}");
        await BrowserSite.LiveAsync(family, "#family-root");
        var (ownError, ownView) = await BrowserSite.RawHubCallAsync(family, "WatchFamily", ownChild);
        Assert.Null(ownError);
        Assert.Contains("data-journey", ownView!.Value.GetProperty("html").GetString());

        foreach (var (method, childId) in new[] { ("WatchFamily", otherChild), ("WatchChild", otherChild), ("WatchChild", ownChild), ("GetAccessLog", ownChild), ("IssueInvite", ownChild) })
        {
            var (error, result) = await BrowserSite.RawHubCallAsync(family, method, childId);
            Assert.Null(result);
            Assert.Contains("You do not have access to this record.", error);
        }
        var (boardError, _) = await BrowserSite.RawHubCallAsync(family, "WatchBoard", "region:north-thames");
        Assert.Contains("You do not have access", boardError);
        var (raiseError, _) = await BrowserSite.RawHubCallAsync(family, "RaiseBlocker", ownChild,
            new { requestId = "r1", transitionId = "transition-1", category = "housing-adaptation", owningService = "housing.eastmarsh", professionalText = "x", targetDate = site.Today.AddDays(9).ToString("yyyy-MM-dd") });
        Assert.Contains("You do not have access", raiseError);

        var denied = (await site.AuditOfAsync(otherChild)).Where(e => e.Role == CallerRole.Family && !e.Allowed).ToList();
        Assert.Contains(denied, e => e is { Channel: "page", Action: AccessAction.ViewFamilyView });
        Assert.Contains(denied, e => e is { Channel: "page", Action: AccessAction.ViewChild });
        Assert.Contains(denied, e => e is { Channel: "hub", Action: AccessAction.WatchFamilyView });
        Assert.Contains(denied, e => e is { Channel: "hub", Action: AccessAction.WatchChild });
    }

    [Fact]
    public async Task A_coordinator_issues_an_invite_the_family_joins_with_it_and_removing_the_member_ends_their_access_at_once()
    {
        var site = browser.Site;
        var childId = await site.RegisterChildAsync("Isla", "Brown");
        var coordinator = await browser.SignedInAsync("coordinator");
        await coordinator.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(coordinator, "#child-root");

        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Issue an invite code" }).ClickAsync();
        var code = await coordinator.Locator("[data-invite-code]").InnerTextAsync();

        var family = await browser.FamilyAsync(code, "Jo Brown");
        await BrowserSite.LiveAsync(family, "#family-root");
        await family.GetByLabel("I am worried about something").CheckAsync();
        await family.GetByLabel("Your message").FillAsync("Nobody has told us when the hoist is coming.");
        await family.GetByRole(AriaRole.Button, new() { Name = "Send to the team" }).ClickAsync();
        await Expect(family.Locator("[data-confirmation]")).ToContainTextAsync("Thank you. The team will see your worry and get back to you.");
        await Expect(coordinator.Locator("#child-root")).ToContainTextAsync("Nobody has told us when the hoist is coming.");

        // A used code does not work twice.
        var second = await browser.NewPageAsync(phone: true);
        await second.GotoAsync("/join");
        await second.GetByLabel("Invite code").FillAsync(code);
        await second.GetByLabel("Your name").FillAsync("Someone else");
        await second.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(second.Locator(".nhsuk-error-summary")).ToContainTextAsync("already been used");

        await coordinator.ReloadAsync();
        await BrowserSite.LiveAsync(coordinator, "#child-root");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Remove Jo Brown" }).ClickAsync();
        await Expect(family.Locator("[data-connection-text]")).ToContainTextAsync("Your access to this record has ended");
        var response = await family.ReloadAsync();
        Assert.Equal(403, response!.Status);
    }

    [Fact]
    public async Task The_family_sees_who_in_the_care_team_looked_and_joining_is_in_the_childs_audit_trail_with_the_members_id()
    {
        var site = browser.Site;
        var childId = await site.RegisterChildAsync("Ruby", "Shaw");
        var coordinator = await browser.SignedInAsync("coordinator");
        await coordinator.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(coordinator, "#child-root");

        var family = await browser.FamilyAsync(await site.InviteCodeAsync(childId), "Lee Shaw");
        await BrowserSite.LiveAsync(family, "#family-root");

        var looks = family.Locator("[data-care-team-looks]");
        await Expect(looks).ToContainTextAsync("Priya Shah, care coordinator: last looked");
        Assert.Equal(1, await looks.Locator("li").CountAsync()); // people only: not the EPR that registered Ruby, not the family
        var member = Assert.Single((await site.Grains.GetGrain<IFamilyAccessGrain>(childId).GetOverview()).Members);
        var joined = Assert.Single(await site.AuditOfAsync(childId), e => e.Detail == $"RedeemInvite {member.MemberId}");
        Assert.Equal((member.MemberId, CallerRole.Family, AccessAction.ManageFamilyAccess, true), (joined.CallerId, joined.Role, joined.Action, joined.Allowed));
    }

    [Fact]
    public async Task A_family_page_closes_within_seconds_when_the_member_is_removed_by_another_route_and_gets_no_change_after()
    {
        var site = browser.Site;
        var childId = await site.RegisterChildAsync("Noah", "Evans");
        var family = await browser.FamilyAsync(await site.InviteCodeAsync(childId), "Kim Evans");
        await BrowserSite.LiveAsync(family, "#family-root");
        var access = site.Grains.GetGrain<IFamilyAccessGrain>(childId);
        var member = Assert.Single((await access.GetOverview()).Members);

        // Not through this page's host's hub (as another node of a cluster, or the API, would): the open view finds out by itself.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(await access.RemoveMember(member.MemberId, "another node's coordinator"));
        await Expect(family.Locator("[data-connection-text]")).ToContainTextAsync("Your access to this record has ended", new() { Timeout = 5_000 });
        Console.WriteLine($"Family page closed {clock.Elapsed.TotalSeconds:F2} s after the member was removed.");

        await site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, "housing.eastmarsh", "Ground-floor flat", "Finding a ground-floor flat.");
        await Expect(family.Locator("#family-root")).Not.ToContainTextAsync("ground-floor flat");
        var ended = (await site.AuditOfAsync(childId)).Where(e => e.Detail == CareTwin.Web.Live.LiveAccess.EndedDetail).ToList();
        Assert.Contains(ended, e => !e.Allowed && e.Action == AccessAction.WatchFamilyView);
    }

    [Fact]
    public async Task A_young_persons_family_sees_their_journey_only_while_the_young_person_agrees_as_the_coordinator_records_it()
    {
        var site = browser.Site;
        var childId = await site.RegisterChildAsync("Sam", "Okafor", dateOfBirth: site.Today.AddYears(-17));
        var family = await browser.FamilyAsync(await site.InviteCodeAsync(childId), "Ada Okafor");
        Assert.Equal(403, (await family.ReloadAsync())!.Status);

        var coordinator = await browser.SignedInAsync("coordinator");
        await coordinator.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(coordinator, "#child-root");
        await Expect(coordinator.Locator("#child-root")).ToContainTextAsync("The young person is 16 or over");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Record agreement of the young person" }).ClickAsync();
        await Expect(coordinator.Locator("[data-young-person-consent]")).ToHaveAttributeAsync("data-young-person-consent", "agreed");
        await Expect(coordinator.Locator("[data-young-person-consent]")).ToContainTextAsync("recorded by Priya Shah");

        Assert.Equal(200, (await family.ReloadAsync())!.Status);
        await BrowserSite.LiveAsync(family, "#family-root");

        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Withdraw agreement of the young person" }).ClickAsync();
        await Expect(family.Locator("[data-connection-text]")).ToContainTextAsync("Your access to this record has ended");
        Assert.Equal(403, (await family.ReloadAsync())!.Status);
        var consentTrail = (await site.AuditOfAsync(childId)).Where(e => e.Action == AccessAction.ManageFamilyAccess && e.Allowed).Select(e => e.Detail).ToList();
        Assert.Contains("RecordYoungPersonConsent", consentTrail);
        Assert.Contains("WithdrawYoungPersonConsent", consentTrail);
    }
}
