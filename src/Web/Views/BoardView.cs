using System.Collections.Immutable;
using CareTwin.Grains.Boards;
using CareTwin.Grains.Services;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using CareTwin.Web.Hosting;

namespace CareTwin.Web.Views;

/// <summary>
/// A board as the coordinator's page first reads it: every row (discharged children's too: the page lists them
/// under "recently discharged"), the totals of the live list and the names to show. The page shows one page of
/// rows at a time (<see cref="BoardQuery"/>).
/// </summary>
/// <param name="StageTitles">Each stage's name in words, by its key.</param>
/// <param name="ConcernAnswerWithinHours">A family concern unanswered for longer is raised on its row (<see cref="Hosting.BoardSettings"/>).</param>
public sealed record BoardView(
    string BoardKey,
    string Title,
    ImmutableArray<BoardRow> Rows,
    BoardTotals Totals,
    ImmutableDictionary<string, string> ServiceNames,
    ImmutableDictionary<string, string> HospitalNames,
    DateTimeOffset AsOf,
    ImmutableDictionary<string, string>? StageTitles = null,
    int? ConcernAnswerWithinHours = null)
{
    /// <summary>Every transition's stages by key (a key shared by two kinds has the same name in both).</summary>
    public static ImmutableDictionary<string, string> AllStageTitles { get; } = TransitionCatalog.All.SelectMany(t => t.Stages)
        .GroupBy(s => s.Key).ToImmutableDictionary(g => g.Key, g => g.First().Title);

    public static string StageTitle(string? stage) => stage is null ? "Not started" : AllStageTitles.GetValueOrDefault(stage, stage);

    /// <summary>The board as the page reads it: the same for its first view (rendered on the server) and the live one.</summary>
    public static BoardView Of(BoardSnapshot snapshot, ServiceDirectorySnapshot directory, WebOptions web) => new(
        snapshot.BoardKey,
        web.Boards.FirstOrDefault(b => b.Key == snapshot.BoardKey)?.Title ?? snapshot.BoardKey,
        [.. snapshot.Summary.Rows.Values.OrderByDescending(r => r.DaysDelayed).ThenBy(r => r.ChildId, StringComparer.Ordinal)],
        BoardTotals.Of(snapshot.Summary),
        directory.Profiles.ToImmutableDictionary(p => p.Key.Value, p => p.Value.Name),
        web.Hospitals.ToImmutableDictionary(),
        snapshot.AsOf,
        AllStageTitles,
        web.Board.ConcernAnswerWithinHours);
}

/// <summary>A board's totals without its rows (the live feed sends changed rows and these).</summary>
/// <param name="FamilyCosts">The families' time and money over the last 30 days, in words.</param>
public sealed record BoardTotals(
    int Children,
    int ChildrenDelayed,
    long DaysDelayed,
    ImmutableDictionary<ServiceKey, decimal> DelayDaysByService,
    ImmutableDictionary<BlockerCategory, decimal> DelayDaysByCategory,
    ImmutableDictionary<ServiceKey, int> OpenBlockersByService,
    ImmutableDictionary<BlockerCategory, int> OpenBlockersByCategory,
    int SlaBreaches,
    int AwaitingAcknowledgement,
    ImmutableArray<int> ChildrenByEscalationLevel,
    BoardFamilyCostTotals FamilyCosts)
{
    /// <param name="children">When the summary comes without its rows (a published change), how many children it has.</param>
    public static BoardTotals Of(BoardSummary summary, int? children = null) => new(
        children ?? summary.Children, summary.ChildrenDelayed, summary.DaysDelayed, summary.DelayDaysByService, summary.DelayDaysByCategory,
        summary.OpenBlockersByService, summary.OpenBlockersByCategory, summary.SlaBreaches, summary.AwaitingAcknowledgement,
        summary.ChildrenByEscalationLevel, BoardFamilyCostTotals.Of(summary));
}

/// <summary>One child's row after a change, with the child's journal version.</summary>
public sealed record BoardRowChange(string ChildId, long ChildVersion, BoardRow Row);

/// <summary>What changed on a board since the last flush: the latest row of each changed child, and the totals after them.</summary>
public sealed record BoardChanges(ImmutableArray<BoardRowChange> Rows, BoardTotals Totals);

/// <summary>A service's view: the blockers it owns (with SLA dates), escalations waiting for it, and how it does against its SLAs.</summary>
public sealed record ServiceView(
    string Service,
    string Name,
    ImmutableArray<OwnedBlocker> ActiveBlockers,
    ImmutableArray<AwaitingAcknowledgement> AwaitingAcknowledgement,
    SlaPerformance Performance,
    DateTimeOffset AsOf);

/// <summary>One child's blockers at the service after a change (all of them, closed ones too).</summary>
public sealed record ServiceChildChange(string ChildId, long ChildVersion, ImmutableArray<OwnedBlocker> Blockers);

/// <summary>What changed at a service since the last flush.</summary>
public sealed record ServiceChanges(ImmutableArray<ServiceChildChange> Children, int AwaitingAcknowledgement, SlaPerformance Performance);
