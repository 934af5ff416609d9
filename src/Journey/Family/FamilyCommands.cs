using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;

namespace CareTwin.Journey.Family;

public sealed record AddFamilyNote(CommandOrigin Origin, string Text) : JourneyCommand(Origin);

public sealed record FlagConcern(CommandOrigin Origin, string Text, string? BlockerId = null) : JourneyCommand(Origin);
