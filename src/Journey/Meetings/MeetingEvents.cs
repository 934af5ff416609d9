using CareTwin.Journey.Journal;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Meetings;

/// <summary>A free-text decision agreed at a meeting; the provenance names the meeting and who attended.</summary>
public sealed record MeetingDecisionRecorded(
    Provenance Provenance,
    string Decision,
    ServiceKey? OwningService,
    DateOnly? TargetDate) : JourneyEvent(Provenance);
