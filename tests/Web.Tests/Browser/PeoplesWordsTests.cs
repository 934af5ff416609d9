using System.Reflection;
using System.Text.RegularExpressions;
using CareTwin.Grains.Access;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Demo;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Transitions;
using CareTwin.Testing;
using CareTwin.Web.Live;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareTwin.Web.Tests.Browser;

/// <summary>
/// Every page, as each person opens it at desktop and phone size, says things in people's words (no internal
/// ids, service keys, system names or enum spellings) and tells the time in UK local time.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class PeoplesWordsTests(BrowserSite browser)
{
    private const string Housing = "housing.eastmarsh";
    private const string Equipment = "health.equipment.north-thames";

    [Fact]
    public async Task Every_page_as_each_user_uses_peoples_words_and_uk_time()
    {
        var site = browser.Site;
        var (childId, summer) = await ChildWithAFullJournalAsync();
        // 08:30 UTC on a summer day is 09:30 in the UK (BST); a journal or table in UTC would say 08:30.
        const string SummerHour = "09:30";
        const string UtcHour = "08:30";

        foreach (var phone in new[] { false, true })
        {
            var size = phone ? "phone" : "desktop";
            var coordinator = await browser.SignedInAsync("coordinator", phone);
            await BrowserSite.LiveAsync(coordinator, "#board-root");
            await AssertPeoplesWordsAsync(coordinator, $"coordinator board ({size})");
            var demoChild = await coordinator.Locator("tr[data-child-id] a").First.GetAttributeAsync("href");

            await coordinator.GotoAsync($"/children/{childId}");
            await BrowserSite.LiveAsync(coordinator, "#child-root");
            await Expect(coordinator.Locator("[data-access-log]")).ToBeVisibleAsync();
            await coordinator.Locator("#child-root details").Last.EvaluateAsync("d => d.open = true");
            var appointments = coordinator.GetByRole(AriaRole.Table, new() { Name = "Appointments" });
            await InUkTimeAsync(appointments.GetByRole(AriaRole.Row).Filter(new() { HasText = "Summer hoist assessment" }), $"the appointment table ({size})");
            await InUkTimeAsync(coordinator.Locator(".app-timeline li").Filter(new() { HasText = "Summer hoist assessment" }).First, $"the journal ({size})");
            await AssertPeoplesWordsAsync(coordinator, $"child record with its journal and access log ({size})");
            await BrowserSite.ScreenshotAsync(coordinator, $"peoples-words-child-{size}");

            await coordinator.GotoAsync(demoChild!);
            await BrowserSite.LiveAsync(coordinator, "#child-root");
            await Expect(coordinator.Locator("[data-access-log]")).ToBeVisibleAsync();
            await AssertPeoplesWordsAsync(coordinator, $"a demo child's record ({size})");

            var housing = await browser.SignedInAsync("housing-officer", phone);
            await BrowserSite.LiveAsync(housing, "#service-root");
            await Expect(housing.Locator("#page-heading")).ToHaveTextAsync("Eastmarsh Council housing team");
            await AssertPeoplesWordsAsync(housing, $"agency service page ({size})");
            await housing.GotoAsync($"/children/{childId}");
            await BrowserSite.LiveAsync(housing, "#child-root");
            await AssertPeoplesWordsAsync(housing, $"child record as agency staff ({size})");

            var family = await browser.FamilyAsync(await site.InviteCodeAsync(childId), phone ? "Jess Palmer" : "Alex Palmer", phone);
            await BrowserSite.LiveAsync(family, "#family-root");
            await Expect(family.Locator("#family-root")).ToContainTextAsync(summer.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB")));
            await InUkTimeAsync(family.Locator("#family-root li").Filter(new() { HasText = "Summer hoist assessment" }), $"the family's appointments ({size})");
            await AssertPeoplesWordsAsync(family, $"family page ({size})");
            await BrowserSite.ScreenshotAsync(family, $"peoples-words-family-{size}");
            await family.GotoAsync($"/family/{childId}/time-and-money");
            await AssertPeoplesWordsAsync(family, $"family's time and money ({size})");

            await coordinator.Context.CloseAsync();
            await housing.Context.CloseAsync();
            await family.Context.CloseAsync();
        }
        Assert.True(_problems.Count == 0, string.Join("\n", _problems));

        async Task InUkTimeAsync(ILocator line, string where)
        {
            var text = await line.InnerTextAsync();
            if (!text.Contains(SummerHour, StringComparison.Ordinal) || text.Contains(UtcHour, StringComparison.Ordinal))
                _problems.Add($"{where} does not show 08:30 UTC in summer as {SummerHour} UK time: \"{text.ReplaceLineEndings(" ")}\"");
        }
    }

    // Every problem of every page, so one run shows them all.
    private readonly List<string> _problems = [];

    /// <summary>
    /// A child whose journal has one of nearly everything: stage moves (back too), milestones, blockers raised,
    /// progressed, reassigned, escalated, acknowledged, resolved and cancelled, appointments booked, moved, attended
    /// and cancelled, the family's notes and concerns, and changes made through the pages. Returns the summer appointment's date.
    /// </summary>
    private async Task<(string ChildId, DateOnly Summer)> ChildWithAFullJournalAsync()
    {
        var site = browser.Site;
        var childId = await site.RegisterChildAsync("Rosie", "Palmer");
        var year = site.Today.Month >= 7 ? site.Today.Year + 1 : site.Today.Year;
        var summer = new DateOnly(year, 7, 15);
        var summerStart = new DateTimeOffset(summer.ToDateTime(new TimeOnly(8, 30)), TimeSpan.Zero);

        await site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, Housing, "Structural survey needed before the ceiling hoist", "Getting a hoist fitted at home.");
        await site.RaiseBlockerAsync(childId, BlockerCategory.Equipment, Equipment, "Suction machine on order", "Ordering a suction machine.");
        await site.RaiseBlockerAsync(childId, BlockerCategory.CarePackage, "social-care.disabled-children.eastmarsh", "Two carers to recruit for nights", null);
        await site.RaiseBlockerAsync(childId, BlockerCategory.Transport, Equipment, "Wheelchair-accessible transport home", null);
        await site.RunAsync(childId, o => new UpdateBlockerProgress(o, "blocker-1", BlockerStatus.InProgress, site.Today.AddDays(40), "Callum Reid"));
        await site.RunAsync(childId, o => new EscalateBlocker(o, "blocker-1", "Survey not booked after three weeks."));
        await site.RunAsync(childId, o => new AcknowledgeEscalation(o, "blocker-1", "Surveyor booked for Monday."));
        await site.RunAsync(childId, o => new ResolveBlocker(o, "blocker-2", "Delivered and checked.", "The suction machine has arrived."));
        await site.RunAsync(childId, o => new ReassignBlocker(o, "blocker-3", "social-care.disabled-children.eastmarsh", "Chloe Hart", "Chloe leads recruitment."));
        await site.RunAsync(childId, o => new CancelBlocker(o, "blocker-4", "The family will drive."));
        await site.RunAsync(childId, o => new CompleteMilestone(o, "transition-1", "equipment-delivered"));
        await site.RunAsync(childId, o => new ChangeStage(o, "transition-1", HospitalDischargeStages.ReadyForDischarge));
        await site.RunAsync(childId, o => new ChangeStage(o, "transition-1", HospitalDischargeStages.DischargePlanning, "Night carers not in place yet."));
        await site.RunAsync(childId, o => new BookAppointment(o, Housing, summerStart, TimeSpan.FromMinutes(45), "Home visit", "Summer hoist assessment"));
        await site.RunAsync(childId, o => new BookAppointment(o, Equipment, summerStart.AddDays(1), TimeSpan.FromMinutes(30), "Ward 4", "Suction training"));
        await site.RunAsync(childId, o => new BookAppointment(o, Equipment, summerStart.AddDays(2), TimeSpan.FromMinutes(30), "Ward 4", "Equipment check"));
        await site.RunAsync(childId, o => new UpdateAppointment(o, "appointment-2", AppointmentStatus.Rescheduled, summerStart.AddDays(3).AddHours(1)));
        await site.RunAsync(childId, o => new UpdateAppointment(o, "appointment-3", AppointmentStatus.Cancelled));
        await site.RunAsync(childId, o => new AddFamilyNote(o, "Rosie loves music at bedtime."));
        await site.RunAsync(childId, o => new FlagConcern(o, "Nobody has said when the carers start.", "blocker-3"));

        // And changes made through the pages, as a coordinator and as agency staff do.
        var housing = await browser.SignedInAsync("housing-officer");
        await housing.GotoAsync($"/children/{childId}");
        await BrowserSite.LiveAsync(housing, "#child-root");
        var (error, _) = await BrowserSite.RawHubCallAsync(housing, "UpdateBlockerProgress", childId, new { requestId = "words-1", blockerId = "blocker-1", status = "open" });
        Assert.Null(error);
        await housing.Context.CloseAsync();
        return (childId, summer);
    }

    private async Task AssertPeoplesWordsAsync(IPage page, string where)
    {
        // What people see, and what screen readers say: the title and the names given to forms, buttons and regions.
        var names = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))");
        var text = string.Join("\n", [await page.TitleAsync(), await page.Locator("body").InnerTextAsync(), .. names]);
        foreach (var leak in Leaks(text).Distinct()) _problems.Add($"The {where} shows internal words: {leak}");
    }

    private static IEnumerable<string> Leaks(string text)
    {
        foreach (var pattern in new[] { InternalId(), ServiceKeyLike(), CareTwinName() })
            foreach (Match match in pattern.Matches(text))
                yield return Around(text, match);
        foreach (Match match in PascalCase().Matches(text))
            if (CodeNames.Contains(match.Value))
                yield return Around(text, match);
        foreach (Match match in Hyphenated().Matches(text))
            if (CodeKeys.Contains(match.Value))
                yield return Around(text, match);
    }

    private static string Around(string text, Match match)
    {
        var from = Math.Max(0, match.Index - 40);
        return $"'{match.Value}' in \"…{text[from..Math.Min(text.Length, match.Index + match.Length + 40)].ReplaceLineEndings(" ")}…\"";
    }

    /// <summary>The code's enum members, commands, events and hub methods with more than one word (one word is English).</summary>
    private static readonly HashSet<string> CodeNames =
    [
        .. new[] { typeof(JourneyCommand).Assembly, typeof(AccessAction).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .SelectMany(t => t.IsEnum ? Enum.GetNames(t)
                : typeof(JourneyCommand).IsAssignableFrom(t) || typeof(JourneyEvent).IsAssignableFrom(t) ? [t.Name] : []),
        .. typeof(JourneyHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(m => m.Name),
        .. new[] { nameof(BlockerStatus.InProgress), nameof(AccessAction.ViewAudit) },
    ];

    /// <summary>Keys with hyphens: stages, milestones, hospitals, and the enums as the JSON spells them ("in-progress").</summary>
    private static readonly HashSet<string> CodeKeys =
    [
        .. Enum.GetValues<TransitionKind>().Select(TransitionCatalog.For)
            .SelectMany(d => d.Stages.Select(s => s.Key).Concat(d.Milestones.Select(m => m.Key))),
        .. DemoRegionGenerator.Generate(CareTwinSite.DemoSeed, DateTimeOffset.UtcNow, 0).Hospitals.Select(h => h.Key),
        .. CodeNames.Select(name => KebabBoundary().Replace(name, "-$1").ToLowerInvariant()),
    ];

    [GeneratedRegex(@"\b(transition|appointment|blocker|invite|member|message)-\d+\b")]
    private static partial Regex InternalId();

    // A service key, staff or system id: lower-case words joined by dots ("housing.eastmarsh", "staff.priya"); "e.g." is English.
    [GeneratedRegex(@"\b(?!e\.g\b|i\.e\b)[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*(\.[a-z0-9-]+)*\b")]
    private static partial Regex ServiceKeyLike();

    [GeneratedRegex(@"caretwin\.", RegexOptions.IgnoreCase)]
    private static partial Regex CareTwinName();

    [GeneratedRegex(@"\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+\b")]
    private static partial Regex PascalCase();

    [GeneratedRegex(@"\b[a-z0-9]+(?:-[a-z0-9]+)+\b")]
    private static partial Regex Hyphenated();

    [GeneratedRegex(@"(?<=[a-z0-9])([A-Z])")]
    private static partial Regex KebabBoundary();
}
