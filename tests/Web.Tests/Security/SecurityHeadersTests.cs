using CareTwin.Web.Security;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace CareTwin.Web.Tests.Security;

[Collection(BrowserCollection.Name)]
public sealed class SecurityHeadersTests(BrowserSite browser)
{
    [Theory]
    [InlineData("/sign-in")]
    [InlineData("/join")]
    [InlineData("/board")]
    [InlineData("/dist/manifest.json")]
    [InlineData("/no-such-page")]
    public async Task Every_response_forbids_inline_script_framing_and_sniffing(string path)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = browser.Site.Address };
        using var response = await http.GetAsync(path);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.Equal("script-src 'self'", directives["script-src"]);
        Assert.Equal("style-src 'self'", directives["style-src"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
        Assert.Equal("object-src 'none'", directives["object-src"]);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS over plain HTTP means nothing and must not be sent.");
    }

    [Fact]
    public async Task Pages_are_never_cached_and_cookies_are_http_only()
    {
        using var http = new HttpClient { BaseAddress = browser.Site.Address };
        using var response = await http.GetAsync("/sign-in");
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.All(response.Headers.GetValues("Set-Cookie"), cookie => Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_pages_have_no_inline_script()
    {
        using var http = new HttpClient { BaseAddress = browser.Site.Address };
        var html = await http.GetStringAsync("/sign-in");
        Assert.Matches("<script type=\"module\" src=\"/dist/plain-[A-Z0-9]+\\.js\"></script>", html);
        Assert.Equal(1, html.Split("<script").Length - 1);
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
        Assert.DoesNotContain("style=", html);
    }

    [Fact]
    public async Task Over_TLS_the_browser_is_told_to_stay_on_TLS()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();
        app.UseMiddleware<SecurityHeaders>();
        app.MapGet("/", () => "ok");
        await app.StartAsync();
        var client = app.GetTestClient();
        client.BaseAddress = new Uri("https://caretwin.test/");

        using var response = await client.GetAsync("/");

        Assert.Equal(SecurityHeaders.StrictTransportSecurity, Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }
}
