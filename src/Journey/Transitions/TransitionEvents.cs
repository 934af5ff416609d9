using CareTwin.Journey.Journal;
using CareTwin.Journey.Serialization;

namespace CareTwin.Journey.Transitions;

public sealed record TransitionStarted(Provenance Provenance, [property: SharedText] string TransitionId, TransitionKind Kind, string Stage)
    : JourneyEvent(Provenance);

/// <param name="DischargeReadyDate">Set when this move first reaches the delay-clock stage.</param>
public sealed record StageChanged(
    Provenance Provenance,
    string TransitionId,
    string FromStage,
    string ToStage,
    string? Reason,
    DischargeDestination? Destination,
    DateOnly? DischargeReadyDate,
    bool Completes) : JourneyEvent(Provenance);

public sealed record MilestoneCompleted(Provenance Provenance, string TransitionId, string Milestone) : JourneyEvent(Provenance);
