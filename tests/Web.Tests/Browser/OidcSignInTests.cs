using CareTwin.Grains.Access;
using CareTwin.Testing.Oidc;
using CareTwin.Web.SignIn;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareTwin.Web.Tests.Browser;

/// <summary>
/// Staff sign in through their identity provider and families come back through the sign-in they linked, in Debian's
/// chromium against a real OpenID Connect provider (OpenIddict) on 127.0.0.1: code flow with PKCE, the id token
/// checked by CareTwin, and CareTwin's own session issued. What CareTwin cannot accept is refused with one line and
/// leaves no session behind.
/// </summary>
[Collection(OidcBrowserCollection.Name)]
public sealed class OidcSignInTests(OidcBrowserSite browser)
{
    private const string SessionCookie = "caretwin.session";

    [Fact]
    public async Task A_coordinator_signs_in_through_the_identity_provider_and_sees_the_board_and_agency_staff_see_their_service()
    {
        var page = await StaffSignInAsync(CareTwinOidc.Coordinator);
        await page.WaitForURLAsync(url => url.EndsWith("/board", StringComparison.Ordinal));
        await BrowserSite.LiveAsync(page, "#board-root");
        await Expect(page.Locator("header")).ToContainTextAsync(CareTwinOidc.Coordinator.Name);
        await BrowserSite.ScreenshotAsync(page, "oidc-coordinator-board");

        var housing = await StaffSignInAsync(CareTwinOidc.HousingOfficer);
        await housing.WaitForURLAsync(url => url.EndsWith("/services/housing.eastmarsh", StringComparison.Ordinal));
        await BrowserSite.LiveAsync(housing, "#service-root");
        // A role from the provider gives no more than the role: the board is a coordinator's.
        Assert.Equal(403, (await housing.GotoAsync("/board"))!.Status);

        var trail = (await SignInTrailAsync()).Entries;
        Assert.Contains(trail, e => e is { Allowed: true, Role: CallerRole.Coordinator, Action: AccessAction.SignIn } && e.CallerId == "oidc." + CareTwinOidc.Coordinator.Subject
            && e.Detail!.StartsWith(OidcSignIn.StaffScheme, StringComparison.Ordinal));
        Assert.Contains(trail, e => e is { Allowed: true, Role: CallerRole.AgencyStaff } && e.CallerId == "oidc." + CareTwinOidc.HousingOfficer.Subject);
    }

    [Fact]
    public async Task A_deep_link_comes_back_to_its_page_after_the_provider_and_never_to_another_site()
    {
        var childId = await browser.Site.RegisterChildAsync("Theo", "Lane");
        var deep = await OidcSignInClient.SignInAsync(browser.Issuer, browser.Site.Address, $"/sign-in/oidc?returnUrl={Uri.EscapeDataString($"/children/{childId}")}", CareTwinOidc.Coordinator.Key);
        Assert.Equal($"/children/{childId}", deep.FinalAddress.AbsolutePath);
        Assert.Equal(System.Net.HttpStatusCode.OK, deep.Status);

        var away = await OidcSignInClient.SignInAsync(browser.Issuer, browser.Site.Address, "/sign-in/oidc?returnUrl=https%3A%2F%2Fevil.example%2F", CareTwinOidc.Coordinator.Key);
        Assert.Equal(browser.Site.Address.Authority, away.FinalAddress.Authority);
        Assert.Equal("/board", away.FinalAddress.AbsolutePath);
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { CareTwinOidc.NoRole.Key, OidcSignIn.NoRoleHeading, OidcSignIn.NoRoleLine },
        { CareTwinOidc.OtherOrganisation.Key, OidcSignIn.NoRoleHeading, OidcSignIn.NoRoleLine },
        { CareTwinOidc.OtherAudience.Key, "Sign-in was not accepted", "The sign-in was issued for another service, not CareTwin, so it was not accepted." },
        { CareTwinOidc.Expired.Key, "Sign-in was not accepted", "The sign-in had expired before it reached CareTwin. Sign in again." },
        { CareTwinOidc.Forged.Key, "Sign-in was not accepted", $"The sign-in could not be verified as coming from {CareTwinOidc.StaffProvider}, so it was not accepted." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_sign_in_CareTwin_cannot_accept_is_refused_with_one_clear_line_and_no_session(string person, string heading, string line)
    {
        var who = CareTwinOidc.StaffPeople.Single(p => p.Key == person);
        var before = (await SignInTrailAsync()).Total;
        var page = await StaffSignInAsync(who);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(heading);
        await Expect(page.Locator("main p").First).ToHaveTextAsync(line);
        Assert.DoesNotContain("Exception", await page.ContentAsync());
        await BrowserSite.ScreenshotAsync(page, $"oidc-refused-{person}");

        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == SessionCookie);
        await page.GotoAsync("/board");
        await page.WaitForURLAsync(url => url.Contains("/sign-in", StringComparison.Ordinal));

        // Nobody CareTwin can name: no entry of its own in the sign-in trail, but counted with the unidentified callers.
        var trail = await SignInTrailAsync();
        Assert.Equal(before, trail.Total);
        await browser.Site.Services.GetRequiredService<AccessGate>().Unauthenticated.FlushAsync(all: true);
        var unidentified = (await browser.Site.Grains.GetGrain<IAuditGrain>(UnauthenticatedAttempts.Subject).GetRecent(AuditGrain.MaxPage)).Entries;
        Assert.Contains(unidentified, e => e.Detail!.Contains(SignInAudit.Subject, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_family_member_links_NHS_login_when_joining_comes_back_with_it_after_signing_out_and_loses_it_with_their_membership()
    {
        var site = browser.Site;
        var childId = await site.RegisterChildAsync("Noor", "Khan");
        var parent = CareTwinOidc.Parent("parent-noor", "Sara Khan");
        browser.Issuer.Add(parent);

        var page = await browser.NewPageAsync(phone: true);
        await page.GotoAsync("/join");
        await page.GetByLabel("Invite code").FillAsync(await site.InviteCodeAsync(childId));
        await page.GetByLabel("Your name").FillAsync("Sara Khan");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue and link NHS login" }).ClickAsync();
        await page.Locator($"a[data-test-user='{parent.Key}']").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"/family/{childId}", StringComparison.Ordinal));
        await BrowserSite.LiveAsync(page, "#family-root");
        var member = (await site.Grains.GetGrain<IFamilyAccessGrain>(childId).GetOverview()).Members.Single(m => m.DisplayName == "Sara Khan");

        // Signed out, the session is gone; the linked sign-in brings them back to their child's page without a code.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/sign-in", StringComparison.Ordinal));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == SessionCookie);
        await FamilySignInAsync(page, parent);
        await page.WaitForURLAsync(url => url.EndsWith($"/family/{childId}", StringComparison.Ordinal));
        await BrowserSite.LiveAsync(page, "#family-root");
        await BrowserSite.ScreenshotAsync(page, "oidc-family-back");

        // Removed from the family: the link goes with the membership.
        Assert.True(await site.Grains.GetGrain<IFamilyAccessGrain>(childId).RemoveMember(member.MemberId, "Priya Shah"));
        var again = await browser.NewPageAsync(phone: true);
        await again.GotoAsync("/sign-in");
        await FamilySignInAsync(again, parent);
        await Expect(again.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your NHS login is not linked to CareTwin");
        Assert.DoesNotContain(await again.Context.CookiesAsync(), c => c.Name == SessionCookie);
        Assert.Null(await site.Grains.GetGrain<IFamilyAccessGrain>(childId).FindLinkedMember(LinkOf(parent)));
        Assert.Empty(await site.Grains.GetGrain<IFamilySignInGrain>(LinkOf(parent)).GetLinks());

        // Someone who never linked is told how to, and is not signed in.
        var stranger = CareTwinOidc.Parent("parent-stranger", "Lee Stone");
        browser.Issuer.Add(stranger);
        var third = await browser.NewPageAsync(phone: true);
        await third.GotoAsync("/sign-in");
        await FamilySignInAsync(third, stranger);
        await Expect(third.Locator("main p").First).ToContainTextAsync("Ask your child's care coordinator for an invite code");
        Assert.DoesNotContain(await third.Context.CookiesAsync(), c => c.Name == SessionCookie);
    }

    [Fact]
    public async Task A_family_sign_in_with_an_expired_forged_or_misaddressed_token_is_refused_with_one_line_and_links_nothing()
    {
        var site = browser.Site;
        foreach (var (fault, line) in new[]
        {
            (TokenFault.Expired, "The sign-in had expired before it reached CareTwin. Sign in again."),
            (TokenFault.ForgedSignature, $"The sign-in could not be verified as coming from {CareTwinOidc.FamilyProvider}, so it was not accepted."),
            (TokenFault.OtherAudience, "The sign-in was issued for another service, not CareTwin, so it was not accepted."),
        })
        {
            var childId = await site.RegisterChildAsync("Ava", "Reid");
            var parent = CareTwinOidc.Parent($"parent-{fault}", $"Parent {fault}", fault);
            browser.Issuer.Add(parent);
            var joining = await OidcSignInClient.SignInAsync(browser.Issuer, site.Address, "/sign-in/family", parent.Key);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, joining.Status);
            Assert.Contains($"<p class=\"nhsuk-body\">{System.Net.WebUtility.HtmlEncode(line)}</p>", joining.Page, StringComparison.Ordinal);
            Assert.DoesNotContain(joining.Cookies.GetAllCookies(), c => c.Name == SessionCookie);
            Assert.Empty(await site.Grains.GetGrain<IFamilySignInGrain>(LinkOf(parent)).GetLinks());
        }
    }

    private string LinkOf(TestPerson parent) => FamilySignIn.LinkOf(browser.Issuer.Authority.ToString(), parent.Subject);

    private async Task<IPage> StaffSignInAsync(TestPerson person)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Sign in with {CareTwinOidc.StaffProvider}" }).ClickAsync();
        await page.Locator($"a[data-test-user='{person.Key}']").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/connect/authorize", StringComparison.Ordinal) && !url.Contains("/sign-in/oidc", StringComparison.Ordinal) || url.Contains("/callback", StringComparison.Ordinal));
        await page.WaitForLoadStateAsync();
        return page;
    }

    private static async Task FamilySignInAsync(IPage page, TestPerson parent)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = $"Sign in with {CareTwinOidc.FamilyProvider}" }).ClickAsync();
        await page.Locator($"a[data-test-user='{parent.Key}']").ClickAsync();
        await page.WaitForLoadStateAsync();
    }

    private Task<AuditPage> SignInTrailAsync() => browser.Site.Grains.GetGrain<IAuditGrain>(SignInAudit.Subject).GetRecent(AuditGrain.MaxPage);
}
