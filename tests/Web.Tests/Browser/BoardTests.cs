using System.Text.RegularExpressions;
using CareTwin.Grains.Children;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Demo;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Transitions;
using CareTwin.Testing;
using CareTwin.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareTwin.Web.Tests.Browser;

/// <summary>
/// The coordinators' board for daily use: a page of 50 at a time with the headings in view, the list, filters,
/// sort and page in the address, discharged children on their own list, and the list as CSV for the huddle.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class BoardTests(BrowserSite browser)
{
    private const string Equipment = "health.equipment.north-thames";
    private static readonly SemaphoreSlim Seeding = new(1, 1);
    private static CareTwinSite? _seeded;

    private CareTwinSite Site => browser.Site;

    /// <summary>Enough children for more than one page (the demo region of the shared site has 24), a few with equipment blockers.</summary>
    private async Task SeedAsync()
    {
        await Seeding.WaitAsync();
        try
        {
            if (_seeded == Site) return;
            string[] given = ["Oliver", "Amelia", "Noah", "Isla", "George", "Ava", "Leo", "Freya", "Arthur", "Lily"];
            for (var batch = 0; batch < 6; batch++)
                await Task.WhenAll(Enumerable.Range(batch * 10, 10).Select(async i =>
                {
                    var id = await Site.RegisterChildAsync(given[i % given.Length], $"Huddle{i:00}");
                    if (i % 7 == 0) await Site.RaiseBlockerAsync(id, BlockerCategory.Equipment, Equipment, "Ventilator not yet delivered", null);
                }));
            _seeded = Site;
        }
        finally
        {
            Seeding.Release();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_large_board_shows_fifty_children_a_page_with_its_headings_in_view_and_the_page_in_the_address(bool phone)
    {
        await SeedAsync();
        var page = await browser.SignedInAsync("coordinator", phone);
        await page.GotoAsync("/board");
        await BrowserSite.LiveAsync(page, "#board-root");
        var rows = page.Locator("[data-board-table] tbody tr[data-child-id]");
        await Expect(rows).ToHaveCountAsync(50);
        await Expect(page.Locator("[data-shown]")).ToContainTextAsync(ShowingFirstPage());
        await Expect(page.Locator("[data-current-page]")).ToHaveTextAsync(PageOneOf());
        var pages = int.Parse(PageOneOf().Match(await page.Locator("[data-current-page]").InnerTextAsync()).Groups["pages"].Value);

        // Each child with the NHS number (3-3-4) and date of birth under the name, as names are often shared.
        await Expect(rows.First.Locator("[data-nhs-number]")).ToHaveTextAsync(NhsNumberText());
        await Expect(rows.First.Locator("[data-born]")).ToHaveTextAsync(BornText());

        // The column headings stay at the top of the table's box while it scrolls.
        var region = page.Locator(".app-board-scroll");
        await region.EvaluateAsync("e => { e.scrollTop = 900; }");
        var heading = await page.Locator("[data-board-table] thead th").First.BoundingBoxAsync();
        var box = await region.BoundingBoxAsync();
        Assert.InRange(heading!.Y - box!.Y, -1, 1);
        await BrowserSite.ScreenshotAsync(page, $"board-scrolled-{(phone ? "phone" : "desktop")}");

        // Next page: in the address, other children, and back returns to the first.
        var firstOnPageOne = await rows.First.GetAttributeAsync("data-child-id");
        await page.Locator("[data-pager] a[rel='next']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("[?&]page=2$"));
        await Expect(page.Locator("[data-current-page]")).ToHaveTextAsync($"Page 2 of {pages}");
        Assert.NotEqual(firstOnPageOne, await rows.First.GetAttributeAsync("data-child-id"));
        await BrowserSite.ScreenshotAsync(page, $"board-page-2-{(phone ? "phone" : "desktop")}");
        await page.GoBackAsync();
        await Expect(page.Locator("[data-current-page]")).ToHaveTextAsync($"Page 1 of {pages}");
        await Expect(rows.First).ToHaveAttributeAsync("data-child-id", firstOnPageOne!);

        // A page past the last shows the last, and the address says so.
        await page.GotoAsync("/board?page=999");
        await BrowserSite.LiveAsync(page, "#board-root");
        await Expect(page.Locator("[data-current-page]")).ToHaveTextAsync($"Page {pages} of {pages}");
        await Expect(page).ToHaveURLAsync(new Regex($"[?&]page={pages}$"));
        Assert.Empty(browser.Dialogs);
    }

    [Fact]
    public async Task Filters_and_sort_are_in_the_address_so_a_reload_keeps_them_and_back_undoes_them()
    {
        await SeedAsync();
        var page = await browser.SignedInAsync("coordinator");
        await page.GotoAsync("/board");
        await BrowserSite.LiveAsync(page, "#board-root");
        await page.GetByLabel("Hospital", new() { Exact = true }).SelectOptionAsync(CareTwinSite.Hospital);
        await page.GetByLabel("Sort by", new() { Exact = true }).SelectOptionAsync("name");
        await Expect(page).ToHaveURLAsync(new Regex($"\\?hospital={CareTwinSite.Hospital}&sort=name$"));
        var names = await NamesAsync(page);
        Assert.Equal(names.Order(StringComparer.Create(new System.Globalization.CultureInfo("en-GB"), false)), names);

        await page.ReloadAsync();
        await BrowserSite.LiveAsync(page, "#board-root");
        await Expect(page.GetByLabel("Hospital", new() { Exact = true })).ToHaveValueAsync(CareTwinSite.Hospital);
        await Expect(page.GetByLabel("Sort by", new() { Exact = true })).ToHaveValueAsync("name");
        Assert.Equal(names, await NamesAsync(page));

        // A link shared with a colleague opens the same list.
        var colleague = await browser.SignedInAsync("coordinator");
        await colleague.GotoAsync(page.Url);
        await BrowserSite.LiveAsync(colleague, "#board-root");
        Assert.Equal(names, await NamesAsync(colleague));

        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"\\?hospital={CareTwinSite.Hospital}$"));
        await Expect(page.GetByLabel("Sort by", new() { Exact = true })).ToHaveValueAsync("delay");
        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/board$"));
        await Expect(page.GetByLabel("Hospital", new() { Exact = true })).ToHaveValueAsync("");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unknown_values_in_the_address_are_ignored_and_a_filter_that_matches_nobody_says_so(bool phone)
    {
        await SeedAsync();
        var page = await browser.SignedInAsync("coordinator", phone);
        var response = await page.GotoAsync("/board?list=elsewhere&hospital=nowhere&agency=no.such-agency&category=bogus&delay=-5&sort=sideways&page=abc");
        Assert.Equal(200, response!.Status);
        await BrowserSite.LiveAsync(page, "#board-root");
        await Expect(page).ToHaveURLAsync(new Regex("/board$"));
        await Expect(page.Locator("[data-board-table] tbody tr[data-child-id]")).ToHaveCountAsync(50);
        await Expect(page.GetByLabel("Sort by", new() { Exact = true })).ToHaveValueAsync("delay");

        await page.GotoAsync("/board?delay=10000&sort=name");
        await BrowserSite.LiveAsync(page, "#board-root");
        await Expect(page.Locator("[data-empty]")).ToHaveTextAsync("No children on the board match these filters.");
        await Expect(page.Locator("[data-pager] a")).ToHaveCountAsync(0);
        await BrowserSite.ScreenshotAsync(page, $"board-no-match-{(phone ? "phone" : "desktop")}");

        // The empty list's CSV is the header alone.
        var csv = await page.APIRequest.GetAsync(await page.Locator("[data-export]").GetAttributeAsync("href") ?? "");
        Assert.Equal(200, csv.Status);
        Assert.Equal("\uFEFFName,NHS number,Date of birth,Hospital,Stage,Ready for discharge since,Days delayed,Open blockers,Owning agencies,Escalation level,Escalations awaiting acknowledgement,Blockers past their SLA,Predicted ready date,Likely ready from,Likely ready by\r\n",
            await csv.TextAsync());
    }

    [Fact]
    public async Task A_discharged_child_leaves_the_live_board_as_it_happens_and_is_listed_under_recently_discharged()
    {
        await SeedAsync();
        var childId = await Site.RegisterChildAsync("Aaron", "Zephyr");
        var nhs = (await Site.Grains.GetGrain<IChildGrain>(childId).GetBoardRow())!.NhsNumber!.Formatted;
        var page = await browser.SignedInAsync("coordinator");
        await page.GotoAsync("/board?sort=name");
        await BrowserSite.LiveAsync(page, "#board-root");
        var row = page.Locator($"tr[data-child-id='{childId}']");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("[data-nhs-number]")).ToHaveTextAsync($"NHS number {nhs}");

        await Site.RunAsync(childId, o => new ChangeStage(o, "transition-1", HospitalDischargeStages.ReadyForDischarge));
        await Site.RunAsync(childId, o => new ChangeStage(o, "transition-1", HospitalDischargeStages.Discharged, Destination: DischargeDestination.FamilyHome));
        await Expect(row).ToHaveCountAsync(0);

        // Nowhere on the live list: its CSV (every page) does not have the child either.
        var live = await (await page.APIRequest.GetAsync("/board/export.csv")).TextAsync();
        Assert.DoesNotContain(nhs, live);

        await page.Locator("[data-board-lists] a[data-list='discharged']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("\\?list=discharged$"));
        await Expect(row).ToHaveCountAsync(1);
        var today = Site.Today.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
        await Expect(row).ToContainTextAsync($"Discharged on {today}");
        await BrowserSite.ScreenshotAsync(page, "board-recently-discharged");
        var discharged = await (await page.APIRequest.GetAsync(await page.Locator("[data-export]").GetAttributeAsync("href") ?? "")).TextAsync();
        Assert.Contains($"Aaron Z.,{nhs},", discharged);
        Assert.Contains($",{Site.Today:dd/MM/yyyy},", discharged);

        await page.ReloadAsync();
        await BrowserSite.LiveAsync(page, "#board-root");
        await Expect(page.Locator("[data-board-lists] a[aria-current='page']")).ToHaveAttributeAsync("data-list", "discharged");
        await Expect(row).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task The_csv_export_holds_the_filtered_list_in_the_pages_order_with_uk_dates_and_a_sensible_name()
    {
        await SeedAsync();
        var page = await browser.SignedInAsync("coordinator");
        await page.GotoAsync("/board");
        await BrowserSite.LiveAsync(page, "#board-root");
        await page.GetByLabel("Blocker category", new() { Exact = true }).SelectOptionAsync("equipment");
        await page.GetByLabel("Sort by", new() { Exact = true }).SelectOptionAsync("name");
        await Expect(page).ToHaveURLAsync(new Regex("\\?category=equipment&sort=name$"));
        var shown = await page.Locator("[data-board-table] tbody tr[data-child-id] [data-nhs-number]").AllInnerTextsAsync();
        Assert.NotEmpty(shown);
        await BrowserSite.ScreenshotAsync(page, "board-filtered-equipment");

        var link = page.Locator("[data-export]");
        await Expect(link).ToHaveAttributeAsync("href", "/board/export.csv?category=equipment&sort=name");
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Equal($"north-thames-board-{Site.Today:yyyy-MM-dd}.csv", download.SuggestedFilename);
        var text = await File.ReadAllTextAsync((await download.PathAsync())!);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Name,NHS number,Date of birth,Hospital,Stage,", lines[0]);
        var body = lines.Skip(1).Select(l => l.Split(',')).ToList();
        // Row for row the page's list: the same children (by NHS number) in the same order.
        Assert.Equal(shown.Select(s => s.Replace("NHS number ", "", StringComparison.Ordinal)), body.Select(cells => cells[1]));
        Assert.All(body, cells =>
        {
            Assert.Matches(@"^\d{3} \d{3} \d{4}$", cells[1]);
            Assert.Matches(@"^\d{2}/\d{2}/\d{4}$", cells[2]);
            Assert.Contains("Equipment", cells[7]);
        });
        Assert.Contains(body, cells => cells[4] == "Discharge planning");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Without_JavaScript_the_board_shows_its_rows_pages_by_plain_links_and_filters_with_its_form(bool phone)
    {
        await SeedAsync();
        var size = phone ? "phone" : "desktop";
        var given = phone ? "Philippa" : "Clemency";
        var childId = await Site.RegisterChildAsync(given, "Quill");
        var page = await browser.SignedInAsync("coordinator", phone, javaScript: false);
        Assert.EndsWith("/board", page.Url);
        var rows = page.Locator("[data-board-table] tbody tr[data-child-id]");
        await Expect(rows).ToHaveCountAsync(50);
        await Expect(page.Locator("[data-shown]")).ToHaveTextAsync(ShowingFirstPage());
        await Expect(page.Locator("[data-current-page]")).ToHaveTextAsync(PageOneOf());
        await Expect(rows.First.Locator("[data-nhs-number]")).ToHaveTextAsync(NhsNumberText());
        await Expect(rows.First.Locator("[data-born]")).ToHaveTextAsync(BornText());
        await Expect(page.Locator(".app-figure").First).ToHaveTextAsync(new Regex(@"^\d+children on the board$"));
        await Expect(page.Locator("[data-board-lists] a[aria-current='page']")).ToHaveAttributeAsync("data-list", "live");
        await BrowserSite.ScreenshotAsync(page, $"board-without-javascript-{size}");
        var pages = int.Parse(PageOneOf().Match(await page.Locator("[data-current-page]").InnerTextAsync()).Groups["pages"].Value);

        var firstOnPageOne = await rows.First.GetAttributeAsync("data-child-id");
        await page.Locator("[data-pager] a[rel='next']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/board\\?page=2$"));
        await Expect(page.Locator("[data-current-page]")).ToHaveTextAsync($"Page 2 of {pages}");
        Assert.NotEqual(firstOnPageOne, await rows.First.GetAttributeAsync("data-child-id"));

        // The form asks by the address's own names; the page's links then carry the search.
        await page.GetByLabel("Find a child (name or NHS number)").FillAsync(given.ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Show children" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"[?&]q={given.ToLowerInvariant()}(&|$)"));
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-child-id", childId);
        await Expect(rows.First.Locator("td").First.Locator("a")).ToHaveTextAsync($"{given} Q.");
        await Expect(rows.First.Locator("td").First.Locator("a")).ToHaveAttributeAsync("href", $"/children/{childId}");
        await Expect(page.Locator("[data-shown]")).ToHaveTextAsync(new Regex(@"^Showing 1–1 of 1 child \(filtered from \d+\)\.$"));
        await Expect(page.Locator("[data-export]")).ToHaveAttributeAsync("href", $"/board/export.csv?q={given.ToLowerInvariant()}");
        await Expect(page.Locator("[data-pager] a")).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("Find a child (name or NHS number)")).ToHaveValueAsync(given.ToLowerInvariant());
        await BrowserSite.ScreenshotAsync(page, $"board-without-javascript-search-{size}");

        // A hospital and a sort from the form, from page 2: the first page of that list, in that order.
        await page.GotoAsync("/board?page=2");
        await page.GetByLabel("Hospital", new() { Exact = true }).SelectOptionAsync(CareTwinSite.Hospital);
        await page.GetByLabel("Sort by", new() { Exact = true }).SelectOptionAsync("name");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show children" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"[?&]hospital={CareTwinSite.Hospital}&.*sort=name$"));
        await Expect(page.Locator("[data-current-page]")).ToHaveTextAsync(PageOneOf());
        var names = await NamesAsync(page);
        Assert.Equal(names.Order(StringComparer.Create(new System.Globalization.CultureInfo("en-GB"), false)), names);
        await Expect(page.Locator("[data-pager] a[rel='next']")).ToHaveAttributeAsync("href", $"/board?hospital={CareTwinSite.Hospital}&sort=name&page=2");

        // An old or mistyped link: what the board does not know is ignored, and a page past the last is the last.
        var response = await page.GotoAsync("/board?hospital=nowhere&category=bogus&sort=sideways&page=999");
        Assert.Equal(200, response!.Status);
        await Expect(page.Locator("[data-current-page]")).ToHaveTextAsync($"Page {pages} of {pages}");
        await Expect(page.GetByLabel("Hospital", new() { Exact = true })).ToHaveValueAsync("");
        await Expect(page.GetByLabel("Sort by", new() { Exact = true })).ToHaveValueAsync("delay");
    }

    [Fact]
    public async Task The_first_view_from_the_server_is_the_live_board_and_going_live_keeps_a_half_typed_search()
    {
        await SeedAsync();
        var childId = await Site.RegisterChildAsync("Perpetua", "Lumb");
        var page = await browser.SignedInAsync("coordinator");
        // Hold the live connection back, as a slow link does, to read the server's view and type into it.
        var connect = new TaskCompletionSource();
        await page.RouteAsync("**/hubs/journey/negotiate*", async route => { await connect.Task; await route.ContinueAsync(); });
        await page.GotoAsync("/board?sort=name&page=2");
        var server = await ReadBoardAsync(page);
        Assert.Equal("connecting", await page.Locator("[data-connection]").GetAttributeAsync("data-state"));
        Assert.Null(await page.Locator("#board-root").GetAttributeAsync("data-loaded"));
        var search = page.GetByLabel("Find a child (name or NHS number)");
        await search.FillAsync("Perpetua");

        connect.SetResult();
        await BrowserSite.LiveAsync(page, "#board-root");
        // What was typed before the page went live is searched for, still in the box with the focus on it.
        await Expect(page).ToHaveURLAsync(new Regex("\\?q=Perpetua&sort=name$"));
        await Expect(page.Locator("[data-board-table] tbody tr[data-child-id]")).ToHaveCountAsync(1);
        await Expect(page.Locator($"tr[data-child-id='{childId}']")).ToHaveCountAsync(1);
        await Expect(search).ToBeFocusedAsync();
        await Expect(search).ToHaveValueAsync("Perpetua");
        // One of everything: the live board replaced the server's, it did not add to it.
        foreach (var one in new[] { "[data-board-table]", "#filter-search", "#filter-sort", "[data-pager]", "[data-board-lists]", "[data-shown]", "[data-export]", ".app-figures" })
            await Expect(page.Locator(one)).ToHaveCountAsync(1);
        Assert.Equal(0, await page.Locator("form[data-board-filters]").CountAsync());

        // Back to the address the server rendered: the live board reads the same, word for word.
        await page.GotoAsync("/board?sort=name&page=2");
        await BrowserSite.LiveAsync(page, "#board-root");
        Assert.Equal(server, await ReadBoardAsync(page));
    }

    [Fact]
    public async Task The_board_adds_up_the_families_time_and_money_without_naming_anyone_and_says_how()
    {
        await SeedAsync();
        var page = await browser.SignedInAsync("coordinator");
        await page.GotoAsync("/board");
        await BrowserSite.LiveAsync(page, "#board-root");
        var hours = page.Locator(".app-figure").Filter(new() { HasText = "families spent at and getting to appointments in the last 30 days" });
        var money = page.Locator(".app-figure").Filter(new() { HasText = "told us what it costs" });
        var (hoursBefore, _, _) = Figure(await hours.InnerTextAsync());
        var (moneyBefore, told, families) = Figure(await money.InnerTextAsync());

        // A new family: one hour's appointment two days ago; by car, 45 minutes each way, £12.50 a trip and £4.00 parking.
        var childId = await Site.RegisterChildAsync("Tamsin", "Larkspur");
        await Site.RunAsync(childId, o => new BookAppointment(o, Equipment, DateTimeOffset.UtcNow.AddDays(-2), TimeSpan.FromHours(1), "Royal Thamesbank Hospital", "Hoist review"));
        await Site.RunAsync(childId, o => new SetFamilyTravel(o with { Actor = new Actor("parent.larkspur", "Sam Larkspur", ActorRole.Family) }, TravelMode.Car, 45, 12.50m, 4.00m));

        // Live: 1 hour + 2 × 45 minutes = 2.5 hours more; £16.50 more, from one more family who told us what it costs.
        await Expect(money).ToContainTextAsync($"({told + 1} of {families + 1} families told us what it costs)");
        await Expect(money.Locator(".app-figure__value")).ToHaveTextAsync($"£{moneyBefore + 16.50m:#,##0.00}");
        await Expect(hours.Locator(".app-figure__value")).ToHaveTextAsync($"{hoursBefore + 2.5m:0.##} hours");
        var workedOut = page.Locator("[data-family-costs]");
        await Expect(workedOut).ToContainTextAsync($"How the families' figures were worked out: added up over the {families + 1} families of the children on the board, naming no one.");
        await Expect(workedOut).ToContainTextAsync($"only for the {told + 1} {(told == 0 ? "family" : "families")} who told us what getting there costs");
        // Totals only: the family is named nowhere in them.
        foreach (var totals in new[] { page.Locator(".app-figures"), workedOut })
            await Expect(totals).Not.ToContainTextAsync("Larkspur");
        await BrowserSite.ScreenshotAsync(page, "board-family-time-and-money");

        // The server's first view says the same.
        var live = await page.Locator(".app-figures").InnerTextAsync() + await workedOut.InnerTextAsync();
        var server = await browser.SignedInAsync("coordinator", javaScript: false);
        await server.GotoAsync("/board");
        Assert.Equal(live, await server.Locator(".app-figures").InnerTextAsync() + await server.Locator("[data-family-costs]").InnerTextAsync());

        static (decimal Value, int Told, int Families) Figure(string text)
        {
            var value = decimal.Parse(FigureValue().Match(text).Groups["value"].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
            var of = FamiliesOf().Match(text);
            return (value, of.Success ? int.Parse(of.Groups["told"].Value) : 0, of.Success ? int.Parse(of.Groups["families"].Value) : 0);
        }
    }

    [Fact]
    public async Task Delay_days_by_week_show_as_charts_with_their_figures_and_download_as_csv_for_the_returns()
    {
        await SeedAsync();
        var page = await browser.SignedInAsync("coordinator");
        var before = await DelayWeeksAsync(page);

        // A child ready for discharge ten days ago at noon with an equipment blocker since: ten delayed days (today is
        // not counted), each in its ISO week.
        var now = DateTimeOffset.UtcNow;
        var ready = now.AddDays(-10);
        var childId = $"e2e-weeks-{Guid.NewGuid():N}"[..30];
        var coordinator = new Actor("coordinator.weeks", "Priya Shah", ActorRole.Coordinator);
        CommandOrigin At(string id) => new(coordinator, "caretwin.web", $"{childId}-{id}");
        var imported = await Site.Grains.GetGrain<IChildHistoryImport>(childId).ImportHistory(
        [
            new TimedCommand(now.AddDays(-12), new RegisterChild(At("register"), childId, NhsNumber.TestRange(7_000 + Random.Shared.Next(90_000)).First(), "Wilhelmina", "Weekes",
                Site.Today.AddYears(-3), CareTwinSite.Hospital, CareTwinSite.Region, [new CareTeamMember("Priya Shah", "Discharge coordinator")])),
            new TimedCommand(now.AddDays(-12), new StartTransition(At("start"), TransitionKind.HospitalDischarge)),
            new TimedCommand(ready, new ChangeStage(At("optimised"), "transition-1", HospitalDischargeStages.MedicallyOptimised)),
            new TimedCommand(ready, new RaiseBlocker(At("blocker"), "transition-1", BlockerCategory.Equipment, Equipment, null, "Ventilator not yet delivered", null, Site.Today.AddDays(20), false)),
        ]);
        Assert.Null(imported.Refusal);
        var expected = new Dictionary<string, decimal>();
        for (var day = UkCalendar.DateOf(ready); day < Site.Today; day = day.AddDays(1))
            expected[$"{DelayAttribution.WeekStarting(day):yyyy-MM-dd}"] = expected.GetValueOrDefault($"{DelayAttribution.WeekStarting(day):yyyy-MM-dd}") + 1;

        // The CSV gains exactly those days, under the equipment service and category, one more child in each week.
        var after = await DelayWeeksAsync(page);
        var gained = after.Where(a => before.GetValueOrDefault(a.Key) != a.Value).ToList();
        Assert.Equal(expected.Keys.Order(), gained.Select(g => g.Key.Week).Order());
        Assert.All(gained, g =>
        {
            Assert.Equal("Equipment", g.Key.Category);
            Assert.Equal(expected[g.Key.Week], g.Value.Days - before.GetValueOrDefault(g.Key).Days);
            Assert.Equal(1, g.Value.Children - before.GetValueOrDefault(g.Key).Children);
        });

        // On the board: two charts (by agency, by category), each twelve weeks with its figures in a table.
        await page.GotoAsync("/board");
        await BrowserSite.LiveAsync(page, "#board-root");
        var charts = page.Locator("[data-delay-weeks] [data-delay-weeks-chart]");
        await Expect(charts).ToHaveCountAsync(2);
        await Expect(charts.Nth(0).Locator("figcaption")).ToHaveTextAsync("Delay days by week and owning agency");
        await Expect(charts.Nth(1).Locator("figcaption")).ToHaveTextAsync("Delay days by week and blocker category");
        await Expect(charts.Nth(1).Locator(".app-chart__legend")).ToContainTextAsync("Equipment");
        await Expect(charts.Nth(0).Locator("svg[role='img'] desc")).ToContainTextAsync("delay days in the last 12 weeks");
        await Expect(charts.Nth(0).Locator("tbody tr")).ToHaveCountAsync(12);
        var lastWeek = charts.Nth(1).Locator("tbody tr").Last;
        await Expect(lastWeek.Locator("th")).ToHaveTextAsync(UkCalendar.Describe(DelayAttribution.WeekStarting(Site.Today)));
        await charts.Nth(1).Locator("summary").ClickAsync();
        await Expect(charts.Nth(1).Locator("thead")).ToContainTextAsync("Week starting");
        await BrowserSite.ScreenshotAsync(page, "board-delay-days-by-week");

        var link = page.Locator("[data-delay-weeks-export]");
        await Expect(link).ToHaveAttributeAsync("href", "/board/delays-by-week.csv");
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Equal($"north-thames-delays-by-week-{Site.Today:yyyy-MM-dd}.csv", download.SuggestedFilename);
        Assert.StartsWith("Week starting,Agency,Category,Delay days,Children\r\n", (await File.ReadAllTextAsync((await download.PathAsync())!)).TrimStart('\uFEFF'));
    }

    /// <summary>The board's delay days by week CSV as (week, agency, category) → (days, children), checking each line's form.</summary>
    private static async Task<Dictionary<(string Week, string Agency, string Category), (decimal Days, int Children)>> DelayWeeksAsync(IPage page)
    {
        var response = await page.APIRequest.GetAsync("/board/delays-by-week.csv");
        Assert.Equal(200, response.Status);
        var lines = (await response.TextAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Week starting,Agency,Category,Delay days,Children", lines[0]);
        var weeks = new Dictionary<(string, string, string), (decimal, int)>();
        foreach (var line in lines.Skip(1))
        {
            // Names with a comma ("Newham Council, housing") are quoted.
            var cells = CsvCell().Matches(line).Select(m => m.Groups["quoted"].Success ? m.Groups["quoted"].Value.Replace("\"\"", "\"", StringComparison.Ordinal) : m.Groups["plain"].Value).ToArray();
            Assert.Equal(5, cells.Length);
            Assert.Equal(DayOfWeek.Monday, DateOnly.ParseExact(cells[0], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).DayOfWeek);
            Assert.Matches(@"^\d+\.\d{2}$", cells[3]);
            weeks[(cells[0], cells[1], cells[2])] = (decimal.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture), int.Parse(cells[4]));
        }
        return weeks;
    }

    /// <summary>What a person reads of the board, and where its bars and links are.</summary>
    private static async Task<IReadOnlyList<string>> ReadBoardAsync(IPage page)
    {
        var parts = new List<string>();
        foreach (var selector in new[] { "#board-root .nhsuk-lede-text", ".app-figures", "[data-family-costs]", "[data-board-lists]", "[data-shown]", "[data-export]", "[data-board-table]", "[data-pager]" })
            parts.Add($"{selector}: {await page.Locator(selector).InnerTextAsync()}");
        parts.Add("charts: " + await page.Locator(".app-charts").InnerTextAsync());
        parts.Add("by week: " + await page.Locator("[data-delay-weeks]").InnerTextAsync());
        parts.AddRange(await page.Locator("[data-delay-weeks] svg").EvaluateAllAsync<string[]>(
            "charts => charts.map(c => c.getAttribute('viewBox') + ' ' + c.querySelector('desc').textContent + ' ' + [...c.querySelectorAll('text, rect')].map(e => `${e.tagName} ${e.getAttribute('class')} ${e.getAttribute('x')} ${e.getAttribute('y')} ${e.getAttribute('width')} ${e.textContent}`).join('|'))"));
        parts.AddRange(await page.Locator(".app-charts svg").EvaluateAllAsync<string[]>(
            "charts => charts.map(c => c.getAttribute('viewBox') + ' ' + c.querySelector('desc').textContent + ' ' + [...c.querySelectorAll('text, rect')].map(e => `${e.tagName} ${e.getAttribute('x')} ${e.getAttribute('y')} ${e.getAttribute('width')} ${e.textContent}`).join('|'))"));
        // Where each link goes (the script writes some relative to the page, the server from the root: the same place).
        parts.AddRange(await page.Locator("#board-root a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.href)"));
        return parts;
    }

    private static async Task<IReadOnlyList<string>> NamesAsync(IPage page) =>
        await page.Locator("[data-board-table] tbody tr[data-child-id] td:first-child a").AllInnerTextsAsync();

    [GeneratedRegex("(?:^|,)(?:\"(?<quoted>(?:[^\"]|\"\")*)\"|(?<plain>[^,]*))")]
    private static partial Regex CsvCell();

    [GeneratedRegex(@"^£?(?<value>[\d,]+(\.\d+)?)")]
    private static partial Regex FigureValue();

    [GeneratedRegex(@"\((?<told>\d+) of (?<families>\d+) famil")]
    private static partial Regex FamiliesOf();

    [GeneratedRegex(@"^Showing 1–50 of \d+ children\.$")]
    private static partial Regex ShowingFirstPage();

    [GeneratedRegex(@"^Page 1 of (?<pages>\d+)$")]
    private static partial Regex PageOneOf();

    [GeneratedRegex(@"^NHS number \d{3} \d{3} \d{4}$")]
    private static partial Regex NhsNumberText();

    [GeneratedRegex(@"^Born \d{1,2} [A-Z][a-z]{2,8} \d{4}$")]
    private static partial Regex BornText();
}
