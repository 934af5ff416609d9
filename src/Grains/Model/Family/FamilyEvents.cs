using CareTwin.Grains.Model.Journal;

namespace CareTwin.Grains.Model.Family;

public sealed record FamilyNoteAdded(Provenance Provenance, string MessageId, string Text) : JourneyEvent(Provenance);

public sealed record FamilyConcernFlagged(Provenance Provenance, string MessageId, string Text, string? BlockerId)
    : JourneyEvent(Provenance);
