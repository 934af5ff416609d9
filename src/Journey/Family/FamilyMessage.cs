using System.Text.Json.Serialization;
using CareTwin.Journey.Journal;

namespace CareTwin.Journey.Family;

public enum FamilyMessageKind
{
    /// <summary>What matters to the family ("She loves music; please keep her radio on").</summary>
    Note,
    /// <summary>A worry the family wants the team to act on.</summary>
    Concern,
}

/// <summary>Where a family's concern has got to with the team. Each step implies the ones before it.</summary>
public enum ConcernStatus
{
    /// <summary>Sent; nobody in the team has said they have read it.</summary>
    Open,
    /// <summary>Someone in the team has read it ("read by the team").</summary>
    Read,
    /// <summary>The team has answered the family.</summary>
    Answered,
    /// <summary>The team has closed it: nothing more will happen on it.</summary>
    Closed,
}

/// <summary>Something the team did on a concern, when and by whom.</summary>
public sealed record ConcernStep(DateTimeOffset At, Actor By);

/// <summary>The team's answer to a concern, in words the family reads.</summary>
public sealed record ConcernAnswer(string Text, DateTimeOffset At, Actor By);

/// <summary>Something the family told the team, in their own words.</summary>
/// <param name="BlockerId">The blocker a concern is about, if any.</param>
/// <param name="Read">For a concern: when the team first read it (answering counts as reading). Null for notes.</param>
/// <param name="Answer">For a concern: the team's latest answer (earlier ones stay in the journal).</param>
/// <param name="Closed">For a concern: when the team closed it.</param>
public sealed record FamilyMessage(
    string Id,
    FamilyMessageKind Kind,
    string Text,
    string? BlockerId,
    DateTimeOffset At,
    Actor By,
    ConcernStep? Read = null,
    ConcernAnswer? Answer = null,
    ConcernStep? Closed = null)
{
    /// <summary>Where a concern has got to; null for a note.</summary>
    [JsonIgnore]
    public ConcernStatus? Status => Kind != FamilyMessageKind.Concern ? null
        : Closed is not null ? ConcernStatus.Closed
        : Answer is not null ? ConcernStatus.Answered
        : Read is not null ? ConcernStatus.Read
        : ConcernStatus.Open;

    /// <summary>A concern the team has neither answered nor closed.</summary>
    [JsonIgnore]
    public bool IsUnansweredConcern => Status is ConcernStatus.Open or ConcernStatus.Read;

    /// <summary>A concern not yet closed: what the board counts.</summary>
    [JsonIgnore]
    public bool IsOpenConcern => Kind == FamilyMessageKind.Concern && Closed is null;
}
