using System.Security.Claims;
using System.Text.Json;
using CareTwin.Grains.Access;
using CareTwin.Journey.Services;

namespace CareTwin.Web.SignIn;

/// <summary>What an identity provider's sign-in comes to: a CareTwin caller, or why not.</summary>
public sealed record StaffMapping(Caller? Caller, string? Refusal);

/// <summary>
/// Turns the claims of a staff member's validated id token into the CareTwin caller the access policy is asked about,
/// by the role table of <see cref="StaffOidcOptions"/>. The table gives a role (and service); which children the person
/// may then see is decided by CareTwin's access policy, never by claims.
/// </summary>
public static class StaffRoleMap
{
    /// <summary>Callers built from an identity provider's sign-in have ids "oidc.{subject}".</summary>
    public const string IdPrefix = "oidc.";

    public static StaffMapping Map(ClaimsPrincipal principal, StaffOidcOptions options)
    {
        var subject = principal.FindFirst(options.SubjectClaim)?.Value;
        if (string.IsNullOrWhiteSpace(subject)) return new StaffMapping(null, $"The sign-in carries no '{options.SubjectClaim}' claim.");
        var name = principal.FindFirst(options.NameClaim)?.Value is { Length: > 0 } n ? n.Trim() : subject;
        var roles = RolesOf(principal, options).ToList();
        foreach (var row in options.Roles)
        {
            if (!roles.Any(r => Matches(row, r.Code, r.Organisation))) continue;
            if (CallerFor(row, IdPrefix + subject, name) is { } caller) return new StaffMapping(caller, null);
        }
        var held = roles.Count == 0 ? "none" : string.Join(", ", roles.Select(r => r.Organisation is null ? r.Code : $"{r.Code} at {r.Organisation}"));
        return new StaffMapping(null, $"No CareTwin role for the provider's roles ({held}).");
    }

    /// <summary>The caller a row gives, or null for a row that names no valid role (checked when the host starts).</summary>
    public static Caller? CallerFor(OidcRoleMapping row, string id, string name) => row.Role switch
    {
        CallerClaims.CoordinatorRole => Caller.Coordinator(id, name),
        CallerClaims.AgencyStaffRole when ServiceKey.TryParse(row.Service, out var service) => Caller.AgencyStaff(id, name, service),
        CallerClaims.OperatorRole => Caller.Operator(id, name),
        _ => null,
    };

    /// <summary>Every row of the table is usable: a known role, and a valid service for agency staff.</summary>
    public static IEnumerable<string> Problems(StaffOidcOptions options)
    {
        foreach (var (row, i) in options.Roles.Select((r, i) => (r, i)))
        {
            if (string.IsNullOrWhiteSpace(row.Value)) yield return $"Web:Oidc:Roles:{i}:Value is empty.";
            if (CallerFor(row, "check", "check") is null)
                yield return $"Web:Oidc:Roles:{i} ('{row.Value}'): Role must be coordinator, agency-staff (with a valid Service, e.g. housing.eastmarsh) or operator.";
        }
    }

    /// <summary>A session from the provider stays valid while some row of the table still gives its role and service.</summary>
    public static bool StillMapped(Caller caller, StaffOidcOptions options) =>
        options.Enabled && options.Roles.Any(row => CallerFor(row, caller.Id, caller.DisplayName) is { } mapped
            && mapped.Role == caller.Role && mapped.Services.SequenceEqual(caller.Services));

    private static bool Matches(OidcRoleMapping row, string code, string? organisation) =>
        (string.Equals(row.Value, code, StringComparison.OrdinalIgnoreCase) || code.Split(':').Contains(row.Value, StringComparer.OrdinalIgnoreCase))
        && (string.IsNullOrWhiteSpace(row.Organisation) || string.Equals(row.Organisation, organisation, StringComparison.OrdinalIgnoreCase));

    /// <summary>The person's roles: plain codes with the organisation claim, or (CIS2) JSON objects each naming its own organisation.</summary>
    private static IEnumerable<(string Code, string? Organisation)> RolesOf(ClaimsPrincipal principal, StaffOidcOptions options)
    {
        var organisation = principal.FindFirst(options.OrganisationClaim)?.Value;
        foreach (var claim in principal.FindAll(options.RoleClaim))
        {
            if (!string.IsNullOrEmpty(options.RoleCodeField) && claim.Value.TrimStart().StartsWith('['))
            {
                foreach (var role in Objects(claim.Value)) yield return role;
            }
            else if (!string.IsNullOrEmpty(options.RoleCodeField) && claim.Value.TrimStart().StartsWith('{'))
            {
                foreach (var role in Objects($"[{claim.Value}]")) yield return role;
            }
            else if (claim.Value.Trim() is { Length: > 0 } code)
            {
                yield return (code, organisation);
            }
        }

        IEnumerable<(string, string?)> Objects(string json)
        {
            List<(string, string?)> found = [];
            try
            {
                using var document = JsonDocument.Parse(json);
                foreach (var element in document.RootElement.EnumerateArray())
                {
                    if (element.ValueKind != JsonValueKind.Object) continue;
                    if (!element.TryGetProperty(options.RoleCodeField!, out var code) || code.ValueKind != JsonValueKind.String) continue;
                    var org = element.TryGetProperty(options.OrganisationClaim, out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : organisation;
                    found.Add((code.GetString()!, org));
                }
            }
            catch (JsonException)
            {
                // A malformed role is no role.
            }
            return found;
        }
    }
}
