using System.Security.Claims;
using CareTwin.Grains.Access;
using CareTwin.Web.Hosting;
using CareTwin.Web.Pages;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CareTwin.Web.SignIn;

/// <summary>
/// Sign-in through OpenID Connect providers: staff through their organisation's (NHS Care Identity Service 2 or
/// another), families through the lasting sign-in they linked when they joined (NHS login or another). Both use the
/// authorization code flow with PKCE; the id token is validated by ASP.NET Core's handler (issuer, audience, lifetime,
/// signature, nonce), then turned here into a CareTwin caller and CareTwin's own session cookie, so the rest of the
/// app works as with any other sign-in. The provider's own ticket is never kept.
/// </summary>
public static class OidcSignIn
{
    public const string StaffScheme = "staff-oidc";
    public const string FamilyScheme = "family-oidc";
    public const string StaffCallbackPath = "/sign-in/oidc/callback";
    public const string FamilyCallbackPath = "/sign-in/family/callback";

    /// <summary>Where the sign-in page's buttons go.</summary>
    public const string StaffPath = "/sign-in/oidc";
    public const string FamilyPath = "/sign-in/family";

    /// <summary>Marks a session made from an identity provider's sign-in ("staff-oidc" or "family-oidc").</summary>
    public const string SignedInWithClaim = "caretwin:signed-in-with";

    private const string PurposeItem = "caretwin.purpose";
    private const string LinkPurpose = "link";
    private const string MemberItem = "caretwin.member";
    private const string ChildItem = "caretwin.child";

    public const string NoRoleHeading = "You cannot sign in to CareTwin";
    public const string NoRoleLine = "Your account has no CareTwin role. Ask your organisation's registration authority.";

    internal static void AddOidcSignIn(this AuthenticationBuilder authentication, WebOptions web)
    {
        if (web.Oidc.Enabled)
        {
            var problems = StaffRoleMap.Problems(web.Oidc).ToList();
            if (problems.Count > 0) throw new InvalidOperationException("Staff sign-in through OpenID Connect is misconfigured: " + string.Join(" ", problems));
            authentication.AddOpenIdConnect(StaffScheme, web.Oidc.DisplayName, options => Configure(options, web.Oidc, StaffCallbackPath, StaffEvents()));
            CookiesLikeTheSession(authentication.Services, StaffScheme);
        }
        if (web.FamilyOidc.Enabled)
        {
            authentication.AddOpenIdConnect(FamilyScheme, web.FamilyOidc.DisplayName, options => Configure(options, web.FamilyOidc, FamilyCallbackPath, FamilyEvents()));
            CookiesLikeTheSession(authentication.Services, FamilyScheme);
        }
    }

    private static void Configure(OpenIdConnectOptions options, OidcProviderOptions provider, string callbackPath, OpenIdConnectEvents events)
    {
        options.Authority = provider.Authority;
        options.ClientId = provider.ClientId;
        options.ClientSecret = string.IsNullOrWhiteSpace(provider.ClientSecret) ? null : provider.ClientSecret;
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.UsePkce = true;
        // The answer comes back as a top-level GET, which carries SameSite=Lax cookies from another site too.
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.Scope.Clear();
        foreach (var scope in new[] { "openid" }.Concat(provider.Scopes).Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal))
            options.Scope.Add(scope.Trim());
        options.RequireHttpsMetadata = provider.RequireHttpsMetadata;
        options.CallbackPath = callbackPath;
        // Every ticket is handled by the events, which issue CareTwin's own session; this scheme is never signed into.
        options.SignInScheme = CallerClaims.Scheme;
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = false;
        options.SaveTokens = false;
        options.DisableTelemetry = true;
        // A provider that could not be reached (or rotated its keys) is asked again after half a minute, not five.
        options.RefreshInterval = TimeSpan.FromSeconds(30);
        options.TokenValidationParameters.NameClaimType = provider.NameClaim;
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.Events = events;
    }

    /// <summary>The short-lived cookies of a sign-in in progress are Secure exactly when the session cookie is.</summary>
    private static void CookiesLikeTheSession(IServiceCollection services, string scheme) =>
        services.AddOptions<OpenIdConnectOptions>(scheme).Configure<IOptionsMonitor<CookieAuthenticationOptions>>((options, cookies) =>
        {
            var secure = cookies.Get(CallerClaims.Scheme).Cookie.SecurePolicy;
            options.CorrelationCookie.SecurePolicy = secure;
            options.NonceCookie.SecurePolicy = secure;
        });

    /// <summary>The staff button: off to the identity provider, and back to <paramref name="returnUrl"/> (a local path) or the start page.</summary>
    internal static Task<IResult> ChallengeStaffAsync(HttpContext context, string? returnUrl, IOptions<WebOptions> web) =>
        // Never left empty: the handler would fill in this request's own address, and come back to start again.
        ChallengeAsync(context, StaffScheme, web.Value.Oidc, new AuthenticationProperties { RedirectUri = LocalOrNull(returnUrl) ?? "/" });

    /// <summary>A family member coming back with the sign-in they linked.</summary>
    internal static Task<IResult> ChallengeFamilyAsync(HttpContext context, IOptions<WebOptions> web) =>
        ChallengeAsync(context, FamilyScheme, web.Value.FamilyOidc, new AuthenticationProperties { RedirectUri = "/" });

    /// <summary>Just joined with an invite code: off to link a lasting sign-in to this membership.</summary>
    internal static Task<IResult> ChallengeLinkAsync(HttpContext context, Caller member, IOptions<WebOptions> web) =>
        ChallengeAsync(context, FamilyScheme, web.Value.FamilyOidc, new AuthenticationProperties(new Dictionary<string, string?>
        {
            [PurposeItem] = LinkPurpose,
            [MemberItem] = member.Id,
            [ChildItem] = member.ChildId,
        })
        { RedirectUri = "/" });

    private static async Task<IResult> ChallengeAsync(HttpContext context, string scheme, OidcProviderOptions provider, AuthenticationProperties properties)
    {
        if (!provider.Enabled) return Results.NotFound();
        try
        {
            // Run here rather than returned, so a provider that cannot be reached is answered with a page, not an error.
            await context.ChallengeAsync(scheme, properties);
            return Results.Empty;
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSignIn)).LogWarning(ex, "{Provider} could not be reached to sign in", provider.DisplayName);
            if (context.Response.HasStarted) return Results.Empty;
            context.Response.Headers.Remove("Set-Cookie");
            context.Response.Headers.Location = default;
            return Page(context, PageEndpoints.Problem(503, $"{provider.DisplayName} cannot be reached", $"CareTwin cannot reach {provider.DisplayName} just now. Try again in a few minutes."));
        }
    }

    private static OpenIdConnectEvents StaffEvents() => new()
    {
        OnTicketReceived = async context =>
        {
            context.HandleResponse();
            var http = context.HttpContext;
            var options = http.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.Oidc;
            var audit = http.RequestServices.GetRequiredService<SignInAudit>();
            var method = $"{StaffScheme} ({options.DisplayName})";
            var mapping = StaffRoleMap.Map(context.Principal!, options);
            if (mapping.Caller is not { } caller)
            {
                await audit.RefusedAsync(http, Unmapped(context.Principal!, options), method, mapping.Refusal!);
                await RenderAsync(http, PageEndpoints.Problem(403, NoRoleHeading, NoRoleLine));
                return;
            }
            await http.SignInAsync(CallerClaims.Scheme, CallerClaims.Principal(caller, signedInWith: StaffScheme));
            await audit.AllowedAsync(http, caller, method);
            var back = LocalOrNull(context.ReturnUri);
            http.Response.Redirect(back is null or "/" || back.StartsWith("/sign-in", StringComparison.Ordinal) ? CallerClaims.HomeOf(caller) : back);
        },
        OnRemoteFailure = context => RefuseAsync(context, context.HttpContext.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.Oidc, StaffScheme),
    };

    private static OpenIdConnectEvents FamilyEvents() => new()
    {
        OnTicketReceived = async context =>
        {
            context.HandleResponse();
            var http = context.HttpContext;
            var options = http.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.FamilyOidc;
            var audit = http.RequestServices.GetRequiredService<SignInAudit>();
            var grains = http.RequestServices.GetRequiredService<IGrainFactory>();
            var method = $"{FamilyScheme} ({options.DisplayName})";
            if (context.Principal!.FindFirst(options.SubjectClaim) is not { Value.Length: > 0 } subject)
            {
                await audit.RefusedAsync(http, Caller.Unauthenticated("Not signed in"), method, $"The sign-in carries no '{options.SubjectClaim}' claim.");
                await RenderAsync(http, PageEndpoints.Problem(401, "Sign-in was not accepted", $"{options.DisplayName} did not say who you are, so CareTwin cannot sign you in."));
                return;
            }
            var link = FamilySignIn.LinkOf(subject.Issuer, subject.Value);
            var items = context.Properties?.Items ?? new Dictionary<string, string?>();
            string? Item(string key) => items.TryGetValue(key, out var value) ? value : null;

            if (Item(PurposeItem) == LinkPurpose)
            {
                // Only the member who just joined, still signed in as that member in this browser, links to that membership.
                var session = await http.AuthenticateAsync(CallerClaims.Scheme);
                if (!CallerClaims.TryGetCaller(session.Principal, out var member) || member.Role != CallerRole.Family
                    || member.Id != Item(MemberItem) || member.ChildId != Item(ChildItem)
                    || !await grains.GetGrain<IFamilyAccessGrain>(member.ChildId!).LinkSignIn(member.Id, link))
                {
                    await audit.RefusedAsync(http, member ?? Caller.Unauthenticated("Not signed in"), method + " link", "No active membership in this browser to link to.");
                    await RenderAsync(http, PageEndpoints.Problem(403, $"{options.DisplayName} was not linked",
                        $"Your {options.DisplayName} could not be linked, because you are no longer a member of this child's family in CareTwin. Ask your child's care coordinator for a new invite code."));
                    return;
                }
                await audit.AllowedAsync(http, member, method + " linked");
                http.Response.Redirect(CallerClaims.HomeOf(member) + "?linked=1");
                return;
            }

            foreach (var candidate in await grains.GetGrain<IFamilySignInGrain>(link).GetLinks())
            {
                if (await grains.GetGrain<IFamilyAccessGrain>(candidate.ChildId).FindLinkedMember(link) is not { } found) continue;
                var caller = Caller.Family(found.MemberId, found.DisplayName, found.ChildId);
                await http.SignInAsync(CallerClaims.Scheme, CallerClaims.Principal(caller, signedInWith: FamilyScheme));
                await audit.AllowedAsync(http, caller, method);
                http.Response.Redirect(CallerClaims.HomeOf(caller));
                return;
            }
            await audit.RefusedAsync(http, Caller.Unauthenticated("Not signed in"), method, "No active family membership is linked to this sign-in.");
            await RenderAsync(http, PageEndpoints.Problem(403, $"Your {options.DisplayName} is not linked to CareTwin",
                $"Your {options.DisplayName} is not linked to a child's care journey in CareTwin. Ask your child's care coordinator for an invite code, and choose to link {options.DisplayName} when you join."));
        },
        OnRemoteFailure = context => RefuseAsync(context, context.HttpContext.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.FamilyOidc, FamilyScheme),
    };

    /// <summary>
    /// A sign-in that came back without a valid id token: one line saying why, nothing signed in. A token the provider
    /// issued but CareTwin refused (another audience, expired, a signature that does not verify) is audited; a callback
    /// that never went through the provider (no matching state) is only logged, so it cannot fill the audit trail.
    /// </summary>
    private static async Task RefuseAsync(RemoteFailureContext context, OidcProviderOptions provider, string scheme)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        var (line, tokenRefused) = Explain(context.Failure, provider.DisplayName);
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSignIn))
            .LogWarning("Sign-in with {Provider} refused: {Reason}", provider.DisplayName, context.Failure?.Message);
        if (tokenRefused is not null)
            await http.RequestServices.GetRequiredService<SignInAudit>().RefusedAsync(http, Caller.Unauthenticated("Not signed in"), $"{scheme} ({provider.DisplayName})", tokenRefused);
        await RenderAsync(http, PageEndpoints.Problem(401, "Sign-in was not accepted", line));
    }

    /// <summary>The line a person reads, and for a refused token what the audit trail records (null when no token was refused).</summary>
    public static (string Line, string? TokenRefused) Explain(Exception? failure, string provider)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SecurityTokenInvalidAudienceException:
                    return ("The sign-in was issued for another service, not CareTwin, so it was not accepted.", "The id token is for another audience.");
                case SecurityTokenExpiredException:
                    return ("The sign-in had expired before it reached CareTwin. Sign in again.", "The id token has expired.");
                case SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException:
                    return ($"The sign-in could not be verified as coming from {provider}, so it was not accepted.", "The id token's signature does not verify.");
                case SecurityTokenInvalidIssuerException:
                    return ($"The sign-in did not come from {provider}, so it was not accepted.", "The id token is from another issuer.");
                case SecurityTokenException or OpenIdConnectProtocolInvalidNonceException:
                    return ("The sign-in could not be checked, so it was not accepted. Sign in again.", $"The id token was refused ({e.GetType().Name}).");
            }
        }
        return ($"The sign-in with {provider} did not complete. Go back to the sign-in page and try again.", null);
    }

    /// <summary>Who a refused staff sign-in was, for the audit trail: their subject and name, with no role.</summary>
    private static Caller Unmapped(ClaimsPrincipal principal, StaffOidcOptions options)
    {
        var subject = principal.FindFirst(options.SubjectClaim)?.Value;
        if (string.IsNullOrEmpty(subject)) return Caller.Unauthenticated("Not signed in");
        var name = principal.FindFirst(options.NameClaim)?.Value ?? subject;
        return new Caller(StaffRoleMap.IdPrefix + subject, name, CallerRole.Anonymous, [], null, false);
    }

    private static IResult Page(HttpContext context, PageContent page) =>
        context.RequestServices.GetRequiredService<PageShell>().Render(context, null, page);

    private static Task RenderAsync(HttpContext context, PageContent page) => Page(context, page).ExecuteAsync(context);

    /// <summary>Only a local path: never an open redirect to another site.</summary>
    internal static string? LocalOrNull(string? url) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : null;
}
