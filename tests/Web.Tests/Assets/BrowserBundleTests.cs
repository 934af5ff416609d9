using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using CareTwin.Web.Tests.Infrastructure;

namespace CareTwin.Web.Tests.Assets;

/// <summary>The stylesheet and scripts a page names are fingerprinted, compressed and cached for good; pages themselves are neither.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class BrowserBundleTests(BrowserSite browser)
{
    [Fact]
    public async Task A_pages_stylesheet_and_scripts_come_compressed_with_brotli_or_gzip_and_are_cached_immutably_and_the_page_is_not()
    {
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = browser.Site.Address };
        using var pageRequest = new HttpRequestMessage(HttpMethod.Get, "/sign-in");
        pageRequest.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        using var page = await http.SendAsync(pageRequest);
        // A page carries an anti-forgery token: compressing it would open it to BREACH.
        Assert.Empty(page.Content.Headers.ContentEncoding);
        Assert.True(page.Headers.CacheControl?.NoStore);
        var html = await page.Content.ReadAsStringAsync();

        var files = Referenced().Matches(html).Select(m => m.Groups["path"].Value).ToList();
        Assert.Contains(files, f => f.EndsWith(".css", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".js", StringComparison.Ordinal));
        foreach (var file in files)
        {
            Assert.Matches(@"^/dist/[a-z]+-[A-Za-z0-9]{8,}\.(css|js)$", file);
            foreach (var encoding in new[] { "br", "gzip" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, file);
                request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
                using var response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(encoding, Assert.Single(response.Content.Headers.ContentEncoding));
                Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
            }
            using var plain = await http.GetAsync(file);
            Assert.Empty(plain.Content.Headers.ContentEncoding);
        }
    }

    [Fact]
    public async Task Each_kind_of_page_loads_only_its_own_script_and_a_plain_page_does_not_load_the_live_connection()
    {
        var coordinator = await browser.SignedInAsync("coordinator");
        var scripts = new List<string>();
        coordinator.Request += (_, request) => { if (request.Url.EndsWith(".js", StringComparison.Ordinal)) scripts.Add(new Uri(request.Url).AbsolutePath); };
        await coordinator.GotoAsync("/board");
        await BrowserSite.LiveAsync(coordinator, "#board-root");
        Assert.Contains(scripts, s => s.StartsWith("/dist/board-", StringComparison.Ordinal));
        Assert.DoesNotContain(scripts, s => s.StartsWith("/dist/child-", StringComparison.Ordinal) || s.StartsWith("/dist/family-", StringComparison.Ordinal));

        using var http = new HttpClient { BaseAddress = browser.Site.Address };
        var signIn = await http.GetStringAsync("/sign-in");
        var board = await coordinator.ContentAsync();
        // The sign-in page preloads fewer chunks than the board: no SignalR client where nothing is live.
        Assert.True(Preloads().Count(signIn) < Preloads().Count(board), $"sign-in preloads {Preloads().Count(signIn)}, the board {Preloads().Count(board)}");
    }

    [GeneratedRegex("(?:href|src)=\"(?<path>/dist/[^\"]+\\.(?:css|js))\"")]
    private static partial Regex Referenced();

    [GeneratedRegex("rel=\"modulepreload\"")]
    private static partial Regex Preloads();
}
