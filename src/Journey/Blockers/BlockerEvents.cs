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
    bool Sensitive) : JourneyEvent(Provenance), IBlockerEvent;

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
