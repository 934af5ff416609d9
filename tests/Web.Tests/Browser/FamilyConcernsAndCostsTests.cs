using System.Collections.Immutable;
using CareTwin.Grains.Children;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Demo;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareTwin.Web.Tests.Browser;

/// <summary>
/// Issue 16 items 2 and 3 in the browser: at phone size a family says how they get to appointments (a bad figure is
/// refused at its field and changes nothing) and sees their time and money, each figure explained; they flag a worry,
/// a coordinator reads, answers and closes it, and the family sees each step and the answer; the board counts the
/// open concerns and raises one left unanswered past its time.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FamilyConcernsAndCostsTests(BrowserSite browser)
{
    private static readonly Actor Parent = new("parent.finch", "Jo Finch", ActorRole.Family);

    [Fact]
    public async Task A_family_enters_their_travel_and_sees_their_estimate_and_sees_their_worry_read_answered_and_closed()
    {
        var site = browser.Site;
        var childId = await site.RegisterChildAsync("Marigold", "Finch");
        // An appointment two days ago (booked and passed: counted as attended), and a worry left unanswered for three days.
        await site.RunAsync(childId, o => new BookAppointment(o, "health.equipment.north-thames", DateTimeOffset.UtcNow.AddDays(-2), TimeSpan.FromHours(1),
            "Royal Thamesbank Hospital", "Hoist assessment"));
        var imported = await site.Grains.GetGrain<IChildHistoryImport>(childId).ImportHistory(
            [new TimedCommand(DateTimeOffset.UtcNow.AddDays(-3), new FlagConcern(new CommandOrigin(Parent, "caretwin.web", "old-worry"), "Nobody has rung about the hoist."))]);
        Assert.Null(imported.Refusal);

        var family = await browser.FamilyAsync(await site.InviteCodeAsync(childId), "Jo Finch");
        await BrowserSite.LiveAsync(family, "#family-root");
        await Expect(family.Locator("[data-time-and-money-summary]")).ToHaveTextAsync("In the last 30 days: about 1 hour at and getting to appointments.");
        await family.GetByRole(AriaRole.Link, new() { Name = "See how this was worked out, and tell us how you get to appointments" }).ClickAsync();
        var timeAndMoney = family.Locator("[data-time-and-money]");
        await Expect(timeAndMoney).ToContainTextAsync("Travel time and costs are not counted yet");

        // A negative cost: refused at its field in the family's words, what they typed kept, nothing saved.
        var form = family.Locator("form[data-getting-there]");
        await form.GetByLabel("By car").CheckAsync();
        await form.GetByLabel("Travel time, one way (minutes)").FillAsync("45");
        await form.GetByLabel("Cost per trip: fares or fuel, there and back (£)").FillAsync("-3");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save travel details" }).ClickAsync();
        await Expect(family.Locator(".nhsuk-error-summary")).ToContainTextAsync("Cost per trip must be between £0 and £");
        await Expect(form.Locator(".nhsuk-form-group--error")).ToContainTextAsync("Cost per trip must be between £0 and £");
        await Expect(form.GetByLabel("Cost per trip: fares or fuel, there and back (£)")).ToHaveValueAsync("-3");
        await Expect(form.GetByLabel("Travel time, one way (minutes)")).ToHaveValueAsync("45");
        await Expect(timeAndMoney).ToContainTextAsync("Travel time and costs are not counted yet");
        await BrowserSite.ScreenshotAsync(family, "family-travel-refused-phone");

        // Good figures: saved, confirmed where focus goes, and the estimate explains each figure.
        await form.GetByLabel("Cost per trip: fares or fuel, there and back (£)").FillAsync("12.50");
        await form.GetByLabel("Parking per visit (£)").FillAsync("£4");
        await form.GetByLabel("Time off work per appointment (hours)").FillAsync("4");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save travel details" }).ClickAsync();
        await Expect(family.Locator("[data-confirmation]")).ToContainTextAsync("Travel details saved");
        await Expect(family.Locator("[data-confirmation]")).ToBeFocusedAsync();
        var last30 = timeAndMoney.Locator("[data-cost-period]").First;
        await Expect(last30).ToContainTextAsync("2.5 hours");
        await Expect(last30).ToContainTextAsync("How this was worked out: 1 appointment attended: 1 hour at the appointments, plus 45 minutes each way getting there");
        await Expect(last30).ToContainTextAsync("£16.50");
        await Expect(last30).ToContainTextAsync("How this was worked out: 1 trip × £16.50 (£12.50 a trip + £4.00 parking) = £16.50.");
        await Expect(last30).ToContainTextAsync("1 appointment (1 attended) × 4 hours off work each = 4 hours.");
        await Expect(timeAndMoney).ToContainTextAsync("Since the journey started on");
        await Expect(form.GetByLabel("Cost per trip: fares or fuel, there and back (£)")).ToHaveValueAsync("12.50");
        await Expect(form.GetByLabel("By car")).ToBeCheckedAsync();
        await BrowserSite.ScreenshotAsync(family, "family-time-and-money-phone");

        // Back on their journey, the summary counts it all; the family flags a worry.
        await family.GetByRole(AriaRole.Link, new() { Name = "Back to Marigold's journey" }).ClickAsync();
        await Expect(family.Locator("[data-time-and-money-summary]")).ToHaveTextAsync("In the last 30 days: about 2.5 hours at and getting to appointments, £16.50 getting there, 4 hours off work.");
        await family.GetByLabel("I am worried about something").CheckAsync();
        await family.GetByLabel("Your message").FillAsync("Who will show us how to use the hoist?");
        await family.GetByRole(AriaRole.Button, new() { Name = "Send to the team" }).ClickAsync();
        await Expect(family.Locator("[data-confirmation]")).ToContainTextAsync("Message sent");
        await BrowserSite.LiveAsync(family, "#family-root");
        var worry = family.Locator("#family-root [data-family-messages] > li", new() { HasText = "Who will show us" });
        await Expect(worry.Locator("[data-concern-progress]")).ToHaveTextAsync("Sent to the team. Not read yet.");

        // The board counts both open worries and raises the one waiting three days.
        var coordinator = await browser.SignedInAsync("coordinator");
        var board = await coordinator.Context.NewPageAsync();
        await board.GotoAsync("/board?q=Marigold");
        await BrowserSite.LiveAsync(board, "#board-root");
        var row = board.Locator($"tr[data-child-id='{childId}']");
        await Expect(row.Locator("[data-family-concerns]")).ToHaveTextAsync("2 family concerns open");
        await Expect(row.Locator("[data-concern-waiting]")).ToHaveTextAsync("Concern waiting 3 days");
        await Expect(board.Locator(".app-figures")).ToContainTextAsync("children with a family concern waiting over 2 days");

        // The child page shows the family's figures and offers the coordinator the concern's actions.
        await coordinator.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(coordinator, "#child-root");
        var costs = coordinator.Locator("#child-root [data-family-costs]");
        await Expect(costs).ToContainTextAsync("What the family told us about getting there: By car, 45 minutes each way, £12.50 fares or fuel a trip, £4.00 parking a visit, 4 hours off work an appointment.");
        await Expect(costs.Locator("[data-family-burden]")).ToContainTextAsync("Last 30 days: 1 appointment with 1 service, 1 hour at appointments.");
        await Expect(costs).ToContainTextAsync("How this was worked out: 1 trip × £16.50");
        var concern = coordinator.Locator("#child-root [data-messages] > li", new() { HasText = "Who will show us" });
        var name = "the family's concern “Who will show us how to use the hoist?”";
        var banner = coordinator.Locator("[data-confirmation]");

        await concern.Locator("summary").ClickAsync();
        await concern.GetByRole(AriaRole.Form, new() { Name = $"Mark as read: {name}" }).GetByRole(AriaRole.Button, new() { Name = "Mark as read" }).ClickAsync();
        await Expect(banner).ToContainTextAsync($"Marked {name} as read.");
        await Expect(banner).ToBeFocusedAsync();
        await Expect(concern.Locator("[data-concern-progress]")).ToContainTextAsync("Read by Priya Shah on");
        await Expect(worry.Locator("[data-concern-progress]")).ToContainTextAsync("Read by the team on");

        // The rebuilt concern keeps its actions open. An empty answer is refused in the form's words; then the answer goes to the family.
        await Expect(concern.Locator("details[open]")).ToHaveCountAsync(1);
        var answer = concern.GetByRole(AriaRole.Form, new() { Name = $"Answer {name}" });
        await answer.GetByRole(AriaRole.Button, new() { Name = "Send answer" }).ClickAsync();
        await Expect(answer.Locator(".nhsuk-error-message")).ToContainTextAsync("Enter your answer to the family");
        await answer.GetByLabel("Your answer to the family").FillAsync("Our nurse Sam will show you on Tuesday morning.");
        await answer.GetByRole(AriaRole.Button, new() { Name = "Send answer" }).ClickAsync();
        await Expect(banner).ToContainTextAsync($"Answered {name}.");
        await Expect(worry.Locator("[data-concern-answer]")).ToContainTextAsync("Our nurse Sam will show you on Tuesday morning.");
        await Expect(worry.Locator("[data-concern-progress]")).ToContainTextAsync("Read by the team. Answered by Priya Shah on");

        await concern.GetByRole(AriaRole.Form, new() { Name = $"Close {name}" }).GetByRole(AriaRole.Button, new() { Name = "Close concern" }).ClickAsync();
        await Expect(banner).ToContainTextAsync($"Closed {name}.");
        await Expect(concern.Locator("details")).ToHaveCountAsync(0);
        await Expect(worry.Locator("[data-concern-progress]")).ToContainTextAsync("Closed by the team on");
        await Expect(coordinator.Locator("#child-root .app-timeline")).ToContainTextAsync($"Closed {name}.");

        // The family sees it all after a reload too; the board's count went down; answering the old worry lifts the flag.
        await family.ReloadAsync();
        await BrowserSite.LiveAsync(family, "#family-root");
        await Expect(worry.Locator("[data-concern-answer]")).ToContainTextAsync("Our nurse Sam will show you on Tuesday morning.");
        await Expect(worry.Locator("[data-concern-progress]")).ToContainTextAsync("Closed by the team on");
        await worry.ScrollIntoViewIfNeededAsync();
        await BrowserSite.ScreenshotAsync(family, "family-concern-answered-phone");
        await Expect(row.Locator("[data-family-concerns]")).ToHaveTextAsync("1 family concern open");
        await site.RunAsync(childId, o => new AnswerConcern(o, "message-1", "Housing will ring you this week."));
        await Expect(row.Locator("[data-concern-waiting]")).ToHaveCountAsync(0);
        await Expect(row.Locator("[data-family-concerns]")).ToHaveTextAsync("1 family concern open");

        // Only the family says how they travel: the coordinator reads it on the family page, without the form.
        await coordinator.GotoAsync($"/family/{childId}/time-and-money");
        await Expect(coordinator.Locator("[data-time-and-money]")).ToContainTextAsync("£16.50");
        await Expect(coordinator.Locator("form[data-getting-there]")).ToHaveCountAsync(0);
        await Expect(coordinator.Locator("[data-travel-told]")).ToHaveTextAsync("By car, 45 minutes each way, £12.50 fares or fuel a trip, £4.00 parking a visit, 4 hours off work an appointment.");
        await Expect(coordinator.Locator("main")).ToContainTextAsync("Only the family can change these details.");
    }
}
