using System.Globalization;
using System.Text;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using static CareTwin.Web.Pages.PageShell;

namespace CareTwin.Web.Views;

/// <summary>
/// A board's delay days by week (<see cref="BoardDelayWeeks"/>) as two stacked bar charts, weeks by owning agency and
/// weeks by blocker category, each with its figures in a table, and the link to the same figures as CSV. board.ts's
/// delayWeeks draws the same SVG and words from the rows it holds, so nothing moves when the script takes over.
/// </summary>
public static class DelayWeeksHtml
{
    /// <summary>The name for days on which no blocker was open, in the charts and the CSV.</summary>
    public const string NoBlockerOpen = "No blocker open";

    public const string HowWorkedOut =
        "Each delayed day is shared equally among the child's blockers open that day, and owed to the agency that owned each one that day. " +
        "Weeks start on Monday. Children discharged since count for the days they waited.";

    private const int Width = 640, LabelWidth = 160, BarHeight = 18, Gap = 6, Series = 6;

    /// <param name="board">The address's board parameter, kept in the CSV link (null when the address has none).</param>
    public static void Render(StringBuilder html, BoardView view, DateOnly today, string? board)
    {
        var weeks = BoardDelayWeeks.Across(view.Rows, today);
        var shown = BoardDelayWeeks.Shown(today);
        html.Append("<h2>Delay days by week</h2><div data-delay-weeks><p class=\"nhsuk-body-s\">").Append(Encode($"The last {BoardDelayWeeks.Weeks} weeks. {HowWorkedOut}"))
            .Append("</p><div class=\"app-week-charts\">");
        Chart(html, "board-weeks-agency", "Delay days by week and owning agency", "Other agencies", shown,
            weeks.Select(w => (w.Service is { } s ? view.ServiceNames.GetValueOrDefault(s.Value, ServiceNames.Unlisted) : NoBlockerOpen, w.WeekStarting, w.Days)));
        Chart(html, "board-weeks-category", "Delay days by week and blocker category", "Other categories", shown,
            weeks.Select(w => (w.Category is { } c ? BlockerCategories.Title(c) : NoBlockerOpen, w.WeekStarting, w.Days)));
        html.Append("</div><p class=\"nhsuk-body-s\"><a class=\"nhsuk-link\" data-delay-weeks-export download href=\"")
            .Append(Encode("/board/delays-by-week.csv" + (string.IsNullOrEmpty(board) ? "" : "?board=" + Uri.EscapeDataString(board))))
            .Append("\">Download delay days by week as CSV</a></p></div>");
    }

    /// <param name="others">The name of the series the rest are put together in, past the first <see cref="Series"/> - 1.</param>
    private static void Chart(StringBuilder html, string id, string title, string others, IReadOnlyList<DateOnly> shown, IEnumerable<(string Label, DateOnly Week, decimal Days)> shares)
    {
        var list = shares.ToList();
        // Series (agencies or categories) by their days over the weeks, most first; each keeps its colour in every week.
        // Past five, the rest are one series (the CSV has each): six colours tell apart, and the page stays small.
        var series = list.GroupBy(s => s.Label).Select(g => (Label: g.Key, Total: g.Sum(s => s.Days)))
            .OrderByDescending(s => s.Total).ThenBy(s => s.Label, StringComparer.Ordinal).Select(s => s.Label).ToList();
        if (series.Count > Series) series = [.. series.Take(Series - 1), others];
        var cells = list.GroupBy(s => (Label: series.Contains(s.Label) ? s.Label : others, s.Week)).ToDictionary(g => g.Key, g => g.Sum(s => s.Days));
        var totals = shown.Select(week => series.Sum(label => cells.GetValueOrDefault((label, week)))).ToList();
        var all = totals.Sum();
        var most = totals.Count == 0 ? 0m : totals.Max();
        var max = Math.Max(1, (double)most);
        var summary = $"{Whole(all)} delay days in the last {BoardDelayWeeks.Weeks} weeks" +
            (all > 0 ? $"; the most in the week starting {UkCalendar.Describe(shown[totals.IndexOf(most)])}: {Whole(most)} days." : ".");

        html.Append("<figure class=\"nhsuk-u-margin-bottom-4\" data-delay-weeks-chart><figcaption class=\"nhsuk-heading-s\">").Append(title).Append("</figcaption>")
            .Append("<svg class=\"app-chart\" viewBox=\"0 0 ").Append(Width).Append(' ').Append(shown.Count * (BarHeight + Gap) + Gap)
            .Append("\" role=\"img\" aria-labelledby=\"").Append(id).Append("-title ").Append(id).Append("-desc\" focusable=\"false\">")
            .Append("<title id=\"").Append(id).Append("-title\">").Append(title).Append("</title><desc id=\"").Append(id).Append("-desc\">").Append(Encode(summary)).Append("</desc>");
        for (var i = 0; i < shown.Count; i++)
        {
            var y = Gap + i * (BarHeight + Gap);
            html.Append("<text class=\"app-chart__label\" x=\"").Append(LabelWidth - 8).Append("\" y=\"").Append(Number(y + BarHeight * 0.72)).Append("\" text-anchor=\"end\">")
                .Append(UkCalendar.Describe(shown[i])).Append("</text>");
            double x = LabelWidth;
            for (var k = 0; k < series.Count; k++)
            {
                var days = cells.GetValueOrDefault((series[k], shown[i]));
                if (days <= 0) continue;
                var length = (Width - LabelWidth - 70) * (double)days / max;
                html.Append("<rect class=\"app-chart__series-").Append(k % Series).Append("\" x=\"").Append(Number(x)).Append("\" y=\"").Append(y)
                    .Append("\" width=\"").Append(Number(length)).Append("\" height=\"").Append(BarHeight).Append("\"></rect>");
                x += length;
            }
            html.Append("<text class=\"app-chart__value\" x=\"").Append(Number(x + 6)).Append("\" y=\"").Append(Number(y + BarHeight * 0.72)).Append("\">").Append(Whole(totals[i])).Append("</text>");
        }
        html.Append("</svg><ul class=\"app-chart__legend\">");
        for (var k = 0; k < series.Count; k++)
            html.Append("<li><span class=\"app-chart__swatch app-chart__series-").Append(k % Series).Append("\" aria-hidden=\"true\"></span>").Append(Encode(series[k])).Append("</li>");
        html.Append("</ul><details class=\"nhsuk-details\"><summary class=\"nhsuk-details__summary\"><span class=\"nhsuk-details__summary-text\">Show the figures</span></summary>")
            .Append("<div class=\"nhsuk-details__text app-table-wrap\"><table class=\"nhsuk-table\"><caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">").Append(title).Append(" (days)</caption>")
            .Append("<thead class=\"nhsuk-table__head\"><tr><th scope=\"col\">Week starting</th>");
        foreach (var label in series)
            html.Append("<th scope=\"col\" class=\"nhsuk-table__header--numeric\">").Append(Encode(label)).Append("</th>");
        html.Append("<th scope=\"col\" class=\"nhsuk-table__header--numeric\">Total</th></tr></thead><tbody class=\"nhsuk-table__body\">");
        for (var i = 0; i < shown.Count; i++)
        {
            html.Append("<tr class=\"nhsuk-table__row\"><th scope=\"row\" class=\"nhsuk-table__cell\">").Append(UkCalendar.Describe(shown[i])).Append("</th>");
            foreach (var label in series)
                html.Append("<td class=\"nhsuk-table__cell nhsuk-table__cell--numeric\">").Append(Days(cells.GetValueOrDefault((label, shown[i])))).Append("</td>");
            html.Append("<td class=\"nhsuk-table__cell nhsuk-table__cell--numeric\">").Append(Days(totals[i])).Append("</td></tr>");
        }
        html.Append("</tbody></table></div></details></figure>");

        static string Whole(decimal value) => Math.Round(value, MidpointRounding.AwayFromZero).ToString("F0", CultureInfo.InvariantCulture);
        static string Days(decimal value) => value.ToString("F2", CultureInfo.InvariantCulture);
        // Two decimal places keep a dozen weeks of stacked bars small; board.ts writes them with toFixed(2), the same digits.
        static string Number(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
    }
}
