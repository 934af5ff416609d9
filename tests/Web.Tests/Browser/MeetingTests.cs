using CareTwin.Grains.Boards;
using CareTwin.Grains.Meetings;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Family;
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
        // The families' time and money, for the agenda: Amara's family told us everything (a 1-hour appointment two
        // days ago, 45 minutes each way, £12.50 a trip and £4.00 parking); Theo's family told us nothing.
        await site.RunAsync(housed, o => new BookAppointment(o, Equipment, DateTimeOffset.UtcNow.AddDays(-2), TimeSpan.FromHours(1), "Royal Thamesbank Hospital", "Hoist review"));
        await site.RunAsync(housed, o => new SetFamilyTravel(o with { Actor = new Actor("parent.bello", "Ada Bello", ActorRole.Family) }, TravelMode.Car, 45, 12.50m, 4.00m));
        await site.RunAsync(equipped, o => new BookAppointment(o, Equipment, DateTimeOffset.UtcNow.AddDays(-3), TimeSpan.FromMinutes(90), "Royal Thamesbank Hospital", "Seating review"));
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
        // Staff see each family's time and money in the child page's words: 1 hour + 2 × 45 minutes; £12.50 + £4.00.
        const string housedCosts = "Family's time and money, last 30 days: 2.5 hours, £16.50 (1 appointment attended).";
        await Expect(coordinator.Locator($"[data-agenda-item='{housed}'] [data-family-costs]")).ToHaveTextAsync(housedCosts);
        await Expect(coordinator.Locator($"[data-agenda-item='{equipped}'] [data-family-costs]")).ToHaveTextAsync(
            "Family's time and money, last 30 days: 1.5 hours (1 appointment attended). The family has not told us what getting there costs. " +
            "Travel time is not included: the family has not told us how long it takes to get there.");

        // The housing officer attends from their own browser: only the child housing is involved with, and never
        // social care's sensitive blocker.
        var housing = await browser.SignedInAsync("housing-officer");
        await housing.GotoAsync($"/meetings/{meetingId}");
        await BrowserSite.LiveAsync(housing, "#meeting-root");
        var seen = housing.Locator($"[data-agenda-item='{housed}']");
        await Expect(seen).ToContainTextAsync("Ramp to the front door");
        await Expect(seen.Locator("[data-family-costs]")).ToHaveTextAsync(housedCosts);
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

    [Fact]
    public async Task A_coordinator_opens_a_meeting_for_the_services_they_tick_and_its_agenda_holds_only_the_children_with_their_blockers()
    {
        var site = browser.Site;
        var (housed, equipped) = await ChildrenAsync();
        var coordinator = await browser.SignedInAsync("coordinator");
        await coordinator.GotoAsync("/meetings/new");

        // A service not in the directory (an edited form) is refused naming the field, and no meeting opens.
        var meetingId = await coordinator.Locator("input[name='meetingId']").InputValueAsync();
        await coordinator.Locator("input[name='services']").First.EvaluateAsync("b => { b.value = 'housing.nowhere'; b.checked = true; }");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Open the meeting" }).ClickAsync();
        await Expect(coordinator.Locator(".nhsuk-error-summary")).ToContainTextAsync("Choose the services from the list.");
        await Expect(coordinator.Locator(".nhsuk-error-summary a[href='#services']")).ToHaveCountAsync(1);
        Assert.Null(await site.Grains.GetGrain<IMeetingGrain>(meetingId).GetMeeting());

        await coordinator.GotoAsync("/meetings/new");
        meetingId = await coordinator.Locator("input[name='meetingId']").InputValueAsync();
        await coordinator.GetByRole(AriaRole.Checkbox, new() { Name = "North Thames community equipment service" }).CheckAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Open the meeting" }).ClickAsync();

        await Expect(coordinator.Locator("h1")).ToHaveTextAsync($"MDT meeting, {UkCalendarDate(site)}");
        await Expect(coordinator.Locator(".nhsuk-caption-l")).ToContainTextAsync(", for North Thames community equipment service");
        await Expect(coordinator.Locator($"[data-agenda-item='{equipped}']")).ToContainTextAsync("Hoist on back-order");
        await Expect(coordinator.Locator($"[data-agenda-item='{housed}']")).ToHaveCountAsync(0);
        var opened = (await site.Grains.GetGrain<IMeetingGrain>(meetingId).GetMeeting())!;
        Assert.Equal([Equipment], opened.Scope.Services.Select(s => s.Value));
        Assert.All(opened.Agenda, i => Assert.Contains(i.Blockers, b => b.OwningService.Value == Equipment));
        await coordinator.Context.CloseAsync();
    }

    [Fact]
    public async Task Without_JavaScript_the_chair_books_an_appointment_that_reaches_the_journal_the_minutes_and_the_agencys_actions()
    {
        var site = browser.Site;
        var (housed, _) = await ChildrenAsync();
        var meetingId = $"mdt-{Guid.NewGuid():N}";
        var meeting = site.Grains.GetGrain<IMeetingGrain>(meetingId);
        Assert.Null((await meeting.Open(new OpenMeeting(Board, [Housing], new Actor("demo.coordinator", "Priya Shah", ActorRole.Coordinator),
            [new MeetingAttendee("Callum Reid", Journey.Services.ServiceKey.Parse(Housing))]))).Refusal);
        var day = site.Today.AddDays(9);
        var version = (await site.Grains.GetGrain<Grains.Children.IChildGrain>(housed).GetJourney())!.Version;

        var coordinator = await browser.SignedInAsync("coordinator", javaScript: false);
        await coordinator.GotoAsync($"/meetings/{meetingId}");
        // Where is left out: the field is named, linked from the summary, and nothing is booked.
        var item = coordinator.Locator($"[data-agenda-item='{housed}']");
        await item.Locator("summary").ClickAsync();
        var form = item.Locator("form[data-action-form]");
        await form.Locator("input[name='kind'][value='appointment']").CheckAsync();
        await form.GetByLabel("Owned by").SelectOptionAsync(Housing);
        await form.GetByLabel("Date and time").FillAsync($"{day:yyyy-MM-dd}T10:30");
        await form.GetByLabel("What it is for").FillAsync("Adaptation survey");
        await form.GetByRole(AriaRole.Button, new() { NameRegex = new("^Record the action") }).ClickAsync();
        await Expect(coordinator.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter where the appointment is.");
        await Expect(coordinator.Locator($".nhsuk-error-summary a[href='#place-{housed}']")).ToHaveCountAsync(1);
        // What was typed is kept for the chair to finish.
        await Expect(coordinator.Locator($"#purpose-{housed}")).ToHaveValueAsync("Adaptation survey");
        Assert.Equal(version, (await site.Grains.GetGrain<Grains.Children.IChildGrain>(housed).GetJourney())!.Version);

        // The form is open again with what was typed: the chair adds where, and it is booked.
        form = coordinator.Locator($"[data-agenda-item='{housed}'] form[data-action-form]");
        await form.GetByLabel("Where").FillAsync("Family home");
        await form.GetByRole(AriaRole.Button, new() { NameRegex = new("^Record the action") }).ClickAsync();
        await Expect(coordinator.Locator("[data-confirmation]")).ToContainTextAsync("Action recorded");
        var said = $"Booked an appointment: Adaptation survey, {Describe(day)} 10:30 at Family home";
        await Expect(coordinator.Locator($"[data-actions-for='{housed}']")).ToContainTextAsync(said);
        await Expect(coordinator.Locator($"[data-actions-for='{housed}']")).ToContainTextAsync($"Eastmarsh Council housing team, on {Describe(day)}");

        // The child's journal has it, agreed at this MDT with who attended, at the UK time the chair typed.
        var journey = (await site.Grains.GetGrain<Grains.Children.IChildGrain>(housed).GetJourney())!;
        var appointment = Assert.Single(journey.Appointments);
        Assert.Equal((Housing, Journey.Calendar.UkCalendar.At(day, new TimeOnly(10, 30)), "Family home"), (appointment.Service.Value, appointment.Start, appointment.Place));
        await coordinator.GotoAsync($"/children/{housed}");
        await Expect(coordinator.Locator(".app-timeline")).ToContainTextAsync(
            $"agreed at the MDT of {Describe(site.Today)} (attendees: Priya Shah; Callum Reid, Eastmarsh Council housing team)");

        await coordinator.GotoAsync($"/meetings/{meetingId}/minutes");
        await Expect(coordinator.Locator($"[data-minutes='{housed}']")).ToContainTextAsync(said);
        var housing = await browser.SignedInAsync("housing-officer", javaScript: false);
        await housing.GotoAsync($"/services/{Housing}");
        await Expect(housing.Locator("[data-mdt-actions]")).ToContainTextAsync(said);
        await coordinator.Context.CloseAsync();
        await housing.Context.CloseAsync();
    }

    [Fact]
    public async Task The_chairs_page_follows_another_coordinators_reorder_and_added_child_live_keeping_what_the_chair_typed()
    {
        var site = browser.Site;
        var (housed, equipped) = await ChildrenAsync();
        // Social care's blocker keeps this child on the board but off a meeting for housing and equipment, until added.
        var quiet = await site.RegisterChildAsync("Isla", "Quinn");
        await site.RaiseBlockerAsync(quiet, BlockerCategory.Transport, SocialCare, "Transport home to be arranged", null);
        await OnTheBoardAsync(site, quiet);
        var meetingId = $"mdt-{Guid.NewGuid():N}";
        var meeting = site.Grains.GetGrain<IMeetingGrain>(meetingId);
        Assert.Null((await meeting.Open(new OpenMeeting(Board, [Housing, Equipment], new Actor("demo.coordinator", "Priya Shah", ActorRole.Coordinator), []))).Refusal);
        var agenda = (await meeting.GetMeeting())!.Agenda.Select(i => i.ChildId).ToList();
        Assert.Contains(housed, agenda);
        Assert.Contains(equipped, agenda);
        Assert.DoesNotContain(quiet, agenda);

        var chair = await browser.SignedInAsync("coordinator");
        await chair.GotoAsync($"/meetings/{meetingId}");
        await BrowserSite.LiveAsync(chair, "#meeting-root");
        await chair.EvaluateAsync("() => { window.stayedOpen = true; }");
        var typing = chair.Locator($"[data-agenda-item='{agenda[0]}']");
        await typing.Locator("summary").ClickAsync();
        await typing.Locator("textarea[name='text']").FillAsync("Half-typed decision");
        var other = await browser.SignedInAsync("coordinator");
        await other.GotoAsync($"/meetings/{meetingId}");

        // The other coordinator moves the second child up: the chair's page takes the new order.
        await other.Locator($"[data-agenda-item='{agenda[1]}']").GetByRole(AriaRole.Button, new() { NameRegex = new("^Move up") }).ClickAsync();
        await Expect(other.Locator("[data-confirmation]")).ToContainTextAsync("Agenda reordered");
        var expected = (await meeting.GetMeeting())!.Agenda.Select(i => i.ChildId).ToList();
        Assert.Equal([agenda[1], agenda[0]], expected.Take(2));
        await Eventually.True(async () => expected.SequenceEqual(await AgendaOnAsync(chair)), "the chair's agenda to take the new order");

        // Then adds the third: the chair sees it at the end, with the forms to record an action for it.
        await other.GetByLabel("Add a child to the agenda").SelectOptionAsync(quiet);
        await other.GetByRole(AriaRole.Button, new() { Name = "Add to the agenda" }).ClickAsync();
        await Expect(other.Locator("[data-confirmation]")).ToContainTextAsync("Child added to the agenda");
        var added = chair.Locator($"[data-agenda-item='{quiet}']");
        await Expect(added).ToContainTextAsync("Transport home to be arranged");
        await Expect(added).ToContainTextAsync("added during the meeting");
        await Expect(chair.Locator("[data-agenda] > [data-agenda-item]").Last).ToHaveAttributeAsync("data-agenda-item", quiet);
        await Expect(chair.Locator($"#childId option[value='{quiet}']")).ToHaveCountAsync(0);
        Assert.True(await chair.EvaluateAsync<bool>("() => window.stayedOpen === true"), "The chair's page was reloaded, not kept current.");
        await Expect(typing.Locator("textarea[name='text']")).ToHaveValueAsync("Half-typed decision");

        // The moved card's buttons now move it from its new place (first: down to 2, no "up"), and the added child,
        // whose card and forms arrived live, takes an action from the chair.
        var moved = chair.Locator($"[data-agenda-item='{agenda[1]}'] .app-agenda__move button");
        await Expect(moved).ToHaveCountAsync(1);
        await Expect(moved).ToHaveAttributeAsync("value", "2");
        await RecordAsync(chair, quiet, "decision", form => form.GetByLabel("The decision, or what is in the way").FillAsync("Transport booked for Friday"));
        await Expect(chair.Locator($"[data-actions-for='{quiet}']")).ToContainTextAsync("Decision: Transport booked for Friday");
        Assert.Equal(MeetingActionKind.Decision, Assert.Single((await meeting.GetMeeting())!.Actions).Kind);
        await chair.Context.CloseAsync();
        await other.Context.CloseAsync();
    }

    private static async Task<List<string>> AgendaOnAsync(IPage page) =>
        [.. await page.Locator("[data-agenda] > [data-agenda-item]").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.agendaItem)")];

    private static string Describe(DateOnly date) => Journey.Calendar.UkCalendar.Describe(date);

    private static string UkCalendarDate(CareTwinSite site) => Describe(site.Today);
}
