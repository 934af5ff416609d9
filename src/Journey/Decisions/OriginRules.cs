using CareTwin.Journey.Journal;
using CareTwin.Journey.Meetings;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.Decisions;

/// <summary>Every command must say who sent it, from which system, under which external id.</summary>
internal static class OriginRules
{
    public static Refusal? Check(CommandOrigin? origin)
    {
        if (origin is null)
            return Refusal.Invalid("origin", "origin is required.");
        if (origin.Actor is null)
            return Refusal.Invalid("origin.actor", "origin.actor is required.");
        if (!Enum.IsDefined(origin.Actor.Role))
            return Refusal.Invalid("origin.actor.role", $"origin.actor.role {(int)origin.Actor.Role} is not a known role.");
        return ReferenceRules.Exact(origin.Actor.Id, "origin.actor.id")
            ?? TextRules.Required(origin.Actor.DisplayName, "origin.actor.displayName", TextKind.Name)
            ?? ReferenceRules.Exact(origin.SourceSystem, "origin.sourceSystem")
            ?? ReferenceRules.Exact(origin.ExternalId, "origin.externalId")
            ?? (origin.Meeting is { } meeting ? CheckMeeting(meeting) : null);
    }

    // A meeting reference is kept in the journal for good, so it must be whole: an id, and who was there by name.
    private static Refusal? CheckMeeting(MeetingReference meeting)
    {
        if (KeyRules.Identifier(meeting.MeetingId, "origin.meeting.meetingId") is { } badId)
            return badId;
        if (meeting.Attendees.IsDefaultOrEmpty)
            return Refusal.Invalid("origin.meeting.attendees", "Say who attended the meeting.");
        for (var i = 0; i < meeting.Attendees.Length; i++)
        {
            if (meeting.Attendees[i] is not { } attendee)
                return Refusal.Invalid($"origin.meeting.attendees[{i}]", $"origin.meeting.attendees[{i}] is required.");
            if (TextRules.Required(attendee.Name, $"origin.meeting.attendees[{i}].name", TextKind.Name) is { } badName)
                return badName;
        }
        return null;
    }
}
