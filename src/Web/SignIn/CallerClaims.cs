using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using CareTwin.Grains.Access;
using CareTwin.Journey.Services;

namespace CareTwin.Web.SignIn;

/// <summary>The sign-in cookie's claims and the <see cref="Caller"/> the access policy is asked about.</summary>
public static class CallerClaims
{
    public const string Scheme = "caretwin";
    public const string ServiceClaim = "caretwin:service";
    public const string ChildClaim = "caretwin:child";

    /// <summary>Marks a "sign in as" demo session, which no host outside demo mode accepts.</summary>
    public const string DemoClaim = "caretwin:demo";

    public const string CoordinatorRole = "coordinator";
    public const string AgencyStaffRole = "agency-staff";
    public const string FamilyRole = "family";
    public const string OperatorRole = "operator";

    /// <summary>The authorization policy for operators' pages: signed in (a session still valid) as an operator.</summary>
    public const string OperatorPolicy = "operator";

    /// <summary>Where the Orleans dashboard is mounted (when the host turns it on): an operator's start page.</summary>
    public const string OperationsDashboardPath = "/operations/dashboard";

    /// <param name="signedInWith">The identity provider's scheme the session was made from (<see cref="OidcSignIn.SignedInWithClaim"/>), if any.</param>
    public static ClaimsPrincipal Principal(Caller caller, bool demo = false, string? signedInWith = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, caller.Id),
            new(ClaimTypes.Name, caller.DisplayName),
            new(ClaimTypes.Role, RoleName(caller.Role)),
        };
        claims.AddRange(caller.Services.Select(s => new Claim(ServiceClaim, s)));
        if (caller.ChildId is { } childId) claims.Add(new Claim(ChildClaim, childId));
        if (demo) claims.Add(new Claim(DemoClaim, "true"));
        if (signedInWith is not null) claims.Add(new Claim(OidcSignIn.SignedInWithClaim, signedInWith));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The caller a signed-in user is; false for anyone not signed in or with a cookie that names no valid role.</summary>
    public static bool TryGetCaller(ClaimsPrincipal? user, [NotNullWhen(true)] out Caller? caller)
    {
        caller = null;
        if (user?.Identity?.IsAuthenticated != true) return false;
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var name = user.FindFirstValue(ClaimTypes.Name);
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(name)) return false;
        caller = user.FindFirstValue(ClaimTypes.Role) switch
        {
            CoordinatorRole => Caller.Coordinator(id, name),
            AgencyStaffRole when ServiceKey.TryParse(user.FindFirstValue(ServiceClaim), out var service) => Caller.AgencyStaff(id, name, service),
            FamilyRole when user.FindFirstValue(ChildClaim) is { Length: > 0 } childId => Caller.Family(id, name, childId),
            OperatorRole => Caller.Operator(id, name),
            _ => null,
        };
        return caller is not null;
    }

    public static string RoleName(CallerRole role) => role switch
    {
        CallerRole.Coordinator => CoordinatorRole,
        CallerRole.AgencyStaff => AgencyStaffRole,
        CallerRole.Family => FamilyRole,
        CallerRole.ExternalSystem => "external-system",
        CallerRole.Anonymous => "anonymous",
        CallerRole.Operator => OperatorRole,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>Where a signed-in user starts: the coordinator's board, their service's view, their child's family view, or the operator's dashboard.</summary>
    public static string HomeOf(Caller caller) => caller.Role switch
    {
        CallerRole.Coordinator => "/board",
        CallerRole.AgencyStaff => $"/services/{Uri.EscapeDataString(caller.Services[0])}",
        CallerRole.Family => $"/family/{Uri.EscapeDataString(caller.ChildId!)}",
        CallerRole.Operator => OperationsDashboardPath + "/",
        _ => "/sign-in",
    };
}
