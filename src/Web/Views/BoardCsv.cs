using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;

namespace CareTwin.Web.Views;

/// <summary>
/// A board's list as a CSV file for the daily huddle: the rows a <see cref="BoardQuery"/> selects (every page), in
/// its order, with the words and UK dates the page shows. RFC 4180 (quoted where needed, CRLF), UTF-8 with a byte
/// order mark so spreadsheet programs read accented names; a cell a spreadsheet would take for a formula
/// (=, +, -, @ first) is prefixed with an apostrophe, so a name typed as a formula is shown, never run.
/// </summary>
public static class BoardCsv
{
    private static readonly CultureInfo Uk = CultureInfo.GetCultureInfo("en-GB");

    public static IReadOnlyList<string> Header(BoardList list) =>
    [
        "Name", "NHS number", "Date of birth", "Hospital", list == BoardList.RecentlyDischarged ? "Discharged on" : "Stage",
        "Ready for discharge since", "Days delayed", "Open blockers", "Owning agencies", "Escalation level",
        "Escalations awaiting acknowledgement", "Blockers past their SLA", "Predicted ready date",
        "Likely ready from", "Likely ready by",
    ];

    public static byte[] Write(BoardList list, IEnumerable<BoardRow> rows, IReadOnlyDictionary<string, string> serviceNames, IReadOnlyDictionary<string, string> hospitalNames)
    {
        var text = new StringBuilder();
        Line(text, Header(list));
        foreach (var row in rows)
            Line(text,
            [
                row.ChildName,
                row.NhsNumber?.Formatted ?? "",
                Date(row.DateOfBirth),
                hospitalNames.GetValueOrDefault(row.HospitalKey, row.HospitalKey),
                list == BoardList.RecentlyDischarged ? Date(row.DischargedOn) : row.StageTitle ?? BoardView.StageTitle(row.Stage),
                Date(row.DischargeReadyDate),
                row.DaysDelayed.ToString(CultureInfo.InvariantCulture),
                Counted(row.OpenBlockersByCategory.Select(c => (BlockerCategories.Title(c.Key), c.Value))),
                Counted(row.OpenBlockersByService.Select(s => (serviceNames.GetValueOrDefault(s.Key.Value, s.Key.Value), s.Value))),
                row.MaxEscalationLevel > 0 ? $"Level {row.MaxEscalationLevel}" : "None",
                row.AwaitingAcknowledgement.ToString(CultureInfo.InvariantCulture),
                row.SlaBreaches.ToString(CultureInfo.InvariantCulture),
                Date(row.PredictedReadyDate),
                // The forecast's range, as the board's "Likely ready" column; empty when there is none.
                Date(row.Forecast?.LikelyFrom),
                Date(row.Forecast?.LikelyBy),
            ]);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    public static IReadOnlyList<string> DelayWeeksHeader { get; } = ["Week starting", "Agency", "Category", "Delay days", "Children"];

    /// <summary>
    /// A board's delay days by week, agency and category (<see cref="BoardDelayWeeks"/>) for a trust's delayed-discharge
    /// returns: the week's Monday as an ISO date, names as the page shows them ("No blocker open" for days with none),
    /// days to two decimal places and how many children they come from. Weeks in order, then agency and category by name.
    /// </summary>
    public static byte[] WriteDelayWeeks(IEnumerable<BoardDelayWeek> weeks, IReadOnlyDictionary<string, string> serviceNames)
    {
        var text = new StringBuilder();
        Line(text, DelayWeeksHeader);
        var named = weeks.Select(w => (w.WeekStarting,
            Agency: w.Service is { } s ? serviceNames.GetValueOrDefault(s.Value, ServiceNames.Unlisted) : DelayWeeksHtml.NoBlockerOpen,
            Category: w.Category is { } c ? BlockerCategories.Title(c) : DelayWeeksHtml.NoBlockerOpen, w.Days, w.Children));
        foreach (var w in named.OrderBy(w => w.WeekStarting).ThenBy(w => w.Agency, StringComparer.Create(Uk, false)).ThenBy(w => w.Category, StringComparer.Create(Uk, false)))
            Line(text,
            [
                w.WeekStarting.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), w.Agency, w.Category,
                w.Days.ToString("F2", CultureInfo.InvariantCulture), w.Children.ToString(CultureInfo.InvariantCulture),
            ]);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>E.g. "north-thames-delays-by-week-2026-12-03.csv".</summary>
    public static string DelayWeeksFileName(string boardCode, DateOnly today) =>
        $"{boardCode}-delays-by-week-{today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";

    /// <summary>E.g. "north-thames-board-2026-12-03.csv" or "royal-thamesbank-recently-discharged-2026-12-03.csv".</summary>
    public static string FileName(string boardCode, BoardList list, DateOnly today) =>
        $"{boardCode}-{(list == BoardList.RecentlyDischarged ? "recently-discharged" : "board")}-{today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";

    private static string Date(DateOnly? date) => date?.ToString("dd/MM/yyyy", Uk) ?? "";

    private static string Counted(IEnumerable<(string Name, int Count)> items) =>
        string.Join("; ", items.OrderBy(i => i.Name, StringComparer.Create(Uk, false)).Select(i => i.Count > 1 ? $"{i.Name} ×{i.Count}" : i.Name));

    private static void Line(StringBuilder text, IReadOnlyList<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) text.Append(',');
            var cell = cells[i] is [ '=' or '+' or '-' or '@' or '\t' or '\r', ..] formula ? "'" + formula : cells[i];
            if (cell.AsSpan().IndexOfAny("\",\r\n") >= 0) text.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            else text.Append(cell);
        }
        text.Append("\r\n");
    }
}
