using System.Collections.Immutable;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Services;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.Meetings;

/// <summary>What became of a change to a meeting: the meeting after it, or the refusal (nothing changed).</summary>
public sealed record MeetingChange(Meeting? Meeting, Refusal? Refusal)
{
    public static implicit operator MeetingChange(Meeting meeting) => new(meeting, null);

    public static implicit operator MeetingChange(Refusal refusal) => new(null, refusal);
}

/// <summary>
/// A meeting's rules. Refusals name the field and say what is wrong in the words a coordinator uses; a refused
/// change leaves the meeting as it was. Capturing an action is two steps because the child decides it:
/// <see cref="PrepareAction"/> (may the meeting take it, and the command the child is sent), then, once the child
/// accepted it, <see cref="RecordAction"/>.
/// </summary>
public static class MeetingRules
{
    public static Refusal NotOpened { get; } = Refusal.NotFound("meetingId", "This meeting has not been opened.");

    public static Refusal AlreadyClosed { get; } = Refusal.Precondition("meetingId", "This meeting is already closed.");

    public static Refusal NotOnAgenda { get; } = Refusal.Precondition("childId", "This child is not on the agenda.");

    /// <summary>Whether the meeting may open with these details; the board's existence is the host's to check.</summary>
    public static Refusal? CheckOpen(Meeting? meeting, string meetingId, OpenMeeting c, IServiceDirectory services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (meeting is not null)
            return meeting.IsClosed ? AlreadyClosed : Refusal.Precondition("meetingId", "This meeting is already open.");
        if (KeyRules.Identifier(meetingId, "meetingId") is { } badId)
            return badId;
        if (c is null)
            return Refusal.Invalid("meeting", "Say which board the meeting is for and who chairs it.");
        if (string.IsNullOrWhiteSpace(c.Board))
            return Refusal.Invalid("board", "Choose the board the meeting is for.");
        if (c.Chair is null || string.IsNullOrWhiteSpace(c.Chair.DisplayName) || string.IsNullOrWhiteSpace(c.Chair.Id))
            return Refusal.Invalid("chair", "Say who chairs the meeting.");
        var requested = c.Services.IsDefault ? [] : c.Services;
        for (var i = 0; i < requested.Length; i++)
        {
            if (!services.TryResolve(requested[i], $"services[{i}]", out _, out var badService))
                return badService;
        }
        var attendees = c.Attendees.IsDefault ? [] : c.Attendees;
        for (var i = 0; i < attendees.Length; i++)
        {
            if (CheckAttendee(attendees[i]?.Name, attendees[i]?.Service?.Value, services, $"attendees[{i}].") is { } badAttendee)
                return badAttendee;
        }
        return null;
    }

    /// <summary>The scope the (checked) request asks for.</summary>
    public static MeetingScope ScopeOf(OpenMeeting c) =>
        new(c.Board.Trim(), c.Services.IsDefault ? [] : [.. c.Services.Select(ServiceKey.Parse).Distinct()]);

    /// <summary>Opens the meeting on today's UK date with the agenda built from the twins (see <see cref="MeetingAgenda"/>).</summary>
    public static MeetingChange Open(Meeting? meeting, string meetingId, OpenMeeting c, IEnumerable<AgendaItem> agenda, DecisionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (CheckOpen(meeting, meetingId, c, context.Services) is { } refusal)
            return refusal;
        var chair = new MeetingAttendee(TextRules.Clean(c.Chair.DisplayName));
        var others = (c.Attendees.IsDefault ? [] : c.Attendees).Select(a => a with { Name = TextRules.Clean(a.Name) });
        return new Meeting(meetingId, ScopeOf(c), context.Today, c.Chair, [.. Distinct([chair, .. others])],
            MeetingAgenda.Order(agenda), [], context.Now);
    }

    public static MeetingChange AddAttendee(Meeting? meeting, AddAttendee c, IServiceDirectory services)
    {
        if (Unchangeable(meeting) is { } refusal)
            return refusal;
        if (CheckAttendee(c?.Name, c?.Service, services, "") is { } badAttendee)
            return badAttendee;
        var attendee = new MeetingAttendee(TextRules.Clean(c!.Name), c.Service is null ? null : ServiceKey.Parse(c.Service));
        if (meeting!.Attendees.Any(a => SamePerson(a, attendee)))
            return Refusal.Precondition("name", $"{attendee.Name} is already on the attendee list.");
        return meeting with { Attendees = meeting.Attendees.Add(attendee) };
    }

    public static MeetingChange MoveAgendaItem(Meeting? meeting, MoveAgendaItem c)
    {
        if (Unchangeable(meeting) is { } refusal)
            return refusal;
        var agenda = meeting!.Agenda;
        var from = c is null ? -1 : agenda.ToList().FindIndex(i => i.ChildId == c.ChildId);
        if (from < 0)
            return NotOnAgenda;
        if (c!.Position < 1 || c.Position > agenda.Length)
            return Refusal.Invalid("position", $"Choose a place on the agenda from 1 to {agenda.Length}.");
        var item = agenda[from];
        return meeting with { Agenda = agenda.RemoveAt(from).Insert(c.Position - 1, item) };
    }

    /// <param name="item">The child's agenda item from their twin now (<see cref="MeetingAgenda.Item"/>); null if no such child.</param>
    public static MeetingChange AddChild(Meeting? meeting, AddChildToAgenda c, AgendaItem? item)
    {
        if (CheckAddChild(meeting, c) is { } refusal)
            return refusal;
        if (item is null || item.ChildId != c.ChildId)
            return Refusal.NotFound("childId", "No child is registered with this id.");
        return meeting! with { Agenda = meeting.Agenda.Add(item with { AddedDuringMeeting = true }) };
    }

    /// <summary>Whether the child may be added, before anyone reads the child's twin.</summary>
    public static Refusal? CheckAddChild(Meeting? meeting, AddChildToAgenda c) =>
        Unchangeable(meeting)
        ?? KeyRules.Identifier(c?.ChildId, "childId")
        ?? (meeting!.FindOnAgenda(c!.ChildId) is not null ? Refusal.Precondition("childId", "This child is already on the agenda.") : null);

    /// <summary>
    /// Whether the meeting may take this action, and if so the command to send the child: the same command, its
    /// origin naming this meeting, its day and who is here now.
    /// </summary>
    public static (JourneyCommand? Command, Refusal? Refusal) PrepareAction(Meeting? meeting, CaptureAction c)
    {
        if (Unchangeable(meeting) is { } refusal)
            return (null, refusal);
        if (c is null || meeting!.FindOnAgenda(c.ChildId) is null)
            return (null, NotOnAgenda);
        var problem = c.Command switch
        {
            null => Refusal.Invalid("command", "Choose the action agreed."),
            { Origin: null } => Refusal.Invalid("origin", "origin is required."),
            RecordMeetingDecision d when string.IsNullOrWhiteSpace(d.Decision) => Refusal.Invalid("decision", "Enter the decision."),
            UpdateBlockerProgress { TargetDate: null } => Refusal.Invalid("targetDate", "Enter the new target date."),
            _ when KindOf(c.Command) is null => Refusal.Invalid("command",
                "At a meeting you can raise, reassign, resolve or escalate a blocker, set a target date, book an appointment or record a decision."),
            _ => null,
        };
        if (problem is not null)
            return (null, problem);
        return (c.Command! with { Origin = c.Command.Origin! with { Meeting = meeting!.Reference() } }, null);
    }

    /// <summary>
    /// Records an action the child accepted: who owns it and by when, read from what the child recorded and the
    /// child's twin after it.
    /// </summary>
    /// <param name="sent">The command the child accepted (from <see cref="PrepareAction"/>).</param>
    /// <param name="recorded">The child's journal entries for it.</param>
    public static MeetingChange RecordAction(Meeting? meeting, string childId, JourneyCommand sent, ImmutableArray<JourneyEvent> recorded, ChildJourney after, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sent);
        ArgumentNullException.ThrowIfNull(after);
        if (Unchangeable(meeting) is { } refusal)
            return refusal;
        if (meeting!.FindOnAgenda(childId) is null)
            return NotOnAgenda;
        var kind = KindOf(sent) ?? throw new ArgumentException($"{sent.GetType().Name} is not an action a meeting takes.", nameof(sent));
        var (owner, namedOwner, date, blockerId, decision) = recorded.IsDefaultOrEmpty ? default : Outcome(recorded[0], after);
        var action = new MeetingAction(meeting.Actions.Length + 1, childId, kind, sent.Origin.Actor, now, owner, namedOwner, date, blockerId, decision,
            recorded.IsDefault ? [] : recorded);
        return meeting with { Actions = meeting.Actions.Add(action) };
    }

    public static MeetingChange Close(Meeting? meeting, CloseMeeting c, DateTimeOffset now)
    {
        if (Unchangeable(meeting) is { } refusal)
            return refusal;
        if (c?.By is null)
            return Refusal.Invalid("by", "Say who is closing the meeting.");
        return meeting! with { ClosedAt = now, ClosedBy = c.By };
    }

    /// <summary>What kind of meeting action a command is; null if a meeting does not take it.</summary>
    public static MeetingActionKind? KindOf(JourneyCommand? command) => command switch
    {
        RaiseBlocker => MeetingActionKind.RaiseBlocker,
        ReassignBlocker => MeetingActionKind.ReassignBlocker,
        ResolveBlocker => MeetingActionKind.ResolveBlocker,
        EscalateBlocker => MeetingActionKind.EscalateBlocker,
        UpdateBlockerProgress { TargetDate: not null } => MeetingActionKind.SetTargetDate,
        BookAppointment => MeetingActionKind.BookAppointment,
        RecordMeetingDecision => MeetingActionKind.Decision,
        _ => null,
    };

    private static Refusal? Unchangeable(Meeting? meeting) => meeting is null ? NotOpened : meeting.IsClosed ? AlreadyClosed : null;

    private static Refusal? CheckAttendee(string? name, string? service, IServiceDirectory services, string prefix)
    {
        if (string.IsNullOrWhiteSpace(name))
            return Refusal.Invalid($"{prefix}name", "Enter the attendee's name.");
        if (TextRules.Required(name, $"{prefix}name", TextKind.Name) is { } badName)
            return badName;
        return service is not null && !services.TryResolve(service, $"{prefix}service", out _, out var badService) ? badService : null;
    }

    private static bool SamePerson(MeetingAttendee a, MeetingAttendee b) =>
        string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase) && a.Service == b.Service;

    private static IEnumerable<MeetingAttendee> Distinct(IEnumerable<MeetingAttendee> attendees)
    {
        var kept = new List<MeetingAttendee>();
        foreach (var attendee in attendees.Where(a => !kept.Any(k => SamePerson(k, a))))
            kept.Add(attendee);
        return kept;
    }

    /// <summary>Who carries an action out and by when, from the first journal entry it made.</summary>
    private static (ServiceKey? Owner, string? NamedOwner, DateOnly? Date, string? BlockerId, string? Decision) Outcome(JourneyEvent first, ChildJourney after)
    {
        Blocker? BlockerOf(string id) => after.FindBlocker(id);
        return first switch
        {
            BlockerRaised e => (e.OwningService, e.NamedOwner, e.TargetDate, e.BlockerId, null),
            BlockerReassigned e => (e.ToService, e.NamedOwner, BlockerOf(e.BlockerId)?.TargetDate, e.BlockerId, null),
            BlockerResolved e => (BlockerOf(e.BlockerId)?.OwningService, BlockerOf(e.BlockerId)?.NamedOwner, null, e.BlockerId, null),
            BlockerEscalated e => (e.Service, e.Contact.Name, UkCalendar.DateOf(e.AcknowledgeBy), e.BlockerId, null),
            BlockerProgressUpdated e => (BlockerOf(e.BlockerId)?.OwningService, BlockerOf(e.BlockerId)?.NamedOwner, e.TargetDate, e.BlockerId, null),
            AppointmentBooked e => (e.Service, null, UkCalendar.DateOf(e.Start), null, null),
            MeetingDecisionRecorded e => (e.OwningService, null, e.TargetDate, null, e.Decision),
            _ => default,
        };
    }
}
