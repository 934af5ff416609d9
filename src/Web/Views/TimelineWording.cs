using System.Globalization;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;

namespace CareTwin.Web.Views;

/// <summary>A journal entry as a coordinator reads it: who, what (in words), when, from which system.</summary>
public sealed record TimelineLine(long Version, DateTimeOffset At, string Who, ActorRole Role, string What, string SourceSystem, string ExternalId);

/// <summary>Says what each journal event recorded, in a sentence (professional view: may name sensitive blockers).</summary>
public static class TimelineWording
{
    public static TimelineLine Line(long version, JourneyEvent journeyEvent, IServiceDirectory services)
    {
        var p = journeyEvent.Provenance;
        return new TimelineLine(version, p.At, p.Actor.DisplayName, p.Actor.Role, Describe(journeyEvent, services), p.SourceSystem, p.ExternalId);
    }

    public static string Describe(JourneyEvent journeyEvent, IServiceDirectory services)
    {
        string Service(ServiceKey key) => services.Find(key)?.Name ?? key.Value;
        string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        return journeyEvent switch
        {
            ChildRegistered e => $"Registered {e.GivenName} {e.FamilyName} at {e.HospitalKey}.",
            TransitionStarted e => $"Started {TransitionCatalog.For(e.Kind).Title.ToLowerInvariant()} ({e.TransitionId}).",
            StageChanged e => $"Moved {e.TransitionId} from {e.FromStage} to {e.ToStage}"
                + (e.Reason is null ? "" : $" because: {e.Reason}")
                + (e.Destination is { } d ? $" (destination: {d})" : "")
                + (e.DischargeReadyDate is { } ready ? $"; ready for discharge from {Date(ready)}" : "") + ".",
            MilestoneCompleted e => $"Completed milestone {e.Milestone} on {e.TransitionId}.",
            BlockerRaised e => $"Raised {e.BlockerId} ({BlockerCategories.Title(e.Category)}{(e.Sensitive ? ", sensitive" : "")}) for {Service(e.OwningService)}, target {Date(e.TargetDate)}: {e.ProfessionalText}",
            BlockerProgressUpdated e => $"Updated {e.BlockerId}: " + string.Join(", ", new[]
            {
                e.Status is { } s ? $"status {s}" : null,
                e.TargetDate is { } t ? $"target {Date(t)}" : null,
                e.NamedOwner is { } o ? $"owner {o}" : null,
                e.ProfessionalText is not null ? "professional text" : null,
                e.FamilyText is not null ? "family text" : null,
                e.MarkedSensitive ? "marked sensitive" : null,
            }.OfType<string>()) + ".",
            BlockerReassigned e => $"Reassigned {e.BlockerId} from {Service(e.FromService)} to {Service(e.ToService)}{(e.NamedOwner is null ? "" : $" ({e.NamedOwner})")}: {e.Reason}",
            BlockerResolved e => $"Resolved {e.BlockerId}{(e.Note is null ? "." : $": {e.Note}")}",
            BlockerCancelled e => $"Cancelled {e.BlockerId}: {e.Reason}",
            BlockerEscalated e => $"Escalated {e.BlockerId} to level {e.Level} ({e.Contact.Name}, {e.Contact.Role}, {Service(e.Service)}) — {Trigger(e.Trigger)}: {e.Reason}",
            EscalationAcknowledged e => $"Acknowledged the level {e.Level} escalation of {e.BlockerId}{(e.Note is null ? "." : $": {e.Note}")}",
            AppointmentBooked e => $"Booked {e.Purpose} with {Service(e.Service)} on {e.Start.ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture)} at {e.Place}.",
            AppointmentUpdated e => $"Appointment {e.AppointmentId}: {e.Status}" + (e.NewStart is { } start ? $", now {start.ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture)}" : "") + ".",
            FamilyNoteAdded e => $"Family told the team: {e.Text}",
            FamilyConcernFlagged e => $"Family flagged a concern{(e.BlockerId is null ? "" : $" about {e.BlockerId}")}: {e.Text}",
            _ => journeyEvent.GetType().Name,
        };
    }

    private static string Trigger(EscalationTrigger trigger) => trigger switch
    {
        EscalationTrigger.Manual => "by hand",
        EscalationTrigger.SlaBreached => "SLA passed",
        EscalationTrigger.AcknowledgementOverdue => "not acknowledged in time",
        _ => trigger.ToString(),
    };
}
