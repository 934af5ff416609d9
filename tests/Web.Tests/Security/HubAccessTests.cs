using System.Net;
using CareTwin.Grains.Access;
using CareTwin.Journey.Blockers;
using CareTwin.Testing;
using CareTwin.Web.Live;
using CareTwin.Web.Tests.Infrastructure;

namespace CareTwin.Web.Tests.Security;

/// <summary>The hub asks the access gate on every call: role and scope, whatever a client sends.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HubAccessTests(BrowserSite browser)
{
    private CareTwinSite Site => browser.Site;

    [Fact]
    public async Task Agency_staff_watch_and_change_only_what_their_service_owns()
    {
        var childId = await Site.RegisterChildAsync("Ethan", "Cole");
        var uninvolved = await Site.RegisterChildAsync("Zoe", "Hart");
        await Site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, "housing.eastmarsh", "Stair lift", "A stair lift for your home.");
        await Site.RaiseBlockerAsync(childId, BlockerCategory.Equipment, "health.equipment.north-thames", "Ventilator", null);
        await using var housing = await RawHubClient.ConnectAsync(Site.Address, await RawHubClient.SignInAsync(Site.Address, "housing-officer"));

        Assert.Null((await housing.InvokeAsync("WatchService", "housing.eastmarsh")).Error);
        Assert.Null((await housing.InvokeAsync("WatchChild", childId)).Error);
        Assert.Contains("do not have access", (await housing.InvokeAsync("WatchService", "housing.riverside")).Error);
        Assert.Contains("do not have access", (await housing.InvokeAsync("WatchBoard", "region:north-thames")).Error);
        Assert.Contains("do not have access", (await housing.InvokeAsync("WatchChild", uninvolved)).Error);
        Assert.Contains("do not have access", (await housing.InvokeAsync("GetAccessLog", childId)).Error);

        // Housing may see the equipment blocker but not change it: told so, not that it has no access.
        Assert.Equal("Only the owning service or a coordinator can update this blocker.",
            (await housing.InvokeAsync("UpdateBlockerProgress", childId, new { requestId = "p-2", blockerId = "blocker-2", status = "in-progress" })).Error);
        var (error, done) = await housing.InvokeAsync("UpdateBlockerProgress", childId, new { requestId = "p-1", blockerId = "blocker-1", status = "in-progress" });
        Assert.Null(error);
        Assert.False(done!.Value.GetProperty("alreadyDone").GetBoolean());

        var audit = await Site.AuditOfAsync(uninvolved);
        Assert.Contains(audit, e => e is { CallerName: "Callum Reid", Allowed: false, Channel: "hub", Action: AccessAction.WatchChild });
    }

    [Fact]
    public async Task Agency_staff_lose_a_childs_live_view_when_their_services_last_blocker_closes()
    {
        var childId = await Site.RegisterChildAsync("Nia", "Ward");
        await Site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, "housing.eastmarsh", "Wet room", "A wet room for your home.");
        await using var housing = await RawHubClient.ConnectAsync(Site.Address, await RawHubClient.SignInAsync(Site.Address, "housing-officer"));
        Assert.Null((await housing.InvokeAsync("WatchChild", childId)).Error);

        await Site.RunAsync(childId, o => new ResolveBlocker(o, "blocker-1", "Wet room fitted.", null));

        await housing.NextPushAsync(LiveMessages.AccessEnded).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("do not have access", (await housing.InvokeAsync("WatchChild", childId)).Error);
    }

    [Fact]
    public async Task Agency_staff_do_not_see_another_services_safeguarding_blocker_but_coordinators_do()
    {
        var childId = await Site.RegisterChildAsync("Leo", "Grant");
        await Site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, "housing.eastmarsh", "Ramp to the front door", "A ramp for your home.");
        await Site.RaiseBlockerAsync(childId, BlockerCategory.SocialCareSafeguarding, "social-care.disabled-children.eastmarsh",
            "SAFEGUARDING-ONLY strategy meeting", null, sensitive: true);
        await using var housing = await RawHubClient.ConnectAsync(Site.Address, await RawHubClient.SignInAsync(Site.Address, "housing-officer"));
        await using var coordinator = await RawHubClient.ConnectAsync(Site.Address, await RawHubClient.SignInAsync(Site.Address, "coordinator"));

        var forHousing = (await housing.InvokeAsync("WatchChild", childId)).Result!.Value.GetRawText();
        var forCoordinator = (await coordinator.InvokeAsync("WatchChild", childId)).Result!.Value.GetRawText();

        Assert.Contains("Ramp to the front door", forHousing);
        Assert.DoesNotContain("SAFEGUARDING-ONLY", forHousing);
        Assert.DoesNotContain("blocker-2", forHousing);
        Assert.Contains("SAFEGUARDING-ONLY", forCoordinator);
    }

    [Fact]
    public async Task A_refusal_names_the_field_bad_arguments_get_an_error_and_a_repeated_request_changes_nothing()
    {
        var childId = await Site.RegisterChildAsync("Mia", "Lopez");
        await Site.RaiseBlockerAsync(childId, BlockerCategory.Transport, "health.transport.north-thames", "Ambulance transfer", null);
        await using var hub = await RawHubClient.ConnectAsync(Site.Address, await RawHubClient.SignInAsync(Site.Address, "coordinator"));

        Assert.Equal("reason: Enter a reason", (await hub.InvokeAsync("EscalateBlocker", childId, new { requestId = "e-1", blockerId = "blocker-1" })).Error);
        Assert.StartsWith("targetDate: ", (await hub.InvokeAsync("RaiseBlocker", childId, new { category = "equipment", owningService = "housing.eastmarsh", professionalText = "x", targetDate = "next week", transitionId = "transition-1" })).Error);
        Assert.StartsWith("category: ", (await hub.InvokeAsync("RaiseBlocker", childId, new { category = "plumbing", targetDate = "2030-01-01" })).Error);
        Assert.StartsWith("childId: ", (await hub.InvokeAsync("WatchChild", "../../etc/passwd")).Error);
        Assert.NotNull((await hub.InvokeAsync("EscalateBlocker", childId, 42)).Error);
        Assert.NotNull((await hub.InvokeAsync("NoSuchMethod")).Error);

        var first = await hub.InvokeAsync("EscalateBlocker", childId, new { requestId = "same-request", blockerId = "blocker-1", reason = "Transfer date keeps moving." });
        var again = await hub.InvokeAsync("EscalateBlocker", childId, new { requestId = "same-request", blockerId = "blocker-1", reason = "Transfer date keeps moving." });
        Assert.Null(first.Error);
        Assert.True(again.Result!.Value.GetProperty("alreadyDone").GetBoolean());
        Assert.Equal(first.Result!.Value.GetProperty("version").GetInt64(), again.Result.Value.GetProperty("version").GetInt64());
        Assert.Null((await hub.InvokeAsync("WatchChild", childId)).Error);
    }

    [Fact]
    public async Task The_hub_refuses_anonymous_callers_and_pages_of_other_sites()
    {
        var anonymous = await Assert.ThrowsAsync<HubRefusedException>(() => RawHubClient.ConnectAsync(Site.Address, new CookieContainer()));
        Assert.Equal((int)HttpStatusCode.Unauthorized, anonymous.Status);

        var cookies = await RawHubClient.SignInAsync(Site.Address, "coordinator");
        var crossSite = await Assert.ThrowsAsync<HubRefusedException>(() => RawHubClient.ConnectAsync(Site.Address, cookies, origin: "https://attacker.example"));
        Assert.Equal((int)HttpStatusCode.Forbidden, crossSite.Status);
    }
}
