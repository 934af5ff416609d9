using CareTwin.Journey.References;
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
    DischargeDestination? Destination = null) : JourneyCommand(Origin), IAddressesTransition
{
    public ExternalReference? TransitionRef { get; init; }

    public JourneyCommand WithTransition(string id) => this with { TransitionId = id, TransitionRef = null };
}

public sealed record CompleteMilestone(CommandOrigin Origin, string TransitionId, string Milestone) : JourneyCommand(Origin), IAddressesTransition
{
    public ExternalReference? TransitionRef { get; init; }

    public JourneyCommand WithTransition(string id) => this with { TransitionId = id, TransitionRef = null };
}
