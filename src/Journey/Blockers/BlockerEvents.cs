using System.Collections.Immutable;
using System.Text.Json.Serialization;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Serialization;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Blockers;

public sealed record BlockerRaised(
    Provenance Provenance,
    [property: SharedText] string BlockerId,
    [property: SharedText] string TransitionId,
    BlockerCategory Category,
    ServiceKey OwningService,
    string? NamedOwner,
    string ProfessionalText,
    string? FamilyText,
    DateOnly TargetDate,
    DateOnly SlaDueDate,
    bool Sensitive) : JourneyEvent(Provenance), IBlockerEvent
{
    /// <summary>The blockers it starts after (none in events recorded before blockers could wait on each other).</summary>
    [JsonIgnore]
    public ImmutableArray<string> StartsAfter { get; init; } = [];

    /// <summary><see cref="StartsAfter"/> as stored (<see cref="BlockerDependencies.Stored"/>).</summary>
    [JsonPropertyName("startsAfter")]
    public ImmutableArray<string>? StoredStartsAfter
    {
        get => BlockerDependencies.Stored(StartsAfter);
        init => StartsAfter = BlockerDependencies.FromStored(value);
    }
}

public sealed record BlockerProgressUpdated(
    Provenance Provenance,
    string BlockerId,
    BlockerStatus? Status,
    DateOnly? TargetDate,
    string? NamedOwner,
    string? ProfessionalText,
    string? FamilyText,
    bool MarkedSensitive) : JourneyEvent(Provenance), IBlockerEvent;

/// <param name="SlaDueDate">The new owner's SLA due date (unchanged when only the named owner changes).</param>
public sealed record BlockerReassigned(
    Provenance Provenance,
    string BlockerId,
    ServiceKey FromService,
    ServiceKey ToService,
    string? NamedOwner,
    string Reason,
    DateOnly SlaDueDate) : JourneyEvent(Provenance), IBlockerEvent;

public sealed record BlockerResolved(Provenance Provenance, string BlockerId, string? Note, string? FamilyText)
    : JourneyEvent(Provenance), IBlockerEvent;

public sealed record BlockerCancelled(Provenance Provenance, string BlockerId, string Reason)
    : JourneyEvent(Provenance), IBlockerEvent;

/// <param name="StartsAfter">True: <paramref name="BlockerId"/> now starts after <paramref name="AfterBlockerId"/>; false: no longer.</param>
public sealed record BlockerStartsAfterChanged(Provenance Provenance, string BlockerId, string AfterBlockerId, bool StartsAfter)
    : JourneyEvent(Provenance), IBlockerEvent;
