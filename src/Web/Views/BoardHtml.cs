using System.Globalization;
using System.Text;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using CareTwin.Journey.Wording;
using static CareTwin.Web.Pages.PageShell;

namespace CareTwin.Web.Views;

/// <summary>
/// The coordinators' board's first view as HTML, rendered on the server so it reads without JavaScript: the totals,
/// the two lists, a filter form that asks by plain GET (the address's own parameter names), the page of rows the
/// address asks for and links to the other pages. The page's script (board.ts) replaces it with the live board once
/// connected; the markup, classes and words here are board.ts's, so nothing moves when it does.
/// </summary>
public static class BoardHtml
{
    private static readonly CultureInfo Uk = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>The sorts' names, as boardQuery.ts's sortTitles.</summary>
    private static readonly (BoardSort Sort, string Title)[] SortTitles =
    [
        (BoardSort.Delay, "Days delayed (most first)"), (BoardSort.Escalation, "Escalation level"), (BoardSort.Breaches, "SLA breaches"),
        (BoardSort.Predicted, "Predicted ready date"), (BoardSort.Forecast, "Likely ready"), (BoardSort.Name, "Name"), (BoardSort.Discharged, "Discharged (most recent first)"),
    ];

    private static readonly string[] Columns =
        ["Child", "Hospital", "Stage", "Days delayed", "Open blockers", "Owning agencies", "Escalation", "SLA breaches", "Predicted ready", "Likely ready"];

    /// <param name="query">The address's query (values the board does not know already dropped); its page is clamped here.</param>
    /// <param name="board">The address's board parameter, kept first in every link as the board form puts it (null when the address has none).</param>
    /// <param name="now">Now: the UK date "recently discharged" counts back from, and how long family concerns have waited.</param>
    public static string Render(BoardView view, BoardQuery query, DateTimeOffset now, string? board)
    {
        var today = UkCalendar.DateOf(now);
        var selected = query.Select(view.Rows, today);
        var (page, pages) = query.PageOf(selected.Length);
        query = query with { Page = page };
        var html = new StringBuilder(64 * 1024);
        html.Append("<p class=\"nhsuk-lede-text\">").Append(Encode(view.Title)).Append("</p>");
        Figures(html, view, now);
        html.Append("<h2>Where the delay days are</h2><div class=\"app-charts\">");
        Chart(html, "board-chart-agency", "Delay days by owning agency", view.Totals.DelayDaysByService.Select(s => (view.ServiceNames.GetValueOrDefault(s.Key.Value, ServiceNames.Unlisted), s.Value)));
        Chart(html, "board-chart-category", "Delay days by blocker category", view.Totals.DelayDaysByCategory.Select(c => (BlockerCategories.Title(c.Key), c.Value)));
        html.Append("</div>");
        DelayWeeksHtml.Render(html, view, today, board);
        html.Append("<h2>Children</h2>");
        Lists(html, view, query, today, board);
        Filters(html, view, query, board);

        var total = Unfiltered(query.List).Select(view.Rows, today).Length;
        var onPage = query.PageRows(selected);
        var first = (page - 1) * BoardQuery.PageSize;
        html.Append("<div class=\"app-board-status\"><p class=\"nhsuk-body-s\" role=\"status\" data-shown>")
            .Append(Encode(selected.Length == 0
                ? $"Showing no children of {total}."
                : $"Showing {first + 1}–{first + onPage.Length} of {Quantity.Of(selected.Length, "child", "children")}{(selected.Length < total ? $" (filtered from {total})" : "")}."))
            .Append("</p><p class=\"nhsuk-body-s\"><a class=\"nhsuk-link\" data-export download href=\"").Append(Encode("/board/export.csv" + Query(query, board, withPage: false))).Append("\">")
            .Append(selected.Length == 1 ? "Download this child as CSV" : $"Download these {selected.Length} children as CSV").Append("</a></p></div>");

        html.Append("<div class=\"app-table-wrap app-board-scroll\" role=\"region\" aria-label=\"Children\" tabindex=\"0\"><table class=\"nhsuk-table app-board\" data-board-table>")
            .Append("<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">Children on ").Append(Encode(view.Title)).Append("</caption><thead class=\"nhsuk-table__head\"><tr>");
        foreach (var column in Columns) html.Append("<th scope=\"col\">").Append(column).Append("</th>");
        html.Append("</tr></thead><tbody class=\"nhsuk-table__body\">");
        if (onPage.IsEmpty)
            html.Append("<tr class=\"nhsuk-table__row\" data-empty><td class=\"nhsuk-table__cell\" colspan=\"").Append(Columns.Length).Append("\">")
                .Append(query.List == BoardList.Live ? "No children on the board match these filters." : "No child discharged in the last 30 days matches these filters.").Append("</td></tr>");
        foreach (var row in onPage) Row(html, view, row, now);
        html.Append("</tbody></table></div>");
        Pager(html, query, board, pages);
        return html.ToString();
    }

    private static void Figures(StringBuilder html, BoardView view, DateTimeOffset now)
    {
        var totals = view.Totals;
        var live = view.Rows.Where(r => !r.IsDischarged).ToList();
        html.Append("<div class=\"app-figures\">");
        Figure(totals.Children, "children on the board");
        Figure(totals.ChildrenDelayed, "children delayed");
        Figure(totals.DaysDelayed, "days delayed in total");
        Figure(totals.SlaBreaches, "blockers past their SLA");
        Figure(totals.AwaitingAcknowledgement, "escalations awaiting acknowledgement");
        // Counted from the live list's rows, as board.ts counts them.
        Figure(live.Sum(r => r.FamilyConcerns), "family concerns open");
        Figure(live.Count(r => ConcernWaiting(view, r, now) is not null), $"children with a family concern waiting over {HoursInWords(ConcernHours(view))}");
        foreach (var figure in totals.FamilyCosts.Figures)
            Worded(figure.Value, figure.Label);
        html.Append("</div><p class=\"nhsuk-body-s\" data-family-costs>").Append(Encode(totals.FamilyCosts.WorkedOut)).Append("</p>");

        void Figure(long value, string label) => Worded(value.ToString(CultureInfo.InvariantCulture), label);

        void Worded(string value, string label) =>
            html.Append("<div class=\"app-figure\"><span class=\"app-figure__value\">").Append(Encode(value)).Append("</span>").Append(Encode(label)).Append("</div>");
    }

    /// <summary>A bar chart as chart.ts draws it (the same SVG, so nothing moves when the script takes over), with its figures in a table.</summary>
    private static void Chart(StringBuilder html, string id, string title, IEnumerable<(string Label, decimal Value)> bars)
    {
        const int width = 640, labelWidth = 290, barHeight = 22, gap = 8;
        var top = bars.OrderByDescending(b => b.Value).ToList();
        var max = Math.Max(1, top.Count == 0 ? 0 : (double)top.Max(b => b.Value));
        var summary = top.Count == 0
            ? "No delay days to show."
            : string.Join("; ", top.Take(3).Select(b => $"{b.Label}: {Whole(b.Value)} days")) + (top.Count > 3 ? $"; and {top.Count - 3} more." : ".");
        html.Append("<figure class=\"nhsuk-u-margin-bottom-4\"><figcaption class=\"nhsuk-heading-s\">").Append(title).Append("</figcaption>")
            .Append("<svg class=\"app-chart\" viewBox=\"0 0 ").Append(width).Append(' ').Append(Math.Max(1, top.Count) * (barHeight + gap) + gap)
            .Append("\" role=\"img\" aria-labelledby=\"").Append(id).Append("-title ").Append(id).Append("-desc\" focusable=\"false\">")
            .Append("<title id=\"").Append(id).Append("-title\">").Append(title).Append("</title><desc id=\"").Append(id).Append("-desc\">").Append(Encode(summary)).Append("</desc>");
        for (var i = 0; i < top.Count; i++)
        {
            var (label, value) = top[i];
            var y = gap + i * (barHeight + gap);
            var length = Math.Max(2, (width - labelWidth - 70) * (double)value / max);
            html.Append("<text class=\"app-chart__label\" x=\"").Append(labelWidth - 8).Append("\" y=\"").Append(Number(y + barHeight * 0.72)).Append("\" text-anchor=\"end\">")
                .Append(Encode(label.Length <= 36 ? label : label[..35] + "…")).Append("</text>")
                .Append("<rect class=\"app-chart__bar\" x=\"").Append(labelWidth).Append("\" y=\"").Append(y).Append("\" width=\"").Append(Number(length)).Append("\" height=\"").Append(barHeight).Append("\"></rect>")
                .Append("<text class=\"app-chart__value\" x=\"").Append(Number(labelWidth + length + 6)).Append("\" y=\"").Append(Number(y + barHeight * 0.72)).Append("\">").Append(Whole(value)).Append("</text>");
        }
        html.Append("</svg><details class=\"nhsuk-details\"><summary class=\"nhsuk-details__summary\"><span class=\"nhsuk-details__summary-text\">Show the figures</span></summary>")
            .Append("<div class=\"nhsuk-details__text\"><table class=\"nhsuk-table\"><caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">").Append(title).Append("</caption>")
            .Append("<thead class=\"nhsuk-table__head\"><tr><th scope=\"col\">Name</th><th scope=\"col\" class=\"nhsuk-table__header--numeric\">Delay (days)</th></tr></thead><tbody class=\"nhsuk-table__body\">");
        foreach (var (label, value) in top)
            html.Append("<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">").Append(Encode(label)).Append("</td><td class=\"nhsuk-table__cell nhsuk-table__cell--numeric\">")
                .Append(value.ToString("F1", CultureInfo.InvariantCulture)).Append("</td></tr>");
        html.Append("</tbody></table></div></details></figure>");

        static string Whole(decimal value) => Math.Round(value, MidpointRounding.AwayFromZero).ToString("F0", CultureInfo.InvariantCulture);
        static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
    }

    private static void Lists(StringBuilder html, BoardView view, BoardQuery query, DateOnly today, string? board)
    {
        html.Append("<nav class=\"app-board-lists\" aria-label=\"Lists\" data-board-lists><ul class=\"app-board-lists__items\">");
        Tab(BoardList.Live, "live", "On the board");
        Tab(BoardList.RecentlyDischarged, "discharged", $"Discharged in the last {BoardQuery.RecentlyDischargedDays} days");
        html.Append("</ul></nav>");

        void Tab(BoardList list, string key, string text) =>
            html.Append("<li><a class=\"app-board-lists__link\" href=\"").Append(Encode(Address(query with { List = list, Sort = BoardQuery.DefaultSort(list), Page = 1 }, board))).Append('"')
                .Append(query.List == list ? " aria-current=\"page\"" : "").Append(" data-list=\"").Append(key).Append("\">")
                .Append(Encode($"{text} ({Unfiltered(list).Select(view.Rows, today).Length})")).Append("</a></li>");
    }

    /// <summary>The script's filters as a form that asks by GET, so the answer's address is the one the script would write.</summary>
    private static void Filters(StringBuilder html, BoardView view, BoardQuery query, string? board)
    {
        html.Append("<div><form class=\"app-filters\" method=\"get\" action=\"/board\" aria-label=\"Filter and sort the children\" data-board-filters>");
        if (!string.IsNullOrEmpty(board)) Hidden("board", board);
        if (query.List == BoardList.RecentlyDischarged) Hidden("list", "discharged");
        html.Append("<div class=\"nhsuk-form-group app-filters__search\"><label class=\"nhsuk-label\" for=\"filter-search\">Find a child (name or NHS number)</label>")
            .Append("<input class=\"nhsuk-input\" id=\"filter-search\" name=\"q\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\" maxlength=\"").Append(BoardQuery.LongestSearch)
            .Append("\" value=\"").Append(Encode(query.Search)).Append("\"></div>");
        var hospitals = view.HospitalNames.Keys.Concat(view.Rows.Select(r => r.HospitalKey)).Distinct().Order(StringComparer.Ordinal);
        Choice("filter-hospital", "hospital", "Hospital", hospitals.Select(k => (k, view.HospitalNames.GetValueOrDefault(k, k))), query.Hospital);
        Choice("filter-agency", "agency", "Owning agency", view.ServiceNames.OrderBy(s => s.Value, StringComparer.Create(Uk, false)).Select(s => (s.Key, s.Value)), query.Agency?.Value);
        Choice("filter-category", "category", "Blocker category", Enum.GetValues<BlockerCategory>().Select(c => (BlockerCategories.Key(c), BlockerCategories.Title(c))),
            query.Category is { } category ? BlockerCategories.Key(category) : null);
        html.Append("<div class=\"nhsuk-form-group\"><label class=\"nhsuk-label\" for=\"filter-delay\">Delayed more than (days)</label>")
            .Append("<input class=\"nhsuk-input nhsuk-input--width-4\" id=\"filter-delay\" name=\"delay\" type=\"number\" min=\"0\" max=\"").Append(BoardQuery.LargestMinDelay).Append("\" inputmode=\"numeric\" value=\"")
            .Append(query.MinDelay > 0 ? query.MinDelay.ToString(CultureInfo.InvariantCulture) : "").Append("\"></div>");
        html.Append("<div class=\"nhsuk-form-group\"><label class=\"nhsuk-label\" for=\"filter-sort\">Sort by</label><select class=\"nhsuk-select\" id=\"filter-sort\" name=\"sort\">");
        // "Most recently discharged" means nothing on the live list.
        foreach (var (sort, title) in SortTitles.Where(s => s.Sort != BoardSort.Discharged || query.List == BoardList.RecentlyDischarged))
            html.Append("<option value=\"").Append(BoardQuery.SortKey(sort)).Append('"').Append(sort == query.Sort ? " selected" : "").Append('>').Append(title).Append("</option>");
        html.Append("</select></div><div class=\"nhsuk-form-group\"><button class=\"nhsuk-button nhsuk-button--secondary\" type=\"submit\">Show children</button></div></form></div>");

        void Hidden(string name, string value) =>
            html.Append("<input type=\"hidden\" name=\"").Append(name).Append("\" value=\"").Append(Encode(value)).Append("\">");

        void Choice(string id, string name, string label, IEnumerable<(string Value, string Text)> options, string? chosen)
        {
            html.Append("<div class=\"nhsuk-form-group\"><label class=\"nhsuk-label\" for=\"").Append(id).Append("\">").Append(label).Append("</label><select class=\"nhsuk-select\" id=\"")
                .Append(id).Append("\" name=\"").Append(name).Append("\"><option value=\"\">All</option>");
            foreach (var (value, text) in options)
                html.Append("<option value=\"").Append(Encode(value)).Append('"').Append(value == chosen ? " selected" : "").Append('>').Append(Encode(text)).Append("</option>");
            html.Append("</select></div>");
        }
    }

    private static int ConcernHours(BoardView view) => view.ConcernAnswerWithinHours ?? 48;

    /// <summary>How long the row's oldest unanswered family concern has waited, once past the board's time (board.ts's concernWaiting).</summary>
    private static string? ConcernWaiting(BoardView view, BoardRow row, DateTimeOffset now) =>
        row.OldestUnansweredConcern is { } flagged && now - flagged > TimeSpan.FromHours(ConcernHours(view))
            ? HoursInWords((int)Math.Floor((now - flagged).TotalHours))
            : null;

    private static string HoursInWords(int hours) => hours >= 24 ? Quantity.Of(hours / 24, "day", "days") : Quantity.Of(hours, "hour", "hours");

    private static void Row(StringBuilder html, BoardView view, BoardRow row, DateTimeOffset now)
    {
        html.Append("<tr class=\"nhsuk-table__row\" data-child-id=\"").Append(Encode(row.ChildId)).Append("\"><td class=\"nhsuk-table__cell\"><a href=\"/children/")
            .Append(Encode(Uri.EscapeDataString(row.ChildId))).Append("\">").Append(Encode(row.ChildName)).Append("</a>");
        if (row.NhsNumber is { } nhs) html.Append("<span class=\"app-meta app-board__who\" data-nhs-number>NHS number ").Append(Encode(nhs.Formatted)).Append("</span>");
        if (row.DateOfBirth is { } born) html.Append("<span class=\"app-meta app-board__who\" data-born>Born ").Append(UkCalendar.Describe(born)).Append("</span>");
        if (row.FamilyConcerns > 0) html.Append("<span class=\"app-meta app-board__who\" data-family-concerns>").Append(Quantity.Of(row.FamilyConcerns, "family concern", "family concerns")).Append(" open</span>");
        if (ConcernWaiting(view, row, now) is { } waited) html.Append("<strong class=\"nhsuk-tag nhsuk-tag--red\" data-concern-waiting>Concern waiting ").Append(waited).Append("</strong>");
        Cell(Encode(view.HospitalNames.GetValueOrDefault(row.HospitalKey, row.HospitalKey)));
        Cell(Encode(row.DischargedOn is { } left ? $"Discharged on {UkCalendar.Describe(left)}" : row.StageTitle ?? BoardView.StageTitle(row.Stage)));
        Cell($"<span data-days-delayed>{row.DaysDelayed.ToString(CultureInfo.InvariantCulture)}</span>");
        Cell(Counted(row.OpenBlockersByCategory.Select(c => (Encode(BlockerCategories.Title(c.Key)), c.Value))));
        Cell(Counted(row.OpenBlockersByService.Select(s =>
            ($"<a href=\"/services/{Encode(Uri.EscapeDataString(s.Key.Value))}\">{Encode(view.ServiceNames.GetValueOrDefault(s.Key.Value, ServiceNames.Unlisted))}</a>", s.Value))));
        Cell((row.MaxEscalationLevel > 0
                 ? $"<strong class=\"nhsuk-tag {(row.MaxEscalationLevel >= 2 ? "nhsuk-tag--red" : "nhsuk-tag--orange")}\">Level {row.MaxEscalationLevel}</strong>"
                 : "None")
             + (row.AwaitingAcknowledgement > 0 ? $"<span class=\"app-meta\"> {row.AwaitingAcknowledgement} awaiting acknowledgement</span>" : ""));
        Cell(row.SlaBreaches > 0 ? $"<strong class=\"nhsuk-tag nhsuk-tag--red\">{row.SlaBreaches}</strong>" : "0");
        Cell(row.PredictedReadyDate is { } ready ? UkCalendar.Describe(ready) : "—");
        Cell(row.Forecast is { } forecast ? $"<span data-forecast>{Encode(Capitalised(DayRange.Describe(forecast.LikelyFrom, forecast.LikelyBy)))}</span>" : "—");
        html.Append("</td></tr>");

        // Closes the cell before: the first is opened above, with the child's name.
        void Cell(string content) => html.Append("</td><td class=\"nhsuk-table__cell\">").Append(content);
    }

    private static string Capitalised(string words) => char.ToUpperInvariant(words[0]) + words[1..];

    /// <summary>Each item (already HTML), with "×n" when there is more than one; "None" for none.</summary>
    private static string Counted(IEnumerable<(string Html, int Count)> items)
    {
        var list = items.ToList();
        return list.Count == 0
            ? "None"
            : "<ul class=\"nhsuk-list nhsuk-u-margin-bottom-0\">" + string.Concat(list.Select(i => $"<li>{i.Html}{(i.Count > 1 ? $" ×{i.Count}" : "")}</li>")) + "</ul>";
    }

    private static void Pager(StringBuilder html, BoardQuery query, string? board, int pages)
    {
        html.Append("<nav class=\"app-pager\" aria-label=\"Pages of children\" data-pager>");
        if (pages > 1)
        {
            var page = query.Page;
            var numbers = new[] { 1, page - 1, page, page + 1, pages }.Where(n => n >= 1 && n <= pages).Distinct().Order().ToList();
            html.Append("<ul class=\"app-pager__items\">");
            if (page > 1) Link(page - 1, "Previous", " rel=\"prev\"");
            for (var i = 0; i < numbers.Count; i++)
            {
                var n = numbers[i];
                if (i > 0 && n - numbers[i - 1] > 1) html.Append("<li class=\"app-pager__gap\" aria-hidden=\"true\">…</li>");
                if (n == page) html.Append("<li><span class=\"app-pager__current\" aria-current=\"page\" data-current-page=\"").Append(n).Append("\">Page ").Append(n).Append(" of ").Append(pages).Append("</span></li>");
                else Link(n, n.ToString(CultureInfo.InvariantCulture), $" aria-label=\"Page {n}\"");
            }
            if (page < pages) Link(page + 1, "Next", " rel=\"next\"");
            html.Append("</ul>");
        }
        html.Append("</nav>");

        void Link(int target, string text, string attributes) =>
            html.Append("<li><a class=\"app-pager__link\" href=\"").Append(Encode(Address(query with { Page = target }, board))).Append("\" data-page=\"").Append(target).Append('"')
                .Append(attributes).Append('>').Append(text).Append("</a></li>");
    }

    /// <summary>The list with no filters and its own sort: what "filtered from" and the lists' counts count.</summary>
    private static BoardQuery Unfiltered(BoardList list) => BoardQuery.Default with { List = list, Sort = BoardQuery.DefaultSort(list) };

    /// <summary>The board page's address for a query, as board.ts's addressOf writes it: the board first, "/board" alone for the default.</summary>
    private static string Address(BoardQuery query, string? board) => "/board" + Query(query, board, withPage: true);

    private static string Query(BoardQuery query, string? board, bool withPage)
    {
        var text = string.Join('&', new[] { string.IsNullOrEmpty(board) ? "" : "board=" + Uri.EscapeDataString(board), query.ToAddress(withPage) }.Where(p => p.Length > 0));
        return text.Length > 0 ? "?" + text : "";
    }

}
