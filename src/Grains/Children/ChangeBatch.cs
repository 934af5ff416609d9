using System.Collections.Immutable;
using CareTwin.Grains.Access;
using CareTwin.Journey.Decisions;

namespace CareTwin.Grains.Children;

/// <summary>
/// Changes one caller sends one child together (the child's items of an Ingest batch), in the order sent. Only for
/// callers the policy decides without a lookup elsewhere: staff and systems. A family member's access hangs on their
/// membership, and anyone anonymous is counted, not audited per entry, so theirs go one by one through the gate.
/// </summary>
public sealed record ChangeBatch(Caller Caller, AccessChannel Channel, ImmutableArray<JourneyCommand> Commands)
{
    public static bool Takes(Caller caller) => caller.Role is CallerRole.Coordinator or CallerRole.AgencyStaff or CallerRole.ExternalSystem;
}

/// <summary>What became of one change of a batch: the access decision, and the twin's outcome when it was let through.</summary>
/// <param name="Outcome">Null when access was denied (nothing was decided).</param>
public sealed record BatchItemResult(AccessDecision Access, CommandOutcome? Outcome);
