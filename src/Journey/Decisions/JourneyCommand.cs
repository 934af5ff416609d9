using System.Text.Json.Serialization;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Meetings;
using CareTwin.Journey.Transitions;

namespace CareTwin.Journey.Decisions;

/// <summary>
/// A request to change a child's journey. Commands carry raw input (strings, not parsed keys) so
/// <see cref="JourneyDecider"/> can refuse bad input naming the field.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(RegisterChild), "register-child")]
[JsonDerivedType(typeof(StartTransition), "start-transition")]
[JsonDerivedType(typeof(ChangeStage), "change-stage")]
[JsonDerivedType(typeof(CompleteMilestone), "complete-milestone")]
[JsonDerivedType(typeof(RaiseBlocker), "raise-blocker")]
[JsonDerivedType(typeof(UpdateBlockerProgress), "update-blocker-progress")]
[JsonDerivedType(typeof(ReassignBlocker), "reassign-blocker")]
[JsonDerivedType(typeof(ResolveBlocker), "resolve-blocker")]
[JsonDerivedType(typeof(CancelBlocker), "cancel-blocker")]
[JsonDerivedType(typeof(SetBlockerStartsAfter), "set-blocker-starts-after")]
[JsonDerivedType(typeof(EscalateBlocker), "escalate-blocker")]
[JsonDerivedType(typeof(AutoEscalateBlocker), "auto-escalate-blocker")]
[JsonDerivedType(typeof(AcknowledgeEscalation), "acknowledge-escalation")]
[JsonDerivedType(typeof(BookAppointment), "book-appointment")]
[JsonDerivedType(typeof(UpdateAppointment), "update-appointment")]
[JsonDerivedType(typeof(AddFamilyNote), "add-family-note")]
[JsonDerivedType(typeof(FlagConcern), "flag-concern")]
[JsonDerivedType(typeof(AcknowledgeConcern), "acknowledge-concern")]
[JsonDerivedType(typeof(AnswerConcern), "answer-concern")]
[JsonDerivedType(typeof(CloseConcern), "close-concern")]
[JsonDerivedType(typeof(SetFamilyTravel), "set-family-travel")]
[JsonDerivedType(typeof(RecordMeetingDecision), "record-meeting-decision")]
public abstract record JourneyCommand(CommandOrigin Origin);
