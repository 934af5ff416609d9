using System.Net;
using System.Text.RegularExpressions;
using CareTwin.Testing;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CareTwin.Web.Tests.Security;

/// <summary>A host as production runs it: outside Development, with no exception for clients on this machine.</summary>
public sealed class ProductionCookiesSite : IAsyncLifetime
{
    public CareTwinSite Site { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Site = await CareTwinSite.StartAsync(settings: new Dictionary<string, string> { ["Web:AllowInsecureCookiesOnLoopback"] = "false" });

    public Task DisposeAsync() => Site.DisposeAsync().AsTask();
}

/// <summary>
/// Outside Development every cookie CareTwin sets is Secure, over plain HTTP too: the anti-forgery cookie, a staff
/// member's and a family member's session, and the session's deletion at sign-out. Browsers still sign in over
/// http://127.0.0.1 (a secure context to them). Web:AllowInsecureCookiesOnLoopback lifts it only for plain-HTTP
/// requests from this machine; in Development cookies follow the request.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SecureCookiesTests(BrowserSite browser, ProductionCookiesSite production) : IClassFixture<ProductionCookiesSite>
{
    [Fact]
    public async Task Outside_development_every_cookie_is_secure_even_over_plain_http()
    {
        var site = production.Site;
        using var http = Client(site.Address);

        var (antiforgery, token) = await FormAsync(http, "/sign-in", cookies: "");
        using var staff = await PostAsync(http, "/sign-in/demo", $"{antiforgery.Name}={antiforgery.Value}", ("user", "coordinator"), ("__RequestVerificationToken", token));
        var staffSession = Cookie(staff, "caretwin.session");

        var (_, signOutToken) = await FormAsync(http, "/board", $"{antiforgery.Name}={antiforgery.Value}; {staffSession.Name}={staffSession.Value}");
        using var signedOut = await PostAsync(http, "/sign-out", $"{antiforgery.Name}={antiforgery.Value}; {staffSession.Name}={staffSession.Value}", ("__RequestVerificationToken", signOutToken));
        var deleted = Cookie(signedOut, "caretwin.session");

        var childId = await site.RegisterChildAsync("Secure", "Cookie");
        var (joinAntiforgery, joinToken) = await FormAsync(http, "/join", cookies: "");
        using var joined = await PostAsync(http, "/join", $"{joinAntiforgery.Name}={joinAntiforgery.Value}",
            ("code", await site.InviteCodeAsync(childId)), ("name", "Grace Okoye"), ("__RequestVerificationToken", joinToken));
        var familySession = Cookie(joined, "caretwin.session");

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect), (staff.StatusCode, signedOut.StatusCode, joined.StatusCode));
        Assert.All(new[] { antiforgery, staffSession, deleted, joinAntiforgery, familySession }, cookie =>
            Assert.True(cookie.Secure, $"{cookie.Name} was set without Secure over plain HTTP: {cookie.Header}"));
        Assert.Equal("", deleted.Value); // the deletion, which must match the Secure cookie it removes
    }

    [Fact]
    public async Task A_browser_signs_in_over_http_127_0_0_1_with_the_secure_cookies_and_its_live_view_connects()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(production.Site.Address, "/sign-in").ToString());
        await page.Locator("button[data-demo-user='coordinator']").ClickAsync();
        try
        {
            await page.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal), new() { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            var all = await page.Context.CookiesAsync();
            throw new InvalidOperationException($"Still at {page.Url}; cookies: {string.Join(", ", all.Select(c => $"{c.Name} secure={c.Secure}"))}; page: {await page.InnerTextAsync("body")}");
        }

        await BrowserSite.LiveAsync(page, "#board-root");
        var cookies = await page.Context.CookiesAsync();
        Assert.True(cookies.Single(c => c.Name == "caretwin.session").Secure);
    }

    [Fact]
    public async Task The_loopback_exception_covers_plain_http_from_this_machine_only()
    {
        // The shared test site sets Web:AllowInsecureCookiesOnLoopback, as the development cluster does.
        using var http = Client(browser.Site.Address);

        var local = await SignInPageCookieAsync(http);
        var forwardedFromElsewhere = await SignInPageCookieAsync(http, ("X-Forwarded-For", "203.0.113.7"));
        var forwardedHttps = await SignInPageCookieAsync(http, ("X-Forwarded-For", "127.0.0.1"), ("X-Forwarded-Proto", "https"));

        Assert.False(local.Secure, local.Header);
        Assert.True(forwardedFromElsewhere.Secure, $"A client elsewhere, through a balancer on this machine, got {forwardedFromElsewhere.Header}");
        Assert.True(forwardedHttps.Secure, $"A request that reached the balancer over HTTPS got {forwardedHttps.Header}");
    }

    [Fact]
    public async Task In_development_cookies_follow_the_request()
    {
        await using var site = await CareTwinSite.StartAsync(settings: new Dictionary<string, string>
        {
            ["environment"] = "Development",
            ["Web:AllowInsecureCookiesOnLoopback"] = "false",
        });
        using var http = Client(site.Address);

        var plain = await SignInPageCookieAsync(http);
        var forwardedHttps = await SignInPageCookieAsync(http, ("X-Forwarded-Proto", "https"));

        Assert.False(plain.Secure, plain.Header);
        Assert.True(forwardedHttps.Secure, forwardedHttps.Header);
    }

    private sealed record SetCookie(string Name, string Value, bool Secure, string Header);

    private static HttpClient Client(Uri site) =>
        new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = site };

    /// <summary>The anti-forgery cookie a fresh visitor of /sign-in is given.</summary>
    private static async Task<SetCookie> SignInPageCookieAsync(HttpClient http, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sign-in");
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        using var response = await http.SendAsync(request);
        return Cookie(response, "caretwin.antiforgery");
    }

    /// <summary>A page's anti-forgery cookie (when it sets one) and its form's token.</summary>
    private static async Task<(SetCookie Cookie, string Token)> FormAsync(HttpClient http, string path, string cookies)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookies.Length > 0) request.Headers.Add("Cookie", cookies);
        using var response = await http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        var token = TokenField().Match(await response.Content.ReadAsStringAsync());
        Assert.True(token.Success, $"{path} has no anti-forgery token.");
        var set = SetCookies(response).FirstOrDefault(c => c.Name == "caretwin.antiforgery");
        return (set ?? new SetCookie("", "", true, ""), WebUtility.HtmlDecode(token.Groups["value"].Value));
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string cookies, params (string Name, string Value)[] fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))) };
        request.Headers.Add("Cookie", cookies);
        return http.SendAsync(request);
    }

    private static SetCookie Cookie(HttpResponseMessage response, string name) =>
        SetCookies(response).FirstOrDefault(c => c.Name == name)
        ?? throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} set no {name} cookie ({(int)response.StatusCode}).");

    private static IEnumerable<SetCookie> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(header =>
            {
                var parts = header.Split(';', StringSplitOptions.TrimEntries);
                var (name, value) = (parts[0][..parts[0].IndexOf('=')], parts[0][(parts[0].IndexOf('=') + 1)..]);
                return new SetCookie(name, value, parts.Skip(1).Any(p => p.Equals("secure", StringComparison.OrdinalIgnoreCase)), header);
            })
            : [];

    [GeneratedRegex("<input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex TokenField();
}
