using System.Collections.Immutable;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Projections;

/// <summary>
/// A board's delay days in one ISO week owed to one service and category (both null: days with no blocker open),
/// and how many of the board's children they come from.
/// </summary>
public sealed record BoardDelayWeek(DateOnly WeekStarting, ServiceKey? Service, BlockerCategory? Category, decimal Days, int Children);

/// <summary>
/// Delay analytics for a board (issue 17 item 3): each child's delay days by week (<see cref="DelayAttribution.TotalAndWeeksFrom"/>,
/// carried on its row) added up across the board, over the last <see cref="Weeks"/> weeks. Discharged children count
/// too: their delayed days happened in those weeks, which is what a delayed-discharge return reports.
/// </summary>
public static class BoardDelayWeeks
{
    /// <summary>How many weeks a board shows and exports, this week included.</summary>
    public const int Weeks = 12;

    /// <summary>The Monday of the earliest week shown on <paramref name="today"/>.</summary>
    public static DateOnly FirstWeek(DateOnly today) => DelayAttribution.WeekStarting(today).AddDays(-7 * (Weeks - 1));

    /// <summary>The weeks shown on <paramref name="today"/>, earliest first.</summary>
    public static ImmutableArray<DateOnly> Shown(DateOnly today) => [.. Enumerable.Range(0, Weeks).Select(i => FirstWeek(today).AddDays(7 * i))];

    /// <summary>The rows' delay days by week, service and category over the weeks shown, ordered by week, then service key and category.</summary>
    public static ImmutableArray<BoardDelayWeek> Across(IEnumerable<BoardRow> rows, DateOnly today)
    {
        var first = FirstWeek(today);
        return [.. rows
            .SelectMany(row => (row.DelayWeeks ?? []).Where(w => w.WeekStarting >= first && w.Days > 0).Select(w => (row.ChildId, Week: w)))
            .GroupBy(x => (x.Week.WeekStarting, x.Week.Service, x.Week.Category))
            .OrderBy(g => g.Key.WeekStarting).ThenBy(g => g.Key.Service?.Value, StringComparer.Ordinal).ThenBy(g => g.Key.Category)
            .Select(g => new BoardDelayWeek(g.Key.WeekStarting, g.Key.Service, g.Key.Category, g.Sum(x => x.Week.Days), g.Select(x => x.ChildId).Distinct().Count()))];
    }
}
