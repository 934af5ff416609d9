using CareTwin.Journey.Journal;

namespace CareTwin.Journey.Family;

public enum FamilyMessageKind
{
    /// <summary>What matters to the family ("She loves music; please keep her radio on").</summary>
    Note,
    /// <summary>A worry the family wants the team to act on.</summary>
    Concern,
}

/// <summary>Something the family told the team, in their own words.</summary>
/// <param name="BlockerId">The blocker a concern is about, if any.</param>
public sealed record FamilyMessage(string Id, FamilyMessageKind Kind, string Text, string? BlockerId, DateTimeOffset At, Actor By);
