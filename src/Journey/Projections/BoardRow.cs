using System.Collections.Immutable;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;

namespace CareTwin.Journey.Projections;

/// <summary>One child's line on a coordinators' board (professional view; shows names as given name and initial).</summary>
/// <param name="MaxEscalationLevel">Highest escalation level among active blockers (0-3).</param>
/// <param name="SlaBreaches">Active blockers past their owning service's SLA.</param>
/// <param name="AwaitingAcknowledgement">Active blockers whose escalation waits for the owning service.</param>
/// <param name="StageTitle">The stage as people call it; null in rows saved before it was kept.</param>
public sealed record BoardRow(
    string ChildId,
    string ChildName,
    string HospitalKey,
    string RegionKey,
    TransitionKind? TransitionKind,
    string? Stage,
    DateOnly? DischargeReadyDate,
    int DaysDelayed,
    DateOnly? PredictedReadyDate,
    string? CriticalPathBlockerId,
    ImmutableDictionary<BlockerCategory, int> OpenBlockersByCategory,
    ImmutableDictionary<ServiceKey, int> OpenBlockersByService,
    int MaxEscalationLevel,
    int SlaBreaches,
    int AwaitingAcknowledgement,
    ImmutableDictionary<ServiceKey, decimal> DelayDaysByService,
    ImmutableDictionary<BlockerCategory, decimal> DelayDaysByCategory,
    decimal UnattributedDelayDays,
    int FamilyConcerns,
    DateTimeOffset AsOf,
    string? StageTitle = null);
