using CareTwin.Web.Security;
using CareTwin.Web.SignIn;
using Orleans.Dashboard;

namespace CareTwin.Silo.Composition;

/// <summary>What operators get (section "Operations").</summary>
public sealed class OperationsSettings
{
    public const string SectionName = "Operations";

    /// <summary>
    /// The Orleans dashboard at <see cref="CallerClaims.OperationsDashboardPath"/>, for staff signed in as operators.
    /// The same on every node of a cluster: the dashboard asks each node's silo for its figures.
    /// </summary>
    public bool Dashboard { get; set; } = true;
}

/// <summary>
/// The Orleans dashboard (cluster, nodes, twins in memory, grain calls, reminders) behind the staff sign-in, for the
/// operator role only. Nothing of a child's record is offered: the access policy refuses operators every child, and
/// the dashboard's two routes that would go around it are not mapped.
/// </summary>
internal static class OperatorDashboardComposition
{
    /// <summary>
    /// Routes under the dashboard that are refused: GrainState calls any grain's getters (a child's journey, its audit
    /// trail) without the access gate or an audit entry; Trace streams the node's log lines, which name children and callers.
    /// </summary>
    private static readonly string[] NotOffered = ["/GrainState", "/Trace"];

    /// <summary>
    /// The site's policy with the two things the dashboard's own page needs: the one style attribute in its index.html
    /// (10.4.2: the loading spinner's padding), by hash, and its icon font, which its stylesheet carries as a data: URL.
    /// </summary>
    internal static readonly string ContentSecurityPolicy = SecurityHeaders.ContentSecurityPolicy
        .Replace("style-src 'self';", "style-src 'self' 'unsafe-hashes' 'sha256-eq2af6QS2pzGTyxQ6dj75iyyFqwRgxGGxEAjoqE24f0=';", StringComparison.Ordinal)
        .Replace("font-src 'self';", "font-src 'self' data:;", StringComparison.Ordinal);

    private static bool Enabled(IConfiguration configuration) =>
        configuration.GetSection(OperationsSettings.SectionName).Get<OperationsSettings>()?.Dashboard ?? true;

    public static void AddOperatorDashboard(this WebApplicationBuilder builder)
    {
        if (!Enabled(builder.Configuration)) return;
        // A second UseOrleans adds to the same silo.
        builder.UseOrleans(silo => silo.AddDashboard(options => options.HideTrace = true));
    }

    public static void MapOperatorDashboard(this WebApplication app)
    {
        if (!Enabled(app.Configuration)) return;
        app.MapOrleansDashboard(CallerClaims.OperationsDashboardPath)
            .RequireAuthorization(CallerClaims.OperatorPolicy)
            .WithMetadata(new OwnContentSecurityPolicy(ContentSecurityPolicy))
            .AddEndpointFilter(async (context, next) =>
            {
                if (context.HttpContext.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route } && NotOffered.Any(r => route.EndsWith(r, StringComparison.Ordinal)))
                    return Results.NotFound();
                try
                {
                    return await next(context);
                }
                // While a dead node's dashboard grain moves (until the node is declared dead), say so rather than answer 500.
                catch (Exception ex) when (ex is OrleansException or TimeoutException)
                {
                    return Results.Text("The cluster is changing (a node has left or is joining); the dashboard answers again in a moment.", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
                }
            });
    }
}
