using System.Collections.Immutable;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Meetings;

/// <summary>The minutes for one child: who attended, the decisions, and the other actions with their owners and dates.</summary>
/// <param name="Decisions">The free-text decisions, in the order agreed.</param>
/// <param name="Actions">Everything else agreed (raise, reassign, resolve, escalate, target dates, appointments), in order.</param>
public sealed record ChildMinutes(
    string MeetingId,
    DateOnly HeldOn,
    string ChildId,
    string ChildName,
    ImmutableArray<MeetingAttendee> Attendees,
    ImmutableArray<MeetingAction> Decisions,
    ImmutableArray<MeetingAction> Actions);

/// <summary>What one agency (service) took away from a meeting: the actions it owns, in the order agreed.</summary>
public sealed record AgencyActions(string MeetingId, DateOnly HeldOn, ServiceKey Service, ImmutableArray<MeetingAction> Actions);

/// <summary>Projections of a meeting for its minutes (per child, in agenda order) and for each agency's view.</summary>
public static class MeetingMinutes
{
    /// <summary>The child's minutes, or null if the child was not on the agenda.</summary>
    public static ChildMinutes? ForChild(Meeting meeting, string childId)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        if (meeting.FindOnAgenda(childId) is not { } item)
            return null;
        var agreed = meeting.Actions.Where(a => a.ChildId == childId).ToList();
        return new ChildMinutes(meeting.MeetingId, meeting.HeldOn, item.ChildId, item.ChildName, meeting.Attendees,
            [.. agreed.Where(a => a.Kind == MeetingActionKind.Decision)],
            [.. agreed.Where(a => a.Kind != MeetingActionKind.Decision)]);
    }

    /// <summary>Every child's minutes, in the order the meeting took them.</summary>
    public static ImmutableArray<ChildMinutes> ForEveryChild(Meeting meeting)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        return [.. meeting.Agenda.Select(i => ForChild(meeting, i.ChildId)!)];
    }

    /// <summary>The actions this service owns (including decisions given to it).</summary>
    public static AgencyActions ForAgency(Meeting meeting, ServiceKey service)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        ArgumentNullException.ThrowIfNull(service);
        return new AgencyActions(meeting.MeetingId, meeting.HeldOn, service, [.. meeting.Actions.Where(a => a.Owner == service)]);
    }

    /// <summary>Every agency that owns at least one action, by key, so each can be sent its own list.</summary>
    public static ImmutableArray<AgencyActions> ForEveryAgency(Meeting meeting)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        return [.. meeting.Actions.Select(a => a.Owner).OfType<ServiceKey>().Distinct().OrderBy(s => s.Value, StringComparer.Ordinal)
            .Select(s => ForAgency(meeting, s))];
    }
}
