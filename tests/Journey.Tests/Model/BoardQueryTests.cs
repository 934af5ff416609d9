using System.Collections.Immutable;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

/// <summary>The board's lists, filters, sorts and pages, as its address asks for them.</summary>
public class BoardQueryTests
{
    private static readonly DateOnly Today = new(2026, 12, 5);
    private static readonly IReadOnlySet<string> Hospitals = new HashSet<string> { "royal-thamesbank", "st-brigids" };
    private static readonly IReadOnlySet<ServiceKey> Services = new HashSet<ServiceKey> { ServiceKey.Parse("housing.newham") };

    private static BoardQuery Parse(params (string Name, string Value)[] address) =>
        BoardQuery.Parse(name => address.Where(a => a.Name == name).Select(a => a.Value).FirstOrDefault(), Hospitals, Services);

    private static BoardRow Row(string id, string name, int delay, string hospital = "royal-thamesbank", DateOnly? discharged = null, int escalation = 0,
        ImmutableDictionary<ServiceKey, int>? services = null) =>
        new(id, name, hospital, "north-thames", TransitionKind.HospitalDischarge, HospitalDischargeStages.DischargePlanning, null, delay, null, null,
            ImmutableDictionary<BlockerCategory, int>.Empty, services ?? ImmutableDictionary<ServiceKey, int>.Empty, escalation, 0, 0,
            ImmutableDictionary<ServiceKey, decimal>.Empty, ImmutableDictionary<BlockerCategory, decimal>.Empty, 0, 0, DateTimeOffset.UnixEpoch,
            DischargedOn: discharged);

    [Fact]
    public void A_discharged_child_s_row_says_when_and_leaves_the_live_totals()
    {
        var driver = new JourneyDriver().InHospital(HospitalDischargeStages.Discharged);
        var row = BoardRowProjection.Build(driver.State, driver.Now)!;
        Assert.Equal(UkCalendar.DateOf(driver.Now), row.DischargedOn);
        Assert.Equal((ValidNhsNumber, new DateOnly(2021, 3, 14)), (row.NhsNumber!.Formatted, row.DateOfBirth));

        var inHospital = BoardRowProjection.Build(new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised).State, driver.Now)! with { ChildId = "child-2" };
        Assert.Null(inHospital.DischargedOn);
        var summary = BoardSummary.Of([row with { DaysDelayed = 672 }, inHospital]);
        Assert.Equal((1, 1, 0L), (summary.Children, summary.Discharged, summary.DaysDelayed));
        Assert.Equal([1, 0, 0, 0], summary.ChildrenByEscalationLevel.ToArray());
        Assert.Equal((2, 0), (summary.Remove("child-2").Children + summary.Remove("child-2").Discharged + 1, summary.Remove("child-1").Discharged));
    }

    [Fact]
    public void Unknown_values_are_ignored_and_what_is_left_reads_back_the_same()
    {
        Assert.Equal(BoardQuery.Default, Parse(("list", "elsewhere"), ("hospital", "nowhere"), ("agency", "no.such"), ("agency", "NOT A KEY"),
            ("category", "bogus"), ("delay", "-5"), ("sort", "sideways"), ("page", "abc")));
        Assert.Equal(BoardQuery.Default, Parse(("delay", "99999999999"), ("page", "0"), ("sort", "discharged")));

        var query = Parse(("list", "discharged"), ("hospital", "st-brigids"), ("agency", "housing.newham"), ("category", "equipment"), ("delay", "10"), ("sort", "name"), ("page", "3"));
        Assert.Equal(new BoardQuery(BoardList.RecentlyDischarged, "st-brigids", ServiceKey.Parse("housing.newham"), BlockerCategory.Equipment, 10, BoardSort.Name, 3), query);
        Assert.Equal("list=discharged&hospital=st-brigids&agency=housing.newham&category=equipment&delay=10&sort=name&page=3", query.ToAddress());
        Assert.Equal("list=discharged&hospital=st-brigids&agency=housing.newham&category=equipment&delay=10&sort=name", query.ToAddress(withPage: false));
        Assert.Equal("", BoardQuery.Default.ToAddress());
        Assert.Equal("list=discharged", Parse(("list", "discharged"), ("sort", "discharged")).ToAddress());
    }

    [Fact]
    public void The_live_list_leaves_out_discharged_children_and_the_other_lists_those_discharged_in_the_last_30_days()
    {
        BoardRow[] rows =
        [
            Row("a", "Oliver A.", 10), Row("b", "Oliver A.", 672, discharged: Today.AddDays(-2)),
            Row("c", "Zoë B.", 3, discharged: Today.AddDays(-30)), Row("d", "Ava C.", 40, discharged: Today.AddDays(-31)),
            // Stored before rows carried the date: discharged by its stage, so off the live list (and the live totals).
            Row("e", "Leo D.", 672) with { Stage = HospitalDischargeStages.Discharged },
        ];
        Assert.Equal((1, 4), (BoardSummary.Of(rows).Children, BoardSummary.Of(rows).Discharged));
        Assert.Equal(["a"], BoardQuery.Default.Select(rows, Today).Select(r => r.ChildId));
        Assert.Equal(["b", "c"], (BoardQuery.Default with { List = BoardList.RecentlyDischarged, Sort = BoardSort.Discharged }).Select(rows, Today).Select(r => r.ChildId));
    }

    [Fact]
    public void Filters_and_sorts_give_one_order_with_ties_broken_by_the_child_id()
    {
        var housing = ImmutableDictionary<ServiceKey, int>.Empty.Add(ServiceKey.Parse("housing.newham"), 1);
        BoardRow[] rows =
        [
            Row("c", "Oliver A.", 10, escalation: 2, services: housing), Row("a", "Oliver A.", 10), Row("b", "Ava C.", 30, "st-brigids"),
            Row("d", "Émile D.", 5, escalation: 2),
        ];
        string[] Ids(BoardQuery q) => [.. q.Select(rows, Today).Select(r => r.ChildId)];
        Assert.Equal(["b", "a", "c", "d"], Ids(BoardQuery.Default));
        Assert.Equal(["b", "d", "a", "c"], Ids(BoardQuery.Default with { Sort = BoardSort.Name }));
        Assert.Equal(["c", "d", "b", "a"], Ids(BoardQuery.Default with { Sort = BoardSort.Escalation }));
        Assert.Equal(["b"], Ids(BoardQuery.Default with { Hospital = "st-brigids" }));
        Assert.Equal(["c"], Ids(BoardQuery.Default with { Agency = ServiceKey.Parse("housing.newham") }));
        Assert.Equal(["b"], Ids(BoardQuery.Default with { MinDelay = 10 }));
    }

    [Fact]
    public void A_search_finds_a_child_by_name_or_by_nhs_number_as_printed()
    {
        Assert.True(Children.NhsNumber.TryParse("943 476 5919", out var nhs, out _));
        BoardRow[] rows = [Row("a", "Oliver A.", 1) with { NhsNumber = nhs }, Row("b", "Olivia B.", 2), Row("c", "Zoë C.", 3)];
        string[] Ids(params (string, string)[] address) => [.. Parse(address).Select(rows, Today).Select(r => r.ChildId)];
        Assert.Equal(["b", "a"], Ids(("q", "  oliv ")));
        Assert.Equal(["a"], Ids(("q", "476 59")));
        Assert.Equal(["a"], Ids(("q", "9434765919")));
        Assert.Equal(["c"], Ids(("q", "ZOË")));
        Assert.Empty(Ids(("q", "000")));
        Assert.Equal("q=Oliver%20A.&sort=name", Parse(("q", "Oliver A."), ("sort", "name")).ToAddress());
        Assert.Null(Parse(("q", "   ")).Search);
        Assert.Equal(BoardQuery.LongestSearch, Parse(("q", new string('x', 500))).Search!.Length);
    }

    [Fact]
    public void Pages_hold_fifty_and_a_page_past_the_last_is_the_last()
    {
        var rows = Enumerable.Range(0, 120).Select(i => Row($"child-{i:000}", "Amelia O.", i)).ToList();
        var selected = BoardQuery.Default.Select(rows, Today);
        Assert.Equal((1, 3), BoardQuery.Default.PageOf(selected.Length));
        Assert.Equal((3, 3), (BoardQuery.Default with { Page = 99 }).PageOf(selected.Length));
        Assert.Equal((1, 1), (BoardQuery.Default with { Page = 4 }).PageOf(0));
        var last = (BoardQuery.Default with { Page = 99 }).PageRows(selected);
        Assert.Equal(20, last.Length);
        Assert.Equal("child-019", last[0].ChildId);
    }
}
