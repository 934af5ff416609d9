using System.Net;
using CareTwin.Api.Contracts.V1;
using CareTwin.Grains.Access;
using CareTwin.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CareTwin.EndToEnd.Tests.Hostile;

/// <summary>
/// Floods by callers nobody identified: page views without a sign-in, Ingest without a key, hub connects without a
/// session. Page views are rate-limited per address, and the audit store grows by one entry per caller per window
/// however many attempts there were; the children's own trails gain nothing.
/// </summary>
public sealed class AnonymousFloodTests
{
    private const int PageViewsPerMinute = 30;

    [Fact]
    public async Task An_anonymous_flood_of_pages_Ingest_and_hub_connects_is_rate_limited_and_audited_once_per_caller_per_window()
    {
        await using var site = await CareTwinSite.StartAsync(settings: new Dictionary<string, string>
        {
            ["Web:Live:PageViewsPerMinute"] = PageViewsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var childId = await site.RegisterChildAsync("Flood", "Target");
        var trailBefore = await TotalAsync(site, $"child/{childId}");

        using var web = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = site.Address };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < PageViewsPerMinute + 20; i++)
        {
            using var response = await web.GetAsync($"/children/{childId}");
            statuses.Add(response.StatusCode);
        }
        using (var limited = await web.GetAsync("/board"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Contains("Wait a minute", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var noKey = new RawGrpcChannel(site.GrpcAddress, apiKey: null);
        var batch = new IngestRequest();
        for (var i = 0; i < 500; i++)
            batch.Items.Add(new IngestItem { RaiseBlocker = new RaiseBlockerRequest { ChildId = i == 0 ? childId : $"flood-{i}", ExternalId = $"flood-{i}" } });
        for (var i = 0; i < 5; i++)
        {
            var refused = await Assert.ThrowsAsync<GrpcCallException>(() => noKey.UnaryAsync("/caretwin.v1.Ingest/Ingest", batch, IngestReply.Parser));
            Assert.Equal(GrpcStatusCode.Unauthenticated, refused.Status);
        }
        for (var i = 0; i < 20; i++)
            await Assert.ThrowsAsync<HubRefusedException>(() => RawHubClient.ConnectAsync(site.Address, new CookieContainer()));

        await site.Services.GetRequiredService<AccessGate>().Unauthenticated.FlushAsync(all: true);
        var entries = (await site.Grains.GetGrain<IAuditGrain>(UnauthenticatedAttempts.Subject).GetRecent(100)).Entries;

        // Redirects to sign-in until the limit, then 429s.
        Assert.Equal(PageViewsPerMinute, statuses.Count(s => s == HttpStatusCode.Redirect));
        Assert.All(statuses.Skip(PageViewsPerMinute), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.Equal(trailBefore, await TotalAsync(site, $"child/{childId}"));
        // One caller (127.0.0.1): one entry per window the flood touched (two if it crossed a minute).
        Assert.InRange(entries.Length, 1, 2);
        Assert.All(entries, e => Assert.Equal("127.0.0.1", e.Origin));
        var attempts = entries.Sum(e => int.Parse(e.Detail!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(PageViewsPerMinute + 5 * 500, attempts);
        Console.WriteLine($"{statuses.Count + 1} page views, 5 Ingest calls naming 500 children each, 20 hub connects: {entries.Length} audit entries ({string.Join("; ", entries.Select(e => e.Detail))})");
    }

    private static async Task<int> TotalAsync(CareTwinSite site, string subject) =>
        (await site.Grains.GetGrain<IAuditGrain>(subject).GetRecent(1)).Total;
}
