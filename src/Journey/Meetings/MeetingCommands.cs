using System.Collections.Immutable;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;

namespace CareTwin.Journey.Meetings;

/// <summary>
/// A decision agreed for the child at a meeting, in free text ("Ask the family about respite before the next MDT"),
/// optionally owned by a service and due by a date. Only a meeting sends it: the origin names the meeting.
/// </summary>
/// <param name="OwningService">The service that carries the decision out, if one does; must be in the directory.</param>
/// <param name="TargetDate">UK date it is due by; today or later.</param>
public sealed record RecordMeetingDecision(
    CommandOrigin Origin,
    string Decision,
    string? OwningService = null,
    DateOnly? TargetDate = null) : JourneyCommand(Origin);

/// <summary>Opens a meeting on the day it is held (UK): its agenda is built from the board's twins as it opens.</summary>
/// <param name="Board">The board the meeting is for ("hospital:royal-thamesbank", "region:north-thames").</param>
/// <param name="Services">When the meeting is for a set of services: their keys (only children with their blockers are on the agenda).</param>
/// <param name="Chair">The coordinator chairing; the first attendee.</param>
/// <param name="Attendees">Who else is there as it opens (more can join).</param>
public sealed record OpenMeeting(string Board, ImmutableArray<string> Services, Actor Chair, ImmutableArray<MeetingAttendee> Attendees);

/// <param name="Service">The service they speak for (a key like "housing.newham"), if any.</param>
public sealed record AddAttendee(string Name, string? Service = null);

/// <summary>Moves a child to another place on the agenda (1 is first).</summary>
public sealed record MoveAgendaItem(string ChildId, int Position);

/// <summary>Adds a child the board did not put on the agenda; they go to the end.</summary>
public sealed record AddChildToAgenda(string ChildId);

/// <summary>
/// An action agreed for a child on the agenda: raise, reassign, resolve or escalate a blocker, set a blocker's target
/// date, book an appointment, or a free-text decision (<see cref="RecordMeetingDecision"/>). The command's origin says
/// who captured it; the meeting adds itself to the origin before the child decides it.
/// </summary>
public sealed record CaptureAction(string ChildId, JourneyCommand Command);

public sealed record CloseMeeting(Actor By);
