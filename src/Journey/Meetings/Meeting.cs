using System.Collections.Immutable;
using System.Text.Json.Serialization;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Meetings;

/// <summary>
/// Which children a meeting covers: those on a board ("hospital:royal-thamesbank"), or, when it is for a set of
/// services, only the board's children with an open blocker one of those services owns.
/// </summary>
public sealed record MeetingScope(string Board, ImmutableArray<ServiceKey> Services)
{
    public bool Covers(BoardRow row) =>
        !row.IsDischarged && (Services.IsDefaultOrEmpty || Services.Any(s => row.OpenBlockersByService.GetValueOrDefault(s) > 0));
}

/// <summary>An open blocker as the agenda lists it: what it is, who owns it and how late it is.</summary>
/// <param name="Sensitive">A safeguarding or otherwise sensitive blocker: a page shows it only to those who may see it.</param>
public sealed record AgendaBlocker(
    string BlockerId,
    BlockerCategory Category,
    ServiceKey OwningService,
    string? NamedOwner,
    string ProfessionalText,
    DateOnly TargetDate,
    DateOnly SlaDueDate,
    bool SlaBreached,
    int EscalationLevel,
    bool AwaitingAcknowledgement,
    bool Sensitive);

/// <summary>One child on a meeting's agenda, with what puts them there and their open blockers.</summary>
/// <param name="FamilyConcerns">Concerns the family has flagged (the board row's count).</param>
/// <param name="AddedDuringMeeting">Added by the coordinator rather than found on the board when the meeting opened.</param>
/// <param name="FamilyCosts">The family's time and money over the last 30 days when the child was put on the agenda (null in meetings stored before it was kept).</param>
public sealed record AgendaItem(
    string ChildId,
    string ChildName,
    string? StageTitle,
    int DaysDelayed,
    int SlaBreaches,
    int AwaitingAcknowledgement,
    int FamilyConcerns,
    ImmutableArray<AgendaBlocker> Blockers,
    bool AddedDuringMeeting = false,
    DateTimeOffset? OldestUnansweredConcern = null,
    FamilyCostSummary? FamilyCosts = null);

public enum MeetingActionKind
{
    RaiseBlocker,
    ReassignBlocker,
    ResolveBlocker,
    EscalateBlocker,
    SetTargetDate,
    BookAppointment,
    /// <summary>A free-text decision.</summary>
    Decision,
}

/// <summary>
/// An action agreed at the meeting for one child, as the child recorded it: who owns it and by when, and the
/// journal entries it made (which name the meeting and its attendees).
/// </summary>
/// <param name="Number">1, 2, 3… in the order the meeting agreed them.</param>
/// <param name="Owner">The service that carries it out (the blocker's owner after the action; the appointment's service), if any.</param>
/// <param name="Date">By when: the target date, the appointment's day, the date an escalation must be acknowledged by; null if none.</param>
/// <param name="Decision">The decision's text, for a free-text decision.</param>
public sealed record MeetingAction(
    int Number,
    string ChildId,
    MeetingActionKind Kind,
    Actor CapturedBy,
    DateTimeOffset At,
    ServiceKey? Owner,
    string? NamedOwner,
    DateOnly? Date,
    string? BlockerId,
    string? Decision,
    ImmutableArray<JourneyEvent> Recorded);

/// <summary>
/// A multi-disciplinary team meeting (MDT): its agenda of children, who attended, and the actions agreed, each
/// recorded in the child's journal as agreed at this meeting. Opened once, closed once; nothing changes after.
/// </summary>
/// <param name="Attendees">The chair first, then everyone added, in order.</param>
/// <param name="Agenda">In the order the meeting takes the children.</param>
public sealed record Meeting(
    string MeetingId,
    MeetingScope Scope,
    DateOnly HeldOn,
    Actor Chair,
    ImmutableArray<MeetingAttendee> Attendees,
    ImmutableArray<AgendaItem> Agenda,
    ImmutableArray<MeetingAction> Actions,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt = null,
    Actor? ClosedBy = null)
{
    [JsonIgnore]
    public bool IsClosed => ClosedAt is not null;

    public AgendaItem? FindOnAgenda(string? childId) => Agenda.FirstOrDefault(i => i.ChildId == childId);

    /// <summary>The reference an action agreed now carries into the child's journal: this meeting, its day, who is here.</summary>
    public MeetingReference Reference() => new(MeetingId, HeldOn, Attendees);
}
