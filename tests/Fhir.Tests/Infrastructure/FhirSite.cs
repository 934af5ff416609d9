using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CareTwin.Grains.Demo;
using CareTwin.Testing;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace CareTwin.Fhir.Tests.Infrastructure;

/// <summary>
/// The real CareTwin host on 127.0.0.1 with a small demo region (loaded in full before any test reads it) and three
/// API keys: an EPR that manages journeys, the Eastmarsh housing and social care teams' systems, and a school's system
/// involved with no child.
/// </summary>
public sealed class FhirSite : IAsyncLifetime
{
    public const int DemoChildren = 12;
    public const string EprSystem = "epr-royal-thamesbank";
    public const string EprService = "health.royal-thamesbank";
    public const string HousingService = "housing.eastmarsh";
    public const string OutsiderService = "education.nowhere-school";
    public const string SocialCareService = "social-care.disabled-children.eastmarsh";

    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    private CareTwinSite? _site;
    private HttpClient? _http;

    public GeneratedApiKey Epr { get; } = GeneratedApiKey.New();
    public GeneratedApiKey Housing { get; } = GeneratedApiKey.New();
    public GeneratedApiKey Outsider { get; } = GeneratedApiKey.New();
    public GeneratedApiKey SocialCare { get; } = GeneratedApiKey.New();

    public CareTwinSite Site => _site!;

    public async System.Threading.Tasks.Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>();
        foreach (var (key, value) in Epr.Settings(EprSystem, "Royal Thamesbank EPR", EprService, managesJourneys: true, index: 0)
            .Concat(Housing.Settings("housing-eastmarsh", "Eastmarsh housing system", HousingService, managesJourneys: false, index: 1))
            .Concat(Outsider.Settings("school-nowhere", "Nowhere School system", OutsiderService, managesJourneys: false, index: 2))
            .Concat(SocialCare.Settings("social-care-eastmarsh", "Eastmarsh social care system", SocialCareService, managesJourneys: false, index: 3)))
            settings[key.Replace("__", ":", StringComparison.Ordinal)] = value;
        _site = await CareTwinSite.StartAsync(DemoChildren, settings);
        // The host loads the demo region in the background; a second load of the same seed is all duplicates and
        // returns once every child is there, so the tests read finished journeys.
        await _site.Services.GetRequiredService<DemoRegionLoader>().LoadAsync(CareTwinSite.DemoSeed, DemoChildren);
        _http = new HttpClient { BaseAddress = _site.Address };
    }

    /// <summary>GET under /fhir/R4 with an API key (or none), and the FHIR resource it answered with.</summary>
    public Task<(HttpStatusCode Status, Resource Resource)> GetAsync(string relative, GeneratedApiKey? key, HttpMethod? method = null) =>
        SendAsync(_http!, relative, key, method);

    /// <summary>GET under /fhir/R4 as someone signed in to the web (their cookies), and the FHIR resource it answered with.</summary>
    public async Task<(HttpStatusCode Status, Resource Resource)> GetSignedInAsync(string relative, CookieContainer cookies)
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = Site.Address };
        return await SendAsync(http, relative, key: null, method: null);
    }

    private static async Task<(HttpStatusCode Status, Resource Resource)> SendAsync(HttpClient http, string relative, GeneratedApiKey? key, HttpMethod? method)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, "/fhir/R4/" + relative);
        if (key is not null) request.Headers.Add("x-api-key", key.Key);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/fhir+json", $"{relative}: {(int)response.StatusCode} {response.Content.Headers.ContentType} {body}");
        return (response.StatusCode, JsonSerializer.Deserialize<Resource>(body, Json)!);
    }

    /// <summary>As <see cref="GetAsync"/>, expecting 200 and a <typeparamref name="T"/>, which is checked against base R4.</summary>
    public async Task<T> ReadValidAsync<T>(string relative, GeneratedApiKey? key) where T : Resource
    {
        var (status, resource) = await GetAsync(relative, key);
        Assert.True(status == HttpStatusCode.OK, $"{relative}: {(int)status} {(resource as OperationOutcome)?.Issue.FirstOrDefault()?.Diagnostics}");
        var typed = Assert.IsAssignableFrom<T>(resource);
        FhirValidation.AssertValid(typed);
        return typed;
    }

    public static AuthenticationHeaderValue Bearer(GeneratedApiKey key) => new("Bearer", key.Key);

    public HttpClient Http => _http!;

    public async System.Threading.Tasks.Task DisposeAsync()
    {
        _http?.Dispose();
        if (_site is not null) await _site.DisposeAsync();
    }
}

/// <summary>One host for every FHIR test class (classes in it run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class FhirSiteCollection : ICollectionFixture<FhirSite>
{
    public const string Name = "FHIR site";
}
