using System.Collections.Immutable;
using System.Text.RegularExpressions;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using CareTwin.Web.Views;

namespace CareTwin.Web.Tests.Views;

/// <summary>The board's first view as the server writes it, for what a browser test does not reach cheaply: odd addresses and odd data.</summary>
public sealed partial class BoardHtmlTests
{
    private static readonly DateOnly Today = new(2026, 12, 5);
    private static readonly ImmutableHashSet<string> Hospitals = ["royal-thamesbank"];

    [Fact]
    public void A_page_past_the_last_shows_the_last_and_its_links_keep_the_board_and_the_sort()
    {
        var html = Render(Enumerable.Range(0, 120).Select(i => Row($"c-{i:000}", $"Child {i:000}", daysDelayed: i)), "sort=name&page=999", "region:north-thames");
        Assert.Contains("data-current-page=\"3\">Page 3 of 3</span>", html, StringComparison.Ordinal);
        Assert.Equal(20, ChildRows().Count(html));
        Assert.Contains("Showing 101&#x2013;120 of 120 children.", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/board?board=region%3Anorth-thames&amp;sort=name&amp;page=2\" data-page=\"2\" rel=\"prev\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/board/export.csv?board=region%3Anorth-thames&amp;sort=name\"", html, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"board\" value=\"region:north-thames\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"next\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_the_board_does_not_know_are_ignored_and_an_empty_list_says_so_without_pages()
    {
        var html = Render([Row("c-1", "Ada L.", daysDelayed: 3)], "list=elsewhere&hospital=nowhere&agency=no.such-agency&category=bogus&delay=100000&sort=sideways&page=abc", null);
        Assert.Equal(1, ChildRows().Count(html));
        Assert.Contains("<option value=\"delay\" selected>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"discharged\"", html, StringComparison.Ordinal);

        var empty = Render([], "delay=10", null);
        Assert.Contains("data-empty><td class=\"nhsuk-table__cell\" colspan=\"10\">No children on the board match these filters.</td>", empty, StringComparison.Ordinal);
        Assert.Contains("Showing no children of 0.", empty, StringComparison.Ordinal);
        Assert.Contains("Download these 0 children as CSV", empty, StringComparison.Ordinal);
        Assert.Contains("<nav class=\"app-pager\" aria-label=\"Pages of children\" data-pager></nav>", empty, StringComparison.Ordinal);
        Assert.Contains("value=\"10\"", empty, StringComparison.Ordinal);
    }

    [Fact]
    public void Whatever_was_typed_into_a_name_or_a_search_is_shown_as_text()
    {
        var html = Render([Row("c-1", "<img src=x onerror=alert(1)>", daysDelayed: 3)], "q=%22%3E%3Cscript%3Ealert(2)%3C%2Fscript%3E", null);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    private static string Render(IEnumerable<BoardRow> rows, string address, string? board)
    {
        var all = rows.ToImmutableArray();
        var view = new BoardView("region:north-thames", "North Thames", all, BoardTotals.Of(BoardSummary.Of(all)),
            ImmutableDictionary<string, string>.Empty.Add("housing.newham", "Newham, housing"),
            ImmutableDictionary<string, string>.Empty.Add("royal-thamesbank", "Royal Thamesbank"), DateTimeOffset.UnixEpoch, BoardView.AllStageTitles);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(address);
        var parsed = BoardQuery.Parse(name => query.TryGetValue(name, out var v) ? v.ToString() : null, Hospitals, ImmutableHashSet.Create(ServiceKey.Parse("housing.newham")));
        return BoardHtml.Render(view, parsed, new DateTimeOffset(Today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero), board);
    }

    private static BoardRow Row(string id, string name, int daysDelayed) =>
        new(id, name, "royal-thamesbank", "north-thames", TransitionKind.HospitalDischarge, HospitalDischargeStages.DischargePlanning,
            Today.AddDays(-daysDelayed), daysDelayed, null, null,
            ImmutableDictionary<BlockerCategory, int>.Empty, ImmutableDictionary<ServiceKey, int>.Empty, 0, 0, 0,
            ImmutableDictionary<ServiceKey, decimal>.Empty, ImmutableDictionary<BlockerCategory, decimal>.Empty, 0, 0, DateTimeOffset.UnixEpoch);

    [GeneratedRegex("<tr class=\"nhsuk-table__row\" data-child-id=")]
    private static partial Regex ChildRows();
}
