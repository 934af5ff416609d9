using System.Text.Json;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Testing;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CareTwin.Web.Tests.Browser;

/// <summary>
/// Every page at desktop and phone size: axe-core (from the ClientApp's node_modules, injected by the test)
/// finds no serious or critical accessibility problem, and a screenshot goes to artifacts/screenshots.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserSite browser)
{
    private static readonly string AxeScript = Path.Combine(Repository.Root, "src", "Web", "ClientApp", "node_modules", "axe-core", "axe.min.js");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_page_has_no_serious_accessibility_problem_and_is_captured(bool phone)
    {
        Assert.True(File.Exists(AxeScript), $"axe-core is missing at {AxeScript}: build src/Web first (it runs npm ci).");
        var site = browser.Site;
        var size = phone ? "phone" : "desktop";
        var childId = await ChildWithAFullRecordAsync(site);
        var otherChild = await site.RegisterChildAsync("Ruby", "Clarke");

        var anonymous = await browser.NewPageAsync(phone, bypassCsp: true);
        await CheckAsync(anonymous, "/sign-in", $"sign-in-{size}");
        await CheckAsync(anonymous, "/join", $"join-{size}");

        var coordinator = await browser.SignedInAsync("coordinator", phone, bypassCsp: true);
        await CheckAsync(coordinator, "/board", $"board-{size}", "#board-root");
        await CheckAsync(coordinator, $"/children/{childId}", $"child-{size}", "#child-root", "[data-access-log]");

        var agency = await browser.SignedInAsync("housing-officer", phone, bypassCsp: true);
        await CheckAsync(agency, "/services/housing.eastmarsh", $"agency-{size}", "#service-root");

        // An MDT meeting: opening it, running it (the chair's forms), attending it, and its minutes.
        await MeetingTests.OnTheBoardAsync(site, childId);
        var meetingId = $"mdt-{Guid.NewGuid():N}";
        var meeting = site.Grains.GetGrain<Grains.Meetings.IMeetingGrain>(meetingId);
        await meeting.Open(new Journey.Meetings.OpenMeeting(MeetingTests.Board, [], new Journey.Journal.Actor("demo.coordinator", "Priya Shah", Journey.Journal.ActorRole.Coordinator),
            [new Journey.Meetings.MeetingAttendee("Callum Reid", Journey.Services.ServiceKey.Parse("housing.eastmarsh"))]));
        await meeting.CaptureAction(new Journey.Meetings.CaptureAction(childId, new Journey.Meetings.RecordMeetingDecision(
            new Journey.Journal.CommandOrigin(new Journey.Journal.Actor("demo.coordinator", "Priya Shah", Journey.Journal.ActorRole.Coordinator), "caretwin.web", $"a11y-{meetingId}"),
            "Ask the family about respite", "housing.eastmarsh", site.Today.AddDays(7))));
        await CheckAsync(coordinator, "/meetings/new", $"meeting-new-{size}");
        await CheckAsync(coordinator, $"/meetings/{meetingId}", $"meeting-{size}", "#meeting-root");
        await CheckAsync(agency, $"/meetings/{meetingId}", $"meeting-attending-{size}", "#meeting-root");
        await CheckAsync(coordinator, $"/meetings/{meetingId}/minutes", $"meeting-minutes-{size}");

        var family = await browser.FamilyAsync(await site.InviteCodeAsync(childId), "Grace Okoye", phone, bypassCsp: true);
        await CheckAsync(family, $"/family/{childId}", $"family-{size}", "#family-root");
        await CheckAsync(family, $"/family/{childId}/time-and-money", $"family-time-and-money-{size}", ready: "form[data-getting-there]");
        await CheckAsync(family, $"/family/{otherChild}", $"denied-{size}");
    }

    /// <param name="ready">Something that appears once the page has finished loading (after the live view).</param>
    private static async Task CheckAsync(IPage page, string path, string name, string? liveRoot = null, string? ready = null)
    {
        await page.GotoAsync(path);
        if (liveRoot is not null) await BrowserSite.LiveAsync(page, liveRoot);
        if (ready is not null) await Assertions.Expect(page.Locator(ready)).ToBeVisibleAsync();
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = AxeScript });
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
              .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))
            """);
        var serious = violations.EnumerateArray().Where(v => v.GetProperty("impact").GetString() is "serious" or "critical").Select(v => v.ToString()).ToList();
        Assert.True(serious.Count == 0, $"{path}: {string.Join("\n", serious)}");
        await BrowserSite.ScreenshotAsync(page, name);
    }

    /// <summary>A child with something in every section: blockers (one escalated, one sensitive), appointments, a family note, an answered worry and travel details.</summary>
    private static async Task<string> ChildWithAFullRecordAsync(CareTwinSite site)
    {
        var childId = await site.RegisterChildAsync("Amara", "Okoye");
        await site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, "housing.eastmarsh", "Level-access shower and hoist tracking needed", "Making your bathroom and Amara's bedroom ready.");
        await site.RaiseBlockerAsync(childId, BlockerCategory.SocialCareSafeguarding, "social-care.disabled-children.eastmarsh", "Child protection review pending", null, sensitive: true);
        await site.RaiseBlockerAsync(childId, BlockerCategory.Equipment, "health.equipment.north-thames", "Home ventilator and back-up battery", null);
        await site.RunAsync(childId, o => new EscalateBlocker(o, "blocker-1", "No date for the works after four weeks."));
        await site.RunAsync(childId, o => new BookAppointment(o, "health.equipment.north-thames", DateTimeOffset.UtcNow.AddDays(3), TimeSpan.FromHours(1), "Family home", "Ventilator set-up at home"));
        await site.RunAsync(childId, o => new AddFamilyNote(o, "Amara loves music: please keep her radio on."));
        // The family's time and money and a worry the team answered: their sections on the family and child pages.
        var parent = new CareTwin.Journey.Journal.Actor("parent.okoye", "Grace Okoye", CareTwin.Journey.Journal.ActorRole.Family);
        await site.RunAsync(childId, o => new BookAppointment(o, "health.equipment.north-thames", DateTimeOffset.UtcNow.AddDays(-3), TimeSpan.FromHours(1), "Royal Thamesbank Hospital", "Ventilator training"));
        await site.RunAsync(childId, o => new SetFamilyTravel(o with { Actor = parent }, TravelMode.PublicTransport, 50, 7.80m, null, 3.5m));
        await site.RunAsync(childId, o => new FlagConcern(o with { Actor = parent }, "Nobody has told us when the ventilator arrives."));
        await site.RunAsync(childId, o => new AnswerConcern(o, "message-2", "It is booked for Thursday; the equipment service will ring you the day before."));
        return childId;
    }
}
