using System.Net;
using System.Text;
using CareTwin.Grains.Access;
using CareTwin.Testing;
using CareTwin.Web.Tests.Infrastructure;

namespace CareTwin.Web.Tests.Security;

/// <summary>
/// The board's CSV export holds every child on the board: it answers only those the board itself answers
/// (coordinators), and every attempt is in the board's audit trail like a board view, the export named.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BoardExportAccessTests(BrowserSite browser)
{
    private const string Board = "region:" + CareTwinSite.Region;
    private const string Export = "/board/export.csv?board=" + Board + "&sort=name";

    private CareTwinSite Site => browser.Site;

    [Fact]
    public async Task Someone_not_signed_in_is_sent_to_sign_in_and_gets_no_file()
    {
        using var http = Client(new CookieContainer());
        var response = await http.GetAsync(Export);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/sign-in", response.Headers.Location!.OriginalString.Replace(Site.Address.ToString(), "/", StringComparison.Ordinal));
        Assert.NotEqual("text/csv", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_family_member_and_agency_staff_are_refused_and_the_refusals_are_audited()
    {
        var childId = await Site.RegisterChildAsync("Mia", "Export");
        using var family = Client(await RawHubClient.JoinAsync(Site.Address, await Site.InviteCodeAsync(childId), "Jo Export"));
        using var housing = Client(await RawHubClient.SignInAsync(Site.Address, "housing-officer"));
        foreach (var http in new[] { family, housing })
        {
            var response = await http.GetAsync(Export);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var page = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("NHS number", page);
            Assert.DoesNotContain("Mia E.", page);
        }
        var trail = await BoardTrailAsync();
        Assert.Contains(trail, e => e is { Role: CallerRole.Family, Allowed: false, Action: AccessAction.ViewBoard } && e.Detail == "CSV export (sort=name)");
        Assert.Contains(trail, e => e is { Role: CallerRole.AgencyStaff, Allowed: false, Action: AccessAction.ViewBoard } && e.Detail == "CSV export (sort=name)");
    }

    [Fact]
    public async Task A_coordinator_gets_the_file_and_the_export_is_audited_with_its_filters()
    {
        using var http = Client(await RawHubClient.SignInAsync(Site.Address, "coordinator"));
        var response = await http.GetAsync(Export + "&category=not-a-category&page=7");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"north-thames-board-{Site.Today:yyyy-MM-dd}.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "");
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("\uFEFFName,NHS number,Date of birth,Hospital,Stage,", text);
        var trail = await BoardTrailAsync();
        Assert.Contains(trail, e => e is { Role: CallerRole.Coordinator, Allowed: true, Action: AccessAction.ViewBoard } && e.Detail == "CSV export (sort=name)");
    }

    [Fact]
    public async Task The_delay_days_by_week_export_is_for_coordinators_only_and_audited_as_such()
    {
        const string delays = "/board/delays-by-week.csv?board=" + Board;
        using var housing = Client(await RawHubClient.SignInAsync(Site.Address, "housing-officer"));
        var refused = await housing.GetAsync(delays);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);

        using var coordinator = Client(await RawHubClient.SignInAsync(Site.Address, "coordinator"));
        var response = await coordinator.GetAsync(delays);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"north-thames-delays-by-week-{Site.Today:yyyy-MM-dd}.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "");
        Assert.StartsWith("\uFEFFWeek starting,Agency,Category,Delay days,Children\r\n", Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));

        var trail = await BoardTrailAsync();
        Assert.Contains(trail, e => e is { Role: CallerRole.AgencyStaff, Allowed: false, Action: AccessAction.ViewBoard } && e.Detail == "CSV export of delay days by week");
        Assert.Contains(trail, e => e is { Role: CallerRole.Coordinator, Allowed: true, Action: AccessAction.ViewBoard } && e.Detail == "CSV export of delay days by week");
    }

    private HttpClient Client(CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = Site.Address };

    private async Task<IReadOnlyList<AuditEntry>> BoardTrailAsync() =>
        (await Site.Grains.GetGrain<IAuditGrain>($"board/{Board}").GetRecent(200)).Entries;
}
