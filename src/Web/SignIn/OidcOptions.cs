namespace CareTwin.Web.SignIn;

/// <summary>Staff account lockout after repeated wrong passwords (configuration Web:Lockout).</summary>
public sealed class LockoutOptions
{
    /// <summary>Wrong passwords in a row (within <see cref="Duration"/> of the first) that lock the user name.</summary>
    public int MaxFailures { get; set; } = 5;

    /// <summary>How long a locked user name stays locked; also how long a wrong password is remembered.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>What an OpenID Connect provider and CareTwin's registration with it have in common, for staff and families alike.</summary>
public abstract class OidcProviderOptions
{
    /// <summary>The provider's issuer address; its discovery document is read from {Authority}/.well-known/openid-configuration.</summary>
    public string? Authority { get; set; }

    /// <summary>CareTwin's client id at the provider: the audience every id token must name.</summary>
    public string? ClientId { get; set; }

    /// <summary>Only for a confidential client: from the environment, never in a file in the repository.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for besides "openid".</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Refuse a provider whose discovery document is not served over HTTPS (off only for a test provider on 127.0.0.1).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim that identifies the person at the provider (stable, never reassigned).</summary>
    public string SubjectClaim { get; set; } = "sub";

    /// <summary>The claim with the person's name as shown in CareTwin.</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>Shown on the button: "Sign in with {DisplayName}".</summary>
    public abstract string DisplayName { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}

/// <summary>
/// Staff sign-in through the organisation's identity provider (configuration Web:Oidc), the way NHS Care Identity
/// Service 2 works: authorization code with PKCE; roles and the organisation come from claims and are turned into a
/// CareTwin role (and service) by <see cref="Roles"/>. Which children a person may see is still decided by CareTwin.
/// </summary>
public sealed class StaffOidcOptions : OidcProviderOptions
{
    public override string DisplayName { get; set; } = "NHS Care Identity";

    /// <summary>The claim whose values are the person's roles (CIS2: "nhsid_nrbac_roles", one JSON object per role).</summary>
    public string RoleClaim { get; set; } = "nhsid_nrbac_roles";

    /// <summary>When the role claim's values are JSON objects (CIS2), the field holding the role code (CIS2: "role_code"); empty when they are plain codes.</summary>
    public string? RoleCodeField { get; set; } = "role_code";

    /// <summary>
    /// Where the organisation comes from: the field of each role object when the roles are JSON objects (CIS2: "org_code"),
    /// otherwise a claim of that name.
    /// </summary>
    public string OrganisationClaim { get; set; } = "org_code";

    /// <summary>External role values and the CareTwin role each means; the first row that matches a person's role wins.</summary>
    public List<OidcRoleMapping> Roles { get; set; } = [];
}

/// <summary>One row of the role table: a role code at the provider (optionally only in one organisation) and the CareTwin role it gives.</summary>
public sealed class OidcRoleMapping
{
    /// <summary>
    /// The provider's role value, e.g. a national RBAC role code "R8000". It matches a role value equal to it, or one
    /// of whose colon-separated codes it is (CIS2 writes "S8000:G8000:R8000").
    /// </summary>
    public string Value { get; set; } = "";

    /// <summary>Only in this organisation (ODS code), e.g. "RTB01"; empty for any organisation.</summary>
    public string? Organisation { get; set; }

    /// <summary>"coordinator", "agency-staff" (with <see cref="Service"/>) or "operator".</summary>
    public string Role { get; set; } = "";

    /// <summary>For agency staff: the CareTwin service they work for, e.g. "housing.eastmarsh".</summary>
    public string? Service { get; set; }
}

/// <summary>
/// The lasting sign-in a family member links when they join with an invite code (configuration Web:FamilyOidc), the
/// way NHS login works: only the person's subject at the provider is used, to find the membership it was linked to.
/// </summary>
public sealed class FamilyOidcOptions : OidcProviderOptions
{
    public override string DisplayName { get; set; } = "NHS login";
}
