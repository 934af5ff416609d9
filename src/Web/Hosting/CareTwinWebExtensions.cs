using CareTwin.Web.Assets;
using System.Net;
using System.Threading.RateLimiting;
using CareTwin.Grains.Forecasts;
using CareTwin.Journey.Serialization;
using CareTwin.Web.Live;
using CareTwin.Web.Pages;
using CareTwin.Web.Security;
using CareTwin.Web.SignIn;
using CareTwin.Web.Views;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CareTwin.Web.Hosting;

public static class CareTwinWebExtensions
{
    /// <summary>
    /// Sign-in (cookie), anti-forgery, the hub with its limits, the bridge and its notifier. Needs the actor
    /// runtime and the <see cref="Grains.Access.AccessGate"/> registered by the host.
    /// </summary>
    /// <param name="demoMode">The host runs the synthetic demo: "sign in as" buttons appear.</param>
    public static IServiceCollection AddCareTwinWeb(this IServiceCollection services, IConfiguration configuration, bool demoMode)
    {
        services.Configure<WebOptions>(configuration.GetSection(WebOptions.SectionName));
        services.AddSingleton(new DemoMode(demoMode));
        services.AddSingleton(_ => BrowserBundle.Load(BrowserBundle.DefaultDirectory));
        services.AddSingleton<PageShell>();

        services.AddSingleton<ChildRecordReader>();
        services.TryAddSingleton<LeadTimesOnThisNode>();
        services.AddSingleton<LiveBridge>();
        services.AddSingleton<ILiveBroadcaster, HubBroadcaster>();
        // The notifier runs on real time even when the demo's journey clock runs fast.
        services.AddSingleton<LiveAccess>();
        services.AddSingleton<HubSessionCheck>();
        services.AddSingleton(sp => new LiveNotifier(sp.GetRequiredService<LiveBridge>(), sp.GetRequiredService<ILiveBroadcaster>(), sp.GetRequiredService<LiveAccess>(),
            sp.GetRequiredService<IOptions<WebOptions>>(), TimeProvider.System, sp.GetRequiredService<ILogger<LiveNotifier>>()));
        services.AddHostedService(sp => sp.GetRequiredService<LiveNotifier>());
        // Lockout runs on real time even when the demo's journey clock runs fast.
        services.AddSingleton(sp => new SignInLockout(TimeProvider.System, sp.GetRequiredService<IOptions<WebOptions>>()));
        services.AddSingleton<SignInAudit>();
        services.AddSingleton<HubCallLimiter>();
        services.AddSingleton<HubCallLog>();
        services.AddLogging(logging => logging.AddFilter(HubCallLog.DispatcherCategory, LogLevel.None));

        var authentication = services.AddAuthentication(CallerClaims.Scheme);
        // Identity providers are read once, at start: changing one means restarting the node (as for listeners).
        authentication.AddOidcSignIn(configuration.GetSection(WebOptions.SectionName).Get<WebOptions>() ?? new WebOptions());
        authentication.AddCookie(CallerClaims.Scheme, cookie =>
        {
            cookie.Cookie.Name = "caretwin.session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            // Over HTTPS always; outside Development over plain HTTP too (SecureCookies, the cookie policy).
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/sign-in";
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.SlidingExpiration = true;
            cookie.Events = new CookieAuthenticationEvents
            {
                OnValidatePrincipal = async context =>
                {
                    var services = context.HttpContext.RequestServices;
                    if (CallerClaims.TryGetCaller(context.Principal, out var caller)
                        && SignInEndpoints.SessionStillValid(caller, context.Principal!, services.GetRequiredService<DemoMode>(), services.GetRequiredService<IOptionsMonitor<WebOptions>>().CurrentValue))
                        return;
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(CallerClaims.Scheme);
                },
                // The hub answers 401 rather than redirecting a script to the sign-in page.
                OnRedirectToLogin = context =>
                {
                    if (context.Request.Path.StartsWithSegments(JourneyHub.Path)) context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    else context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                },
                // Signed in, but not in the role an endpoint asks for (the operators' dashboard): a 403 page, not a redirect.
                OnRedirectToAccessDenied = context =>
                {
                    CallerClaims.TryGetCaller(context.HttpContext.User, out var caller);
                    var page = PageEndpoints.Problem(403, "You cannot see this page", "This page is not part of your work in CareTwin. If you think it should be, ask whoever runs CareTwin for you.");
                    return context.HttpContext.RequestServices.GetRequiredService<PageShell>().Render(context.HttpContext, caller, page).ExecuteAsync(context.HttpContext);
                },
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(CallerClaims.Scheme)
            .Configure<IOptions<WebOptions>>((cookie, web) => cookie.ExpireTimeSpan = web.Value.SessionIdleTimeout);
        services.AddAuthorizationBuilder().AddPolicy(CallerClaims.OperatorPolicy, policy => policy
            .AddAuthenticationSchemes(CallerClaims.Scheme)
            .RequireAssertion(context => CallerClaims.TryGetCaller(context.User, out var caller) && caller.Role == Grains.Access.CallerRole.Operator));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "caretwin.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // Secure on every cookie outside Development, whatever the request (SecureCookies): the two above and any other.
        services.AddOptions<CookiePolicyOptions>().Configure<IHostEnvironment, IOptions<WebOptions>>((policy, environment, web) =>
            SecureCookies.Configure(policy, environment.IsDevelopment(), web.Value.AllowInsecureCookiesOnLoopback));

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SignInEndpoints.AttemptsPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? IPAddress.None.ToString(),
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = context.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.Live.SignInAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            limiter.AddPolicy(PageEndpoints.ViewsPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                CallerClaims.TryGetCaller(context.User, out var caller) ? "user:" + caller.Id : context.Connection.RemoteIpAddress?.ToString() ?? IPAddress.None.ToString(),
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = context.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.Live.PageViewsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            limiter.OnRejected = (rejected, cancellationToken) =>
            {
                rejected.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                return new ValueTask(rejected.HttpContext.Response.WriteAsync("Too many requests from here in the last minute. Wait a minute, then try again.", cancellationToken));
            };
        });

        services.AddSignalR(hub =>
            {
                hub.EnableDetailedErrors = false;
                hub.AddFilter<HubCallLog>();
                hub.AddFilter<HubSessionCheck>();
                hub.AddFilter<HubCallLimiter>();
            })
            .AddJsonProtocol(json =>
            {
                // The model's own JSON: camelCase, kebab-case enums ("in-progress"), no nulls.
                json.PayloadSerializerOptions = new System.Text.Json.JsonSerializerOptions(JourneyJson.Options);
            });
        services.AddOptions<HubOptions>()
            .Configure<IOptions<WebOptions>>((hub, web) => hub.MaximumReceiveMessageSize = web.Value.Live.MaxMessageBytes);
        return services;
    }

    /// <summary>Security headers, the bundle, sign-in, the pages and the hub.</summary>
    public static WebApplication MapCareTwinWeb(this WebApplication app)
    {
        var bundle = app.Services.GetRequiredService<BrowserBundle>();

        app.UseSecureCookies();
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<SameOriginHub>(JourneyHub.Path);
        bundle.Serve(app);
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapSignIn();
        app.MapLivePages();
        app.MapHub<JourneyHub>(JourneyHub.Path, connection =>
        {
            connection.Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling;
            connection.ApplicationMaxBufferSize = app.Services.GetRequiredService<IOptions<WebOptions>>().Value.Live.MaxMessageBytes;
        });
        return app;
    }
}
