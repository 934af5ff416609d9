using System.Collections.Immutable;
using CareTwin.Journey.Family;

namespace CareTwin.Journey.Projections;

/// <summary>
/// What a family sees of their child's journey, in plain language. Built only from family-safe
/// parts of the state: never a sensitive blocker, never professional text, never escalations.
/// </summary>
/// <param name="DaysReadyToGoHome">Days since the child was medically ready to leave hospital, while still in hospital.</param>
/// <param name="OurMessages">The latest of what the family told the team (<see cref="FamilyMessagePages.Latest"/>), newest first.</param>
/// <param name="OlderMessages">How many older messages there are besides, read page by page.</param>
/// <param name="Travel">What the family told us about getting to appointments (null until they do), for their form.</param>
/// <param name="TimeAndMoney">The family's time and money on appointments (<see cref="FamilyCostEstimate"/>), each figure explained.</param>
/// <param name="LikelyReady">
/// <see cref="FamilyWording.LikelyReady"/> while the current journey has open blockers: the forecast in plain words,
/// naming what will take longest only when the family may see it; null otherwise.
/// </param>
/// <param name="WorkNotListed">
/// <see cref="FamilyWording.WorkNotListed"/> while work the family cannot see is going on (a sensitive blocker), so
/// the page never says nothing is waiting when something is; null otherwise.
/// </param>
public sealed record FamilyView(
    string ChildId,
    string ChildName,
    ImmutableArray<FamilyJourneyStep> Journeys,
    int? DaysReadyToGoHome,
    ImmutableArray<FamilyWorkItem> BeingSortedOut,
    ImmutableArray<FamilyWorkItem> RecentlyDone,
    ImmutableArray<FamilyAppointment> UpcomingAppointments,
    BurdenWindow Last30Days,
    BurdenWindow Last90Days,
    ImmutableArray<FamilyMessageView> OurMessages,
    int OlderMessages,
    string? WorkNotListed,
    DateTimeOffset AsOf,
    FamilyTravel? Travel = null,
    FamilyCostEstimate? TimeAndMoney = null,
    string? LikelyReady = null);

/// <param name="Title">The transition in plain words ("Going home from hospital").</param>
/// <param name="StageTitle">The current stage's name for the family ("Arranging what is needed at home").</param>
/// <param name="StageExplanation">What the current stage means.</param>
/// <param name="NextStageTitle">The next stage's name for the family; null once the journey is complete.</param>
/// <param name="Checklist">What has to be true before the journey can finish, each done or not yet.</param>
public sealed record FamilyJourneyStep(
    string TransitionId,
    string Title,
    string StageTitle,
    string StageExplanation,
    int StepNumber,
    int StepCount,
    bool IsComplete,
    string? NextStageTitle,
    ImmutableArray<FamilyChecklistItem> Checklist);

/// <param name="Text">The milestone as a statement of what will be true ("The equipment your child needs has been delivered and checked").</param>
public sealed record FamilyChecklistItem(string Text, bool Done);

/// <summary>Who is doing what.</summary>
/// <param name="Who">The service's name.</param>
/// <param name="What">The blocker's family text, or a plain explanation of its category.</param>
/// <param name="Progress">"Not started yet", "Being worked on" or "Done".</param>
/// <param name="ExpectedBy">When it should be done: only today or later, never a date already past.</param>
/// <param name="Overdue">Still not done after the date it was expected by.</param>
public sealed record FamilyWorkItem(string BlockerId, string Who, string? NamedPerson, string What, string Progress, DateOnly? ExpectedBy, bool Overdue);

public sealed record FamilyAppointment(string AppointmentId, string What, DateTimeOffset When, int DurationMinutes, string Where, string With, bool Moved);

/// <summary>A message the family sent, and for a concern where it has got to with the team.</summary>
/// <param name="Status">For a concern: open, read, answered or closed; null for a note.</param>
/// <param name="Progress">For a concern: <see cref="FamilyWording.ConcernProgress"/> ("Read by the team on 3 June 2025.").</param>
/// <param name="Answer">The team's latest answer, in their words for the family.</param>
/// <param name="AnsweredBy">Who answered, by the name they go by.</param>
public sealed record FamilyMessageView(
    string MessageId,
    FamilyMessageKind Kind,
    string Text,
    DateTimeOffset At,
    ConcernStatus? Status = null,
    string? Progress = null,
    DateTimeOffset? ReadAt = null,
    string? Answer = null,
    string? AnsweredBy = null,
    DateTimeOffset? AnsweredAt = null,
    DateTimeOffset? ClosedAt = null);

/// <summary>A page of what the family told the team, newest first (see <see cref="FamilyMessagePages"/>).</summary>
/// <param name="OlderMessages">How many messages are older than the last one here.</param>
public sealed record FamilyMessagesPage(ImmutableArray<FamilyMessageView> Messages, int OlderMessages);
