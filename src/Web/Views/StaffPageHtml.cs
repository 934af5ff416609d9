using System.Text;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Wording;
using static CareTwin.Web.Pages.PageShell;

namespace CareTwin.Web.Views;

/// <summary>
/// What the staff pages' first views (<see cref="ChildRecordHtml"/>, <see cref="ServiceBlockersHtml"/>) share, written
/// as their scripts write it (format.ts, dom.ts), so a page looks the same before its script takes over and after.
/// </summary>
internal static class StaffPageHtml
{
    /// <summary>An enum value in people's words, as format.ts's words() says it: InProgress as "In progress".</summary>
    public static string Words(Enum value)
    {
        var lower = TimelineWording.Lower(value);
        return char.ToUpperInvariant(lower[0]) + lower[1..];
    }

    /// <summary>An SLA clock in words, as format.ts's slaClock() says it: "12 days left", "Due today", "3 days over".</summary>
    public static (string Text, bool Breached) SlaClock(DateOnly due, DateOnly today) => UkCalendar.DaysBetween(today, due) switch
    {
        > 0 and var left => ($"{Quantity.Of(left, "day")} left", false),
        0 => ("Due today", false),
        var over => ($"{Quantity.Of(-over, "day")} over", true),
    };

    /// <summary>An NHS tag, e.g. "SLA breached" in red.</summary>
    public static string Tag(string colour, string text, string? extraClass = null) =>
        $"<strong class=\"nhsuk-tag nhsuk-tag--{colour}{(extraClass is null ? "" : " " + extraClass)}\">{Encode(text)}</strong>";

    /// <summary>A wide table that scrolls sideways on a small screen, as dom.ts's scrolling() wraps it. Rows are <see cref="Row"/>s.</summary>
    public static void Table(StringBuilder html, string caption, IEnumerable<string> headings, IEnumerable<string> rows)
    {
        html.Append("<div class=\"app-table-wrap\" role=\"region\" aria-label=\"").Append(Encode(caption)).Append("\" tabindex=\"0\"><table class=\"nhsuk-table\">")
            .Append("<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">").Append(Encode(caption)).Append("</caption>")
            .Append("<thead class=\"nhsuk-table__head\"><tr>");
        foreach (var heading in headings) html.Append("<th scope=\"col\">").Append(Encode(heading)).Append("</th>");
        html.Append("</tr></thead><tbody class=\"nhsuk-table__body\">");
        foreach (var row in rows) html.Append(row);
        html.Append("</tbody></table></div>");
    }

    /// <summary>A table row of cells that are HTML already (each value in them encoded).</summary>
    public static string Row(string attributes, params string[] cells)
    {
        var html = new StringBuilder("<tr class=\"nhsuk-table__row\"").Append(attributes).Append('>');
        foreach (var cell in cells) html.Append("<td class=\"nhsuk-table__cell\">").Append(cell).Append("</td>");
        return html.Append("</tr>").ToString();
    }
}
