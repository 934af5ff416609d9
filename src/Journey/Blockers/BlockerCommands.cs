using System.Collections.Immutable;
using CareTwin.Journey.References;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;

namespace CareTwin.Journey.Blockers;

/// <param name="OwningService">A service key like "housing.newham"; must be in the directory.</param>
/// <param name="TargetDate">UK date; today or later.</param>
/// <param name="Sensitive">Hide from the family (always true for safeguarding).</param>
public sealed record RaiseBlocker(
    CommandOrigin Origin,
    string TransitionId,
    BlockerCategory Category,
    string OwningService,
    string? NamedOwner,
    string ProfessionalText,
    string? FamilyText,
    DateOnly TargetDate,
    bool Sensitive = false) : JourneyCommand(Origin), IAddressesTransition
{
    public ExternalReference? TransitionRef { get; init; }

    /// <summary>Blockers of the same journey this one starts after (their ids); none by default.</summary>
    public ImmutableArray<string> StartsAfter { get; init; } = [];

    public JourneyCommand WithTransition(string id) => this with { TransitionId = id, TransitionRef = null };
}

/// <summary>Progress on a blocker; null fields stay as they are. At least one change is needed.</summary>
/// <param name="Status">Open or in progress only: resolving and cancelling have their own commands.</param>
/// <param name="MarkSensitive">Makes the blocker sensitive; a sensitive blocker never becomes visible again.</param>
public sealed record UpdateBlockerProgress(
    CommandOrigin Origin,
    string BlockerId,
    BlockerStatus? Status = null,
    DateOnly? TargetDate = null,
    string? NamedOwner = null,
    string? ProfessionalText = null,
    string? FamilyText = null,
    bool MarkSensitive = false) : JourneyCommand(Origin), IAddressesBlocker
{
    public ExternalReference? BlockerRef { get; init; }

    public JourneyCommand WithBlocker(string id) => this with { BlockerId = id, BlockerRef = null };
}

/// <summary>Hands a blocker to another service, or to another named person in the same service.</summary>
public sealed record ReassignBlocker(
    CommandOrigin Origin,
    string BlockerId,
    string OwningService,
    string? NamedOwner,
    string Reason) : JourneyCommand(Origin), IAddressesBlocker
{
    public ExternalReference? BlockerRef { get; init; }

    public JourneyCommand WithBlocker(string id) => this with { BlockerId = id, BlockerRef = null };
}

/// <param name="FamilyText">Optional plain-language news for the family ("The hoist has been fitted").</param>
public sealed record ResolveBlocker(
    CommandOrigin Origin,
    string BlockerId,
    string? Note = null,
    string? FamilyText = null) : JourneyCommand(Origin), IAddressesBlocker
{
    public ExternalReference? BlockerRef { get; init; }

    public JourneyCommand WithBlocker(string id) => this with { BlockerId = id, BlockerRef = null };
}

/// <summary>Withdraws a blocker that turned out not to stand in the way (it then counts for no delay).</summary>
public sealed record CancelBlocker(CommandOrigin Origin, string BlockerId, string Reason) : JourneyCommand(Origin), IAddressesBlocker
{
    public ExternalReference? BlockerRef { get; init; }

    public JourneyCommand WithBlocker(string id) => this with { BlockerId = id, BlockerRef = null };
}

/// <summary>
/// Says that a blocker starts after another of the same journey ("care package recruitment starts after the funding
/// decision"), or, with <paramref name="StartsAfter"/> false, that it no longer waits for it.
/// </summary>
public sealed record SetBlockerStartsAfter(
    CommandOrigin Origin,
    string BlockerId,
    string AfterBlockerId,
    bool StartsAfter = true) : JourneyCommand(Origin), IAddressesBlocker
{
    public ExternalReference? BlockerRef { get; init; }

    public JourneyCommand WithBlocker(string id) => this with { BlockerId = id, BlockerRef = null };
}
