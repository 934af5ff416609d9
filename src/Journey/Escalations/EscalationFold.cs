using CareTwin.Journey.Children;

namespace CareTwin.Journey.Escalations;

internal static class EscalationFold
{
    public static ChildJourney Apply(ChildJourney state, BlockerEscalated e) =>
        state.WithBlocker(e.BlockerId, b => b with
        {
            Escalations = b.Escalations.Add(new Escalation(
                e.Level, e.Trigger, e.Reason, e.Service, e.Contact, e.Provenance.At, e.Provenance.Actor,
                e.AcknowledgeBy, AcknowledgedAt: null, AcknowledgedBy: null, AcknowledgementNote: null)),
        });

    public static ChildJourney Apply(ChildJourney state, EscalationAcknowledged e) =>
        state.WithBlocker(e.BlockerId, b =>
        {
            var index = b.Escalations.Length - 1;
            while (index >= 0 && b.Escalations[index].Level != e.Level)
                index--;
            if (index < 0)
                throw new InvalidOperationException($"The journal acknowledges unknown level {e.Level} of blocker '{e.BlockerId}'.");
            return b with
            {
                Escalations = b.Escalations.SetItem(index, b.Escalations[index] with
                {
                    AcknowledgedAt = e.Provenance.At,
                    AcknowledgedBy = e.Provenance.Actor,
                    AcknowledgementNote = e.Note,
                }),
            };
        });
}
