using CareTwin.Journey.Journal;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Escalations;

/// <summary>The contact and acknowledgement deadline are fixed here, so replay never needs the directory.</summary>
public sealed record BlockerEscalated(
    Provenance Provenance,
    string BlockerId,
    int Level,
    EscalationTrigger Trigger,
    string Reason,
    ServiceKey Service,
    EscalationContact Contact,
    DateTimeOffset AcknowledgeBy) : JourneyEvent(Provenance), IBlockerEvent;

public sealed record EscalationAcknowledged(Provenance Provenance, string BlockerId, int Level, string? Note)
    : JourneyEvent(Provenance), IBlockerEvent;
