using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;

namespace CareTwin.Journey.Family;

public sealed record AddFamilyNote(CommandOrigin Origin, string Text) : JourneyCommand(Origin);

public sealed record FlagConcern(CommandOrigin Origin, string Text, string? BlockerId = null) : JourneyCommand(Origin);

/// <summary>Someone in the team has read a family's concern: the family sees "Read by the team".</summary>
public sealed record AcknowledgeConcern(CommandOrigin Origin, string MessageId) : JourneyCommand(Origin);

/// <summary>The team answers a family's concern, in words the family reads. A later answer replaces the one the family sees.</summary>
public sealed record AnswerConcern(CommandOrigin Origin, string MessageId, string Text) : JourneyCommand(Origin);

/// <summary>The team closes a family's concern: it no longer counts as open on the board.</summary>
public sealed record CloseConcern(CommandOrigin Origin, string MessageId) : JourneyCommand(Origin);
