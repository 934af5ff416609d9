using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;

namespace CareTwin.Journey.Transitions;

public sealed record StartTransition(CommandOrigin Origin, TransitionKind Kind) : JourneyCommand(Origin);

/// <param name="Reason">Required when stepping back a stage.</param>
/// <param name="Destination">Required when a hospital discharge reaches "discharged", refused otherwise.</param>
public sealed record ChangeStage(
    CommandOrigin Origin,
    string TransitionId,
    string Stage,
    string? Reason = null,
    DischargeDestination? Destination = null) : JourneyCommand(Origin);

public sealed record CompleteMilestone(CommandOrigin Origin, string TransitionId, string Milestone) : JourneyCommand(Origin);
