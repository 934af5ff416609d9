using System.Net;
using CareTwin.EndToEnd.Tests.Infrastructure;
using CareTwin.Grains.Access;
using CareTwin.Journey.Blockers;
using CareTwin.Testing;
using CareTwin.Testing.Oidc;

namespace CareTwin.EndToEnd.Tests.Authorization;

/// <summary>
/// Someone who reaches CareTwin, with whatever credentials they really hold: a web session (cookie) and/or an API
/// key. Every role tries every channel with both, so a cookie on gRPC or a key on the web is tried too.
/// </summary>
/// <param name="WebCallerId">Who the web knows them as; null without a session.</param>
/// <param name="System">The key's system; null without a key.</param>
public sealed record Role(string Name, string Description, CookieContainer Cookies, GeneratedApiKey? Key, string? System, string? WebCallerId)
{
    public const string Anonymous = "anonymous";

    /// <summary>Who the audit trail names for a request on this channel ("grpc", "hub" or "page").</summary>
    public string AuditedCallerId(string channel) => (channel == "grpc" ? System : WebCallerId) ?? Anonymous;

    /// <summary>Headers the role's web requests carry besides its cookies.</summary>
    public IReadOnlyDictionary<string, string> WebHeaders => Key is null ? new Dictionary<string, string>() : new() { ["x-api-key"] = Key.Key };

    /// <summary>The session cookie (if any) a browser would also send to the gRPC port of the same host.</summary>
    public IReadOnlyDictionary<string, string> CookieHeader(Uri site) =>
        Cookies.GetCookieHeader(site) is { Length: > 0 } cookie ? new Dictionary<string, string> { ["Cookie"] = cookie } : new Dictionary<string, string>();
}

/// <summary>
/// The child every matrix cell is about, another child, and the eleven roles around them. The housing service is
/// involved with the child through an anchor blocker no cell touches, so "staff of the involved service" stays
/// involved whatever the cells do; the equipment service never is.
/// </summary>
public sealed class MatrixScene
{
    private MatrixScene(string childId, string otherChildId, IReadOnlyList<Role> roles)
    {
        ChildId = childId;
        OtherChildId = otherChildId;
        Roles = roles;
    }

    public string ChildId { get; }

    public string OtherChildId { get; }

    /// <summary>In the matrix's column order.</summary>
    public IReadOnlyList<Role> Roles { get; }

    /// <param name="throughIdentityProvider">
    /// Staff sign in through the OpenID Connect provider (their CIS2-style roles mapped to CareTwin's), and families
    /// come back through the NHS login they linked when joining, instead of demo users and invite-code sessions.
    /// </param>
    public static async Task<MatrixScene> CreateAsync(EndToEndSite e2e, bool throughIdentityProvider = false)
    {
        var site = e2e.Site;
        Func<CareTwinSite, string, string, Task<(CookieContainer Cookies, string MemberId)>> join =
            throughIdentityProvider ? (s, c, n) => JoinWithNhsLoginAsync(e2e, s, c, n) : JoinAsync;
        var childId = await site.RegisterChildAsync("Matrix", "Child");
        var otherChildId = await site.RegisterChildAsync("Other", "Child");
        await site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, EndToEndSite.Housing, "Anchor: keeps housing involved", null);
        var family = site.Grains.GetGrain<IFamilyAccessGrain>(childId);

        var parent = await join(site, childId, "Matrix Parent");
        var otherParent = await join(site, otherChildId, "Other Parent");
        var removed = await join(site, childId, "Removed Parent");
        Assert.True(await family.RemoveMember(removed.MemberId, "Priya Shah"));

        // An invite that expired before anyone used it: joining with it fails, so its holder has no session.
        var expired = await family.IssueInvite("Priya Shah", TimeSpan.FromMilliseconds(1));
        await Eventually.True(() => DateTimeOffset.UtcNow > expired.ExpiresAt, "the invite's expiry time to pass");
        Assert.Equal(InviteStatus.Expired, (await family.GetOverview()).Invites.Single(i => i.InviteId == expired.InviteId).Status);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => RawHubClient.JoinAsync(site.Address, expired.Code, "Late Parent"));
        Assert.Contains("expired", refused.Message);

        Role Web(string name, string description, CookieContainer cookies, string callerId) => new(name, description, cookies, null, null, callerId);
        Role Keyed(string name, string description, GeneratedApiKey key, string system) => new(name, description, new CookieContainer(), key, system, null);
        var staff = throughIdentityProvider
            ? new[]
            {
                Web("coordinator", $"Coordinator, signed in through the identity provider ({Cis2(CareTwinOidc.Coordinator)})",
                    await IdentityProviderAsync(e2e, CareTwinOidc.Coordinator, "/board"), "oidc." + CareTwinOidc.Coordinator.Subject),
                Web("staff", $"Agency staff of the involved service ({EndToEndSite.Housing}), signed in through the identity provider ({Cis2(CareTwinOidc.HousingOfficer)})",
                    await IdentityProviderAsync(e2e, CareTwinOidc.HousingOfficer, $"/services/{EndToEndSite.Housing}"), "oidc." + CareTwinOidc.HousingOfficer.Subject),
                Web("other-staff", $"Agency staff of another service ({EndToEndSite.Equipment}), signed in through the identity provider ({Cis2(CareTwinOidc.EquipmentOfficer)})",
                    await IdentityProviderAsync(e2e, CareTwinOidc.EquipmentOfficer, $"/services/{EndToEndSite.Equipment}"), "oidc." + CareTwinOidc.EquipmentOfficer.Subject),
            }
            : new[]
            {
                Web("coordinator", "Coordinator", await RawHubClient.SignInAsync(site.Address, "coordinator"), "demo.coordinator"),
                Web("staff", $"Agency staff of the involved service ({EndToEndSite.Housing})", await RawHubClient.SignInAsync(site.Address, "housing-officer"), "demo.housing-officer"),
                Web("other-staff", $"Agency staff of another service ({EndToEndSite.Equipment})", await RawHubClient.SignInAsync(site.Address, "equipment-officer"), "demo.equipment-officer"),
            };
        var how = throughIdentityProvider ? ", back through the NHS login they linked" : "";
        return new MatrixScene(childId, otherChildId,
        [
            .. staff,
            Web("family", "Family of this child" + how, parent.Cookies, parent.MemberId),
            Web("other-family", "Family of another child" + how, otherParent.Cookies, otherParent.MemberId),
            new(Role.Anonymous, "Anonymous (no session, no key)", new CookieContainer(), null, null, null),
            new("expired-invite", "Family with an expired invite (never joined)", new CookieContainer(), null, null, null),
            Web("removed-family", "Family member since removed" + how, removed.Cookies, removed.MemberId),
            Keyed("key", $"API key of the involved service ({EndToEndSite.Housing})", e2e.HousingKey, EndToEndSite.HousingSystem),
            Keyed("other-key", $"API key of another service ({EndToEndSite.Equipment})", e2e.EquipmentKey, EndToEndSite.EquipmentSystem),
            Keyed("epr-key", "API key of a journey-managing system (EPR)", e2e.EprKey, EndToEndSite.EprSystem),
        ]);
    }

    /// <summary>"R8000 at RTB01": the person's role code and organisation at the provider.</summary>
    private static string Cis2(TestPerson person)
    {
        using var role = System.Text.Json.JsonDocument.Parse(person.Claims[0].Value);
        return $"{role.RootElement.GetProperty("role_code").GetString()!.Split(':')[^1]} at {role.RootElement.GetProperty("org_code").GetString()}";
    }

    /// <summary>Signs in through the identity provider and checks the session landed on the person's start page.</summary>
    private static async Task<CookieContainer> IdentityProviderAsync(EndToEndSite e2e, TestPerson person, string home)
    {
        var result = await OidcSignInClient.SignInAsync(e2e.Issuer, e2e.Site.Address, "/sign-in/oidc", person.Key);
        Assert.True(result.FinalAddress.AbsolutePath == home, $"{person.Name} ended at {result.FinalAddress} ({(int)result.Status}), not {home}.");
        return result.Cookies;
    }

    /// <summary>Joins with an invite code and links NHS login, then comes back with NHS login alone in a fresh browser.</summary>
    private static async Task<(CookieContainer Cookies, string MemberId)> JoinWithNhsLoginAsync(EndToEndSite e2e, CareTwinSite site, string childId, string name)
    {
        var parent = CareTwinOidc.Parent($"matrix-{Guid.NewGuid():N}", name);
        e2e.Issuer.Add(parent);
        await CareTwinOidc.JoinAndLinkAsync(e2e.Issuer, site.Address, await site.InviteCodeAsync(childId), name, parent);
        var back = await OidcSignInClient.SignInAsync(e2e.Issuer, site.Address, "/sign-in/family", parent.Key);
        Assert.True(back.FinalAddress.AbsolutePath == $"/family/{childId}", $"{name} came back to {back.FinalAddress} ({(int)back.Status}).");
        var overview = await site.Grains.GetGrain<IFamilyAccessGrain>(childId).GetOverview();
        return (back.Cookies, overview.Members.Single(m => m.DisplayName == name).MemberId);
    }

    private static async Task<(CookieContainer Cookies, string MemberId)> JoinAsync(CareTwinSite site, string childId, string name)
    {
        var cookies = await RawHubClient.JoinAsync(site.Address, await site.InviteCodeAsync(childId), name);
        var overview = await site.Grains.GetGrain<IFamilyAccessGrain>(childId).GetOverview();
        return (cookies, overview.Members.Single(m => m.DisplayName == name).MemberId);
    }
}
