using System.Text.Json.Serialization;
using CareTwin.Grains.Model.Appointments;
using CareTwin.Grains.Model.Blockers;
using CareTwin.Grains.Model.Children;
using CareTwin.Grains.Model.Escalations;
using CareTwin.Grains.Model.Family;
using CareTwin.Grains.Model.Transitions;

namespace CareTwin.Grains.Model.Journal;

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
[JsonDerivedType(typeof(BlockerEscalated), "blocker-escalated")]
[JsonDerivedType(typeof(EscalationAcknowledged), "escalation-acknowledged")]
[JsonDerivedType(typeof(AppointmentBooked), "appointment-booked")]
[JsonDerivedType(typeof(AppointmentUpdated), "appointment-updated")]
[JsonDerivedType(typeof(FamilyNoteAdded), "family-note-added")]
[JsonDerivedType(typeof(FamilyConcernFlagged), "family-concern-flagged")]
public abstract record JourneyEvent(Provenance Provenance);

/// <summary>An event about one blocker, so service ledgers can follow it.</summary>
public interface IBlockerEvent
{
    string BlockerId { get; }
}
