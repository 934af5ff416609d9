using CareTwin.Grains.Boards;
using CareTwin.Grains.Meetings;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Meetings;
using CareTwin.Testing;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareTwin.Web.Tests.Browser;

/// <summary>
/// MDT meeting mode: a coordinator runs the meeting while an agency officer attends in another browser; the actions
/// agreed reach both pages live, the minutes list them per child and the agency's view lists its own. Bad input
/// (an action for a child not on the agenda, closing twice) is refused naming the field, and nothing changes.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MeetingTests(BrowserSite browser)
{
    internal const string Board = "hospital:" + CareTwinSite.Hospital;
    private const string Housing = "housing.eastmarsh";
    private const string Equipment = "health.equipment.north-thames";
    private const string SocialCare = "social-care.disabled-children.eastmarsh";
    private const string SafeguardingText = "Strategy meeting about home safety";

    /// <summary>Waits until the board has the children (it follows their twins' changes a moment later).</summary>
    internal static async Task OnTheBoardAsync(CareTwinSite site, params string[] childIds)
    {
        for (var tries = 0; tries < 100; tries++)
        {
            var rows = (await site.Grains.GetGrain<IBoardGrain>(Board).GetSnapshot()).Summary.Rows;
            if (childIds.All(id => rows.TryGetValue(id, out var row) && !row.OpenBlockersByService.IsEmpty)) return;
            await Task.Delay(100);
        }
        Assert.Fail("The children never reached the board.");
    }

    /// <summary>A child with a housing blocker (blocker-1) and social care's sensitive blocker (blocker-2); a child with an equipment blocker only.</summary>
    private async Task<(string Housed, string Equipped)> ChildrenAsync()
    {
        var site = browser.Site;
        var housed = await site.RegisterChildAsync("Amara", "Bello");
        await site.RaiseBlockerAsync(housed, BlockerCategory.HousingAdaptation, Housing, "Ramp to the front door", null);
        await site.RaiseBlockerAsync(housed, BlockerCategory.SocialCareSafeguarding, SocialCare, SafeguardingText, null, sensitive: true);
        var equipped = await site.RegisterChildAsync("Theo", "Marsh");
        await site.RaiseBlockerAsync(equipped, BlockerCategory.Equipment, Equipment, "Hoist on back-order", null);
        await OnTheBoardAsync(site, housed, equipped);
        return (housed, equipped);
    }

    private static async Task RecordAsync(IPage page, string childId, string kind, Func<ILocator, Task> fill)
    {
        var item = page.Locator($"[data-agenda-item='{childId}']");
        await item.Locator("summary").ClickAsync();
        var form = item.Locator("form[data-action-form]");
        await form.Locator($"input[name='kind'][value='{kind}']").CheckAsync();
        await fill(form);
        await form.GetByRole(AriaRole.Button, new() { NameRegex = new("^Record the action") }).ClickAsync();
        await Expect(page.Locator("[data-confirmation]")).ToContainTextAsync("Action recorded");
    }

    [Fact]
    public async Task A_coordinator_runs_an_MDT_that_a_housing_officer_follows_live_and_the_minutes_and_agency_view_list_the_actions()
    {
        var site = browser.Site;
        var (housed, equipped) = await ChildrenAsync();
        var coordinator = await browser.SignedInAsync("coordinator");
        await coordinator.GotoAsync("/board");
        await coordinator.GetByRole(AriaRole.Link, new() { Name = "Run an MDT meeting" }).ClickAsync();
        await Expect(coordinator.Locator("h1")).ToHaveTextAsync("Run an MDT meeting");
        await coordinator.GetByLabel("Who else is attending").FillAsync("Callum Reid, Eastmarsh Council housing team\nSam Lee");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Open the meeting" }).ClickAsync();
        await Expect(coordinator.Locator("h1")).ToHaveTextAsync($"MDT meeting, {UkCalendarDate(site)}");
        var meetingId = new Uri(coordinator.Url).AbsolutePath.Split('/')[^1];
        await Expect(coordinator.Locator("[data-attendees]")).ToContainTextAsync("Callum Reid, Eastmarsh Council housing team");
        await BrowserSite.LiveAsync(coordinator, "#meeting-root");

        // The housing officer attends from their own browser: only the child housing is involved with, and never
        // social care's sensitive blocker.
        var housing = await browser.SignedInAsync("housing-officer");
        await housing.GotoAsync($"/meetings/{meetingId}");
        await BrowserSite.LiveAsync(housing, "#meeting-root");
        var seen = housing.Locator($"[data-agenda-item='{housed}']");
        await Expect(seen).ToContainTextAsync("Ramp to the front door");
        await Expect(housing.Locator($"[data-agenda-item='{equipped}']")).ToHaveCountAsync(0);
        await Expect(housing.Locator("#meeting-root form")).ToHaveCountAsync(0);
        Assert.DoesNotContain(SafeguardingText, await housing.ContentAsync(), StringComparison.Ordinal);

        // Their agency view, open in another tab, takes in the action their service is given as it is agreed.
        var agencyView = await housing.Context.NewPageAsync();
        await agencyView.GotoAsync($"/services/{Housing}");
        await BrowserSite.LiveAsync(agencyView, "#service-root");
        await housing.EvaluateAsync("() => { window.stayedOpen = true; }");
        var target = site.Today.AddDays(14);
        await RecordAsync(coordinator, housed, "decision", async form =>
        {
            await form.GetByLabel("The decision, or what is in the way").FillAsync("Ask the family about respite before the ramp is fitted");
            await form.GetByLabel("Owned by").SelectOptionAsync(Housing);
            await form.GetByLabel("Target date", new() { Exact = true }).FillAsync(target.ToString("yyyy-MM-dd"));
        });
        await RecordAsync(coordinator, housed, "target", async form =>
        {
            await form.GetByLabel("Blocker", new() { Exact = true }).SelectOptionAsync("blocker-1");
            await form.GetByLabel("Target date", new() { Exact = true }).FillAsync(target.ToString("yyyy-MM-dd"));
        });
        await RecordAsync(coordinator, equipped, "resolve", async form =>
        {
            await form.GetByLabel("Blocker", new() { Exact = true }).SelectOptionAsync("blocker-1");
            await form.GetByLabel("The decision, or what is in the way").FillAsync("Hoist delivered");
        });

        // Both see them as they are agreed: the chair on their page, the housing officer live (their child's two).
        var chairSees = coordinator.Locator($"[data-actions-for='{housed}'] li");
        await Expect(chairSees).ToHaveCountAsync(2);
        await Expect(coordinator.Locator($"[data-actions-for='{equipped}']")).ToContainTextAsync("Resolved the equipment blocker: Hoist delivered");
        var housingSees = housing.Locator($"[data-actions-for='{housed}'] li");
        await Expect(housingSees).ToHaveCountAsync(2);
        await Expect(housingSees.Nth(0)).ToContainTextAsync("Decision: Ask the family about respite before the ramp is fitted");
        await Expect(housingSees.Nth(0)).ToContainTextAsync($"Eastmarsh Council housing team, by {Describe(target)}");
        await Expect(housingSees.Nth(1)).ToContainTextAsync("New target date for the housing / home adaptation blocker");
        Assert.True(await housing.EvaluateAsync<bool>("() => window.stayedOpen === true"), "The housing officer's page was reloaded, not kept current.");

        await Expect(agencyView.Locator("[data-mdt-actions]")).ToContainTextAsync("Decision: Ask the family about respite before the ramp is fitted");
        await Expect(agencyView.Locator("[data-mdt-actions]")).Not.ToContainTextAsync("Hoist delivered");

        // Each is in the child's journal as agreed at this MDT, with who attended.
        var journey = await site.Grains.GetGrain<Grains.Children.IChildGrain>(equipped).GetJourney();
        Assert.Equal(BlockerStatus.Resolved, journey!.FindBlocker("blocker-1")!.Status);
        await coordinator.GotoAsync($"/children/{equipped}");
        await Expect(coordinator.Locator(".app-timeline")).ToContainTextAsync(
            $"agreed at the MDT of {Describe(site.Today)} (attendees: Priya Shah; Callum Reid, Eastmarsh Council housing team; Sam Lee)");

        // Closing takes the chair to the minutes: every child's decisions and actions, with owners and dates.
        await coordinator.GotoAsync($"/meetings/{meetingId}");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Close the meeting" }).ClickAsync();
        await Expect(coordinator.Locator("h1")).ToHaveTextAsync($"Minutes of the MDT meeting, {Describe(site.Today)}");
        var housedMinutes = coordinator.Locator($"[data-minutes='{housed}']");
        await Expect(housedMinutes).ToContainTextAsync("Attendees: Priya Shah; Callum Reid, Eastmarsh Council housing team; Sam Lee");
        await Expect(housedMinutes).ToContainTextAsync("Decision: Ask the family about respite before the ramp is fitted");
        await Expect(housedMinutes).ToContainTextAsync("New target date for the housing / home adaptation blocker");
        await Expect(coordinator.Locator($"[data-minutes='{equipped}']")).ToContainTextAsync("Resolved the equipment blocker: Hoist delivered");
        await Expect(housing.Locator("[data-closed]")).ToContainTextAsync("This meeting closed");
        await BrowserSite.ScreenshotAsync(coordinator, "meeting-minutes-desktop");

        // The housing officer's minutes hold their child only; their agency view lists the action housing owns.
        await housing.GotoAsync($"/meetings/{meetingId}/minutes");
        await Expect(housing.Locator($"[data-minutes='{housed}']")).ToContainTextAsync("Decision: Ask the family about respite");
        await Expect(housing.Locator($"[data-minutes='{equipped}']")).ToHaveCountAsync(0);
        await housing.GotoAsync($"/services/{Housing}");
        var taken = housing.Locator("[data-mdt-actions]");
        await Expect(taken).ToContainTextAsync("Decision: Ask the family about respite before the ramp is fitted");
        await Expect(taken).Not.ToContainTextAsync("Hoist delivered");

        await coordinator.Context.CloseAsync();
        await housing.Context.CloseAsync();
    }

    [Fact]
    public async Task An_action_for_a_child_not_on_the_agenda_and_closing_twice_are_refused_naming_the_field_and_change_nothing()
    {
        var site = browser.Site;
        var (housed, _) = await ChildrenAsync();
        var quiet = await site.RegisterChildAsync("Isla", "Quinn");
        var meetingId = $"mdt-{Guid.NewGuid():N}";
        var meeting = site.Grains.GetGrain<IMeetingGrain>(meetingId);
        Assert.Null((await meeting.Open(new OpenMeeting(Board, [], new Actor("demo.coordinator", "Priya Shah", ActorRole.Coordinator), []))).Refusal);
        var quietVersion = (await site.Grains.GetGrain<Grains.Children.IChildGrain>(quiet).GetJourney())!.Version;

        var coordinator = await browser.SignedInAsync("coordinator");
        await coordinator.GotoAsync($"/meetings/{meetingId}");
        // Nothing typed: the decision's box is named, and linked from the summary.
        var item = coordinator.Locator($"[data-agenda-item='{housed}']");
        await item.Locator("summary").ClickAsync();
        await item.Locator("input[name='kind'][value='decision']").CheckAsync();
        await item.GetByRole(AriaRole.Button, new() { NameRegex = new("^Record the action") }).ClickAsync();
        await Expect(coordinator.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter the decision.");
        await Expect(coordinator.Locator($".nhsuk-error-summary a[href='#text-{housed}']")).ToHaveCountAsync(1);

        // A form sent for a child who is not on the agenda (a stale page, or an edited address).
        var form = coordinator.Locator($"[data-agenda-item='{housed}'] form[data-action-form]");
        await form.EvaluateAsync("(f, to) => f.setAttribute('action', to)", $"/meetings/{meetingId}/children/{quiet}/actions");
        await form.Locator("input[name='kind'][value='decision']").CheckAsync();
        await form.Locator("textarea[name='text']").FillAsync("Discharge next week");
        await form.GetByRole(AriaRole.Button, new() { NameRegex = new("^Record the action") }).ClickAsync();
        await Expect(coordinator.Locator(".nhsuk-error-summary")).ToContainTextAsync("Child: This child is not on the agenda.");
        Assert.Empty((await meeting.GetMeeting())!.Actions);
        Assert.Equal(quietVersion, (await site.Grains.GetGrain<Grains.Children.IChildGrain>(quiet).GetJourney())!.Version);

        // Closed from one tab, then again from another still showing the open meeting.
        var stale = await coordinator.Context.NewPageAsync();
        await stale.GotoAsync($"/meetings/{meetingId}");
        await coordinator.GotoAsync($"/meetings/{meetingId}");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Close the meeting" }).ClickAsync();
        await Expect(coordinator.Locator("h1")).ToContainTextAsync("Minutes of the MDT meeting");
        var closedAt = (await meeting.GetMeeting())!.ClosedAt;
        await stale.GetByRole(AriaRole.Button, new() { Name = "Close the meeting" }).ClickAsync();
        await Expect(stale.Locator(".nhsuk-error-summary")).ToContainTextAsync("Meeting: This meeting is already closed.");
        await Expect(stale.Locator("[data-closed]")).ToContainTextAsync("This meeting closed");
        Assert.Equal(closedAt, (await meeting.GetMeeting())!.ClosedAt);

        // An agency officer cannot run it: the form is not theirs to post, and the page says so.
        var housing = await browser.SignedInAsync("housing-officer");
        var response = await housing.GotoAsync("/meetings/new");
        Assert.Equal(403, response!.Status);
        // Nor attend, page or live, a meeting that does not cover their service; every attempt is audited.
        var forEquipment = $"mdt-{Guid.NewGuid():N}";
        await site.Grains.GetGrain<IMeetingGrain>(forEquipment).Open(new OpenMeeting(Board, [Equipment], new Actor("demo.coordinator", "Priya Shah", ActorRole.Coordinator), []));
        Assert.Equal(403, (await housing.GotoAsync($"/meetings/{forEquipment}"))!.Status);
        Assert.Equal(403, (await housing.GotoAsync($"/meetings/{forEquipment}/minutes"))!.Status);
        var (error, _) = await BrowserSite.RawHubCallAsync(housing, "WatchMeeting", forEquipment);
        Assert.Contains("You do not have access to this record.", error);
        var trail = await site.Grains.GetGrain<Grains.Access.IAuditGrain>($"meeting/{forEquipment}").GetRecent(10);
        Assert.Equal(3, trail.Entries.Count(e => e is { CallerId: "demo.housing-officer", Allowed: false }));
        await coordinator.Context.CloseAsync();
        await housing.Context.CloseAsync();
    }

    [Fact]
    public async Task Without_JavaScript_the_chair_escalates_and_reassigns_blockers_and_reorders_the_agenda()
    {
        var site = browser.Site;
        var (housed, equipped) = await ChildrenAsync();
        var meetingId = $"mdt-{Guid.NewGuid():N}";
        var meeting = site.Grains.GetGrain<IMeetingGrain>(meetingId);
        Assert.Null((await meeting.Open(new OpenMeeting(Board, [Housing, Equipment], new Actor("demo.coordinator", "Priya Shah", ActorRole.Coordinator), []))).Refusal);

        var coordinator = await browser.SignedInAsync("coordinator", javaScript: false);
        await coordinator.GotoAsync($"/meetings/{meetingId}");
        await RecordAsync(coordinator, housed, "escalate", async form =>
        {
            await form.GetByLabel("Blocker", new() { Exact = true }).SelectOptionAsync("blocker-1");
            await form.GetByLabel("The decision, or what is in the way").FillAsync("No date for the ramp after four weeks");
        });
        await RecordAsync(coordinator, equipped, "reassign", async form =>
        {
            await form.GetByLabel("Blocker", new() { Exact = true }).SelectOptionAsync("blocker-1");
            await form.GetByLabel("Owned by").SelectOptionAsync(Housing);
        });
        await Expect(coordinator.Locator($"[data-actions-for='{housed}']")).ToContainTextAsync("Escalated the housing / home adaptation blocker");
        await Expect(coordinator.Locator($"[data-actions-for='{equipped}']")).ToContainTextAsync("Reassigned the equipment blocker");
        await Expect(coordinator.Locator($"[data-actions-for='{equipped}']")).ToContainTextAsync("Eastmarsh Council housing team");
        var journey = await site.Grains.GetGrain<Grains.Children.IChildGrain>(equipped).GetJourney();
        Assert.Equal(Housing, journey!.FindBlocker("blocker-1")!.OwningService.Value);
        Assert.Equal(1, (await site.Grains.GetGrain<Grains.Children.IChildGrain>(housed).GetJourney())!.FindBlocker("blocker-1")!.EscalationLevel);

        // Move the second child up: the agenda's order changes for everyone.
        var agenda = (await meeting.GetMeeting())!.Agenda.Select(i => i.ChildId).ToList();
        var second = agenda[1];
        await coordinator.Locator($"[data-agenda-item='{second}']").GetByRole(AriaRole.Button, new() { NameRegex = new("^Move up") }).ClickAsync();
        await Expect(coordinator.Locator("[data-confirmation]")).ToContainTextAsync("Agenda reordered");
        Assert.Equal(second, (await meeting.GetMeeting())!.Agenda[0].ChildId);
        await coordinator.Context.CloseAsync();
    }

    private static string Describe(DateOnly date) => Journey.Calendar.UkCalendar.Describe(date);

    private static string UkCalendarDate(CareTwinSite site) => Describe(site.Today);
}
