using System.Net;
using CareTwin.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CareTwin.Web.Security;

/// <summary>
/// Whether the cookies CareTwin sets (the session of staff and families, the anti-forgery cookie, and any a sign-in
/// handler adds) carry <c>Secure</c>, decided in one place for every cookie, through ASP.NET Core's cookie policy:
/// <list type="bullet">
/// <item>Outside Development: always, over plain HTTP too. A browser then never sends the session over an
/// unencrypted connection, and nothing silently downgrades it when TLS is misconfigured.</item>
/// <item>In Development (<c>dotnet run</c>, the demo on http://127.0.0.1:5080): only over HTTPS, as the request came.</item>
/// <item>With <see cref="WebOptions.AllowInsecureCookiesOnLoopback"/>, outside Development: not on a plain-HTTP request
/// from a client on this machine (after trusted forwarded headers), for development clusters and tests whose HTTP
/// clients (.NET's CookieContainer, curl, Python) do not send a Secure cookie back over http://127.0.0.1 the way
/// browsers do. A client elsewhere still gets Secure cookies.</item>
/// </list>
/// Never a downgrade: a cookie its own code marks Secure stays Secure.
/// </summary>
public static partial class SecureCookies
{
    public static void Configure(CookiePolicyOptions policy, bool development, bool allowInsecureOnLoopback)
    {
        // CookieSecurePolicy.None leaves the decision to the callbacks below, which only ever add Secure.
        policy.Secure = CookieSecurePolicy.None;
        policy.OnAppendCookie = cookie => cookie.CookieOptions.Secure |= MustBeSecure(cookie.Context, development, allowInsecureOnLoopback);
        policy.OnDeleteCookie = cookie => cookie.CookieOptions.Secure |= MustBeSecure(cookie.Context, development, allowInsecureOnLoopback);
    }

    public static bool MustBeSecure(HttpContext context, bool development, bool allowInsecureOnLoopback) =>
        context.Request.IsHttps
        || (!development && !(allowInsecureOnLoopback && IsLoopback(context.Connection.RemoteIpAddress)));

    /// <summary>First in the pipeline, before anything that may set a cookie; says at start when the loopback exception is on.</summary>
    public static void UseSecureCookies(this WebApplication app)
    {
        var web = app.Services.GetRequiredService<IOptions<WebOptions>>().Value;
        if (web.AllowInsecureCookiesOnLoopback && !app.Environment.IsDevelopment())
            Log.InsecureOnLoopback(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SecureCookies)));
        app.UseCookiePolicy();
    }

    private static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning,
            "Web:AllowInsecureCookiesOnLoopback is on: cookies answering plain-HTTP requests from this machine are not marked Secure. "
            + "For development clusters and tests only; clients elsewhere still get Secure cookies")]
        public static partial void InsecureOnLoopback(ILogger logger);
    }
}
