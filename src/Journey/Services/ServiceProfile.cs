using System.Collections.Immutable;
using CareTwin.Journey.Blockers;

namespace CareTwin.Journey.Services;

public enum AgencyKind
{
    Health,
    SocialCare,
    Housing,
    Education,
    Voluntary,
}

/// <summary>The person an escalation at one level reaches.</summary>
public sealed record EscalationContact(string Name, string Role, string? Email);

/// <summary>One rung of a service's escalation ladder (1 team lead, 2 service manager, 3 director).</summary>
/// <param name="AcknowledgeWithin">If the escalation is not acknowledged within this, the next level follows.</param>
public sealed record EscalationStep(int Level, EscalationContact Contact, TimeSpan AcknowledgeWithin);

/// <summary>A service (agency) twin's profile: who it is, its SLAs and its escalation ladder.</summary>
/// <param name="Name">A plain-language name families can read, e.g. "Eastmarsh Council housing team".</param>
/// <param name="DefaultSlaDays">Calendar days to resolve a blocker of a category without its own SLA.</param>
/// <param name="SlaDays">Calendar days to resolve a blocker, per category.</param>
/// <param name="Phone">The number people ring, as it is dialled in the UK (e.g. "020 7946 0101").</param>
/// <param name="WardOf">For a hospital ward: the hospital (key) whose children it looks after, so their families are
/// given its number for anything urgent.</param>
public sealed record ServiceProfile(
    ServiceKey Key,
    string Name,
    AgencyKind Kind,
    int DefaultSlaDays,
    ImmutableDictionary<BlockerCategory, int> SlaDays,
    ImmutableArray<EscalationStep> EscalationLadder,
    string? Phone = null,
    string? WardOf = null)
{
    public const int TopEscalationLevel = 3;

    public int SlaDaysFor(BlockerCategory category) => SlaDays.GetValueOrDefault(category, DefaultSlaDays);

    public EscalationStep? StepFor(int level) => EscalationLadder.FirstOrDefault(s => s.Level == level);
}
