using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CareTwin.EndToEnd.Tests.Infrastructure;
using CareTwin.Testing;

namespace CareTwin.EndToEnd.Tests.Hostile;

/// <summary>
/// REST/JSON through the real host's web port (HTTP/1.1), past the web's own middleware (security headers, cookie
/// sign-in, anti-forgery): a call is authenticated by its API key exactly as over gRPC, never redirected to the
/// sign-in page, never refused for a missing anti-forgery token, and a browser session alone does not make a call.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RestOnTheWebPortTests(EndToEndSite e2e)
{
    [Fact]
    public async Task A_change_posted_to_the_web_port_with_the_key_is_accepted_without_a_redirect_or_an_antiforgery_token()
    {
        var childId = await e2e.Site.RegisterChildAsync("Rest", "WebPort");
        using var http = Client(new CookieContainer());

        var target = e2e.Site.Today.AddDays(30);
        var raised = await SendAsync(http, HttpMethod.Post, $"/v1/children/{childId}:raiseBlocker", e2e.EprKey.Key, $$"""
            {"externalId":"rest-web-1","transitionId":"transition-1","category":"BLOCKER_CATEGORY_EQUIPMENT",
             "owningService":"{{EndToEndSite.Ventilation}}","professionalText":"Home ventilator on order.",
             "targetDate":{"year":{{target.Year}},"month":{{target.Month}},"day":{{target.Day}} } }
            """);
        var read = await SendAsync(http, HttpMethod.Get, $"/v1/children/{childId}", e2e.EprKey.Key);

        Assert.Equal(HttpStatusCode.OK, raised.Status);
        Assert.Equal("CHANGE_OUTCOME_ACCEPTED", raised.Json.GetProperty("outcome").GetString());
        Assert.Equal("blocker-1", read.Json.GetProperty("blockers")[0].GetProperty("id").GetString());
        // The web's headers hold for REST answers too: health data is never cached or sniffed.
        Assert.Equal(("no-store", "nosniff"), (raised.Headers.CacheControl?.ToString(), raised.Headers.GetValues("X-Content-Type-Options").Single()));
        Assert.Contains(await e2e.Site.AuditOfAsync(childId), e => e.Allowed && e.Channel == "rest" && e.CallerId == EndToEndSite.EprSystem);
    }

    [Fact]
    public async Task A_signed_in_browser_session_without_a_key_is_a_401_problem_not_a_sign_in_redirect_and_changes_nothing()
    {
        var childId = await e2e.Site.RegisterChildAsync("Rest", "Session");
        var coordinator = await RawHubClient.SignInAsync(e2e.Site.Address, "coordinator");
        using var http = Client(coordinator);
        using var stranger = Client(new CookieContainer());
        await UnidentifiedCallers.FlushAsync(e2e.Site.Services);

        var withSession = await SendAsync(http, HttpMethod.Post, $"/v1/children/{childId}:cancelBlocker", key: null, """{"externalId":"x","blockerId":"blocker-1"}""");
        var anonymous = await SendAsync(stranger, HttpMethod.Get, $"/v1/children/{childId}", key: null);

        foreach (var refused in new[] { withSession, anonymous })
        {
            Assert.Equal((HttpStatusCode.Unauthorized, "application/problem+json"), (refused.Status, refused.MediaType));
            Assert.Equal("UNAUTHENTICATED", refused.Json.GetProperty("grpcStatus").GetString());
            Assert.Null(refused.Headers.Location);
        }
        // Without a key both are callers the API cannot identify: counted (per address and window), not written to the child's trail.
        Assert.DoesNotContain(await e2e.Site.AuditOfAsync(childId), e => e.Channel == "rest");
        var counted = Assert.Single(await UnidentifiedCallers.AttemptsOnAsync(e2e.Site.Services, $"child/{childId}"));
        Assert.Equal((false, "rest"), (counted.Allowed, counted.Channel));
        Assert.StartsWith("2 attempts ", counted.Detail, StringComparison.Ordinal);
        await e2e.AssertServingAsync();
    }

    [Fact]
    public async Task A_form_post_to_a_rest_route_is_a_400_problem_asking_for_json_and_the_openapi_description_is_on_the_web_port()
    {
        var childId = await e2e.Site.RegisterChildAsync("Rest", "Form");
        using var http = Client(new CookieContainer());
        using var form = new HttpRequestMessage(HttpMethod.Post, $"/v1/children/{childId}:raiseBlocker")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["externalId"] = "form-1" }),
        };
        form.Headers.Add("x-api-key", e2e.EprKey.Key);

        using var refused = await http.SendAsync(form);
        var description = await http.GetStringAsync("/openapi/v1.json");

        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (refused.StatusCode, refused.Content.Headers.ContentType?.MediaType));
        Assert.Contains("must be JSON", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        Assert.True(JsonDocument.Parse(description).RootElement.GetProperty("paths").TryGetProperty("/v1/children/{childId}:raiseBlocker", out _));
        await e2e.AssertServingAsync();
    }

    private sealed record Answer(HttpStatusCode Status, string? MediaType, HttpResponseHeaders Headers, string Text)
    {
        public JsonElement Json => JsonDocument.Parse(Text).RootElement;
    }

    /// <summary>HTTP/1.1 to the web port, following no redirect, with the given cookies.</summary>
    private HttpClient Client(CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = e2e.Site.Address };

    private static async Task<Answer> SendAsync(HttpClient http, HttpMethod method, string path, string? key, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Add("x-api-key", key);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers, await response.Content.ReadAsStringAsync());
    }
}
