using CareTwin.Journey.Journal;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Escalations;

public enum EscalationTrigger
{
    /// <summary>A coordinator escalated by hand, with a reason.</summary>
    Manual,
    /// <summary>The owning service's SLA for the blocker passed.</summary>
    SlaBreached,
    /// <summary>The previous level was not acknowledged within the service's window.</summary>
    AcknowledgementOverdue,
}

/// <summary>One step up a blocker's escalation ladder, sent to the owning service's contact for that level.</summary>
/// <param name="Reason">Professional text; never shown to the family.</param>
/// <param name="AcknowledgeBy">If not acknowledged by then, the next level follows (up to 3).</param>
public sealed record Escalation(
    int Level,
    EscalationTrigger Trigger,
    string Reason,
    ServiceKey Service,
    EscalationContact Contact,
    DateTimeOffset RaisedAt,
    Actor RaisedBy,
    DateTimeOffset AcknowledgeBy,
    DateTimeOffset? AcknowledgedAt,
    Actor? AcknowledgedBy,
    string? AcknowledgementNote);
