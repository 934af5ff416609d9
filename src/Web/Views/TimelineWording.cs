using System.Text.RegularExpressions;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Meetings;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;

namespace CareTwin.Web.Views;

/// <summary>A journal entry as a coordinator reads it: who, what (in words), when, and through which system.</summary>
/// <param name="Through">"in CareTwin", or the outside system's name; null when the system is the one who did it.</param>
public sealed record TimelineLine(long Version, DateTimeOffset At, string Who, ActorRole Role, string What, string? Through);

/// <summary>
/// Says what each journal event recorded, in a sentence (professional view: may name sensitive blockers), in the
/// words people use: blockers, stages, appointments and services by what they are, never by their ids or keys. The
/// journey the entries belong to names them; times are UK local time.
/// </summary>
public sealed partial class TimelineWording(ChildJourney journey, IServiceDirectory services, IReadOnlyDictionary<string, string> hospitals)
{
    /// <param name="entries">The journal entries to word, so an outside system is named by what it calls itself there.</param>
    public IEnumerable<TimelineLine> Lines(IEnumerable<(long Version, JourneyEvent Event)> entries)
    {
        var list = entries.ToList();
        // An outside system names itself when it acts as itself; a person acting through it is then "through" that name.
        var systems = list.Select(e => e.Event.Provenance)
            .Where(p => p.Actor.Role == ActorRole.ExternalSystem && p.Actor.Id == p.SourceSystem)
            .GroupBy(p => p.SourceSystem).ToDictionary(g => g.Key, g => g.First().Actor.DisplayName);
        return list.Select(e => Line(e.Version, e.Event, systems));
    }

    private TimelineLine Line(long version, JourneyEvent journeyEvent, IReadOnlyDictionary<string, string> systems)
    {
        var p = journeyEvent.Provenance;
        var through = p.SourceSystem.StartsWith("caretwin.", StringComparison.Ordinal) ? "in CareTwin"
            : p.Actor.Role == ActorRole.ExternalSystem && p.Actor.Id == p.SourceSystem ? null
            : systems.TryGetValue(p.SourceSystem, out var name) ? $"through {name}" : "through another system";
        return new TimelineLine(version, p.At, p.Actor.DisplayName, p.Actor.Role, AgreedAt(Describe(journeyEvent), p), through);
    }

    public string Describe(JourneyEvent journeyEvent) => journeyEvent switch
    {
        ChildRegistered e => $"Registered {e.GivenName} {e.FamilyName} at {hospitals.GetValueOrDefault(e.HospitalKey, "their hospital")}.",
        TransitionStarted e => $"Started the {TransitionCatalog.For(e.Kind).Title.ToLowerInvariant()}.",
        StageChanged e => Sentence($"Moved the {Journey(e.TransitionId)} from {Stage(e.TransitionId, e.FromStage)} to {Stage(e.TransitionId, e.ToStage)}"
            + (e.Destination is { } d ? $" (going to: {Lower(d)})" : "")
            + (e.DischargeReadyDate is { } ready ? $"; ready for discharge from {UkCalendar.Describe(ready)}" : "")
            + (e.Reason is null ? "" : $" because: {e.Reason}")),
        MilestoneCompleted e => $"Completed “{Milestone(e.TransitionId, e.Milestone)}” in the {Journey(e.TransitionId)}.",
        BlockerRaised e => $"Raised {Article(BlockerCategories.Title(e.Category).ToLowerInvariant())} blocker{(e.Sensitive ? " (sensitive)" : "")} for {Service(e.OwningService)}, target {UkCalendar.Describe(e.TargetDate)}: {e.ProfessionalText}",
        BlockerProgressUpdated e => $"Updated {Blocker(e.BlockerId)}: " + string.Join(", ", new[]
        {
            e.Status is { } s ? $"now {Lower(s)}" : null,
            e.TargetDate is { } t ? $"target {UkCalendar.Describe(t)}" : null,
            e.NamedOwner is { } o ? $"owner {o}" : null,
            e.ProfessionalText is not null ? "what is in the way" : null,
            e.FamilyText is not null ? "what the family is told" : null,
            e.MarkedSensitive ? "marked sensitive" : null,
        }.OfType<string>()) + ".",
        BlockerReassigned e => $"Reassigned {Blocker(e.BlockerId, withOwner: false)} from {Service(e.FromService)} to {Service(e.ToService)}{(e.NamedOwner is null ? "" : $" ({e.NamedOwner})")}: {e.Reason}",
        BlockerResolved e => $"Resolved {Blocker(e.BlockerId)}{(e.Note is null ? "." : $": {e.Note}")}",
        BlockerCancelled e => $"Cancelled {Blocker(e.BlockerId)}: {e.Reason}",
        BlockerStartsAfterChanged e => Sentence($"{Capitalised(Blocker(e.BlockerId))} {(e.StartsAfter ? "now starts after" : "no longer waits for")} {Blocker(e.AfterBlockerId)}"),
        BlockerEscalated e => $"Escalated {Blocker(e.BlockerId)} to level {e.Level} ({e.Contact.Name}, {e.Contact.Role}, {Service(e.Service)}) — {Trigger(e.Trigger)}: {e.Reason}",
        EscalationAcknowledged e => $"Acknowledged the level {e.Level} escalation of {Blocker(e.BlockerId)}{(e.Note is null ? "." : $": {e.Note}")}",
        AppointmentBooked e => $"Booked “{e.Purpose}” with {Service(e.Service)} on {UkCalendar.Describe(e.Start)} at {e.Place}.",
        AppointmentUpdated e => $"{Appointment(e.AppointmentId, withDate: e.NewStart is null)}: {Lower(e.Status)}" + (e.NewStart is { } start ? $", now {UkCalendar.Describe(start)}" : "") + ".",
        FamilyNoteAdded e => $"Family told the team: {e.Text}",
        FamilyConcernFlagged e => $"Family flagged a concern{(e.BlockerId is null ? "" : $" about {Blocker(e.BlockerId)}")}: {e.Text}",
        ConcernAcknowledged e => $"Read {Concern(e.MessageId)}.",
        ConcernAnswered e => $"Answered {Concern(e.MessageId)}: {e.Text}",
        ConcernClosed e => $"Closed {Concern(e.MessageId)}.",
        // What it costs them is the family's own business: the child page's "Family's time and money" shows it, the journal does not.
        FamilyTravelSet => "The family told us how they get to appointments.",
        MeetingDecisionRecorded e => Sentence($"Decided: {e.Decision}"
            + (e.OwningService is { } owner ? $" ({Service(owner)}" + (e.TargetDate is { } by ? $", by {UkCalendar.Describe(by)})" : ")") : e.TargetDate is { } due ? $" (by {UkCalendar.Describe(due)})" : "")),
        _ => "Changed the record.",
    };

    /// <summary>A change agreed at a meeting says so: "…, agreed at the MDT of 5 December 2026 (attendees: …)."</summary>
    private string AgreedAt(string what, Provenance p) =>
        p.Meeting is { } meeting ? $"{what.TrimEnd('.')}, {meeting.Describe(services)}." : what;

    private string Service(ServiceKey key) => services.NameOf(key);

    private string Journey(string transitionId) =>
        journey.Transitions.FirstOrDefault(t => t.Id == transitionId) is { } t ? t.Definition().Title.ToLowerInvariant() : "journey";

    private string Stage(string transitionId, string stage) =>
        journey.Transitions.FirstOrDefault(t => t.Id == transitionId)?.Definition().FindStage(stage)?.Title is { } title ? $"“{title}”" : "another stage";

    private string Milestone(string transitionId, string milestone) =>
        journey.Transitions.FirstOrDefault(t => t.Id == transitionId)?.Definition().FindMilestone(milestone)?.Title ?? "a milestone";

    /// <summary>
    /// A blocker as the child page shows it: its category and owner; with what is in the way when the child has
    /// another blocker like it, so the sentence says which.
    /// </summary>
    private string Blocker(string blockerId, bool withOwner = true)
    {
        if (journey.FindBlocker(blockerId) is not { } blocker) return "a blocker";
        var named = $"the {BlockerCategories.Title(blocker.Category).ToLowerInvariant()} blocker" + (withOwner ? $" ({Service(blocker.OwningService)})" : "");
        var alike = journey.Blockers.Count(b => b.Category == blocker.Category && b.OwningService == blocker.OwningService) > 1;
        return alike ? $"{named} “{Shortened(blocker.ProfessionalText)}”" : named;
    }

    /// <param name="withDate">Its day, to tell repeated appointments apart (not once it has moved: that day is the new one).</param>
    private string Appointment(string appointmentId, bool withDate) =>
        journey.Appointments.FirstOrDefault(a => a.Id == appointmentId) is { } a
            ? $"“{a.Purpose}” with {Service(a.Service)}" + (withDate ? $" on {UkCalendar.Describe(UkCalendar.DateOf(a.Start))}" : "")
            : "An appointment";

    /// <summary>A family's concern by the start of what they wrote, so the sentence says which.</summary>
    private string Concern(string messageId) =>
        journey.FindConcern(messageId) is { } concern ? $"the family's concern “{Shortened(concern.Text)}”" : "a family's concern";

    private static string Capitalised(string words) => words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];

    private static string Article(string words) => ("aeiou".Contains(words[0]) ? "an " : "a ") + words;

    // People's text may end its own sentence.
    private static string Sentence(string text) => text.EndsWith('.') || text.EndsWith('!') || text.EndsWith('?') ? text : text + ".";

    private static string Shortened(string text) => text.Length <= 50 ? text : text[..47].TrimEnd() + "…";

    private static string Trigger(EscalationTrigger trigger) => trigger switch
    {
        EscalationTrigger.Manual => "by hand",
        EscalationTrigger.SlaBreached => "SLA passed",
        EscalationTrigger.AcknowledgementOverdue => "not acknowledged in time",
        _ => "automatically",
    };

    /// <summary>An enum value as words: InProgress as "in progress", DidNotAttend as "did not attend".</summary>
    internal static string Lower(Enum value) => WordBoundary().Replace(value.ToString(), " $1").ToLowerInvariant();

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex WordBoundary();
}
