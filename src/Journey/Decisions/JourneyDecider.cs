using CareTwin.Journey.References;
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
/// Decides a command against a child's state. Order of checks: a well-formed origin, then a
/// repeated (source system, external id) is a no-op (so a retried push succeeds even if the state
/// has moved on), then the child must be registered, then external references become ids, then the
/// command's own rules.
/// </summary>
public static class JourneyDecider
{
    public static Decision Decide(ChildJourney state, JourneyCommand command, DecisionContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(context);

        if (OriginRules.Check(command.Origin) is { } badOrigin)
            return badOrigin;
        var origin = command.Origin;
        if (state.HasApplied(origin.SourceSystem, origin.ExternalId))
            return new Decision.Duplicate(origin.SourceSystem, origin.ExternalId);
        if (command is not RegisterChild && !state.IsRegistered)
            return Refusal.NotFound("childId", "No child is registered with this id.");
        (command, var unresolved) = ExternalReferences.Resolve(state, command);
        if (unresolved is not null)
            return unresolved;

        var stamp = new Provenance(origin.Actor, context.Now, origin.SourceSystem, origin.ExternalId) { Meeting = origin.Meeting };
        return command switch
        {
            RegisterChild c => ChildDecisions.Register(state, c, stamp, context),
            StartTransition c => TransitionDecisions.Start(state, c, stamp),
            ChangeStage c => TransitionDecisions.ChangeStage(state, c, stamp),
            CompleteMilestone c => TransitionDecisions.CompleteMilestone(state, c, stamp),
            RaiseBlocker c => BlockerDecisions.Raise(state, c, stamp, context),
            UpdateBlockerProgress c => BlockerDecisions.UpdateProgress(state, c, stamp, context),
            ReassignBlocker c => BlockerDecisions.Reassign(state, c, stamp, context),
            ResolveBlocker c => BlockerDecisions.Resolve(state, c, stamp),
            CancelBlocker c => BlockerDecisions.Cancel(state, c, stamp),
            SetBlockerStartsAfter c => BlockerDecisions.SetStartsAfter(state, c, stamp, context),
            EscalateBlocker c => EscalationDecisions.Escalate(state, c, stamp, context),
            AutoEscalateBlocker c => EscalationDecisions.AutoEscalate(state, c, stamp, context),
            AcknowledgeEscalation c => EscalationDecisions.Acknowledge(state, c, stamp),
            BookAppointment c => AppointmentDecisions.Book(state, c, stamp, context),
            UpdateAppointment c => AppointmentDecisions.Update(state, c, stamp, context),
            AddFamilyNote c => FamilyDecisions.AddNote(state, c, stamp, context),
            FlagConcern c => FamilyDecisions.FlagConcern(state, c, stamp, context),
            AcknowledgeConcern c => FamilyDecisions.AcknowledgeConcern(state, c, stamp),
            AnswerConcern c => FamilyDecisions.AnswerConcern(state, c, stamp),
            CloseConcern c => FamilyDecisions.CloseConcern(state, c, stamp),
            SetFamilyTravel c => FamilyTravelDecisions.Set(c, stamp),
            RecordMeetingDecision c => MeetingDecisions.Record(c, stamp, context),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown journey command."),
        };
    }

    /// <summary>Decides and, if accepted, applies: the state a grain holds after the command.</summary>
    public static (Decision Decision, ChildJourney State) Handle(ChildJourney state, JourneyCommand command, DecisionContext context)
    {
        var decision = Decide(state, command, context);
        return (decision, JourneyFold.ApplyAll(state, decision.EventsToAppend));
    }
}
