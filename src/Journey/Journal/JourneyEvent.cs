using System.Text.Json.Serialization;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Meetings;
using CareTwin.Journey.Transitions;

namespace CareTwin.Journey.Journal;

/// <summary>
/// One entry in a child's journal. The discriminators are stored in the journal: never rename one.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ChildRegistered), "child-registered")]
[JsonDerivedType(typeof(TransitionStarted), "transition-started")]
[JsonDerivedType(typeof(StageChanged), "stage-changed")]
[JsonDerivedType(typeof(MilestoneCompleted), "milestone-completed")]
[JsonDerivedType(typeof(BlockerRaised), "blocker-raised")]
[JsonDerivedType(typeof(BlockerProgressUpdated), "blocker-progress-updated")]
[JsonDerivedType(typeof(BlockerReassigned), "blocker-reassigned")]
[JsonDerivedType(typeof(BlockerResolved), "blocker-resolved")]
[JsonDerivedType(typeof(BlockerCancelled), "blocker-cancelled")]
[JsonDerivedType(typeof(BlockerStartsAfterChanged), "blocker-starts-after-changed")]
[JsonDerivedType(typeof(BlockerEscalated), "blocker-escalated")]
[JsonDerivedType(typeof(EscalationAcknowledged), "escalation-acknowledged")]
[JsonDerivedType(typeof(AppointmentBooked), "appointment-booked")]
[JsonDerivedType(typeof(AppointmentUpdated), "appointment-updated")]
[JsonDerivedType(typeof(FamilyNoteAdded), "family-note-added")]
[JsonDerivedType(typeof(FamilyConcernFlagged), "family-concern-flagged")]
[JsonDerivedType(typeof(ConcernAcknowledged), "concern-acknowledged")]
[JsonDerivedType(typeof(ConcernAnswered), "concern-answered")]
[JsonDerivedType(typeof(ConcernClosed), "concern-closed")]
[JsonDerivedType(typeof(FamilyTravelSet), "family-travel-set")]
[JsonDerivedType(typeof(MeetingDecisionRecorded), "meeting-decision-recorded")]
public abstract record JourneyEvent(Provenance Provenance);

/// <summary>An event about one blocker, so service ledgers can follow it.</summary>
public interface IBlockerEvent
{
    string BlockerId { get; }
}
