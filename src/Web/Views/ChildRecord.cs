using System.Collections.Immutable;
using CareTwin.Grains.Access;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Transitions;

namespace CareTwin.Web.Views;

/// <summary>A child's professional record as the child page shows it (staff only: holds sensitive blockers and the NHS number).</summary>
/// <param name="FamilyMessages">The latest of what the family told the team (<see cref="FamilyMessagePages.Latest"/>), newest first.</param>
/// <param name="OlderFamilyMessages">How many older family messages there are besides, read page by page.</param>
/// <param name="Forecast">When the child is likely to be ready, from what blockers really take, and the open blocker that drives it.</param>
/// <param name="FamilyCosts">The family's time and money on appointments, each figure explained, and their appointment counts.</param>
public sealed record ChildRecord(
    string ChildId,
    long Version,
    string Name,
    string NhsNumber,
    DateOnly DateOfBirth,
    string HospitalName,
    ImmutableArray<CareTeamMember> CareTeam,
    string? CurrentTransitionId,
    ImmutableArray<TransitionView> Transitions,
    int DaysDelayed,
    ReadyDatePrediction? Prediction,
    ImmutableArray<BlockerView> Blockers,
    ImmutableArray<AppointmentView> Appointments,
    ImmutableArray<FamilyMessageLine> FamilyMessages,
    int OlderFamilyMessages,
    ImmutableArray<TimelineLine> Timeline,
    ImmutableArray<ServiceChoice> Services,
    ChildPermissions Actions,
    DateTimeOffset AsOf,
    FamilyCosts? FamilyCosts = null,
    ReadyForecast? Forecast = null);

public sealed record StageChoice(string Key, string Title);

public sealed record MilestoneView(string Title, bool Done);

public sealed record TransitionView(
    string Id,
    TransitionKind Kind,
    string Title,
    string Stage,
    string StageTitle,
    bool IsComplete,
    DateOnly? DischargeReadyDate,
    bool RequiresDestination,
    ImmutableArray<StageChoice> Stages,
    ImmutableArray<MilestoneView> Milestones);

/// <param name="AgeDays">Days since it was raised (to closing, once closed).</param>
/// <param name="DaysOverSla">Days past the owning service's SLA due date (0 while within it).</param>
/// <param name="Actions">What the reader may do to it, decided by the access policy: the page offers only these.</param>
public sealed record BlockerView(
    string Id,
    string TransitionId,
    BlockerCategory Category,
    string CategoryTitle,
    string OwningService,
    string OwningServiceName,
    string? NamedOwner,
    string ProfessionalText,
    string? FamilyText,
    bool Sensitive,
    BlockerStatus Status,
    DateTimeOffset RaisedAt,
    DateOnly TargetDate,
    DateOnly SlaDueDate,
    int AgeDays,
    int DaysOverSla,
    int EscalationLevel,
    Escalation? PendingEscalation,
    bool OnCriticalPath,
    DateTimeOffset? ClosedAt,
    BlockerPermissions Actions)
{
    /// <summary>The blockers (ids) whose closing this one's work waits for; the page names them by their titles.</summary>
    public ImmutableArray<string> StartsAfter { get; init; } = [];
}

/// <param name="BookedBy">Who booked it, by name; null when not known (booked before names were kept).</param>
public sealed record AppointmentView(string Id, string ServiceName, DateTimeOffset Start, int DurationMinutes, string Place, string Purpose, AppointmentStatus Status, string? BookedBy);

/// <param name="Status">For a concern: open, read, answered or closed; null for a note.</param>
/// <param name="Progress">For a concern: who in the team has done what on it, when ("Read by Sam Patel on 3 June 2025.").</param>
/// <param name="Answer">The team's latest answer, as the family reads it.</param>
public sealed record FamilyMessageLine(
    string Id, FamilyMessageKind Kind, string Text, string? BlockerId, DateTimeOffset At, string By,
    ConcernStatus? Status = null, string? Progress = null, string? Answer = null);

/// <summary>A page of the family's messages on the child page, newest first.</summary>
/// <param name="OlderMessages">How many messages are older than the last one here.</param>
public sealed record FamilyMessageLinesPage(ImmutableArray<FamilyMessageLine> Messages, int OlderMessages);

/// <summary>A service to choose when raising or reassigning a blocker.</summary>
public sealed record ServiceChoice(string Key, string Name);
