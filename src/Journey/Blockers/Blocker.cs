using System.Collections.Immutable;
using System.Text.Json.Serialization;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Serialization;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Blockers;

/// <summary>A period during which one service owned a blocker (a reassignment starts a new one).</summary>
public sealed record Ownership(ServiceKey Service, string? NamedOwner, DateTimeOffset Since);

/// <summary>Something standing in the way of a transition, owned by a service.</summary>
/// <param name="Ownerships">Every owning service in order; the last is the current owner.</param>
/// <param name="ProfessionalText">For professionals only; never shown to the family.</param>
/// <param name="FamilyText">Plain language for the family; never shown if the blocker is sensitive.</param>
/// <param name="TargetDate">The UK date the owner expects to have it done.</param>
/// <param name="SlaDueDate">The UK date by which the owning service's SLA says it must be resolved (fixed when it took ownership).</param>
/// <param name="ClosingNote">Professional note given on resolving or the reason given on cancelling.</param>
/// <param name="SourceSystem">The system that raised it (null in snapshots from before CareTwin kept it).</param>
/// <param name="ExternalId">That system's id for the change that raised it, so the system can find the blocker again.</param>
public sealed record Blocker(
    [property: SharedText] string Id,
    [property: SharedText] string TransitionId,
    BlockerCategory Category,
    ImmutableArray<Ownership> Ownerships,
    string ProfessionalText,
    string? FamilyText,
    DateTimeOffset RaisedAt,
    DateOnly TargetDate,
    DateOnly SlaDueDate,
    BlockerStatus Status,
    DateTimeOffset? ClosedAt,
    string? ClosingNote,
    bool Sensitive,
    ImmutableArray<Escalation> Escalations,
    [property: SharedText] string? SourceSystem = null,
    string? ExternalId = null)
{
    /// <summary>
    /// The blockers of the same journey this one starts after ("care package recruitment starts after the funding
    /// decision"): the forecast puts its work after theirs. Never a cycle (the decisions refuse one).
    /// </summary>
    [JsonIgnore]
    public ImmutableArray<string> StartsAfter { get; init; } = [];

    /// <summary><see cref="StartsAfter"/> as stored (<see cref="BlockerDependencies.Stored"/>).</summary>
    [JsonPropertyName("startsAfter")]
    public ImmutableArray<string>? StoredStartsAfter
    {
        get => BlockerDependencies.Stored(StartsAfter);
        init => StartsAfter = BlockerDependencies.FromStored(value);
    }

    [JsonIgnore]
    public ServiceKey OwningService => Ownerships[^1].Service;

    [JsonIgnore]
    public string? NamedOwner => Ownerships[^1].NamedOwner;

    [JsonIgnore]
    public DateTimeOffset OwnedSince => Ownerships[^1].Since;

    [JsonIgnore]
    public bool IsActive => Status is BlockerStatus.Open or BlockerStatus.InProgress;

    /// <summary>0 (not escalated) to 3 (director). Levels only rise, so the last escalation's level.</summary>
    [JsonIgnore]
    public int EscalationLevel => Escalations.IsDefaultOrEmpty ? 0 : Escalations[^1].Level;

    /// <summary>
    /// The escalation waiting for the owning service to acknowledge: the latest one, if the blocker
    /// is still active, it went to the current owner and nobody has acknowledged it.
    /// </summary>
    public Escalation? PendingEscalation() =>
        IsActive && !Escalations.IsDefaultOrEmpty && Escalations[^1] is { AcknowledgedAt: null } last && last.Service == OwningService
            ? last
            : null;
}
