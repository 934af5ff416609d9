using System.Security.Claims;
using CareTwin.Grains.Access;
using CareTwin.Web.SignIn;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CareTwin.Web.Tests.Security;

/// <summary>The documented claim mapping: provider roles (CIS2 shaped or plain) to CareTwin roles and services.</summary>
public sealed class StaffRoleMapTests
{
    private static readonly StaffOidcOptions Cis2 = new()
    {
        Authority = "https://idp.example",
        ClientId = "caretwin",
        Roles =
        [
            new OidcRoleMapping { Value = "R8000", Organisation = "RTB01", Role = "coordinator" },
            new OidcRoleMapping { Value = "R5080", Organisation = "EMH01", Role = "agency-staff", Service = "housing.eastmarsh" },
            new OidcRoleMapping { Value = "R0001", Role = "operator" },
        ],
    };

    private static ClaimsPrincipal Person(params Claim[] claims) =>
        new(new ClaimsIdentity([new Claim("sub", "555000000001"), new Claim("name", "Asha Verma"), .. claims], "test"));

    private static Claim Cis2Role(string code, string organisation) =>
        new("nhsid_nrbac_roles", $$"""{"person_roleid":"1","role_code":"{{code}}","org_code":"{{organisation}}"}""", JsonClaimValueTypes.Json);

    [Fact]
    public void A_cis2_role_in_the_named_organisation_gives_the_mapped_role()
    {
        var coordinator = StaffRoleMap.Map(Person(Cis2Role("S8000:G8000:R8000", "RTB01")), Cis2).Caller!;
        Assert.Equal(Caller.Coordinator("oidc.555000000001", "Asha Verma"), coordinator);

        var housing = StaffRoleMap.Map(Person(Cis2Role("S8002:G8002:R8002", "RTB01"), Cis2Role("S5080:G5080:R5080", "EMH01")), Cis2).Caller!;
        Assert.Equal(CallerRole.AgencyStaff, housing.Role);
        Assert.Equal("housing.eastmarsh", Assert.Single(housing.Services));

        // A row without an organisation matches in any.
        Assert.Equal(CallerRole.Operator, StaffRoleMap.Map(Person(Cis2Role("R0001", "ANY99")), Cis2).Caller!.Role);
    }

    [Fact]
    public void No_mapped_role_no_organisation_match_or_no_subject_gives_no_caller()
    {
        Assert.Null(StaffRoleMap.Map(Person(Cis2Role("S8002:G8002:R8002", "RTB01")), Cis2).Caller);
        Assert.Null(StaffRoleMap.Map(Person(Cis2Role("S8000:G8000:R8000", "ZZZ99")), Cis2).Caller);
        Assert.Null(StaffRoleMap.Map(Person(), Cis2).Caller);
        Assert.Null(StaffRoleMap.Map(Person(new Claim("nhsid_nrbac_roles", "{not json", JsonClaimValueTypes.Json)), Cis2).Caller);
        Assert.Null(StaffRoleMap.Map(new ClaimsPrincipal(new ClaimsIdentity([new Claim("name", "No Subject"), Cis2Role("R8000", "RTB01")], "test")), Cis2).Caller);
    }

    [Fact]
    public void Plain_role_claims_take_the_organisation_from_its_own_claim()
    {
        var plain = new StaffOidcOptions
        {
            RoleClaim = "roles", RoleCodeField = null, OrganisationClaim = "org",
            Roles = [new OidcRoleMapping { Value = "discharge-coordinator", Organisation = "RTB01", Role = "coordinator" }],
        };
        Assert.NotNull(StaffRoleMap.Map(Person(new Claim("roles", "discharge-coordinator"), new Claim("org", "RTB01")), plain).Caller);
        Assert.Null(StaffRoleMap.Map(Person(new Claim("roles", "discharge-coordinator"), new Claim("org", "XYZ01")), plain).Caller);
    }

    [Fact]
    public void A_session_from_the_provider_ends_when_its_row_is_removed_and_a_bad_row_is_reported_at_start()
    {
        var caller = StaffRoleMap.Map(Person(Cis2Role("R8000", "RTB01")), Cis2).Caller!;
        Assert.True(StaffRoleMap.StillMapped(caller, Cis2));
        Assert.False(StaffRoleMap.StillMapped(caller, new StaffOidcOptions { Authority = "https://idp.example", ClientId = "caretwin", Roles = [Cis2.Roles[2]] }));

        var bad = new StaffOidcOptions { Roles = [new OidcRoleMapping { Value = "R1", Role = "agency-staff", Service = "Not A Service" }, new OidcRoleMapping { Value = "", Role = "nurse" }] };
        Assert.Equal(3, StaffRoleMap.Problems(bad).Count());
    }

    [Fact]
    public void Each_refused_token_is_explained_in_one_line()
    {
        Assert.Contains("another service", OidcSignIn.Explain(new SecurityTokenInvalidAudienceException("x"), "NHS Care Identity").Line);
        Assert.Contains("expired", OidcSignIn.Explain(new Exception("wrapped", new SecurityTokenExpiredException("x")), "NHS Care Identity").Line);
        Assert.Contains("could not be verified as coming from NHS Care Identity", OidcSignIn.Explain(new SecurityTokenInvalidSignatureException("x"), "NHS Care Identity").Line);
        var (line, refused) = OidcSignIn.Explain(new Exception("Correlation failed."), "NHS Care Identity");
        Assert.Contains("did not complete", line);
        Assert.Null(refused);
    }
}
