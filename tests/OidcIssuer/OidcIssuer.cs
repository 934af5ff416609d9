using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CareTwin.Testing.Oidc;

/// <summary>What the issuer gets wrong, on purpose, in a person's id token.</summary>
public enum TokenFault
{
    None,
    /// <summary>Issued for another client: the audience is not the relying party's client id.</summary>
    OtherAudience,
    /// <summary>Expired an hour ago (issued two hours ago), signed with the issuer's real key.</summary>
    Expired,
    /// <summary>Altered after signing (the name and roles changed): the signature no longer verifies.</summary>
    ForgedSignature,
}

/// <summary>A claim of a test person; <paramref name="Json"/> for a JSON object value (as CIS2's role claims are).</summary>
public sealed record TestClaim(string Type, string Value, bool Json = false);

/// <summary>Someone who can sign in at the test issuer: chosen on its sign-in page by <paramref name="Key"/>.</summary>
public sealed record TestPerson(string Key, string Subject, string Name, IReadOnlyList<TestClaim> Claims, TokenFault Fault = TokenFault.None);

/// <summary>A relying party the issuer knows: a public client (PKCE only) unless it has a secret.</summary>
public sealed record TestClient(string ClientId, string? ClientSecret = null);

/// <summary>
/// An OpenID Connect provider on 127.0.0.1 with a free port: discovery, signing keys, an authorization endpoint that
/// shows a page of test people to sign in as (or takes <c>test_user</c> in the query), and a token endpoint; code flow
/// with PKCE only. Built on OpenIddict's server in degraded mode: clients, people and redirect addresses live in
/// memory and are checked by this class's own handlers.
/// </summary>
public sealed class OidcIssuer : IAsyncDisposable
{
    public const string AuthorizePath = "/connect/authorize";
    public const string TokenPath = "/connect/token";
    public const string UserParameter = "test_user";
    public const string OtherAudience = "another-service";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TestPerson> _people;
    private readonly ConcurrentDictionary<string, TestClient> _clients;
    private readonly ConcurrentDictionary<string, byte> _redirects;

    private OidcIssuer(WebApplication app, Uri authority, ConcurrentDictionary<string, TestPerson> people,
        ConcurrentDictionary<string, TestClient> clients, ConcurrentDictionary<string, byte> redirects)
    {
        _app = app;
        Authority = authority;
        _people = people;
        _clients = clients;
        _redirects = redirects;
    }

    /// <summary>The issuer, e.g. http://127.0.0.1:41234/ (discovery at .well-known/openid-configuration).</summary>
    public Uri Authority { get; }

    public static async Task<OidcIssuer> StartAsync(IEnumerable<TestClient> clients, IEnumerable<TestPerson> people)
    {
        var peopleByKey = new ConcurrentDictionary<string, TestPerson>(people.Select(p => KeyValuePair.Create(p.Key, p)));
        var subjects = new ConcurrentDictionary<string, TestPerson>();
        var clientsById = new ConcurrentDictionary<string, TestClient>(clients.Select(c => KeyValuePair.Create(c.ClientId, c)));
        var redirects = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production", Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'))
                .SetTokenEndpointUris(TokenPath.TrimStart('/'))
                .AllowAuthorizationCodeFlow()
                .RequireProofKeyForCodeExchange()
                .RegisterScopes(Scopes.Profile, Scopes.Email, "nationalrbacaccess", "associatedorgs")
                .AddEphemeralEncryptionKey()
                .AddEphemeralSigningKey()
                .DisableAccessTokenEncryption()
                // No store: this class checks clients and redirect addresses itself.
                .EnableDegradedMode();
            server.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableTokenEndpointPassthrough()
                .DisableTransportSecurityRequirement();

            server.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId is null || !clientsById.ContainsKey(context.ClientId))
                    context.Reject(Errors.InvalidClient, "This client is not known to the test issuer.");
                else if (context.RedirectUri is null || !redirects.ContainsKey(context.RedirectUri))
                    context.Reject(Errors.InvalidRequest, "This redirect_uri is not registered with the test issuer.");
                return default;
            }));
            server.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId is null || !clientsById.TryGetValue(context.ClientId, out var client))
                    context.Reject(Errors.InvalidClient, "This client is not known to the test issuer.");
                else if (client.ClientSecret is not null && context.ClientSecret != client.ClientSecret)
                    context.Reject(Errors.InvalidClient, "The client secret is not right.");
                return default;
            }));
            // After the token endpoint has made the id token: spoil it as the person's fault says, before it is sent.
            server.AddEventHandler<OpenIddictServerEvents.ApplyTokenResponseContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.Response.IdToken is { } idToken)
                    context.Response.IdToken = Spoil(idToken, subjects, context.Options.SigningCredentials[0]);
                return default;
            }).SetOrder(int.MinValue + 100_000));
        });

        var app = builder.Build();
        app.MapMethods(AuthorizePath, [HttpMethods.Get, HttpMethods.Post], (HttpContext context) =>
        {
            var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
            var key = context.Request.Query[UserParameter].ToString();
            if (key.Length == 0) return Results.Content(ChoosePage(context, peopleByKey.Values), "text/html; charset=utf-8");
            if (!peopleByKey.TryGetValue(key, out var person)) return Results.BadRequest($"No test person '{key}'.");
            subjects[person.Subject] = person;
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.AddClaim(new Claim(Claims.Subject, person.Subject));
            identity.AddClaim(new Claim(Claims.Name, person.Name));
            foreach (var claim in person.Claims)
                identity.AddClaim(new Claim(claim.Type, claim.Value, claim.Json ? JsonClaimValueTypes.Json : ClaimValueTypes.String));
            var principal = new ClaimsPrincipal(identity);
            principal.SetScopes(request.GetScopes());
            principal.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
            return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        app.MapPost(TokenPath, async (HttpContext context) =>
        {
            var code = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            if (code.Principal is not { } principal) return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            principal.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
            return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OidcIssuer(app, new Uri(address.TrimEnd('/') + "/"), peopleByKey, clientsById, redirects);
    }

    /// <summary>Another person who can sign in from now on.</summary>
    public void Add(TestPerson person) => _people[person.Key] = person;

    /// <summary>A relying party's callback address (known once the relying party has started).</summary>
    public void AllowRedirect(Uri callback) => _redirects[callback.ToString()] = 0;

    public void AllowClient(TestClient client) => _clients[client.ClientId] = client;

    /// <summary>The page a person picks themselves on: one link per test person, carrying the request on.</summary>
    private static string ChoosePage(HttpContext context, IEnumerable<TestPerson> people)
    {
        var html = new StringBuilder("<!doctype html><html lang=\"en\"><head><title>Test identity provider</title></head><body><h1>Test identity provider</h1><ul>");
        foreach (var person in people.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var href = $"{context.Request.Path}{context.Request.QueryString.Add(UserParameter, person.Key)}";
            html.Append("<li><a data-test-user=\"").Append(WebUtility.HtmlEncode(person.Key)).Append("\" href=\"").Append(WebUtility.HtmlEncode(href)).Append("\">Sign in as ")
                .Append(WebUtility.HtmlEncode(person.Name)).Append("</a></li>");
        }
        return html.Append("</ul></body></html>").ToString();
    }

    private static string Spoil(string idToken, ConcurrentDictionary<string, TestPerson> subjects, SigningCredentials signing)
    {
        var parts = idToken.Split('.');
        if (parts.Length != 3) return idToken;
        var payload = JsonNode.Parse(Base64UrlEncoder.DecodeBytes(parts[1]))!.AsObject();
        if (payload["sub"]?.GetValue<string>() is not { } subject || !subjects.TryGetValue(subject, out var person)) return idToken;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        switch (person.Fault)
        {
            case TokenFault.OtherAudience:
                payload["aud"] = OtherAudience;
                return Signed(parts[0], payload, signing);
            case TokenFault.Expired:
                payload["iat"] = now - 7200;
                if (payload.ContainsKey("nbf")) payload["nbf"] = now - 7200;
                payload["exp"] = now - 3600;
                return Signed(parts[0], payload, signing);
            case TokenFault.ForgedSignature:
                // What a forger would do: change who the token says this is, and keep the signature of the original.
                payload["name"] = "Forged " + person.Name;
                return $"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";
            default:
                return idToken;
        }
    }

    /// <summary>Signed again with the issuer's own key: only the payload's fault is wrong.</summary>
    private static string Signed(string header, JsonObject payload, SigningCredentials signing)
    {
        var input = $"{header}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString()))}";
        var provider = signing.Key.CryptoProviderFactory.CreateForSigning(signing.Key, signing.Algorithm);
        try
        {
            return $"{input}.{Base64UrlEncoder.Encode(provider.Sign(Encoding.ASCII.GetBytes(input)))}";
        }
        finally
        {
            signing.Key.CryptoProviderFactory.ReleaseSignatureProvider(provider);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
