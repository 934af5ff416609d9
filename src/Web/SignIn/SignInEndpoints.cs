using System.Text;
using CareTwin.Grains.Access;
using CareTwin.Journey.Services;
using CareTwin.Journey.Validation;
using CareTwin.Web.Hosting;
using CareTwin.Web.Pages;
using CareTwin.Web.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static CareTwin.Web.Pages.PageShell;

namespace CareTwin.Web.SignIn;

/// <summary>Whether the host runs the synthetic demo (its "sign in as" buttons exist only then).</summary>
public sealed record DemoMode(bool Enabled);

/// <summary>
/// Sign-in (staff through their identity provider and/or configured accounts with hashed passwords, locked after
/// repeated wrong passwords; in demo mode also "sign in as" buttons), joining with a family invite code (and linking
/// a lasting sign-in to come back with), and sign-out. Every form carries an anti-forgery token, checked before
/// anything is read; every sign-in and refused sign-in is in the "sign-in" audit trail.
/// </summary>
public static class SignInEndpoints
{
    public const string AttemptsPolicy = "sign-in-attempts";

    internal static void MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sign-in", (HttpContext context, PageShell shell, DemoMode demo, IOptions<WebOptions> options) =>
            shell.Render(context, null, SignInPage(context, shell, demo, options.Value, null))).RequireRateLimiting(PageEndpoints.ViewsPolicy);
        app.MapPost("/sign-in", StaffSignInAsync).RequireRateLimiting(AttemptsPolicy);
        app.MapGet(OidcSignIn.StaffPath, (HttpContext context, string? returnUrl, IOptions<WebOptions> options) => OidcSignIn.ChallengeStaffAsync(context, returnUrl, options))
            .RequireRateLimiting(AttemptsPolicy);
        app.MapGet(OidcSignIn.FamilyPath, (HttpContext context, IOptions<WebOptions> options) => OidcSignIn.ChallengeFamilyAsync(context, options))
            .RequireRateLimiting(AttemptsPolicy);
        app.MapPost("/sign-in/demo", DemoSignInAsync).RequireRateLimiting(AttemptsPolicy);
        // The join form may go on to the families' identity provider, so its page lets a form lead there (and nowhere else).
        var joinPolicy = JoinPagePolicy(app.ServiceProvider.GetRequiredService<IOptions<WebOptions>>().Value.FamilyOidc);
        app.MapGet("/join", (HttpContext context, PageShell shell, IOptions<WebOptions> options) => shell.Render(context, null, JoinPage(context, shell, options.Value, null, null)))
            .WithMetadata(joinPolicy).RequireRateLimiting(PageEndpoints.ViewsPolicy);
        app.MapPost("/join", JoinAsync).RequireRateLimiting(AttemptsPolicy).WithMetadata(joinPolicy);
        app.MapPost("/sign-out", SignOutAsync);
    }

    private const string PasswordMethod = "password";

    private static async Task<IResult> StaffSignInAsync(HttpContext context, PageShell shell, DemoMode demo, IOptions<WebOptions> options, SignInLockout lockout, SignInAudit audit)
    {
        if (await PostedForms.ReadAsync(context) is not { } form) return PostedForms.Expired(context, shell);
        var userName = form["userName"].ToString().Trim();
        var password = form["password"].ToString();
        var account = options.Value.Staff.FirstOrDefault(a => string.Equals(a.UserName, userName, StringComparison.OrdinalIgnoreCase));
        // Whom the audit trail names: the account, or nobody (a name that is no account is not recorded: it may be a mistyped password).
        var who = account is not null && StaffCaller(account) is { } known ? known : SignInAudit.Unidentified("Unknown user name");
        if (lockout.LockedUntil(userName) is not null)
        {
            // Hash all the same, so a locked name answers as slowly as any other.
            PasswordHash.Matches(password, PasswordHash.Decoy);
            await audit.RefusedAsync(context, who, PasswordMethod, "Locked after repeated wrong passwords.");
            return shell.Render(context, null, SignInPage(context, shell, demo, options.Value, Locked(options.Value.Lockout)));
        }
        // Hash even for an unknown name, so the answer takes as long either way.
        var matches = PasswordHash.Matches(password, account?.PasswordHash ?? PasswordHash.Decoy);
        if (account is null || !matches || StaffCaller(account) is not { } caller)
        {
            // Unknown names are counted and locked too, so the lock does not tell which names are accounts.
            var locked = lockout.Failed(userName) is not null;
            await audit.RefusedAsync(context, who, PasswordMethod, account is null ? "Unknown user name." : locked ? "Wrong password; now locked." : "Wrong password.");
            return shell.Render(context, null, SignInPage(context, shell, demo, options.Value, locked ? Locked(options.Value.Lockout) : "The user name or password is not right."));
        }
        lockout.Succeeded(userName);
        await audit.AllowedAsync(context, caller, PasswordMethod);
        return await SignInAsync(context, caller);
    }

    private static string Locked(LockoutOptions lockout) =>
        $"There have been too many sign-in attempts that were not right, so signing in with this user name is paused for {Minutes(lockout.Duration)}. " +
        "Try again after that, or ask whoever runs CareTwin for you.";

    private static string Minutes(TimeSpan duration) =>
        duration.TotalMinutes is var m && m == 1 ? "1 minute" : $"{Math.Ceiling(m).ToString(System.Globalization.CultureInfo.InvariantCulture)} minutes";

    private static async Task<IResult> DemoSignInAsync(HttpContext context, PageShell shell, DemoMode demo)
    {
        if (!demo.Enabled) return Results.NotFound();
        if (await PostedForms.ReadAsync(context) is not { } form) return PostedForms.Expired(context, shell);
        return DemoUsers.Find(form["user"]) is { } user ? await SignInAsync(context, user.Caller, demo: true) : Results.Redirect("/sign-in");
    }

    private static async Task<IResult> JoinAsync(HttpContext context, PageShell shell, IGrainFactory grains, AccessGate gate, IOptions<WebOptions> options, SignInAudit audit)
    {
        if (await PostedForms.ReadAsync(context) is not { } form) return PostedForms.Expired(context, shell);
        var code = form["code"].ToString().Trim();
        var name = form["name"].ToString().Trim();
        if (!InviteCode.LooksValid(code))
            return shell.Render(context, null, JoinPage(context, shell, options.Value, ("code", "Enter the 12-character code from your invite, like ABCD-EFGH-JKLM."), name));
        if (TextRules.Required(name, "name", TextKind.Name) is not null)
            return shell.Render(context, null, JoinPage(context, shell, options.Value, ("name", "Enter your name, so the team knows who is using CareTwin."), name));
        var outcome = await grains.GetGrain<IInviteCodeGrain>(InviteCode.Hash(code)).Redeem(name);
        if (outcome.Membership is not { } membership)
        {
            var problem = outcome.Failure switch
            {
                RedeemFailure.Expired => "This code has expired. Ask your child's care coordinator for a new one.",
                RedeemFailure.AlreadyUsed => "This code has already been used. Each code works once: ask your child's care coordinator for a new one.",
                RedeemFailure.Revoked => "This code has been withdrawn. Ask your child's care coordinator for a new one.",
                _ => "We could not find that code. Check it and try again.",
            };
            return shell.Render(context, null, JoinPage(context, shell, options.Value, ("code", problem), name));
        }
        var member = Caller.Family(membership.MemberId, name, membership.ChildId);
        await gate.RecordAsync(member, $"child/{membership.ChildId}", AccessAction.ManageFamilyAccess, $"{RedeemedInvite} {membership.MemberId}",
            AccessDecision.Allow("A family member joined with an invite code the care team issued."), PageEndpoints.Channel(context));
        await audit.AllowedAsync(context, member, "invite code");
        if (form["link"] == LinkChoice && options.Value.FamilyOidc.Enabled)
        {
            // Signed in as the new member first: the provider's answer is linked to the member signed in in this browser.
            await context.SignInAsync(CallerClaims.Scheme, CallerClaims.Principal(member));
            return await OidcSignIn.ChallengeLinkAsync(context, member, options);
        }
        return await SignInAsync(context, member);
    }

    private static OwnContentSecurityPolicy JoinPagePolicy(FamilyOidcOptions provider) =>
        new(provider.Enabled && Uri.TryCreate(provider.Authority, UriKind.Absolute, out var authority)
            ? SecurityHeaders.ContentSecurityPolicy.Replace("form-action 'self'", $"form-action 'self' {authority.GetLeftPart(UriPartial.Authority)}", StringComparison.Ordinal)
            : SecurityHeaders.ContentSecurityPolicy);

    /// <summary>The join form's second button: join, then link the family's lasting sign-in.</summary>
    private const string LinkChoice = "family-oidc";

    /// <summary>The audit detail of a family member joining (with their member id).</summary>
    public const string RedeemedInvite = "RedeemInvite";

    private static async Task<IResult> SignOutAsync(HttpContext context, PageShell shell)
    {
        if (await PostedForms.ReadAsync(context) is null) return PostedForms.Expired(context, shell);
        await context.SignOutAsync(CallerClaims.Scheme);
        return Results.Redirect("/sign-in");
    }

    private static async Task<IResult> SignInAsync(HttpContext context, Caller caller, bool demo = false)
    {
        await context.SignInAsync(CallerClaims.Scheme, CallerClaims.Principal(caller, demo));
        // Only a local path: never an open redirect to another site.
        return Results.Redirect(OidcSignIn.LocalOrNull(context.Request.Query["returnUrl"].ToString()) ?? CallerClaims.HomeOf(caller));
    }

    private static Caller? StaffCaller(StaffAccount account) => account.Role switch
    {
        CallerClaims.CoordinatorRole => Caller.Coordinator(StaffId(account), account.DisplayName),
        CallerClaims.AgencyStaffRole when ServiceKey.TryParse(account.Service, out var service) => Caller.AgencyStaff(StaffId(account), account.DisplayName, service),
        CallerClaims.OperatorRole => Caller.Operator(StaffId(account), account.DisplayName),
        _ => null,
    };

    private const string StaffIdPrefix = "staff.";

    private static string StaffId(StaffAccount account) => StaffIdPrefix + account.UserName.ToLowerInvariant();

    /// <summary>
    /// Checked on every request with a sign-in cookie: a demo session only while the host is in demo mode, and a
    /// staff session only while its account is still configured with the same role. (Family members are checked
    /// by the access gate on every request.)
    /// </summary>
    public static bool SessionStillValid(Caller caller, System.Security.Claims.ClaimsPrincipal principal, DemoMode demo, WebOptions options)
    {
        if (principal.HasClaim(c => c.Type == CallerClaims.DemoClaim)) return demo.Enabled && DemoUsers.All.Any(u => u.Caller.Id == caller.Id && u.Caller.Role == caller.Role);
        if (caller.Id.StartsWith(StaffIdPrefix, StringComparison.Ordinal))
            return options.Staff.Any(a => StaffId(a) == caller.Id && StaffCaller(a) is { } current && current.Role == caller.Role && current.Services.SequenceEqual(caller.Services));
        // From the identity provider: while it is still configured and its role table still gives this role and service.
        if (principal.FindFirst(OidcSignIn.SignedInWithClaim)?.Value == OidcSignIn.StaffScheme)
            return caller.Id.StartsWith(StaffRoleMap.IdPrefix, StringComparison.Ordinal) && StaffRoleMap.StillMapped(caller, options.Oidc);
        return caller.Role == CallerRole.Family;
    }

    private static PageContent SignInPage(HttpContext context, PageShell shell, DemoMode demo, WebOptions options, string? error)
    {
        var returnUrl = context.Request.Query["returnUrl"].ToString();
        var action = returnUrl.Length > 0 ? "?returnUrl=" + Uri.EscapeDataString(returnUrl) : "";
        var body = new StringBuilder("<h1>Sign in to CareTwin</h1>");
        if (error is not null) body.Append(PostedForms.ErrorSummary("userName", error));
        if (demo.Enabled)
        {
            body.Append("<div class=\"nhsuk-inset-text\"><span class=\"nhsuk-u-visually-hidden\">Information: </span>")
                .Append("<p>This is a demo with invented children and services. Choose who to sign in as; no password is needed.</p></div>")
                .Append("<h2>Sign in as a demo user</h2><ul class=\"nhsuk-list\">");
            foreach (var user in DemoUsers.All)
            {
                body.Append("<li><form method=\"post\" action=\"/sign-in/demo").Append(Encode(action)).Append("\">").Append(shell.AntiforgeryField(context))
                    .Append("<input type=\"hidden\" name=\"user\" value=\"").Append(Encode(user.Key)).Append("\">")
                    .Append("<button class=\"nhsuk-button nhsuk-button--secondary\" type=\"submit\" data-demo-user=\"").Append(Encode(user.Key)).Append("\">Sign in as ")
                    .Append(Encode(user.Caller.DisplayName)).Append("</button><p class=\"nhsuk-body-s\">").Append(Encode(user.Description)).Append("</p></form></li>");
            }
            body.Append("</ul>");
        }
        if (options.Oidc.Enabled || options.Staff.Count > 0) body.Append("<h2>Staff sign-in</h2>");
        if (options.Oidc.Enabled)
        {
            body.Append("<p class=\"nhsuk-body\"><a class=\"nhsuk-button\" role=\"button\" data-sign-in=\"staff-oidc\" href=\"").Append(OidcSignIn.StaffPath).Append(Encode(action)).Append("\">Sign in with ")
                .Append(Encode(options.Oidc.DisplayName)).Append("</a></p>");
        }
        if (options.Staff.Count > 0)
        {
            if (options.Oidc.Enabled) body.Append("<h3>Or with a CareTwin account</h3>");
            body.Append("<form method=\"post\" action=\"/sign-in").Append(Encode(action)).Append("\" novalidate>").Append(shell.AntiforgeryField(context))
                .Append(PostedForms.Input("userName", "User name", "text", "username", null, error is null ? null : ""))
                .Append(PostedForms.Input("password", "Password", "password", "current-password", null, null))
                .Append("<button class=\"nhsuk-button\" type=\"submit\">Sign in</button></form>");
        }
        else if (!demo.Enabled && !options.Oidc.Enabled)
        {
            body.Append("<p class=\"nhsuk-body\">Staff sign-in is not set up on this server: an administrator sets up the organisation's identity provider under Web:Oidc, or adds staff accounts (with hashed passwords) under Web:Staff.</p>");
        }
        body.Append("<h2>Parents and carers</h2>");
        if (options.FamilyOidc.Enabled)
        {
            body.Append("<p class=\"nhsuk-body\">If you linked ").Append(Encode(options.FamilyOidc.DisplayName)).Append(" when you joined:</p><p class=\"nhsuk-body\"><a class=\"nhsuk-button nhsuk-button--secondary\" role=\"button\" data-sign-in=\"family-oidc\" href=\"")
                .Append(OidcSignIn.FamilyPath).Append("\">Sign in with ").Append(Encode(options.FamilyOidc.DisplayName)).Append("</a></p>");
        }
        body.Append("<p class=\"nhsuk-body\">If your child's care coordinator gave you an invite code, <a href=\"/join\">join with your invite code</a>.</p>");
        return new PageContent("Sign in", null, new Dictionary<string, string>(), body.ToString(), error is null ? 200 : 401);
    }

    private static PageContent JoinPage(HttpContext context, PageShell shell, WebOptions options, (string Field, string Message)? error, string? name)
    {
        var body = new StringBuilder("<h1>Join your child's care journey</h1>");
        if (error is { } e) body.Append(PostedForms.ErrorSummary(e.Field, e.Message));
        body.Append("<p class=\"nhsuk-body\">Use the invite code your child's care coordinator gave you. Each code works once.</p>")
            .Append("<form method=\"post\" action=\"/join\" novalidate>").Append(shell.AntiforgeryField(context))
            .Append(PostedForms.Input("code", "Invite code", "text", "off", null, error is { Field: "code" } ? error.Value.Message : null))
            .Append(PostedForms.Input("name", "Your name", "text", "name", name, error is { Field: "name" } ? error.Value.Message : null));
        if (options.FamilyOidc.Enabled)
        {
            var provider = Encode(options.FamilyOidc.DisplayName);
            body.Append("<p class=\"nhsuk-body\">To come back later without a new code, link your ").Append(provider).Append(". CareTwin keeps only a link to it, and removes the link if your access ends.</p>")
                .Append("<div class=\"nhsuk-button-group\"><button class=\"nhsuk-button\" type=\"submit\" name=\"link\" value=\"").Append(LinkChoice).Append("\">Continue and link ").Append(provider).Append("</button> ")
                .Append("<button class=\"nhsuk-button nhsuk-button--secondary\" type=\"submit\">Continue without linking</button></div></form>");
        }
        else
        {
            body.Append("<button class=\"nhsuk-button\" type=\"submit\">Continue</button></form>");
        }
        return new PageContent("Join with an invite code", null, new Dictionary<string, string>(), body.ToString(), error is null ? 200 : 400);
    }
}
