using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CareTwin.Grains.Access;
using CareTwin.Journey.Blockers;
using CareTwin.Testing;
using CareTwin.Web.Security;
using CareTwin.Web.SignIn;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CareTwin.Web.Tests.Security;

/// <summary>
/// The Orleans dashboard at /operations/dashboard: operators only (staff sign-in, operator role), and an operator
/// sees no child, board or service.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OperatorDashboardTests(BrowserSite browser, LimitedSite production) : IClassFixture<LimitedSite>
{
    private const string Dashboard = CallerClaims.OperationsDashboardPath;

    private CareTwinSite Site => browser.Site;

    [Fact]
    public async Task An_operator_sees_the_dashboard_and_its_figures_for_this_node()
    {
        using var http = Client(Site, await RawHubClient.SignInAsync(Site.Address, "operator"));

        using var page = await http.GetAsync(Dashboard + "/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Orleans Dashboard</title>", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Dashboard + "/index.min.js")).StatusCode);

        using var counters = await http.GetAsync(Dashboard + "/DashboardCounters");
        Assert.Equal(HttpStatusCode.OK, counters.StatusCode);
        var figures = JsonDocument.Parse(await counters.Content.ReadAsStringAsync()).RootElement;
        var node = Assert.Single(figures.GetProperty("hosts").EnumerateArray());
        Assert.Equal("Active", node.GetProperty("status").GetString());
        Assert.Contains(figures.GetProperty("simpleGrainStats").EnumerateArray(), g => g.GetProperty("grainType").GetString()!.StartsWith("CareTwin.Grains.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_dashboard_offers_no_grains_state_and_no_log_lines()
    {
        var childId = await Site.RegisterChildAsync("Ruby", "Fenwick");
        using var http = Client(Site, await RawHubClient.SignInAsync(Site.Address, "operator"));

        // GrainState would call the child twin's getters around the access gate; Trace streams the node's log.
        using var state = await http.GetAsync($"{Dashboard}/GrainState?grainId={childId}&grainType=CareTwin.Grains.Children.ChildGrain");
        Assert.Equal(HttpStatusCode.NotFound, state.StatusCode);
        Assert.DoesNotContain("Fenwick", await state.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(Dashboard + "/Trace")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Dashboard + "/Reminders")).StatusCode);
    }

    [Fact]
    public async Task A_coordinator_is_refused_the_dashboard_with_the_403_page()
    {
        using var http = Client(Site, await RawHubClient.SignInAsync(Site.Address, "coordinator"));

        foreach (var path in new[] { "/", "/index.min.js", "/DashboardCounters" })
        {
            using var response = await http.GetAsync(Dashboard + path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("You cannot see this page", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Someone_not_signed_in_is_sent_to_sign_in_and_brought_back()
    {
        using var http = Client(Site, new CookieContainer());

        foreach (var path in new[] { "/", "/DashboardCounters" })
        {
            using var response = await http.GetAsync(Dashboard + path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/sign-in?returnUrl=" + Uri.EscapeDataString(Dashboard + path), response.Headers.Location!.PathAndQuery);
        }
    }

    [Fact]
    public async Task An_operator_is_refused_every_child_record_board_and_service_and_the_refusal_is_audited()
    {
        var childId = await Site.RegisterChildAsync("Ivy", "Marsh");
        await Site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, "housing.eastmarsh", "Hoist track", "A hoist for your home.");
        var cookies = await RawHubClient.SignInAsync(Site.Address, "operator");
        using var http = Client(Site, cookies);

        foreach (var path in new[] { $"/children/{childId}", $"/family/{childId}", "/board", "/board?board=region:north-thames", "/services/housing.eastmarsh" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.DoesNotContain("Marsh", await response.Content.ReadAsStringAsync());
        }
        await using var hub = await RawHubClient.ConnectAsync(Site.Address, cookies);
        Assert.Contains("do not have access", (await hub.InvokeAsync("WatchChild", childId)).Error);
        Assert.Contains("do not have access", (await hub.InvokeAsync("WatchBoard", "region:north-thames")).Error);
        Assert.Contains("do not have access", (await hub.InvokeAsync("GetAccessLog", childId)).Error);
        Assert.Contains("do not have access", (await hub.InvokeAsync("ResolveBlocker", childId, new { requestId = "ops-1", blockerId = "blocker-1", note = "x" })).Error);

        var audit = await Site.AuditOfAsync(childId);
        Assert.Contains(audit, e => e is { CallerName: "Sam Okafor", Role: CallerRole.Operator, Allowed: false, Channel: "page", Action: AccessAction.ViewChild });
        Assert.DoesNotContain(audit, e => e.Role == CallerRole.Operator && e.Allowed);
    }

    [Fact]
    public async Task The_dashboard_runs_in_a_browser_under_the_sites_security_headers_relaxed_only_for_its_style_and_icon_font()
    {
        var page = await browser.SignedInAsync("operator");
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) refused.Add(message.Text);
        };
        // Signing in took the operator to their start page: the dashboard.
        Assert.EndsWith(Dashboard + "/", new Uri(page.Url).AbsolutePath);
        await page.ReloadAsync();

        // Its figures come from its data endpoints: this one node, and the twins and services in memory.
        await Assertions.Expect(page.Locator("#content")).ToContainTextAsync(new Regex(@"Active Silos\s*1(?!\d)"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#content")).ToContainTextAsync(new Regex(@"Total Activations\s*[1-9]"));
        await BrowserSite.ScreenshotAsync(page, "operator-dashboard");
        foreach (var view in new[] { "grains", "silos", "reminders", "lifecycle" })
        {
            await page.GotoAsync($"{Dashboard}/#/{view}");
            await Assertions.Expect(page.Locator("#content h1")).ToBeVisibleAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }
        Assert.True(refused.Count == 0, string.Join("\n", refused));
        await page.Context.CloseAsync();

        using var http = Client(Site, await RawHubClient.SignInAsync(Site.Address, "operator"));
        using var response = await http.GetAsync(Dashboard + "/");
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy
            .Replace("style-src 'self';", "style-src 'self' 'unsafe-hashes' 'sha256-eq2af6QS2pzGTyxQ6dj75iyyFqwRgxGGxEAjoqE24f0=';")
            .Replace("font-src 'self';", "font-src 'self' data:;"), csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task A_configured_operator_account_signs_in_outside_demo_mode_and_sees_the_dashboard()
    {
        var cookies = await RawHubClient.SignInAsync(production.Site.Address, LimitedSite.OperatorUserName, LimitedSite.Password);
        using var http = Client(production.Site, cookies);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Dashboard + "/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Dashboard + "/DashboardCounters")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/board?board=region:north-thames")).StatusCode);

        using var coordinator = Client(production.Site, await RawHubClient.SignInAsync(production.Site.Address, "ada", LimitedSite.Password));
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.GetAsync(Dashboard + "/")).StatusCode);
    }

    [Fact]
    public async Task With_the_dashboard_turned_off_there_is_none()
    {
        await using var site = await CareTwinSite.StartAsync(settings: new Dictionary<string, string> { ["Operations:Dashboard"] = "false" });
        using var http = Client(site, await RawHubClient.SignInAsync(site.Address, "operator"));

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(Dashboard + "/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(Dashboard + "/DashboardCounters")).StatusCode);
    }

    private static HttpClient Client(CareTwinSite site, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = site.Address };
}
