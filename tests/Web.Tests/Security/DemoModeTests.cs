using System.Net;
using CareTwin.Grains.Access;
using CareTwin.Journey.Services;
using CareTwin.Testing;
using CareTwin.Web.Hosting;
using CareTwin.Web.SignIn;
using CareTwin.Web.Tests.Infrastructure;

namespace CareTwin.Web.Tests.Security;

/// <summary>Demo users exist only on a host in demo mode: no buttons, no endpoint, and a demo session brought from elsewhere is refused.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoModeTests(BrowserSite browser, LimitedSite production) : IClassFixture<LimitedSite>
{
    [Fact]
    public async Task Outside_demo_mode_there_is_no_sign_in_as_and_a_demo_session_is_not_accepted()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = production.Site.Address };
        var page = await http.GetStringAsync("/sign-in");
        Assert.DoesNotContain("data-demo-user", page);
        Assert.Contains("Staff sign-in", page);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/sign-in/demo", new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = "coordinator" }))).StatusCode);

        // Both hosts run in this process with the same data-protection keys, so the demo host's cookie decrypts here.
        var demoSession = await RawHubClient.SignInAsync(browser.Site.Address, "coordinator");
        var cookies = new CookieContainer();
        foreach (Cookie cookie in demoSession.GetCookies(browser.Site.Address)) cookies.Add(production.Site.Address, new Cookie(cookie.Name, cookie.Value));
        var refused = await Assert.ThrowsAsync<HubRefusedException>(() => RawHubClient.ConnectAsync(production.Site.Address, cookies));
        Assert.Equal((int)HttpStatusCode.Unauthorized, refused.Status);
        await using var stillFine = await RawHubClient.ConnectAsync(browser.Site.Address, demoSession);
    }

    [Fact]
    public void A_demo_session_is_valid_only_in_demo_mode_and_a_staff_session_only_while_its_account_is_configured()
    {
        var demoUser = DemoUsers.All[0].Caller;
        var demoPrincipal = CallerClaims.Principal(demoUser, demo: true);
        var options = new WebOptions { Staff = [new StaffAccount { UserName = "Ada", DisplayName = "Ada", Role = "coordinator", PasswordHash = "x" }] };

        Assert.True(SignInEndpoints.SessionStillValid(demoUser, demoPrincipal, new DemoMode(true), options));
        Assert.False(SignInEndpoints.SessionStillValid(demoUser, demoPrincipal, new DemoMode(false), options));

        var ada = Caller.Coordinator("staff.ada", "Ada");
        Assert.True(SignInEndpoints.SessionStillValid(ada, CallerClaims.Principal(ada), new DemoMode(false), options));
        Assert.False(SignInEndpoints.SessionStillValid(ada, CallerClaims.Principal(ada), new DemoMode(false), new WebOptions()));
        var promoted = Caller.AgencyStaff("staff.ada", "Ada", ServiceKey.Parse("housing.eastmarsh"));
        Assert.False(SignInEndpoints.SessionStillValid(promoted, CallerClaims.Principal(promoted), new DemoMode(false), options));
    }
}
