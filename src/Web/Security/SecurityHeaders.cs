using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace CareTwin.Web.Security;

/// <summary>
/// Headers on every response: a content security policy with no inline script or style and no framing, no
/// MIME sniffing, no referrer, HSTS on TLS, and no caching of anything but the bundle (pages carry health data).
/// An endpoint the site does not write itself may carry its own policy (<see cref="OwnContentSecurityPolicy"/>).
/// </summary>
/// <remarks>
/// HSTS (<see cref="StrictTransportSecurity"/>: one year, this host and its subdomains, not preloaded) goes on every
/// response to a request that came over HTTPS: to this node's TLS listener (Listeners:CertificatePath), or to a
/// trusted balancer that ended TLS and said so in X-Forwarded-Proto. Never over plain HTTP, where browsers ignore it,
/// and never in Development, where it would pin the developer's browser to HTTPS for every site on localhost.
/// </remarks>
public sealed class SecurityHeaders(RequestDelegate next, IHostEnvironment environment)
{
    private readonly bool _hsts = !environment.IsDevelopment();

    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string StrictTransportSecurity = "max-age=31536000; includeSubDomains";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.GetEndpoint()?.Metadata.GetMetadata<OwnContentSecurityPolicy>()?.Policy ?? ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            if (_hsts && context.Request.IsHttps) headers.StrictTransportSecurity = StrictTransportSecurity;
            if (!context.Request.Path.StartsWithSegments("/dist")) headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(context);
    }
}

/// <summary>Endpoint metadata: the content security policy for this endpoint instead of the site's (kept to what a page we do not write needs).</summary>
public sealed record OwnContentSecurityPolicy(string Policy);

/// <summary>
/// Refuses a hub request made by another site's page (cross-site WebSocket hijacking): browsers always send
/// Origin on the hub's negotiate request and WebSocket handshake. Anti-forgery tokens cover the HTML forms.
/// </summary>
public sealed class SameOriginHub(RequestDelegate next, string hubPath)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(hubPath) && context.Request.Headers.Origin is [{ } origin, ..] && !IsSameOrigin(context.Request, origin))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }
        return next(context);
    }

    private static bool IsSameOrigin(HttpRequest request, string origin) =>
        // Host and port only: behind a TLS-terminating proxy the scheme seen here differs from the browser's.
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
