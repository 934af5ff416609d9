using System.Collections.Immutable;
using System.Text.Json.Serialization;
using CareTwin.Journey.Serialization;

namespace CareTwin.Journey.Transitions;

public sealed record CompletedMilestone(string Key, DateTimeOffset At);

/// <summary>One transition a child is going through (e.g. a hospital discharge).</summary>
/// <param name="DischargeReadyDate">
/// The UK date the child became medically ready for discharge (set on first reaching
/// "medically optimised"); days delayed count from it.
/// </param>
/// <param name="CompletedAt">When the final stage was reached; the delay clock stops then.</param>
/// <param name="SourceSystem">The system that started it (null in snapshots from before CareTwin kept it).</param>
/// <param name="ExternalId">That system's id for the change that started it, so the system can find it again.</param>
public sealed record Transition(
    [property: SharedText] string Id,
    TransitionKind Kind,
    string Stage,
    DateTimeOffset StartedAt,
    DateTimeOffset StageEnteredAt,
    ImmutableArray<CompletedMilestone> Milestones,
    DateOnly? DischargeReadyDate,
    DischargeDestination? Destination,
    DateTimeOffset? CompletedAt,
    [property: SharedText] string? SourceSystem = null,
    string? ExternalId = null)
{
    [JsonIgnore]
    public bool IsComplete => CompletedAt is not null;

    public TransitionDefinition Definition() => TransitionCatalog.For(Kind);

    public bool HasCompleted(string milestoneKey) => Milestones.Any(m => m.Key == milestoneKey);
}
