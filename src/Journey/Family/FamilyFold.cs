using CareTwin.Journey.Children;

namespace CareTwin.Journey.Family;

internal static class FamilyFold
{
    public static ChildJourney Apply(ChildJourney state, FamilyNoteAdded e) => state with
    {
        FamilyMessages = state.FamilyMessages.Add(new FamilyMessage(e.MessageId, FamilyMessageKind.Note, e.Text, null, e.Provenance.At, e.Provenance.Actor)),
    };

    public static ChildJourney Apply(ChildJourney state, FamilyConcernFlagged e) => state with
    {
        FamilyMessages = state.FamilyMessages.Add(new FamilyMessage(e.MessageId, FamilyMessageKind.Concern, e.Text, e.BlockerId, e.Provenance.At, e.Provenance.Actor)),
    };

    public static ChildJourney Apply(ChildJourney state, ConcernAcknowledged e) =>
        state.WithFamilyMessage(e.MessageId, m => m with { Read = m.Read ?? Step(e) });

    // Answering a concern means it was read, so the family sees both.
    public static ChildJourney Apply(ChildJourney state, ConcernAnswered e) =>
        state.WithFamilyMessage(e.MessageId, m => m with
        {
            Read = m.Read ?? Step(e),
            Answer = new ConcernAnswer(e.Text, e.Provenance.At, e.Provenance.Actor),
        });

    public static ChildJourney Apply(ChildJourney state, ConcernClosed e) =>
        state.WithFamilyMessage(e.MessageId, m => m with { Read = m.Read ?? Step(e), Closed = Step(e) });

    public static ChildJourney Apply(ChildJourney state, FamilyTravelSet e) => state with
    {
        FamilyTravel = new FamilyTravel(e.Mode, e.TravelMinutes, e.CostPerTrip, e.ParkingPerVisit, e.HoursOffWork, e.Provenance.At, e.Provenance.Actor),
    };

    private static ConcernStep Step(Journal.JourneyEvent e) => new(e.Provenance.At, e.Provenance.Actor);
}
