using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Meetings;
using CareTwin.Journey.Transitions;

namespace CareTwin.Journey.Journal;

/// <summary>The child twin's state is the fold of its journal: <c>Apply</c> never consults anything but the event.</summary>
public static class JourneyFold
{
    public static ChildJourney Apply(ChildJourney state, JourneyEvent journeyEvent)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(journeyEvent);
        var next = journeyEvent switch
        {
            ChildRegistered e => ChildFold.Apply(state, e),
            TransitionStarted e => TransitionFold.Apply(state, e),
            StageChanged e => TransitionFold.Apply(state, e),
            MilestoneCompleted e => TransitionFold.Apply(state, e),
            BlockerRaised e => BlockerFold.Apply(state, e),
            BlockerProgressUpdated e => BlockerFold.Apply(state, e),
            BlockerReassigned e => BlockerFold.Apply(state, e),
            BlockerResolved e => BlockerFold.Apply(state, e),
            BlockerCancelled e => BlockerFold.Apply(state, e),
            BlockerStartsAfterChanged e => BlockerFold.Apply(state, e),
            BlockerEscalated e => EscalationFold.Apply(state, e),
            EscalationAcknowledged e => EscalationFold.Apply(state, e),
            AppointmentBooked e => AppointmentFold.Apply(state, e),
            AppointmentUpdated e => AppointmentFold.Apply(state, e),
            FamilyNoteAdded e => FamilyFold.Apply(state, e),
            FamilyConcernFlagged e => FamilyFold.Apply(state, e),
            ConcernAcknowledged e => FamilyFold.Apply(state, e),
            ConcernAnswered e => FamilyFold.Apply(state, e),
            ConcernClosed e => FamilyFold.Apply(state, e),
            FamilyTravelSet e => FamilyFold.Apply(state, e),
            // The decision lives in the journal (and the meeting's minutes); the twin's state does not change.
            MeetingDecisionRecorded => state,
            _ => throw new ArgumentOutOfRangeException(nameof(journeyEvent), journeyEvent.GetType().Name, "Unknown journey event."),
        };
        return next with
        {
            AppliedKeys = next.AppliedKeys.Add(IdempotencyKey.Of(journeyEvent.Provenance)),
            Version = state.Version + 1,
        };
    }

    public static ChildJourney ApplyAll(ChildJourney state, IEnumerable<JourneyEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
            state = Apply(state, e);
        return state;
    }

    /// <summary>Rebuilds a twin from its journal (optionally continuing from a snapshot).</summary>
    public static ChildJourney Replay(IEnumerable<JourneyEvent> events, ChildJourney? snapshot = null) =>
        ApplyAll(snapshot ?? ChildJourney.Empty, events);
}
