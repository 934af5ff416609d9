using System.Net;
using CareTwin.Grains.Access;
using CareTwin.Journey.Services;
using CareTwin.Testing;
using CareTwin.Web.Hosting;
using CareTwin.Web.SignIn;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

        // The demo host's session as a node sharing its keys would read it (each host keeps its keys in its own
        // store): the same ticket, protected with this host's keys, so only the demo-mode check can refuse it.
        var demoSession = await RawHubClient.SignInAsync(browser.Site.Address, "coordinator");
        var session = demoSession.GetCookies(browser.Site.Address)[SessionCookie];
        Assert.NotNull(session);
        var ticket = Tickets(browser.Site).Unprotect(session.Value);
        Assert.NotNull(ticket);
        var cookies = new CookieContainer();
        cookies.Add(production.Site.Address, new Cookie(SessionCookie, Tickets(production.Site).Protect(ticket)));
        var refused = await Assert.ThrowsAsync<HubRefusedException>(() => RawHubClient.ConnectAsync(production.Site.Address, cookies));
        Assert.Equal((int)HttpStatusCode.Unauthorized, refused.Status);
        await using var stillFine = await RawHubClient.ConnectAsync(browser.Site.Address, demoSession);
    }

    private const string SessionCookie = "caretwin.session";

    private static ISecureDataFormat<AuthenticationTicket> Tickets(CareTwinSite site) =>
        site.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CallerClaims.Scheme).TicketDataFormat;

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
