using System.Collections.Immutable;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Demo;
using CareTwin.Journey.Projections;

namespace CareTwin.Grains.Children;

/// <summary>
/// A child's twin, keyed by the opaque CareTwin child id. Every change is a journey command decided by the
/// journey rules and recorded in the child's journal; reads of a child never registered return null.
/// </summary>
public interface IChildGrain : IGrainWithStringKey
{
    /// <summary>
    /// Runs one command through the rules. Accepted: recorded and published (version moves on). Duplicate: its
    /// (source system, external id) was applied before. Refused: the refusal names the field; nothing changed.
    /// </summary>
    Task<CommandOutcome> Execute(JourneyCommand command);

    /// <summary>
    /// Several changes from one caller, decided in order as one: the access policy decides each against the journey
    /// as the changes before it left it, and the twin decides those let through. Every decision (allowed or denied)
    /// is durable in the child's audit trail before anything is recorded; then the accepted events are recorded in
    /// one write and published once. A denied or refused change changes nothing, and the next goes on. One result
    /// per command, in order.
    /// </summary>
    Task<ImmutableArray<BatchItemResult>> ExecuteBatch(ChangeBatch batch);

    /// <summary>The whole twin (staff only: holds the NHS number and professional text).</summary>
    [ReadOnly]
    Task<ChildJourney?> GetJourney();

    /// <summary>What the family may see: never sensitive blockers or professional text.</summary>
    [ReadOnly]
    Task<FamilyView?> GetFamilyView();

    [ReadOnly]
    Task<BoardRow?> GetBoardRow();

    /// <summary>Predicted ready date of the current transition and the blocker it hangs on (null when none or complete).</summary>
    [ReadOnly]
    Task<ReadyDatePrediction?> GetPrediction();

    /// <summary>When the child is likely to be ready, from what blockers really take (null for an unknown child or no journey).</summary>
    [ReadOnly]
    Task<ReadyForecast?> GetForecast();

    /// <summary>Journal entries after <paramref name="afterVersion"/>, at most <paramref name="limit"/> (1-200).</summary>
    [ReadOnly]
    Task<TimelinePage?> GetTimeline(long afterVersion, int limit);
}

/// <summary>
/// Records a child's past: each command is decided as of its own time, in order, all appended at once.
/// For the demo loader and migrations only (never exposed to callers outside the host): commands may not be
/// dated in the future, and a repeated import is all duplicates.
/// </summary>
public interface IChildHistoryImport : IGrainWithStringKey
{
    Task<HistoryImportOutcome> ImportHistory(ImmutableArray<TimedCommand> history);
}
