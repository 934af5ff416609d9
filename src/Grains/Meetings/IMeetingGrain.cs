using CareTwin.Grains.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Meetings;

namespace CareTwin.Grains.Meetings;

/// <summary>
/// A multi-disciplinary team meeting (key: the meeting id, letters, digits, '-' or '_'). Opening it builds the agenda
/// from its board's twins; each action agreed is the child's own command, recorded in the child's journal as agreed
/// at this meeting, and in the meeting only if the child accepted it. Every change is published on
/// <see cref="Publishing.JourneyStreams.MeetingStream"/> for those attending. Refusals name the field; nothing changes.
/// </summary>
public interface IMeetingGrain : IGrainWithStringKey
{
    Task<MeetingChange> Open(OpenMeeting command);

    Task<MeetingChange> AddAttendee(AddAttendee command);

    Task<MeetingChange> MoveAgendaItem(MoveAgendaItem command);

    Task<MeetingChange> AddChild(AddChildToAgenda command);

    /// <summary>
    /// Sends the action to the child with this meeting's reference. Accepted by the child: recorded in the meeting.
    /// Refused by the child: the child's refusal, unchanged. Duplicate (the same origin again): nothing new anywhere.
    /// </summary>
    Task<MeetingActionOutcome> CaptureAction(CaptureAction command);

    Task<MeetingChange> Close(CloseMeeting command);

    /// <summary>The meeting; null if it was never opened.</summary>
    [ReadOnly]
    Task<Meeting?> GetMeeting();
}

/// <summary>What became of an action captured at a meeting.</summary>
/// <param name="Kind">Accepted (in the child's journal and the meeting), Duplicate or Refused (by the meeting or by the child).</param>
/// <param name="Action">The action as the meeting recorded it; null unless accepted.</param>
/// <param name="Meeting">The meeting after it (null if it was never opened).</param>
public sealed record MeetingActionOutcome(OutcomeKind Kind, Refusal? Refusal, MeetingAction? Action, Meeting? Meeting);
