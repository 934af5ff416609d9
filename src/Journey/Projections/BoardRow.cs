using System.Collections.Immutable;
using System.Text.Json.Serialization;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;

namespace CareTwin.Journey.Projections;

/// <summary>One child's line on a coordinators' board (professional view; shows names as given name and initial).</summary>
/// <param name="MaxEscalationLevel">Highest escalation level among active blockers (0-3).</param>
/// <param name="SlaBreaches">Active blockers past their owning service's SLA.</param>
/// <param name="AwaitingAcknowledgement">Active blockers whose escalation waits for the owning service.</param>
/// <param name="StageTitle">The stage as people call it; null in rows saved before it was kept.</param>
/// <param name="NhsNumber">Shown with the name, since names on a board are often shared (null in rows stored before the board carried it).</param>
/// <param name="DateOfBirth">Shown with the name, as the NHS number is.</param>
/// <param name="FamilyConcerns">The family's concerns not yet closed.</param>
/// <param name="OldestUnansweredConcern">
/// When the longest-waiting concern the team has neither answered nor closed was flagged (null when none), so a board can
/// raise those older than its configured time (<see cref="Family.FamilyConcerns.UnansweredOlderThan"/> lists them).
/// </param>
/// <param name="Forecast">
/// When the child is likely to be ready, from learned lead times, and the blocker driving it (null in rows stored
/// before the board carried it, and when nothing is in progress).
/// </param>
/// <param name="DischargedOn">
/// The UK date the child left hospital, when their latest hospital discharge is complete and nothing else is in
/// progress: such a child is off the live list and on "recently discharged".
/// </param>
/// <param name="DelayWeeks">
/// The delay days of the latest hospital discharge by ISO week, service and category, for the weeks a board shows
/// (<see cref="BoardDelayWeeks"/>; null in rows stored before it was kept).
/// </param>
/// <param name="FamilyCosts">The family's time and money over the last 30 days, for the board's totals (null in rows stored before it was kept).</param>
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
    string? StageTitle = null,
    NhsNumber? NhsNumber = null,
    DateOnly? DateOfBirth = null,
    DateOnly? DischargedOn = null,
    DateTimeOffset? OldestUnansweredConcern = null,
    ReadyForecast? Forecast = null,
    BoardFamilyCosts? FamilyCosts = null,
    ImmutableArray<DelayWeekShare>? DelayWeeks = null)
{
    /// <summary>
    /// Off the live list: the child has left hospital and no other transition is in progress. A row stored before
    /// rows carried <see cref="DischargedOn"/> says so by its stage (it is on neither list until the child's next change).
    /// </summary>
    [JsonIgnore]
    public bool IsDischarged => DischargedOn is not null || (TransitionKind == Transitions.TransitionKind.HospitalDischarge && Stage == HospitalDischargeStages.Discharged);
}

/// <summary>
/// One family's time and money over the last 30 days (<see cref="Family.FamilyCostEstimate.Last30Days"/>), carried on
/// the child's row only so the board can add them up: a board shows the totals, never one family's figures.
/// </summary>
/// <param name="Hours">At and getting to appointments (travel only when the family told us how long it takes).</param>
/// <param name="Money">Getting there; null when the family has not told us what it costs.</param>
/// <param name="TravelTimeKnown">The family told us how long getting there takes, so their hours include travel.</param>
public sealed record BoardFamilyCosts(decimal Hours, decimal? Money, bool TravelTimeKnown);
