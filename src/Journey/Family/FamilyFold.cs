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
}
