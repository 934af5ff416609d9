using System.Collections.Immutable;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Meetings;

/// <summary>Someone at a meeting, and the service (agency) they speak for, if they speak for one.</summary>
public sealed record MeetingAttendee(string Name, ServiceKey? Service = null);

/// <summary>
/// The meeting (MDT) at which a change was agreed, as the child's journal keeps it: which meeting, the UK day it
/// was held and who was there when the change was agreed. The journal keeps the names, not just the id, so the
/// record still says who agreed it wherever it is read.
/// </summary>
public sealed record MeetingReference(string MeetingId, DateOnly HeldOn, ImmutableArray<MeetingAttendee> Attendees)
{
    // Two references are the same when their attendees are (an ImmutableArray compares its array, not its items).
    public bool Equals(MeetingReference? other) =>
        other is not null && MeetingId == other.MeetingId && HeldOn == other.HeldOn
        && Attendees.AsSpan().SequenceEqual(other.Attendees.AsSpan());

    public override int GetHashCode() => HashCode.Combine(MeetingId, HeldOn, Attendees.Length);

    /// <summary>"agreed at the MDT of 5 December 2026 (attendees: Priya Shah; Callum Reid, Newham Council housing team)".</summary>
    public string Describe(IServiceDirectory services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var who = Attendees.IsDefaultOrEmpty ? "" : $" (attendees: {string.Join("; ", Attendees.Select(a => a.Service is { } s ? $"{a.Name}, {services.NameOf(s)}" : a.Name))})";
        return $"agreed at the MDT of {UkCalendar.Describe(HeldOn)}{who}";
    }
}
