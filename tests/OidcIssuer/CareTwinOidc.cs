using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace CareTwin.Testing.Oidc;

/// <summary>
/// The test issuer set up as CareTwin's staff identity provider (CIS2-shaped: roles as JSON objects in
/// "nhsid_nrbac_roles", each with its role code and organisation) and as the families' lasting sign-in (NHS login
/// shaped: a subject and a name), with the people the tests sign in as.
/// </summary>
public static class CareTwinOidc
{
    public const string StaffClientId = "caretwin-staff";
    public const string FamilyClientId = "caretwin-family";
    public const string StaffProvider = "NHS Care Identity";
    public const string FamilyProvider = "NHS login";

    /// <summary>The role table the tests configure: role code, organisation (ODS code), CareTwin role, service.</summary>
    public static readonly (string Code, string Organisation, string Role, string? Service)[] RoleTable =
    [
        ("R8000", "RTB01", "coordinator", null),
        ("R5080", "EMH01", "agency-staff", "housing.eastmarsh"),
        ("R5080", "NTQ01", "agency-staff", "health.equipment.north-thames"),
        ("R0001", "RTB01", "operator", null),
    ];

    public static readonly TestPerson Coordinator = Staff("coordinator", "cis2-555000000001", "Asha Verma", "S8000:G8000:R8000", "RTB01");
    public static readonly TestPerson HousingOfficer = Staff("housing-officer", "cis2-555000000002", "Tom Bright", "S5080:G5080:R5080", "EMH01");
    public static readonly TestPerson EquipmentOfficer = Staff("equipment-officer", "cis2-555000000003", "Rhys Owen", "S5080:G5080:R5080", "NTQ01");
    /// <summary>A real role at the provider that the table does not map (a receptionist's role).</summary>
    public static readonly TestPerson NoRole = Staff("no-role", "cis2-555000000009", "Nia Jones", "S8002:G8002:R8002", "RTB01");
    /// <summary>A coordinator's role, but in an organisation the table does not name.</summary>
    public static readonly TestPerson OtherOrganisation = Staff("other-organisation", "cis2-555000000010", "Owen Hale", "S8000:G8000:R8000", "ZZZ99");
    public static readonly TestPerson OtherAudience = Staff("other-audience", "cis2-555000000011", "Ada Quinn", "S8000:G8000:R8000", "RTB01", TokenFault.OtherAudience);
    public static readonly TestPerson Expired = Staff("expired", "cis2-555000000012", "Eli Marsh", "S8000:G8000:R8000", "RTB01", TokenFault.Expired);
    public static readonly TestPerson Forged = Staff("forged", "cis2-555000000013", "Fay Lowe", "S8000:G8000:R8000", "RTB01", TokenFault.ForgedSignature);

    public static IReadOnlyList<TestPerson> StaffPeople => [Coordinator, HousingOfficer, EquipmentOfficer, NoRole, OtherOrganisation, OtherAudience, Expired, Forged];

    /// <summary>A parent at the families' provider (NHS login shaped), with a fresh subject.</summary>
    public static TestPerson Parent(string key, string name, TokenFault fault = TokenFault.None) =>
        new(key, $"nhs-login-{Guid.NewGuid():N}", name, [], fault);

    public static TestPerson Staff(string key, string subject, string name, string roleCode, string organisation, TokenFault fault = TokenFault.None) =>
        new(key, subject, name, [new TestClaim("nhsid_nrbac_roles", $$"""{"person_roleid":"{{subject}}-1","role_code":"{{roleCode}}","org_code":"{{organisation}}"}""", Json: true)], fault);

    public static Task<OidcIssuer> StartIssuerAsync() =>
        OidcIssuer.StartAsync([new TestClient(StaffClientId), new TestClient(FamilyClientId)], StaffPeople);

    /// <summary>CareTwin's settings (Web:Oidc, Web:FamilyOidc) for this issuer.</summary>
    public static Dictionary<string, string> Settings(OidcIssuer issuer)
    {
        var settings = new Dictionary<string, string>
        {
            ["Web:Oidc:Authority"] = issuer.Authority.ToString(),
            ["Web:Oidc:ClientId"] = StaffClientId,
            ["Web:Oidc:DisplayName"] = StaffProvider,
            ["Web:Oidc:RequireHttpsMetadata"] = "false",
            ["Web:Oidc:Scopes:0"] = "profile",
            ["Web:Oidc:Scopes:1"] = "nationalrbacaccess",
            ["Web:FamilyOidc:Authority"] = issuer.Authority.ToString(),
            ["Web:FamilyOidc:ClientId"] = FamilyClientId,
            ["Web:FamilyOidc:DisplayName"] = FamilyProvider,
            ["Web:FamilyOidc:RequireHttpsMetadata"] = "false",
        };
        foreach (var (i, (code, organisation, role, service)) in RoleTable.Index())
        {
            var prefix = $"Web:Oidc:Roles:{i.ToString(CultureInfo.InvariantCulture)}:";
            settings[prefix + "Value"] = code;
            settings[prefix + "Organisation"] = organisation;
            settings[prefix + "Role"] = role;
            if (service is not null) settings[prefix + "Service"] = service;
        }
        return settings;
    }

    /// <summary>
    /// What a parent does at /join without a browser: the invite code and their name, "Continue and link NHS login",
    /// then signs in at the provider as <paramref name="parent"/>. Returns where it ended (their child's family page).
    /// </summary>
    public static async Task<OidcSignInResult> JoinAndLinkAsync(OidcIssuer issuer, Uri site, string inviteCode, string name, TestPerson parent)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = site };
        var form = await http.GetStringAsync("/join");
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\"").Groups["value"].Value;
        using var joined = await http.PostAsync("/join", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["code"] = inviteCode, ["name"] = name, ["link"] = "family-oidc",
        }));
        if (joined.Headers.Location is not { } toProvider)
            throw new InvalidOperationException($"Joining answered {(int)joined.StatusCode} without going to the provider.");
        var linked = await OidcSignInClient.SignInAsync(issuer, site, toProvider.ToString(), parent.Key, cookies);
        if (!linked.FinalAddress.AbsolutePath.StartsWith("/family/", StringComparison.Ordinal))
            throw new InvalidOperationException($"Linking ended at {linked.FinalAddress} ({(int)linked.Status}).");
        return linked;
    }

    /// <summary>
    /// Once CareTwin has started: its callback addresses, which the issuer redirects only to; then both sign-in buttons
    /// once, so CareTwin has read the issuer's discovery document before a test's browser waits on it.
    /// </summary>
    public static async Task AllowAsync(OidcIssuer issuer, Uri site)
    {
        issuer.AllowRedirect(new Uri(site, "/sign-in/oidc/callback"));
        issuer.AllowRedirect(new Uri(site, "/sign-in/family/callback"));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = site, Timeout = TimeSpan.FromMinutes(2) };
        // A machine busy with other builds can make the first fetch of the discovery document time out: CareTwin
        // answers that with its "cannot be reached" page and fetches again a little later, so ask again a few times.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(4);
        foreach (var path in new[] { "/sign-in/oidc", "/sign-in/family" })
        {
            while (true)
            {
                using var response = await http.GetAsync(path);
                if (response.Headers.Location?.Authority == issuer.Authority.Authority) break;
                if (DateTimeOffset.UtcNow > deadline)
                    throw new InvalidOperationException($"{path} answered {(int)response.StatusCode} instead of going to the test issuer: {await response.Content.ReadAsStringAsync()}");
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }
}
