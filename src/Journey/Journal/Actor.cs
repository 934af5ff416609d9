using CareTwin.Journey.Meetings;
using CareTwin.Journey.Serialization;

namespace CareTwin.Journey.Journal;

public enum ActorRole
{
    Coordinator,
    Clinician,
    AgencyStaff,
    Family,
    ExternalSystem,
    /// <summary>CareTwin itself, e.g. the escalation ladder acting on a reminder.</summary>
    System,
}

/// <summary>Who made a change.</summary>
public sealed record Actor(string Id, string DisplayName, ActorRole Role)
{
    /// <summary>The automatic escalation ladder (SLA breaches, unacknowledged escalations).</summary>
    public static Actor EscalationLadder { get; } = new("caretwin.escalation-ladder", "CareTwin escalation ladder", ActorRole.System);
}

/// <summary>
/// Where a command comes from: who, from which system, and the system's own id for this change.
/// (SourceSystem, ExternalId) makes pushes idempotent: a repeat is a no-op.
/// </summary>
public sealed record CommandOrigin(Actor Actor, string SourceSystem, string ExternalId)
{
    /// <summary>The meeting (MDT) at which the change was agreed, if it was; set by the meeting, carried into the event's provenance.</summary>
    public MeetingReference? Meeting { get; init; }
}

/// <summary>Who, when, from which system and under which external id an event was recorded.</summary>
public sealed record Provenance(Actor Actor, DateTimeOffset At, [property: SharedText] string SourceSystem, string ExternalId)
{
    /// <summary>
    /// The meeting at which the change was agreed ("agreed at the MDT of 5 December 2026", with who attended); null
    /// for changes made outside a meeting, and in every journal written before meetings (left out of the JSON when null).
    /// </summary>
    public MeetingReference? Meeting { get; init; }
}
