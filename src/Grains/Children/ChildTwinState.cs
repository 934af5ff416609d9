using CareTwin.Grains.Serialization;
using CareTwin.Journey.Children;

namespace CareTwin.Grains.Children;

/// <summary>
/// The journaled grain's holder of the twin: the runtime folds into a mutable class, the model is immutable,
/// so this only swaps in each new <see cref="ChildJourney"/>. Snapshots are this object in JourneyJson.
/// </summary>
public sealed class ChildTwinState : ITwinState
{
    public ChildJourney Journey { get; set; } = ChildJourney.Empty;

    public object Copy() => new ChildTwinState { Journey = Journey };
}
